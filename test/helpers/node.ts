/**
 * The tools as their users run them: each command a separate `hardhat` process against a separate local node
 * (anvil, on a free port, in a temporary folder removed afterwards), so that what is tested is what a person sees:
 * the exit code, the printed message, and the node's state (the sender's nonce) after a refusal.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { JsonRpcProvider } from "ethers";

import { anvilInstalled, startAnvil } from "../../scripts/lib/network/anvil";
import { LOCAL_CHAIN } from "../../scripts/lib/network/chain";
import { freePort } from "../../scripts/lib/network/ports";

const ROOT = resolve(__dirname, "../..");
const HARDHAT = join(ROOT, "node_modules", ".bin", "hardhat");

export { freePort };

export interface ToolRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface LocalNode {
  provider: JsonRpcProvider;
  port: number;
  /** The node's temporary folder: deployments, signatures, files the test writes. */
  dir: string;
  /**
   * Runs `npx hardhat <args> --network localhost` against this node, as a person would, headless; `network` names
   * another network (its url set in `env`, e.g. POA_RPC_URL for poa).
   */
  tool: (args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv; network?: string }) => ToolRun;
  /** An account's nonce, asked of the node each time (not from a cache). */
  nonceOf: (address: string) => Promise<number>;
  stop: () => void;
}

/**
 * Starts anvil on a free port (automining unless `blockPeriod` is given) and, unless `deploy` is false, deploys
 * GovChain to it with the genesis law, as `npm run deploy:local` does. Call `stop` in an `after` hook: it ends the
 * node and removes the folder. Returns undefined where anvil is not installed (it installs on Linux x64 only).
 */
export async function startLocalNode(options: { deploy?: boolean; blockPeriod?: number } = {}) {
  if (!anvilInstalled()) return undefined;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "govchain-tools-"));
  const chain = await startAnvil({
    port,
    chainId: LOCAL_CHAIN.chainId,
    automine: options.blockPeriod === undefined,
    blockPeriod: options.blockPeriod,
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GOVCHAIN_RPC_PORT: String(port),
    GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments"),
    GOVCHAIN_SIGNATURES_DIR: join(dir, "signatures"),
    CI: "true",
  };
  const node: LocalNode = {
    provider: chain.provider,
    port,
    dir,
    tool: (args, { input, env: extra, network = "localhost" } = {}) => {
      const result = spawnSync(HARDHAT, [...args, "--network", network], {
        cwd: ROOT,
        env: { ...env, ...extra },
        input,
        encoding: "utf8",
        timeout: 300_000,
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    nonceOf: async (address) => Number(await chain.provider.send("eth_getTransactionCount", [address, "latest"])),
    stop: () => {
      chain.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  if (options.deploy !== false) {
    const deployed = node.tool(["deploy"]);
    if (deployed.status !== 0) {
      node.stop();
      throw new Error(`the deployment to the local node failed:\n${deployed.stdout}\n${deployed.stderr}`);
    }
  }
  return node;
}
