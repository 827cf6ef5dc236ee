/**
 * How every tool sends a transaction: simulated first against the node, on every network, so that a call that
 * would fail is refused with its decoded custom error and nothing is sent (the sender's nonce does not move, no
 * gas is paid); then sent at the gas price the network asks for (0 on a free-gas chain), and its receipt checked
 * once final (the network's confirmations).
 */
import type { BaseContract, ContractTransactionReceipt, ContractTransactionResponse, Overrides, Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { confirmationsFor, MINING_TIMEOUT_SECONDS } from "../network/chain";
import { errorEnums } from "./enums";
import { explainRevert, type AddressNames } from "./errors";
import { systemInterfaces } from "./system";

/**
 * A transaction that did not happen, or failed: refused by the simulation or by the node before it had a hash
 * (`sent` false: nothing sent, the nonce did not move), or sent and then reverted or not mined in time (`sent` true,
 * with its `hash`, to look up before sending again). Its message is what a person reads.
 */
export class Refused extends Error {
  private constructor(
    message: string,
    readonly reason: string,
    readonly sent: boolean,
    readonly hash?: string,
  ) {
    super(message);
    this.name = "Refused";
  }

  /** The simulation failed: `reason` is the decoded custom error. */
  static bySimulation(reason: string): Refused {
    return new Refused(`refused, nothing sent: ${reason}`, reason, false);
  }

  /** The node refused the transaction before giving it a hash (a nonce, a price, a balance): its own words. */
  static byNode(reason: string): Refused {
    return new Refused(`nothing sent: ${reason}`, reason, false);
  }

  /** Sent as `hash`, and then reverted, dropped or not mined in time: `what` says which. */
  static afterSending(hash: string, what: string, reason: string): Refused {
    return new Refused(`the transaction ${hash} was sent and ${what}: ${reason}`, reason, true, hash);
  }
}

/** Names for the deployed contracts' addresses and the network's named accounts, to read errors by. */
export async function addressNames(hre: HardhatRuntimeEnvironment): Promise<AddressNames> {
  const names = new Map<string, string>();
  for (const [name, address] of Object.entries(await hre.getNamedAccounts())) names.set(address.toLowerCase(), name);
  for (const [name, deployment] of Object.entries(await hre.deployments.all()))
    names.set(deployment.address.toLowerCase(), name);
  return names;
}

/** The decoded reason of a failed call, with nested errors and named addresses. */
export async function explain(hre: HardhatRuntimeEnvironment, error: unknown): Promise<string> {
  return explainRevert(error, await systemInterfaces(hre), await addressNames(hre), await errorEnums(hre));
}

/**
 * The gas price to send at: the network's configured price when it sets one, else what the node asks for
 * (`eth_gasPrice`), as a legacy price, which every node accepts, so a free-gas chain is sent price 0 rather than the
 * 1 gwei tip that ethers would add by default.
 */
export async function gasPrice(hre: HardhatRuntimeEnvironment): Promise<bigint> {
  const configured = (hre.network.config as { gasPrice?: unknown }).gasPrice;
  if (typeof configured === "number" || typeof configured === "bigint") return BigInt(configured);
  return BigInt(await hre.ethers.provider.send("eth_gasPrice", []));
}

/** What a command may set on its transaction; the simulation runs with the same. */
export interface SendOptions {
  /** gasPrice, gasLimit, value, nonce…: sent as given, and simulated with (the gas price defaults to the network's). */
  overrides?: Overrides;
  /** How long to wait for the transaction to be mined and final, in ms (MINING_TIMEOUT_SECONDS by default). */
  waitMs?: number;
}

/**
 * Simulates `contract.method(...args)` from the contract's signer with the send's own overrides, then sends it and
 * waits for its receipt. Throws {@link Refused}: with the decoded error when the simulation fails, with the node's
 * reason when the node refuses the transaction (nothing sent), with its hash when it was sent and then reverted or
 * was not mined in time.
 */
export async function sendChecked(
  hre: HardhatRuntimeEnvironment,
  contract: BaseContract,
  method: string,
  args: readonly unknown[],
  options: SendOptions = {},
): Promise<ContractTransactionReceipt> {
  const signer = contract.runner as Signer | null;
  if (!signer || typeof signer.getAddress !== "function") throw new Error(`${method}: no signer to send from`);
  const fn = contract.getFunction(method);
  const simulated: Overrides = { gasPrice: await gasPrice(hre), ...options.overrides };
  const simulate = async () => {
    await fn.staticCall(...args, simulated);
    return fn.estimateGas(...args, simulated);
  };
  let estimate: bigint;
  try {
    estimate = await simulate();
  } catch (error) {
    throw Refused.bySimulation(await explain(hre, error));
  }
  // a margin over the estimate: the state may move between the simulation and the block
  const overrides = { ...simulated, gasLimit: simulated.gasLimit ?? (estimate * 12n) / 10n };
  let tx: ContractTransactionResponse;
  try {
    tx = await fn.send(...args, overrides);
  } catch (error) {
    const hash = sentHash(error);
    if (hash) throw Refused.afterSending(hash, "failed on chain", await reasonAfter(hre, simulate, error));
    throw Refused.byNode(nodeReason(error));
  }
  const waitMs = options.waitMs ?? MINING_TIMEOUT_SECONDS * 1000;
  let receipt: ContractTransactionReceipt | null;
  try {
    // final on the PoA network after POA_CONFIRMATIONS blocks (a law is in force once final)
    receipt = await tx.wait(confirmationsFor(hre.network.name), waitMs);
  } catch (error) {
    if ((error as { code?: string }).code === "TIMEOUT")
      throw Refused.afterSending(
        tx.hash,
        `not mined within ${waitMs / 1000} s`,
        "it may still be mined: look it up (or at the sender's nonce) before sending it again",
      );
    throw Refused.afterSending(tx.hash, "failed on chain", await reasonAfter(hre, simulate, error));
  }
  if (!receipt) throw Refused.afterSending(tx.hash, "dropped", "the node no longer holds it; nothing was done");
  return receipt;
}

/**
 * The hash of a transaction that was mined and reverted at once: the in-process Hardhat network, automining, mines a
 * reverting transaction and throws instead of returning its hash, with the hash in the error.
 */
function sentHash(error: unknown): string | undefined {
  const hash = (error as { transactionHash?: unknown }).transactionHash;
  return typeof hash === "string" ? hash : undefined;
}

/** The node's own words for a transaction it would not take (ethers wraps them in its error). */
function nodeReason(error: unknown): string {
  const e = error as { info?: { error?: { message?: string } }; error?: { message?: string }; shortMessage?: string };
  return e.info?.error?.message ?? e.error?.message ?? e.shortMessage ?? (error as Error).message ?? String(error);
}

/**
 * Why a sent transaction reverted: a mined revert carries no reason, so the call is simulated again on the state it
 * met, which gives the decoded error; if it now passes, the state moved back, and the node's error is all there is.
 */
async function reasonAfter(hre: HardhatRuntimeEnvironment, simulate: () => Promise<unknown>, error: unknown) {
  try {
    await simulate();
  } catch (again) {
    return explain(hre, again);
  }
  return explain(hre, error);
}
