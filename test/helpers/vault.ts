/**
 * The vault's database for a test: a fresh PGlite folder, or, with DATABASE_URL set (CI's second run), a schema of
 * its own on that Postgres server, dropped afterwards (a schema left by another run is another run's).
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SQL } from "drizzle-orm";
import pg from "pg";

import type { AccessEntry } from "../../data-service/src/reads/accessLog";
import { Keyring, masterKey } from "../../data-service/src/vault/crypto";
import { openVault, type Vault, type VaultDb, type VaultOptions } from "../../data-service/src/vault/db";

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
    await dropTestVault(options);
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

/** Drops what a closed test vault left: its PGlite folder (and the temporary folder around it), or its schema. */
export async function dropTestVault(options: VaultOptions): Promise<void> {
  if (options.url)
    await onServer(options.url, (client) => client.query(`DROP SCHEMA IF EXISTS "${options.schema}" CASCADE`));
  else rmSync(join(options.dir!, ".."), { recursive: true, force: true });
}

/** A read's log entry as the read route would make it, with a fresh nonce; `overrides` changes any field. */
export function readEntry(overrides: Partial<AccessEntry> = {}): AccessEntry {
  const at = BigInt(Math.floor(Date.now() / 1000));
  return {
    nonce: { key: randomBytes(20), kind: "read", value: BigInt(`0x${randomBytes(8).toString("hex")}`) },
    at,
    blockNumber: 42n,
    blockHash: randomBytes(32),
    reader: 31n,
    role: Buffer.from("POLICE_OFFICER".padEnd(32, "\0")),
    department: 12n,
    lawId: Buffer.from("POLICE_DATA_ACCESS_ACT".padEnd(32, "\0")),
    registerId: Buffer.from("RESIDENCE".padEnd(32, "\0")),
    subject: 5n,
    recordUid: randomBytes(32),
    purpose: randomBytes(32),
    purposeText: "traffic accident report 2026-114",
    requestDigest: randomBytes(32),
    disclosedAt: at,
    ...overrides,
  };
}

/** The rows of a raw query, typed: both drivers answer `{ rows }`, which drizzle's common database type leaves unknown. */
export async function rowsOf<T>(db: VaultDb, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}
