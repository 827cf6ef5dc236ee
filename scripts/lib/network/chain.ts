/**
 * The chain GovChain runs on: the EVM version (one setting for the compiler, the in-process network, the local
 * chain and the Besu kit) and the local chain's settings (npm run chain, the `localhost` network), from the
 * environment or defaults.
 */
export const EVM_VERSION = "cancun";

export const LOCAL_CHAIN = {
  /** The private network's chain id. */
  chainId: Number(process.env.GOVCHAIN_CHAIN_ID ?? 20260),
  /** Seconds between blocks, as the private network's block period. */
  blockPeriod: Number(process.env.GOVCHAIN_BLOCK_PERIOD ?? 2),
  port: Number(process.env.GOVCHAIN_RPC_PORT ?? 8545),
  /** As many as hardhat.config.ts names. */
  accounts: 30,
  evmVersion: EVM_VERSION,
};

/** How many confirmations deployments and enactments wait for on `network`: POA_CONFIRMATIONS on `poa`. */
export function confirmationsFor(network: string): number {
  return network === "poa" ? Number(process.env.POA_CONFIRMATIONS ?? 1) : 1;
}

/** How long a deployment waits for its transactions to be mined, and for new blocks, before it gives up. */
export const MINING_TIMEOUT_SECONDS = Number(process.env.POA_MINING_TIMEOUT ?? 180);
