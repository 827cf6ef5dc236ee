/**
 * The vault's database for a test: a fresh PGlite folder, or, with DATABASE_URL set (CI's second run), a schema of
 * its own on that Postgres server, dropped afterwards (a schema left by another run is another run's).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

import { Keyring, masterKey } from "../../data-service/src/vault/crypto";
import { openVault, type Vault, type VaultOptions } from "../../data-service/src/vault/db";

export interface TestVault extends Vault {
  options: VaultOptions;
  keyring: Keyring;
  /** Closes the vault and drops what it left: the PGlite folder or the server's schema. */
  remove(): Promise<void>;
}

export function testVaultOptions(): VaultOptions {
  const schema = `vault_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, schema };
  return { dir: join(mkdtempSync(join(tmpdir(), "govchain-vault-")), "pglite"), schema };
}

export async function openTestVault(options = testVaultOptions()): Promise<TestVault> {
  const vault = await openVault(options);
  const keyring = new Keyring(masterKey(randomBytes(32)));
  const remove = async () => {
    await vault.close();
    if (options.url) await dropSchema(options.url, options.schema!);
    else rmSync(join(options.dir!, ".."), { recursive: true, force: true });
  };
  return { ...vault, options, keyring, remove };
}

/** Runs `sql` on the server in a connection of its own (not the vault's pool), as another process would. */
export async function onServer<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

function dropSchema(url: string, schema: string) {
  return onServer(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}
