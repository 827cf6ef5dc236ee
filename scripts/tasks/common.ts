/** What the tasks share: plain error messages, the signer named by `--from`, and the question asked before sending. */
import { createInterface } from "node:readline/promises";
import { HardhatPluginError } from "hardhat/plugins";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { checkNodeAndDeployments } from "../lib/network/deployments";

/** Reports an error as a plain message, without a stack trace: the tasks' users are not debugging them. */
export const fail = (error: unknown): never => {
  throw new HardhatPluginError("govchain", (error as Error).message);
};

/** The signer for `--from`: a named account or an address whose key the network holds. */
export async function signerFor(hre: HardhatRuntimeEnvironment, from: string) {
  await checkNodeAndDeployments(hre); // before the node is asked for accounts: a plain message when it is not there
  const named = await hre.getNamedAccounts();
  const address = named[from] ?? from;
  if (!hre.ethers.isAddress(address))
    fail(
      new Error(
        `--from "${from}" is neither a named account nor an address; the named accounts are: ` +
          Object.keys(named).join(", "),
      ),
    );
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

/** Whether the task `name` is the one given on the command line (not one run by code, as the tests run them). */
function ranFromCommandLine(name: string): boolean {
  return process.argv.slice(2).includes(name);
}

/**
 * A task's action whose failure reaches a person as one plain line on stderr and exit code 1, headless or not
 * (Hardhat prints a stack trace on a CI server or without a display, and "An unexpected error occurred" for any
 * error that is not its own); run from code (the tests), the error is thrown as it is.
 */
export function plainErrors<A>(
  name: string,
  action: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>,
): (args: A, hre: HardhatRuntimeEnvironment) => Promise<void> {
  return async (args, hre) => {
    try {
      await action(args, hre);
    } catch (error) {
      if (!ranFromCommandLine(name)) throw error;
      console.error(`Error: ${(error as Error).message ?? String(error)}`);
      process.exitCode = 1;
    }
  };
}

/** A whole number ≥ 1 given for `flag` (an identity id, a count), or a plain error naming the flag. */
export function positiveInteger(flag: string, text: string): bigint {
  if (!/^\d+$/.test(text.trim()) || BigInt(text.trim()) === 0n)
    return fail(new Error(`${flag} must be a whole number of 1 or more, not "${text}"`));
  return BigInt(text.trim());
}

/** Where {@link confirmOrRefuse} asks: the process's terminal, or streams a test gives. */
export interface Confirmation {
  /** `--yes`: confirmed beforehand, nothing asked. */
  yes: boolean;
  question?: string;
  /** What is about to be done ("To send"), before the description. */
  heading?: string;
  /** What a refusal leaves ("nothing sent"). */
  outcome?: string;
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
  output?: NodeJS.WritableStream;
}

/**
 * Asks before something that cannot be taken back (money moves, a signature is given): prints what will happen and
 * asks y/N on a terminal. With `yes` it goes on without asking; without a terminal (a script, CI, SSH without a TTY)
 * and without `yes` it refuses, so that nothing is ever done on a question nobody could answer.
 */
export async function confirmOrRefuse(description: string, options: Confirmation): Promise<void> {
  const { yes, question = "Send it?", heading = "To send", outcome = "nothing sent" } = options;
  const { input = process.stdin, output = process.stdout } = options;
  output.write(`${heading}: ${description}\n`);
  if (yes) return;
  if (!input.isTTY) throw new Error(`not confirmed, ${outcome}; without a terminal, add --yes to confirm`);
  const prompt = createInterface({ input, output });
  const answer = await prompt.question(`${question} [y/N] `).finally(() => prompt.close());
  if (!/^y(es)?$/i.test(answer.trim())) throw new Error(`not confirmed: ${outcome}`);
}
