/**
 * The vault's database: its own Postgres schema on a server (`DATABASE_URL`), or its own PGlite folder, never
 * Ponder's. Opening it applies the migrations in vault-migrations/ (drizzle's runtime migrator) before anything is
 * read or written.
 */
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as pgliteDrizzle } from "drizzle-orm/pglite";
import { migrate as pgliteMigrate } from "drizzle-orm/pglite/migrator";
import { drizzle as pgDrizzle } from "drizzle-orm/node-postgres";
import { migrate as pgMigrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

import * as schema from "./schema";
import { VaultLockedError, VaultSchemaClashError } from "./errors";

export type VaultDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface VaultOptions {
  /** A Postgres server; without it, the embedded PGlite in `dir`. */
  url?: string;
  /** The vault's schema (default `govchain_vault`). */
  schema?: string;
  /** Ponder's schema, which the vault's must not be. */
  indexSchema?: string;
  /** PGlite's folder (default data-service/.vault/pglite). */
  dir?: string;
}

export interface Vault {
  db: VaultDb;
  schema: string;
  /** Where its data lives: the server's URL without its password, or PGlite's folder. */
  location: string;
  close(): Promise<void>;
}

export const DEFAULT_SCHEMA = "govchain_vault";

const preparedQueries = new WeakMap<object, Map<string, unknown>>();

/**
 * A query built once per database (or transaction) and kept under its name: building a query costs drizzle more CPU
 * than the database takes to answer a gated read's small lookups, which run for every read.
 */
export function preparedOn<T>(db: object, name: string, build: () => T): T {
  let queries = preparedQueries.get(db);
  if (!queries) preparedQueries.set(db, (queries = new Map()));
  if (!queries.has(name)) queries.set(name, build());
  return queries.get(name) as T;
}
/**
 * Resolved from this file rather than from the working directory: the service (Ponder, from data-service/), the
 * vault commands and the root's tests all open the same migrations. Both runners used here, Ponder's vite-node and
 * the tests' ts-node, give modules `__dirname`.
 */
export const SERVICE_DIR = resolve(__dirname, "../..");
export const MIGRATIONS = resolve(SERVICE_DIR, "vault-migrations");
const MIGRATIONS_TABLE = "migrations";

/** The options from the environment, as the service and the vault commands read them. */
export function vaultOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): VaultOptions {
  return {
    url: env.DATABASE_URL || undefined,
    schema: env.VAULT_SCHEMA || DEFAULT_SCHEMA,
    indexSchema: env.DATABASE_SCHEMA || "govchain",
    dir: env.GOVCHAIN_VAULT_DIR || resolve(SERVICE_DIR, ".vault/pglite"),
  };
}

/** Opens the vault's database and brings its tables to the latest migration. */
export async function openVault(options: VaultOptions = vaultOptionsFromEnv()): Promise<Vault> {
  const name = options.schema ?? DEFAULT_SCHEMA;
  if (name === options.indexSchema) throw new VaultSchemaClashError(name);
  return options.url ? openServer(options.url, name) : openEmbedded(options.dir!, name);
}

async function openServer(url: string, name: string): Promise<Vault> {
  // Every pooled connection sees the vault's schema only, so an unqualified table can never be another schema's.
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${quoteIdent(name)}` });
  try {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name)}`);
    const db = pgDrizzle(pool, { schema });
    await pgMigrate(db, { migrationsFolder: MIGRATIONS, migrationsSchema: name, migrationsTable: MIGRATIONS_TABLE });
    return { db, schema: name, location: withoutPassword(url), close: () => pool.end() };
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function openEmbedded(dir: string, name: string): Promise<Vault> {
  const releaseLock = takeLock(`${dir}.lock`);
  try {
    mkdirSync(dir, { recursive: true });
    // Opened without relaxedDurability: a commit is on disk when it resolves (the access log is written first).
    const client = new PGlite(dir);
    await client.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(name)}; SET search_path TO ${quoteIdent(name)}`);
    const db = pgliteDrizzle(client, { schema });
    await pgliteMigrate(db, {
      migrationsFolder: MIGRATIONS,
      migrationsSchema: name,
      migrationsTable: MIGRATIONS_TABLE,
    });
    const close = async () => {
      await client.close();
      releaseLock();
    };
    return { db, schema: name, location: dir, close };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/**
 * Takes the lock file (created exclusively, holding our pid) or refuses while the pid in it is alive; a lock left by
 * a process that died is taken over. Returns the function that releases it.
 */
export function takeLock(file: string): () => void {
  mkdirSync(dirname(file), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8"));
      if (isAlive(holder)) throw new VaultLockedError(file, holder);
      rmSync(file, { force: true }); // stale: its process is gone; the next turn creates it again exclusively
    }
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}

/**
 * The process's one vault, opened from the environment on first use. Kept on `globalThis` because Ponder may
 * evaluate the API module more than once, and a second PGlite on the same folder would lose writes.
 */
export function sharedVault(): Promise<Vault> {
  const holder = globalThis as { govchainVault?: Promise<Vault> };
  holder.govchainVault ??= openVault().catch((error) => {
    delete holder.govchainVault; // a failed start (a lock held, a server down) is tried again on the next call
    throw error;
  });
  return holder.govchainVault;
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
