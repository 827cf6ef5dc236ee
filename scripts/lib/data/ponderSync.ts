/**
 * Ponder's sync store on a Postgres server: one schema (`ponder_sync`) shared by every app on the server, holding the
 * blocks and logs fetched from each chain by chain id and block number, where a row already there is kept over a
 * newly fetched one. A fresh local chain reuses its id (20260) and its block numbers with other contents, so what an
 * earlier run left would be read as the new chain's: the benchmarks and the service's tests forget the chain first.
 */
import { Client } from "pg";

import { LOCAL_CHAIN } from "../network/chain";

/** Ponder 0.16's sync store tables that hold a chain's data. */
const SYNC_TABLES = [
  "logs",
  "blocks",
  "transactions",
  "transaction_receipts",
  "traces",
  "intervals",
  "rpc_request_results",
  "factory_addresses",
];

/** Deletes what the server's sync store holds of `chainId`, and drops `schemas` (a run's own); nothing else. */
export async function forgetChain(url: string, chainId: number, schemas: string[] = []): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    const present = await client.query(`SELECT 1 FROM information_schema.schemata WHERE schema_name = 'ponder_sync'`);
    if (present.rowCount === 0) return; // no Ponder app has run on this server yet
    for (const table of SYNC_TABLES)
      await client.query(`DELETE FROM ponder_sync.${table} WHERE chain_id = $1`, [chainId]);
  } finally {
    await client.end();
  }
}

/**
 * Before a service starts on a fresh local chain: forgets what the Postgres server named by DATABASE_URL holds of
 * the local chain's id (nothing to do on PGlite, whose folder is the run's own).
 */
export async function forgetLocalChain(url = process.env.DATABASE_URL): Promise<void> {
  if (url) await forgetChain(url, LOCAL_CHAIN.chainId);
}
