/**
 * npm run stack: the whole local stack in one command. It starts a new local chain (anvil, configured as
 * `npm run chain` configures it), deploys GovChain with its genesis law to it (`npm run deploy:local`), then starts
 * the registers' data service on it, each stage waiting for the one before to answer. One Ctrl-C (or SIGTERM, or
 * this process's end, even by SIGKILL) stops the service and the node.
 *
 * Each start is a new chain, so the deployments, the index and the vault an earlier stack left are removed: an
 * index or a vault of another chain would answer for contracts that are not there. The stack's databases live in
 * data-service/.stack/ (embedded PostgreSQL), apart from a service started by hand (`npm run data-service`). The
 * service prints its warnings and errors only; GOVCHAIN_SERVICE_LOG_LEVEL=info shows each block it indexes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

import { anvilInstalled, startAnvil } from "./lib/network/anvil";
import { LOCAL_CHAIN } from "./lib/network/chain";
import { stopWithThisProcess } from "./lib/network/watchdog";

const ROOT = join(__dirname, "..");
const SERVICE = join(ROOT, "data-service");
const STACK_DIR = join(SERVICE, ".stack");
const SERVICE_PORT = Number(process.env.PORT ?? 42069);
const SERVICE_URL = `http://127.0.0.1:${SERVICE_PORT}`;
/** How long the service may take to index the deployment before the stack gives up on it. */
const READY_TIMEOUT_MS = 180_000;

let stopping = false;

async function main(): Promise<void> {
  if (!anvilInstalled())
    throw new Error("anvil is not installed (the npm package @foundry-rs/anvil-linux-amd64 installs on Linux x64)");
  forgetEarlierStack();

  const { port, chainId, blockPeriod } = LOCAL_CHAIN;
  console.log(`1/3 the chain: anvil on http://127.0.0.1:${port}, chain id ${chainId}, a block every ${blockPeriod} s`);
  const node = await startAnvil({ port, chainId, blockPeriod });
  onStop(node.stop);

  console.log("2/3 the deployment: GovChain and its genesis law (npm run deploy:local)");
  await run(join(ROOT, "node_modules", ".bin", "hardhat"), ["deploy", "--network", "localhost"], { cwd: ROOT });

  console.log(`3/3 the data service on ${SERVICE_URL}`);
  const service = startService(
    // its warnings and errors only: a line per indexed block would bury the stack's own messages
    [
      ...["start", "--schema", "govchain", "--hostname", "127.0.0.1", "--port", String(SERVICE_PORT)],
      ...["--log-level", process.env.GOVCHAIN_SERVICE_LOG_LEVEL ?? "warn"],
    ],
    {
      ...process.env,
      PONDER_TELEMETRY_DISABLED: "true",
      GOVCHAIN_NETWORK: "localhost",
      GOVCHAIN_RPC_PORT: String(port),
      GOVCHAIN_PGLITE_DIR: join(STACK_DIR, "index"),
      GOVCHAIN_VAULT_DIR: join(STACK_DIR, "vault"),
    },
  );
  await ready(service);
  console.log(
    `\nThe stack is up. The node: http://127.0.0.1:${port}; the data service: ${SERVICE_URL} ` +
      `(OpenAPI: ${SERVICE_URL}/openapi.json). The tools: \`npx hardhat <task> --network localhost\`. ` +
      "Ctrl-C stops it all.",
  );
}

/** Removes what an earlier local chain left: its deployments and the stack's databases. */
function forgetEarlierStack(): void {
  const deployments = join(process.env.GOVCHAIN_DEPLOYMENTS_DIR ?? join(ROOT, "deployments"), "localhost");
  for (const dir of [deployments, STACK_DIR])
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true });
      console.log(`Removed ${dir}, left by an earlier local chain.`);
    }
  mkdirSync(STACK_DIR, { recursive: true });
}

/**
 * Starts the data service, which stops with the stack (even when this process is killed with SIGKILL), and stops
 * the stack when it stops by itself.
 */
function startService(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(join(ROOT, "node_modules", ".bin", "ponder"), args, { cwd: SERVICE, env, stdio: "inherit" });
  stopWithThisProcess(child.pid!);
  onStop(() => child.exitCode === null && child.kill("SIGTERM"));
  child.on("exit", (code, signal) => {
    if (stopping) return;
    console.error(`The data service stopped (${signal ?? `exit code ${code}`}); stopping the stack.`);
    stop(1);
  });
  return child;
}

/** Runs a stage to its end; a failed stage stops the stack with its exit code. */
async function run(command: string, args: string[], options: { cwd: string }): Promise<void> {
  const child = spawn(command, args, { ...options, stdio: "inherit" });
  stopWithThisProcess(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`\`${[command.split("/").pop(), ...args].join(" ")}\` failed (exit code ${code})`);
}

/** Waits until the service says it has indexed up to the chain's head (Ponder's /ready answers 200). */
async function ready(service: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`the data service stopped (exit code ${service.exitCode})`);
    try {
      if ((await fetch(`${SERVICE_URL}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the data service did not catch up with the chain within ${READY_TIMEOUT_MS / 1000} s`);
}

const stopHandlers: (() => void)[] = [];
function onStop(handler: () => void): void {
  stopHandlers.push(handler);
}

/** Stops the stack's parts, the last started first: the service (it closes its database), then the node. */
function stop(code: number): void {
  if (stopping) return;
  stopping = true;
  for (const handler of stopHandlers.reverse()) handler();
  process.exitCode = code;
  setTimeout(() => process.exit(code), 5_000).unref();
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => stop(0));

main().catch((error: Error) => {
  console.error(`Error: ${error.message}`);
  stop(1);
});
