/**
 * The vault's commands as an operator runs them (npm scripts of data-service, in a process of their own): help with
 * an example, a plain one-line error for bad input, and key → rotate → rewrap on a vault holding blobs, after which
 * the blobs open with the new master key alone.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { sql } from "drizzle-orm";

import { fetchBlob, storeBlob, type BlobRef } from "../../data-service/src/vault/blobs";
import { Keyring, masterKeyFromHex } from "../../data-service/src/vault/crypto";
import { openVault, type VaultOptions } from "../../data-service/src/vault/db";
import { dropTestVault, rowsOf, testVaultOptions } from "../helpers/vault";

const ROOT = resolve(__dirname, "../..");

/** `npm run -s vault:<command> -w data-service -- args`, with the vault's environment. */
function vault(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const ran = spawnSync("npm", ["run", "-s", `vault:${command}`, "-w", "data-service", "--", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });
  return { status: ran.status, stdout: ran.stdout.trim(), stderr: ran.stderr.trim() };
}

const vaultEnv = (options: VaultOptions, keyFile: string): NodeJS.ProcessEnv => ({
  DATABASE_URL: options.url ?? "",
  VAULT_SCHEMA: options.schema,
  GOVCHAIN_VAULT_DIR: options.dir ?? "",
  GOVCHAIN_VAULT_MASTER_KEY: "",
  GOVCHAIN_VAULT_KEYSTORE: keyFile,
});

describe("vault commands", function () {
  this.timeout(180_000);
  const dir = mkdtempSync(join(tmpdir(), "govchain-vault-keys-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("answer --help with an example, and bad input with a plain Error line and the usage", function () {
    const help = vault("rotate", ["--help"]);
    expect(help.status).to.equal(0);
    expect(help.stdout).to.include("Example: ");
    const bad = vault("rewrap", ["--new-master"]);
    expect(bad.status).to.equal(1);
    expect(bad.stderr.split("\n")[0]).to.equal("Error: --new-master <file> expected");
    expect(bad.stderr).to.include("Usage: npm run vault:rewrap");
  });

  it("key, rotate and rewrap: every blob opens after with the new master key alone", async function () {
    const [first, second] = [join(dir, "master.key"), join(dir, "master-2.key")];
    expect(vault("key", [first]).stdout).to.match(/^master key [0-9a-f]{16} written to /);
    expect(vault("key", [second]).status).to.equal(0);
    expect(vault("key", [first]).stderr).to.include("EEXIST");
    const master = (file: string) => masterKeyFromHex(readFileSync(file, "utf8"));

    const options = testVaultOptions();
    const refs: BlobRef[] = [];
    const opened = await openVault(options);
    try {
      for (const identityId of [1n, 2n]) {
        const meta = { kind: "identity_data", identityId, attributesHash: randomBytes(32) } as const;
        const upload = { by: 1n, key: randomBytes(20), digest: randomBytes(32) };
        await storeBlob(opened.db, new Keyring(master(first)), meta, Buffer.from(`person ${identityId}`), upload);
        refs.push(meta);
      }
    } finally {
      await opened.close();
    }

    const env = vaultEnv(options, first);
    expect(vault("rotate", [], env)).to.deep.include({ status: 0, stdout: "data key 2 active; 2 blobs sealed again" });
    const rewrap = vault("rewrap", ["--new-master", second], env);
    expect(rewrap).to.deep.include({ status: 0, stdout: `2 data keys wrapped by master key ${master(second).id}` });

    const reopened = await openVault(options);
    try {
      const keyring = new Keyring(master(second));
      const plaintexts = await Promise.all(refs.map((ref) => fetchBlob(reopened.db, keyring, ref)));
      expect(plaintexts.map(String)).to.deep.equal(["person 1", "person 2"]);
      const keys = await rowsOf<{ id: number; retired: boolean; master_id: string }>(
        reopened.db,
        sql`SELECT id, retired_at IS NOT NULL AS retired, master_id FROM data_key ORDER BY id`,
      );
      expect(keys).to.deep.equal([
        { id: 1, retired: true, master_id: master(second).id },
        { id: 2, retired: false, master_id: master(second).id },
      ]);
    } finally {
      await reopened.close();
      await dropTestVault(options);
    }
  });
});
