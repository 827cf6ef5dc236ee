/**
 * npm run chain: a local node on 127.0.0.1 configured like GovChain's private network: its chain id, a block every
 * GOVCHAIN_BLOCK_PERIOD seconds, free gas (gas price and base fee 0) and the compiler's EVM version. It is anvil,
 * from the npm package @foundry-rs/anvil-linux-amd64 where it installs (Linux x64), or else Hardhat's node (which
 * mines with the same interval). The accounts are the development mnemonic's, the same as the in-process network's,
 * so that the named accounts of hardhat.config.ts hold their keys. Each start is a new chain: the deployments a
 * previous one left in deployments/localhost are removed. Stop it with Ctrl-C or by its process id (even with
 * kill -9): the node stops with it.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";

import { ANVIL, anvilArgs, anvilInstalled } from "./lib/network/anvil";
import { LOCAL_CHAIN } from "./lib/network/chain";
import { stopWithThisProcess } from "./lib/network/watchdog";

const { chainId, blockPeriod, port, evmVersion } = LOCAL_CHAIN;
const useAnvil = anvilInstalled();
const [command, args] = useAnvil
  ? [ANVIL, anvilArgs({ port })]
  : [
      join(__dirname, "..", "node_modules", ".bin", "hardhat"),
      ["node", "--no-deploy", "--hostname", "127.0.0.1", "--port", String(port)],
    ];

// A new chain holds none of the contracts a previous one held: forget their deployments.
const stale = join(process.env.GOVCHAIN_DEPLOYMENTS_DIR ?? join(__dirname, "..", "deployments"), "localhost");
if (existsSync(stale)) {
  rmSync(stale, { recursive: true });
  console.log(`Removed ${stale}, left by an earlier local chain.`);
}
console.log(
  `GovChain local chain: ${useAnvil ? "anvil" : "hardhat node"} on http://127.0.0.1:${port}, chain id ` +
    `${chainId}, a block every ${blockPeriod} s, free gas, EVM ${evmVersion}. Deploy with \`npm run deploy:local\`.`,
);
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, GOVCHAIN_NODE: "1" },
});
// killed with SIGKILL, this process runs no handler: a watchdog stops the node then
stopWithThisProcess(child.pid!);
// The node lives and dies with this process: stopped by Ctrl-C, by its process id (SIGTERM), with its terminal
// (SIGHUP), or on any exit, it stops the node too rather than leave it holding the port.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  process.on(signal, () => {
    child.kill("SIGTERM");
    process.exitCode = 0;
  });
process.on("exit", () => child.kill("SIGTERM"));
child.on("exit", (code) => process.exit(code ?? 0));

// `npm run chain` runs this under npm and a shell, and npm stopped by its process id does not pass the signal on:
// when the process that started this one, or the one that started it, is gone, stop.
const ancestors = [process.ppid, parentOf(process.ppid)].filter((pid): pid is number => pid !== undefined && pid > 1);
setInterval(() => {
  if (ancestors.some((pid) => !alive(pid))) process.exit(0);
}, 1000).unref();

/** A process's parent, from /proc (Linux); undefined elsewhere. */
function parentOf(pid: number): number | undefined {
  try {
    // /proc/<pid>/stat: "pid (command) state ppid …"; the command may hold spaces, so read after its ")"
    return Number(readFileSync(`/proc/${pid}/stat`, "utf8").split(")").pop()!.trim().split(" ")[1]);
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
