/**
 * npm run stack: the whole local stack in one command (scripts/lib/network/stack.ts): a new local chain, GovChain
 * deployed with its genesis law, and the registers' data service on it. One Ctrl-C (or SIGTERM, or this process's
 * end, even by SIGKILL) stops the service and the node.
 *
 * Each start is a new chain, so the deployments, the index and the vault an earlier stack left are removed: an
 * index or a vault of another chain would answer for contracts that are not there. The stack's databases live in
 * data-service/.stack/ (embedded PostgreSQL), apart from a service started by hand (`npm run data-service`). The
 * service prints its warnings and errors only; GOVCHAIN_SERVICE_LOG_LEVEL=info shows each block it indexes.
 */
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

import { anvilInstalled } from "./lib/network/anvil";
import { LOCAL_CHAIN } from "./lib/network/chain";
import { startStack, type Stack } from "./lib/network/stack";

const ROOT = join(__dirname, "..");
const STACK_DIR = join(ROOT, "data-service", ".stack");
const DEPLOYMENTS_DIR = process.env.GOVCHAIN_DEPLOYMENTS_DIR ?? join(ROOT, "deployments");

let stack: Stack | undefined;
let step = 0;

async function main(): Promise<void> {
  if (!anvilInstalled())
    throw new Error("anvil is not installed (the npm package @foundry-rs/anvil-linux-amd64 installs on Linux x64)");
  for (const dir of [join(DEPLOYMENTS_DIR, "localhost"), STACK_DIR])
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true });
      console.log(`Removed ${dir}, left by an earlier local chain.`);
    }
  mkdirSync(STACK_DIR, { recursive: true });
  stack = await startStack({
    rpcPort: LOCAL_CHAIN.port,
    servicePort: Number(process.env.PORT ?? 42069),
    dir: STACK_DIR,
    deploymentsDir: DEPLOYMENTS_DIR,
    output: "inherit",
    say: (line) => console.log(`${++step}/3 ${line}`),
  });
  const { rpcUrl, serviceUrl } = stack;
  console.log(
    `\nThe stack is up. The node: ${rpcUrl}; the data service: ${serviceUrl} (OpenAPI: ${serviceUrl}/openapi.json).\n` +
      `The tools: \`GOVCHAIN_DATA_URL=${serviceUrl} npx hardhat <task> --network localhost\`. Ctrl-C stops it all.`,
  );
}

async function stop(code: number): Promise<void> {
  await stack?.stop();
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stop(0));

main().catch(async (error: Error) => {
  console.error(`Error: ${error.message}`);
  await stop(1);
});
