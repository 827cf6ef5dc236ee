/**
 * The vault's database: migrations applied to an empty PGlite folder and (with DATABASE_URL) to an empty schema on
 * a Postgres server; its schema kept apart from Ponder's; one process per PGlite folder (the lock file); one vault
 * per process (the singleton).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { sql } from "drizzle-orm";

import {
  MIGRATIONS,
  openVault,
  sharedVault,
  takeLock,
  vaultOptionsFromEnv,
  type Vault,
} from "../../data-service/src/vault/db";
import { VaultLockedError, VaultSchemaClashError } from "../../data-service/src/vault/errors";
import { dropTestVault, openTestVault, rowsOf, testVaultOptions } from "../helpers/vault";

const TABLES = [
  "access_log",
  "anchor_batch",
  "application_data",
  "data_key",
  "document",
  "identity_data",
  "migrations",
  "record_private",
  "request_nonce",
];
const JOURNAL = JSON.parse(readFileSync(join(MIGRATIONS, "meta/_journal.json"), "utf8")) as { entries: unknown[] };

/** The tables in the vault's schema, and how many migrations its migrations table records. */
async function layout(vault: Vault) {
  const tables = await rowsOf<{ table_name: string }>(
    vault.db,
    sql`SELECT table_name FROM information_schema.tables WHERE table_schema = ${vault.schema} ORDER BY table_name`,
  );
  const applied = await rowsOf<{ n: number }>(vault.db, sql`SELECT count(*)::int AS n FROM migrations`);
  return { tables: tables.map((row) => row.table_name), applied: applied[0].n };
}

const freshDir = () => join(mkdtempSync(join(tmpdir(), "govchain-vault-")), "pglite");
/** A pid no process has: one that has just exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("vault database", function () {
  this.timeout(120_000);

  describe("migrations", function () {
    it("apply to an empty PGlite folder, and once only when it is opened again", async function () {
      const options = { dir: freshDir(), schema: "govchain_vault" };
      const vault = await openVault(options);
      try {
        expect(await layout(vault)).to.deep.equal({ tables: TABLES, applied: JOURNAL.entries.length });
      } finally {
        await vault.close();
      }
      const again = await openVault(options);
      try {
        expect((await layout(again)).applied).to.equal(JOURNAL.entries.length);
      } finally {
        await again.close();
        rmSync(join(options.dir, ".."), { recursive: true, force: true });
      }
    });

    it("apply to an empty schema on a Postgres server (DATABASE_URL)", async function () {
      if (!process.env.DATABASE_URL) this.skip(); // CI's second run sets it (a Debian PostgreSQL)
      const vault = await openTestVault();
      try {
        expect(await layout(vault)).to.deep.equal({ tables: TABLES, applied: JOURNAL.entries.length });
        const again = await openVault(vault.options);
        expect((await layout(again)).applied).to.equal(JOURNAL.entries.length);
        await again.close();
      } finally {
        await vault.remove();
      }
    });
  });

  describe("schema", function () {
    it("is govchain_vault unless VAULT_SCHEMA names another", function () {
      expect(vaultOptionsFromEnv({}).schema).to.equal("govchain_vault");
      expect(vaultOptionsFromEnv({ VAULT_SCHEMA: "vault_b" }).schema).to.equal("vault_b");
    });

    it("is refused when it is Ponder's (DATABASE_SCHEMA), before anything is opened", async function () {
      const options = vaultOptionsFromEnv({ VAULT_SCHEMA: "govchain", DATABASE_SCHEMA: "govchain" });
      const refused = await openVault(options).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(VaultSchemaClashError).with.property("schema", "govchain");
    });
  });

  describe("lock file", function () {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "govchain-lock-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("holds the pid and refuses a second holder while that process lives", function () {
      const file = join(dir, "pglite.lock");
      const release = takeLock(file);
      expect(readFileSync(file, "utf8")).to.equal(String(process.pid));
      expect(() => takeLock(file))
        .to.throw(VaultLockedError)
        .that.deep.includes({ lockFile: file, pid: process.pid });
      release();
      takeLock(file)();
    });

    it("is taken over when the process that left it is gone", function () {
      const file = join(dir, "pglite.lock");
      writeFileSync(file, String(deadPid()));
      const release = takeLock(file);
      expect(readFileSync(file, "utf8")).to.equal(String(process.pid));
      release();
    });

    it("keeps openVault from opening a folder another live process holds", async function () {
      const pglite = join(dir, "pglite");
      writeFileSync(`${pglite}.lock`, String(process.pid)); // a live holder: this process
      const refused = await openVault({ dir: pglite, schema: "govchain_vault" }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).to.be.instanceOf(VaultLockedError).with.property("pid", process.pid);
    });
  });

  describe("sharedVault", function () {
    const saved = { ...process.env };
    afterEach(() => {
      process.env = { ...saved };
      delete (globalThis as { govchainVault?: unknown }).govchainVault;
    });

    it("opens one vault per process however many times the API module asks", async function () {
      const options = testVaultOptions();
      process.env.VAULT_SCHEMA = options.schema;
      if (options.dir) process.env.GOVCHAIN_VAULT_DIR = options.dir;
      const first = sharedVault();
      expect(sharedVault()).to.equal(first);
      const vault = await first;
      await vault.close();
      await dropTestVault(options);
    });
  });
});
