/**
 * What the data service indexes: every GovChain contract that emits events, with the ABI, address and deployment
 * block that hardhat-deploy wrote for the network (GOVCHAIN_DEPLOYMENTS_DIR, else the root's deployments folder), on
 * the node at GOVCHAIN_RPC_URL (else the local chain's port). Read at start, so that a redeployment needs no code
 * change; the database is PGlite in `.ponder/` unless DATABASE_URL names a Postgres server.
 */
import { createConfig } from "ponder";

import { loadDeployments } from "./src/deployments";

const network = process.env.GOVCHAIN_NETWORK ?? "localhost";
const rpc = process.env.GOVCHAIN_RPC_URL ?? `http://127.0.0.1:${process.env.GOVCHAIN_RPC_PORT ?? 8545}`;
const deployments = loadDeployments(network);

export default createConfig({
  // a Postgres server when DATABASE_URL names one; else PGlite, in a folder of its own for each run that asks
  ...(process.env.DATABASE_URL
    ? {}
    : { database: { kind: "pglite" as const, directory: process.env.GOVCHAIN_PGLITE_DIR ?? ".ponder/pglite" } }),
  chains: {
    govchain: {
      id: deployments.chainId,
      rpc,
      // a local node mines on demand and can be reset: nothing of it is cached between runs
      disableCache: true,
      pollingInterval: Number(process.env.GOVCHAIN_POLLING_MS ?? 500),
    },
  },
  contracts: Object.fromEntries(
    deployments.contracts.map((c) => [
      c.name,
      { chain: "govchain", abi: c.abi, address: c.address, startBlock: c.startBlock },
    ]),
  ),
});
