/**
 * Watchdogs. A deployment against a node must not hang: while it runs, {watchMining} watches the chain's head and
 * the sender's transactions, and fails with a clear message when no block comes, or a transaction sent is not mined,
 * within MINING_TIMEOUT_SECONDS (POA_MINING_TIMEOUT). A node started for a person must not outlive the command that
 * started it: {stopWithThisProcess}.
 */
import { spawn } from "node:child_process";
import type { Socket } from "node:net";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** The watchdog's program: it waits for its stdin to close, then ends the process whose id it was given. */
const STOP_ON_CLOSE = `process.stdin.resume();
process.stdin.on("close", () => {
  try { process.kill(Number(process.argv[1]), "SIGTERM"); } catch {}
  process.exit(0);
});`;

/**
 * Ends process `pid` when this process ends, however it ends: even killed with SIGKILL, when no handler of its own
 * runs. A small watchdog process (in its own process group, so that a Ctrl-C meant for this one does not end it
 * first) holds a pipe from this process, which the kernel closes when this process dies.
 */
export function stopWithThisProcess(pid: number): void {
  const watchdog = spawn(process.execPath, ["-e", STOP_ON_CLOSE, String(pid)], {
    stdio: ["pipe", "ignore", "ignore"],
    detached: true,
  });
  // neither the watchdog nor its pipe keeps this process running
  watchdog.unref();
  (watchdog.stdin as unknown as Socket).unref();
}

export interface Watchdog {
  /** Settles with the reason the deployment stalled; never settles while it progresses. */
  stalled: Promise<string>;
  stop: () => void;
}

export function watchMining(hre: HardhatRuntimeEnvironment, sender: string, timeoutSeconds: number): Watchdog {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stalled = new Promise<string>((resolve) => {
    let head = -1;
    let headSince = Date.now();
    let mined = -1;
    let minedSince = Date.now();
    const check = async () => {
      if (stopped) return;
      try {
        const [block, latest, pending] = await Promise.all([
          hre.ethers.provider.getBlockNumber(),
          hre.ethers.provider.getTransactionCount(sender, "latest"),
          hre.ethers.provider.getTransactionCount(sender, "pending"),
        ]);
        const now = Date.now();
        if (block !== head) [head, headSince] = [block, now];
        if (latest !== mined || pending === latest) [mined, minedSince] = [latest, now];
        const limit = timeoutSeconds * 1000;
        if (now - headSince > limit) {
          return resolve(
            `no new block for ${timeoutSeconds} s (the head is block ${head}): is the network producing blocks?`,
          );
        }
        if (now - minedSince > limit) {
          return resolve(
            `a transaction from ${sender} (nonce ${latest}) was not mined within ${timeoutSeconds} s: check that the ` +
              `node accepts the sender (its allowlist) and the gas price (POA_GAS_PRICE)`,
          );
        }
      } catch {
        // a node that does not answer is reported by the request that fails
      }
      timer = setTimeout(check, 1000);
    };
    void check();
  });
  return {
    stalled,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
