/**
 * Anvil, the local node (npm package @foundry-rs/anvil-linux-amd64, installed on Linux x64): its arguments for a
 * chain like GovChain's private network, and a started node that answers, for the benchmark and the end-to-end test.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { HDNodeWallet, JsonRpcProvider, Mnemonic } from "ethers";

import { EVM_VERSION, LOCAL_CHAIN } from "./chain";
import { portIsFree } from "./ports";
import { stopWithThisProcess } from "./watchdog";

export const ANVIL = join(__dirname, "..", "..", "..", "node_modules", ".bin", "anvil");

/** The development mnemonic, whose accounts anvil funds and hardhat.config.ts names. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";

export function anvilInstalled(): boolean {
  return existsSync(ANVIL);
}

export interface AnvilOptions {
  port: number;
  chainId?: number;
  /** Seconds between blocks; 0 mines nothing (the node accepts transactions and never includes them). */
  blockPeriod?: number;
  /** Mines each transaction as it comes (for the tools' tests), instead of a block every period. */
  automine?: boolean;
  /** Gas price and base fee 0, as a free-gas network (the default); false keeps anvil's base fee. */
  freeGas?: boolean;
}

/** Anvil's arguments for a local chain bound to 127.0.0.1, at GovChain's EVM version, with 30 accounts. */
export function anvilArgs(options: AnvilOptions): string[] {
  const { port, chainId = LOCAL_CHAIN.chainId, blockPeriod = LOCAL_CHAIN.blockPeriod, freeGas = true } = options;
  const mining = options.automine ? [] : blockPeriod === 0 ? ["--no-mining"] : ["--block-time", String(blockPeriod)];
  return [
    ...["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId)],
    ...mining,
    ...(freeGas ? ["--gas-price", "0", "--base-fee", "0"] : []),
    ...["--hardfork", EVM_VERSION, "--accounts", String(LOCAL_CHAIN.accounts)],
  ];
}

/**
 * Starts anvil and waits until it answers; `stop` ends it, and so does the end of this process, however it ends (a
 * node left behind would hold its port). Refused when something listens on the port already: what answered there
 * would be another node, not this one.
 */
export async function startAnvil(options: AnvilOptions): Promise<{ provider: JsonRpcProvider; stop: () => void }> {
  if (!(await portIsFree(options.port)))
    throw new Error(`port ${options.port} is in use (another node?): start anvil on a free port`);
  const node = spawn(ANVIL, anvilArgs(options), { stdio: "ignore" });
  stopWithThisProcess(node.pid!);
  let exited = false;
  node.on("exit", () => (exited = true));
  const provider = new JsonRpcProvider(`http://127.0.0.1:${options.port}`, options.chainId ?? LOCAL_CHAIN.chainId, {
    staticNetwork: true,
    pollingInterval: 250,
  });
  const stop = () => {
    node.kill();
    provider.destroy();
  };
  for (let i = 0; ; i++) {
    try {
      await provider.getBlockNumber();
      return { provider, stop };
    } catch (error) {
      if (exited) throw new Error(`anvil stopped before it answered on port ${options.port}`);
      if (i >= 50) {
        stop();
        throw new Error(`anvil did not answer on port ${options.port}: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The development mnemonic's account `i` (hardhat.config.ts's named accounts use these indices). */
export function devAccount(i: number, provider?: JsonRpcProvider): HDNodeWallet {
  const wallet = HDNodeWallet.fromMnemonic(Mnemonic.fromPhrase(DEV_MNEMONIC), `m/44'/60'/0'/0/${i}`);
  return provider ? wallet.connect(provider) : wallet;
}
