/**
 * The treasury's tools beside payments: reversing a payment with its reason, moving budget between organisations'
 * accounts, and a beneficiary's claim of this period's benefit. Each has a description of the money it moves, in
 * a person's words, for the confirmation the tools ask before sending; every write goes through sendChecked.
 */
import type { Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId, readableText, textId } from "../common/ids";
import { accountNamer, checkIdInRange, identityLabel } from "../common/names";
import { getFinance } from "../common/system";
import { sendChecked } from "../common/tx";
import { formatAmount, purposeId } from "./treasury";

/** A payment that exists, or a plain message with the range of payment ids. */
async function existingPayment(hre: HardhatRuntimeEnvironment, paymentId: bigint) {
  const { treasury } = await getFinance(hre);
  const count = await treasury.paymentCount();
  checkIdInRange("payment", paymentId, count);
  return treasury.payment(paymentId);
}

/** What reversing a payment moves: its amount, back from whom it paid to the organisation that paid. */
export async function describeReversal(hre: HardhatRuntimeEnvironment, paymentId: bigint): Promise<string> {
  const p = await existingPayment(hre, paymentId);
  if (p.reversed) throw new Error(`payment ${paymentId} is reversed already`);
  const paid =
    p.toOrganisation !== 0n
      ? `${await identityLabel(hre, p.toOrganisation)}'s account`
      : (await accountNamer(hre))(p.to);
  return (
    `reverse payment ${paymentId} (${readableText(p.purpose)}): ${formatAmount(p.amount)} yuan from ${paid} back to ` +
    `${await identityLabel(hre, p.fromOrganisation)}'s account`
  );
}

/** Reverses a payment, with the reason, by an officer of the paying organisation. */
export async function reversePayment(
  hre: HardhatRuntimeEnvironment,
  officer: Signer,
  paymentId: bigint,
  reason: string,
) {
  if (reason.trim() === "") throw new Error("a reversal needs its reason");
  await existingPayment(hre, paymentId);
  const { treasury } = await getFinance(hre, officer);
  return sendChecked(hre, treasury, "reverse", [paymentId, purposeId(reason)]);
}

/** What a budget transfer moves, between organisations' accounts. */
export async function describeBudgetTransfer(
  hre: HardhatRuntimeEnvironment,
  from: bigint,
  to: bigint,
  amount: bigint,
): Promise<string> {
  return `transfer budget: ${formatAmount(amount)} yuan from ${await identityLabel(hre, from)}'s account to ${await identityLabel(hre, to)}'s account`;
}

/** Moves `amount` (fen) from one organisation's account to another's, with its purpose: the payment id. */
export async function transferBudget(
  hre: HardhatRuntimeEnvironment,
  officer: Signer,
  from: bigint,
  to: bigint,
  amount: bigint,
  purpose: string,
): Promise<bigint> {
  if (purpose.trim() === "") throw new Error("a budget transfer needs its purpose");
  const { treasury } = await getFinance(hre, officer);
  const receipt = await sendChecked(hre, treasury, "transferBudget", [from, to, amount, purposeId(purpose)]);
  for (const log of receipt.logs) {
    const event = treasury.interface.parseLog(log);
    if (event?.name === "PaymentMade") return event.args.paymentId as bigint;
  }
  throw new Error(`the budget transfer ${receipt.hash} recorded no PaymentMade event`);
}

/** What a claim moves: this period's benefit of a programme, from its budget to the claiming key. */
export async function describeClaim(hre: HardhatRuntimeEnvironment, programme: string, key: string): Promise<string> {
  const [period, amount] = await currentPeriodOf(hre, programme);
  return `claim ${programme}, period ${period}: ${formatAmount(amount)} yuan from the programme's budget to ${(await accountNamer(hre))(key)}`;
}

/** A programme's current period and amount, or a plain message naming the programmes. */
async function currentPeriodOf(hre: HardhatRuntimeEnvironment, programme: string): Promise<[bigint, bigint]> {
  const { treasury } = await getFinance(hre);
  const programmes = (await treasury.queryFilter(treasury.filters.ProgrammeDefined())).map((e) =>
    readableId(e.args.programmeId),
  );
  if (!programmes.includes(programme))
    throw new Error(`there is no programme "${programme}" (programmes: ${programmes.join(", ")})`);
  const [period, amount] = await treasury.currentPeriod(textId(programme));
  return [period, amount];
}

/** A beneficiary's claim of this period's benefit, by its own key: the amount paid (fen). */
export async function claimBenefit(
  hre: HardhatRuntimeEnvironment,
  beneficiaryKey: Signer,
  programme: string,
): Promise<bigint> {
  await currentPeriodOf(hre, programme);
  const { treasury } = await getFinance(hre, beneficiaryKey);
  const receipt = await sendChecked(hre, treasury, "claim", [textId(programme)]);
  for (const log of receipt.logs) {
    const event = treasury.interface.parseLog(log);
    if (event?.name === "BenefitClaimed") return event.args.amount as bigint;
  }
  throw new Error(`the claim ${receipt.hash} recorded no BenefitClaimed event`);
}

/** What a payout moves: this period's benefit of a programme, from its budget, to each eligible beneficiary. */
export async function describePayout(hre: HardhatRuntimeEnvironment, programme: string): Promise<string> {
  const [period, amount] = await currentPeriodOf(hre, programme);
  const { treasury } = await getFinance(hre);
  const budget = (await treasury.programme(textId(programme))).budget;
  return (
    `payout of ${programme}, period ${period}: ${formatAmount(amount)} yuan to each eligible beneficiary not yet ` +
    `paid, from the programme's budget of ${formatAmount(budget)} yuan`
  );
}
