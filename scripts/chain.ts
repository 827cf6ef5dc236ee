/**
 * npm run chain: a local node on 127.0.0.1 configured like GovChain's private network: its chain id, a block every
 * GOVCHAIN_BLOCK_PERIOD seconds, free gas (gas price and base fee 0) and the compiler's EVM version. It is anvil,
 * from the npm package @foundry-rs/anvil-linux-amd64 where it installs (Linux x64), or else Hardhat's node (which
 * mines with the same interval). The accounts are the development mnemonic's, the same as the in-process network's,
 * so that the named accounts of hardhat.config.ts hold their keys. Each start is a new chain: the deployments a
 * previous one left in deployments/localhost are removed. Stop it with Ctrl-C.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";

import { ANVIL, anvilArgs, anvilInstalled } from "./lib/network/anvil";
import { LOCAL_CHAIN } from "./lib/network/chain";

const { chainId, blockPeriod, port, evmVersion } = LOCAL_CHAIN;
const useAnvil = anvilInstalled();
const [command, args] = useAnvil
  ? [ANVIL, anvilArgs({ port })]
  : [
      join(__dirname, "..", "node_modules", ".bin", "hardhat"),
      ["node", "--no-deploy", "--hostname", "127.0.0.1", "--port", String(port)],
    ];

// A new chain holds none of the contracts a previous one held: forget their deployments.
const stale = join(__dirname, "..", "deployments", "localhost");
if (existsSync(stale)) {
  rmSync(stale, { recursive: true });
  console.log("Removed deployments/localhost, left by an earlier local chain.");
}
console.log(
  `GovChain local chain: ${useAnvil ? "anvil" : "hardhat node"} on http://127.0.0.1:${port}, chain id ` +
    `${chainId}, a block every ${blockPeriod} s, free gas, EVM ${evmVersion}. Deploy with \`npm run deploy:local\`.`,
);
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, GOVCHAIN_NODE: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code) => process.exit(code ?? 0));
