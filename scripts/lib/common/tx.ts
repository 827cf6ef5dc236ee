/**
 * How every tool sends a transaction: simulated first against the node, on every network, so that a call that
 * would fail is refused with its decoded custom error and nothing is sent (the sender's nonce does not move, no
 * gas is paid); then sent at the gas price the network asks for (0 on a free-gas chain), and its receipt checked
 * once final (the network's confirmations).
 */
import type { BaseContract, ContractTransactionReceipt, Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { confirmationsFor } from "../network/chain";
import { explainRevert, type AddressNames } from "./errors";
import { systemInterfaces } from "./system";

/** A refusal by the chain, found by simulation before anything was sent: its message is the decoded error. */
export class Refused extends Error {
  constructor(
    readonly reason: string,
    readonly sent: boolean,
  ) {
    super(sent ? `the transaction failed on chain: ${reason}` : `refused, nothing sent: ${reason}`);
    this.name = "Refused";
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
  return explainRevert(error, await systemInterfaces(hre), await addressNames(hre));
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

/**
 * Simulates `contract.method(...args)` from the contract's signer, then sends it and waits for its receipt.
 * Throws {@link Refused} with the decoded error when the simulation or the mined transaction fails.
 */
export async function sendChecked(
  hre: HardhatRuntimeEnvironment,
  contract: BaseContract,
  method: string,
  args: readonly unknown[],
): Promise<ContractTransactionReceipt> {
  const signer = contract.runner as Signer | null;
  if (!signer || typeof signer.getAddress !== "function") throw new Error(`${method}: no signer to send from`);
  const fn = contract.getFunction(method);
  let gasLimit: bigint;
  try {
    await fn.staticCall(...args);
    gasLimit = await fn.estimateGas(...args);
  } catch (error) {
    throw new Refused(await explain(hre, error), false);
  }
  // a margin over the estimate: the state may move between the simulation and the block
  const overrides = { gasLimit: (gasLimit * 12n) / 10n, gasPrice: await gasPrice(hre) };
  try {
    const tx = await fn.send(...args, overrides);
    // final on the PoA network after POA_CONFIRMATIONS blocks (a law is in force once final)
    const receipt = await tx.wait(confirmationsFor(hre.network.name));
    if (!receipt) throw new Error(`${method}: the transaction ${tx.hash} was dropped`);
    return receipt as ContractTransactionReceipt;
  } catch (error) {
    if (error instanceof Error && error.message.endsWith("was dropped")) throw error;
    throw new Refused(await explain(hre, error), true);
  }
}
