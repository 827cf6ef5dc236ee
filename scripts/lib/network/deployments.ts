/**
 * Before a tool reads a network's deployments: that a node answers at the network's URL, that it is the chain the
 * network expects, and that the deployments folder was written for that chain. A folder left by another chain
 * (deployments/localhost from a `hardhat node`, chain 31337, against `npm run chain`, chain 20260) would otherwise
 * send every command to addresses where nothing, or something else, is deployed.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { HardhatRuntimeEnvironment, HttpNetworkConfig } from "hardhat/types";

const checked = new WeakSet<HardhatRuntimeEnvironment>();

/** The chain id a node answers at `url`, or undefined when none answers. */
async function chainIdAt(url: string): Promise<number | undefined> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(10_000),
    });
    return Number(((await response.json()) as { result: string }).result);
  } catch {
    return undefined;
  }
}

/** How to start the network's node, for the messages. */
function howToStart(network: string): string {
  return network === "localhost" ? "start it with `npm run chain`" : "start it, or check POA_RPC_URL";
}

/**
 * Throws a plain message saying what to do when no node answers, when it is another chain than the network's, or
 * when the network's deployments folder is of another chain. Checked once per run; nothing to check in process.
 */
export async function checkNodeAndDeployments(hre: HardhatRuntimeEnvironment): Promise<void> {
  if (hre.network.name === "hardhat" || checked.has(hre)) return;
  const { name } = hre.network;
  const config = hre.network.config as HttpNetworkConfig;
  const actual = await chainIdAt(config.url);
  if (actual === undefined)
    throw new Error(`no node answers at ${config.url} (network "${name}"): ${howToStart(name)}`);
  if (config.chainId !== undefined && config.chainId !== actual) {
    throw new Error(
      `the node at ${config.url} is chain ${actual}, but network "${name}" is chain ${config.chainId}` +
        (actual === 31337 ? " (a `npx hardhat node`?): stop it and run `npm run chain` instead" : ""),
    );
  }
  const folder = join(hre.config.paths.deployments, name);
  const idFile = join(folder, ".chainId");
  if (existsSync(idFile)) {
    const recorded = Number(readFileSync(idFile, "utf8").trim());
    if (recorded !== actual) {
      const near = relative(process.cwd(), folder);
      const shown = near && !near.startsWith("..") ? near : folder;
      throw new Error(
        `${shown} holds a deployment on chain ${recorded}, but the node at ${config.url} is chain ${actual}: it ` +
          `was left by another chain. Remove it (rm -r ${shown}) and deploy again ` +
          `(${name === "localhost" ? "npm run deploy:local" : `npx hardhat deploy --network ${name}`}).`,
      );
    }
  }
  checked.add(hre);
}
