/**
 * The token's tools, for holders, courts and the payment system's guardian: balances, transfers, freezing and
 * unfreezing with the reason, a court's forced transfer, and pausing every movement. Amounts in yuan ("1234.56"),
 * fen on chain. Every write goes through sendChecked: simulated first, nothing sent on refusal.
 */
import type { Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { accountAddress, accountNamer } from "../common/names";
import { getFinance, getSystem } from "../common/system";
import { sendChecked } from "../common/tx";
import { purposeId } from "../treasury/treasury";
import { formatAmount } from "../treasury/treasury";

/** A holder's address: a deployed contract by name (Treasury, ServiceDesk), a named account, or an address. */
export async function holderAddress(hre: HardhatRuntimeEnvironment, who: string): Promise<string> {
  const deployment = await hre.deployments.getOrNull(who);
  return deployment ? deployment.address : accountAddress(hre, who);
}

export interface BalanceView {
  holder: string;
  balance: string;
  /** In fen, for scripts. */
  fen: string;
  /** The identity the key is a live key of, as the IdentityRegistry says now (0 for none). */
  identity: number;
  mayHold: boolean;
  frozen: boolean;
  serviceAccount: boolean;
}

/** A holder's balance and standing. */
export async function balanceOf(hre: HardhatRuntimeEnvironment, who: string): Promise<BalanceView> {
  const { fiatToken } = await getFinance(hre);
  const { identityRegistry } = await getSystem(hre);
  const address = await holderAddress(hre, who);
  const account = await fiatToken.account(address);
  return {
    holder: (await accountNamer(hre))(address),
    balance: formatAmount(account.balance),
    fen: account.balance.toString(),
    // the registry's answer, not the token's record of its last check (0 until the key first holds money)
    identity: Number(await identityRegistry.identityOf(address)),
    mayHold: await fiatToken.canHold(address),
    frozen: account.frozen,
    serviceAccount: account.service,
  };
}

export function formatBalance(b: BalanceView): string {
  const standing = b.serviceAccount
    ? "a service account"
    : [b.identity ? `identity ${b.identity}` : "no identity", b.frozen ? "FROZEN" : "", b.mayHold ? "" : "may not hold"]
        .filter(Boolean)
        .join(", ");
  return `${b.holder}: ${b.balance} yuan (${standing})`;
}

/** What a movement of money is, in a person's words, to confirm before it is sent. */
export async function describeMovement(
  hre: HardhatRuntimeEnvironment,
  what: string,
  amount: bigint,
  from: string,
  to: string,
): Promise<string> {
  const name = await accountNamer(hre);
  return `${what}: ${formatAmount(amount)} yuan from ${name(from)} to ${name(to)}`;
}

/** Transfers `amount` (fen) from the sender's key to `to`. */
export async function transferTokens(hre: HardhatRuntimeEnvironment, sender: Signer, to: string, amount: bigint) {
  const { fiatToken } = await getFinance(hre, sender);
  return sendChecked(hre, fiatToken, "transfer", [await holderAddress(hre, to), amount]);
}

/** Freezes (or unfreezes) a holder's account, with the reason, by a court's official. */
export async function setFrozen(
  hre: HardhatRuntimeEnvironment,
  judge: Signer,
  holder: string,
  frozen: boolean,
  reason: string,
) {
  if (reason.trim() === "") throw new Error(`${frozen ? "freezing" : "unfreezing"} an account needs its reason`);
  const { fiatToken } = await getFinance(hre, judge);
  const address = await holderAddress(hre, holder);
  return sendChecked(hre, fiatToken, frozen ? "freeze" : "unfreeze", [address, purposeId(reason)]);
}

/** Moves `amount` (fen) from a frozen account to `to` by court order, with the reason. */
export async function forceTransfer(
  hre: HardhatRuntimeEnvironment,
  judge: Signer,
  from: string,
  to: string,
  amount: bigint,
  reason: string,
) {
  if (reason.trim() === "") throw new Error("a forced transfer needs its reason (the court order)");
  const { fiatToken } = await getFinance(hre, judge);
  return sendChecked(hre, fiatToken, "forcedTransfer", [
    await holderAddress(hre, from),
    await holderAddress(hre, to),
    amount,
    purposeId(reason),
  ]);
}

/** Pauses (or unpauses) every movement of the token, by the payment system's guardian. */
export async function setPaused(hre: HardhatRuntimeEnvironment, guardian: Signer, paused: boolean) {
  const { fiatToken } = await getFinance(hre, guardian);
  return sendChecked(hre, fiatToken, paused ? "pause" : "unpause", []);
}
