/** What the tasks share: plain error messages, and the signer named by `--from`. */
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** Reports an error as a plain message, without a stack trace: the tasks' users are not debugging them. */
export const fail = (error: unknown): never => {
  throw new HardhatPluginError("govchain", (error as Error).message);
};

/** The signer for `--from`: a named account or an address whose key the network holds. */
export async function signerFor(hre: HardhatRuntimeEnvironment, from: string) {
  const named = await hre.getNamedAccounts();
  const address = named[from] ?? from;
  if (!hre.ethers.isAddress(address)) fail(new Error(`--from "${from}" is neither a named account nor an address`));
  const available = (await hre.ethers.getSigners()).map((s) => s.address.toLowerCase());
  if (!available.includes(address.toLowerCase()))
    fail(new Error(`network "${hre.network.name}" holds no key for ${from} (${address})`));
  return hre.ethers.getSigner(address);
}

/** Runs a synchronous step (reading and checking input), reporting its failure as {@link fail} does. */
export function attempt<T>(step: () => T): T {
  try {
    return step();
  } catch (error) {
    return fail(error);
  }
}
