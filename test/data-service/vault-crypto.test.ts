/**
 * The vault's envelope encryption: blobs round-trip through AES-256-GCM under wrapped data keys; a ciphertext moved
 * to another row does not open; data key rotation and master key rewrapping leave every blob readable and no row on
 * a retired key; and nothing uploaded is found in clear in any column or (PGlite) any file of the database.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { Wallet, encryptKeystoreJsonSync, keccak256 } from "ethers";

import {
  fetchBlob,
  fetchRecordBlobs,
  storeBlob,
  type BlobMeta,
  type BlobRef,
  type Upload,
} from "../../data-service/src/vault/blobs";
import {
  Keyring,
  masterKey,
  masterKeyFromEnv,
  masterKeyFromHex,
  seal,
  unseal,
  writeMasterKeyFile,
} from "../../data-service/src/vault/crypto";
import {
  VaultBrokenSealError,
  VaultMasterKeyError,
  VaultUnknownMasterError,
} from "../../data-service/src/vault/errors";
import { newDataKey, resealRetired, rotate } from "../../data-service/src/vault/rotation";
import { dropTestVault, openTestVault, readEntry, rowsOf, type TestVault } from "../helpers/vault";
import { logRefusal } from "../../data-service/src/reads/accessLog";

const upload = (): Upload => ({ by: 7n, key: randomBytes(20), digest: randomBytes(32) });
/** A plaintext no other test writes, long enough that finding it at rest cannot be chance. */
const secret = (label: string) => Buffer.from(`${label} ${randomBytes(12).toString("hex")} born 1984-02-29 in Lyon`);
let nextId = 1000n;

/** One blob of each kind, with fresh keys, and their plaintexts. */
function fourBlobs(): { meta: BlobMeta; plaintext: Buffer }[] {
  const document = secret("document");
  return [
    {
      meta: {
        kind: "document",
        hash: Buffer.from(keccak256(document).slice(2), "hex"),
        recordUid: randomBytes(32),
        mediaType: "application/pdf",
      },
      plaintext: document,
    },
    {
      meta: { kind: "record_private", uid: randomBytes(32), registerId: randomBytes(32), subject: nextId++ },
      plaintext: secret("record"),
    },
    {
      meta: { kind: "identity_data", identityId: nextId++, attributesHash: randomBytes(32) },
      plaintext: secret("identity"),
    },
    {
      meta: { kind: "application_data", applicationId: nextId++, dataHash: randomBytes(32) },
      plaintext: secret("application"),
    },
  ];
}

const refOf = (meta: BlobMeta): BlobRef => {
  switch (meta.kind) {
    case "document":
      return { kind: meta.kind, hash: meta.hash };
    case "record_private":
      return { kind: meta.kind, uid: meta.uid };
    case "identity_data":
      return { kind: meta.kind, identityId: meta.identityId };
    case "application_data":
      return { kind: meta.kind, applicationId: meta.applicationId };
  }
};

async function storeAll(vault: TestVault, keyring = vault.keyring) {
  const blobs = fourBlobs();
  for (const { meta, plaintext } of blobs)
    expect(await storeBlob(vault.db, keyring, meta, plaintext, upload())).to.equal(true);
  return blobs;
}

async function expectReadable(vault: TestVault, keyring: Keyring, blobs: { meta: BlobMeta; plaintext: Buffer }[]) {
  for (const { meta, plaintext } of blobs)
    expect(await fetchBlob(vault.db, keyring, refOf(meta))).to.deep.equal(plaintext);
}

/** Rows of any blob table whose data key is retired. */
async function rowsOnRetiredKeys(vault: TestVault): Promise<number> {
  let count = 0;
  for (const table of ["document", "record_private", "identity_data", "application_data"]) {
    const result = await rowsOf<{ n: number }>(
      vault.db,
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)} t JOIN data_key k ON k.id = t.key_id WHERE k.retired_at IS NOT NULL`,
    );
    count += result[0].n;
  }
  return count;
}

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe("vault encryption", function () {
  this.timeout(120_000);
  let vault: TestVault;
  before(async () => (vault = await openTestVault()));
  after(async () => vault?.remove());

  describe("master key", function () {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "govchain-master-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("is 32 bytes in hex, named by the first 8 bytes of its keccak256", function () {
      const key = randomBytes(32);
      const master = masterKeyFromHex(`0x${key.toString("hex")}`);
      expect(master.key).to.deep.equal(key);
      expect(master.id).to.equal(keccak256(key).slice(2, 18));
      expect(() => masterKeyFromHex("12ab")).to.throw(VaultMasterKeyError, "64 hex digits");
      expect(() => masterKey(randomBytes(16))).to.throw(VaultMasterKeyError, "32 bytes, not 16");
    });

    it("comes from GOVCHAIN_VAULT_MASTER_KEY, or from a JSON keystore and its password", function () {
      const key = randomBytes(32);
      const hex = `0x${key.toString("hex")}`;
      expect(masterKeyFromEnv({ GOVCHAIN_VAULT_MASTER_KEY: hex }).key).to.deep.equal(key);

      const file = join(dir, "master.keystore.json");
      const address = new Wallet(hex).address;
      writeFileSync(file, encryptKeystoreJsonSync({ address, privateKey: hex }, "pw", { scrypt: { N: 1 << 10 } }));
      expect(masterKeyFromEnv({ GOVCHAIN_VAULT_KEYSTORE: file, GOVCHAIN_VAULT_PASSWORD: "pw" }).key).to.deep.equal(key);
      expect(() => masterKeyFromEnv({ GOVCHAIN_VAULT_KEYSTORE: file, GOVCHAIN_VAULT_PASSWORD: "wrong" })).to.throw(
        VaultMasterKeyError,
        "password is wrong",
      );
      expect(() => masterKeyFromEnv({ GOVCHAIN_VAULT_KEYSTORE: file })).to.throw(VaultMasterKeyError, "PASSWORD");
      expect(() => masterKeyFromEnv({})).to.throw(VaultMasterKeyError, "GOVCHAIN_VAULT_MASTER_KEY");
    });

    it("comes from a key file that vault:key writes (hex, mode 0600, never overwritten)", function () {
      const file = join(dir, ".vault/master.key");
      const written = writeMasterKeyFile(file);
      expect(statSync(file).mode & 0o777).to.equal(0o600);
      expect(masterKeyFromEnv({ GOVCHAIN_VAULT_KEYSTORE: file })).to.deep.equal(written);
      expect(() => writeMasterKeyFile(file)).to.throw("EEXIST");
    });
  });

  describe("seal", function () {
    it("opens only with the same key and the same additional data", function () {
      const key = randomBytes(32);
      const sealed = seal(key, Buffer.from("spouse: Ana"), "record_private:0x01:1");
      expect(unseal(key, sealed, "record_private:0x01:1").toString()).to.equal("spouse: Ana");
      expect(() => unseal(key, sealed, "record_private:0x02:1")).to.throw("unable to authenticate");
      expect(() => unseal(randomBytes(32), sealed, "record_private:0x01:1")).to.throw("unable to authenticate");
    });
  });

  describe("blobs", function () {
    it("round-trip for each of the four tables", async function () {
      await expectReadable(vault, vault.keyring, await storeAll(vault));
    });

    it("open with the master key alone (a new process: no data key in memory)", async function () {
      const blobs = await storeAll(vault);
      await expectReadable(vault, new Keyring(vault.keyring.current), blobs);
    });

    it("are absent, not an error, when the vault holds none under a key", async function () {
      expect(await fetchBlob(vault.db, vault.keyring, { kind: "identity_data", identityId: 1n })).to.equal(undefined);
    });

    it("are stored once: the same upload again is a no-op", async function () {
      const [blob] = await storeAll(vault);
      expect(await storeBlob(vault.db, vault.keyring, blob.meta, blob.plaintext, upload())).to.equal(false);
      await expectReadable(vault, vault.keyring, [blob]);
    });

    it("do not open when moved to another row (the AAD names table, row and key)", async function () {
      const record = (): BlobMeta => ({
        kind: "record_private",
        uid: randomBytes(32),
        registerId: randomBytes(32),
        subject: nextId++,
      });
      const [from, to] = [record(), record()];
      await storeBlob(vault.db, vault.keyring, from, secret("from"), upload());
      await storeBlob(vault.db, vault.keyring, to, secret("to"), upload());
      const uid = (meta: BlobMeta) => (meta.kind === "record_private" ? meta.uid : Buffer.alloc(0));
      // the first record's ciphertext, nonce, tag and key copied into the second's row
      await rowsOf(
        vault.db,
        sql`UPDATE record_private SET iv = s.iv, tag = s.tag, ciphertext = s.ciphertext, key_id = s.key_id
            FROM record_private s WHERE s.uid = ${uid(from)} AND record_private.uid = ${uid(to)}`,
      );
      const moved = await fetchBlob(vault.db, vault.keyring, refOf(to)).catch((error: Error) => error);
      expect(moved)
        .to.be.instanceOf(VaultBrokenSealError)
        .that.deep.includes({
          table: "record_private",
          rowKey: `0x${uid(to).toString("hex")}`,
        });
      expect(await fetchBlob(vault.db, vault.keyring, refOf(from))).to.be.instanceOf(Buffer);
      await rowsOf(vault.db, sql`DELETE FROM record_private WHERE uid = ${uid(to)}`); // a broken row halts a rotation
    });

    it("of a record come in one query: its private part and each of its documents, a document's hash never taken for a uid", async function () {
      const uid = randomBytes(32);
      const document = (label: string) => {
        const content = secret(label);
        return {
          meta: {
            kind: "document" as const,
            hash: Buffer.from(keccak256(content).slice(2), "hex"),
            recordUid: uid,
            mediaType: `text/${label}`,
          },
          content,
        };
      };
      const [a, b] = [document("a"), document("b")];
      for (const d of [a, b]) await storeBlob(vault.db, vault.keyring, d.meta, d.content, upload());
      // documents alone: no private part
      let found = await fetchRecordBlobs(vault.db, vault.keyring, uid);
      expect(found.opening).to.equal(undefined);
      expect(found.documents.map((d) => [d.hash, d.mediaType, d.content])).to.have.deep.members(
        [a, b].map((d) => [d.meta.hash, d.meta.mediaType, d.content]),
      );
      // then the private part, and another record whose uid is one of the documents' hashes
      const opening = secret("opening");
      await storeBlob(
        vault.db,
        vault.keyring,
        { kind: "record_private", uid, registerId: randomBytes(32), subject: nextId++ },
        opening,
        upload(),
      );
      const twin = secret("twin");
      await storeBlob(
        vault.db,
        vault.keyring,
        { kind: "record_private", uid: a.meta.hash, registerId: randomBytes(32), subject: nextId++ },
        twin,
        upload(),
      );
      found = await fetchRecordBlobs(vault.db, vault.keyring, uid);
      expect(found.opening).to.deep.equal(opening);
      expect(found.documents).to.have.length(2);
      expect(await fetchRecordBlobs(vault.db, vault.keyring, a.meta.hash)).to.deep.equal({
        opening: twin,
        documents: [],
      });
      expect(await fetchRecordBlobs(vault.db, vault.keyring, randomBytes(32))).to.deep.equal({
        opening: undefined,
        documents: [],
      });
      // a document's seal moved onto the other: the read fails, naming the row, rather than return either
      await rowsOf(
        vault.db,
        sql`UPDATE document SET iv = s.iv, tag = s.tag, ciphertext = s.ciphertext
            FROM document s WHERE s.hash = ${a.meta.hash} AND document.hash = ${b.meta.hash}`,
      );
      const broken = await fetchRecordBlobs(vault.db, vault.keyring, uid).catch((error: Error) => error);
      expect(broken)
        .to.be.instanceOf(VaultBrokenSealError)
        .that.deep.includes({ table: "document", rowKey: `0x${b.meta.hash.toString("hex")}` });
      await rowsOf(vault.db, sql`DELETE FROM document WHERE record_uid = ${uid}`); // a broken row halts a rotation
    });

    it("do not open under a master key that did not wrap their data key", async function () {
      const blobs = await storeAll(vault);
      const stranger = new Keyring(masterKey(randomBytes(32)));
      const refused = await fetchBlob(vault.db, stranger, refOf(blobs[0].meta)).catch((error: Error) => error);
      expect(refused).to.be.instanceOf(VaultUnknownMasterError).with.property("masterId", vault.keyring.current.id);
    });
  });

  describe("rotation (vault:rotate)", function () {
    it("seals every blob under a new data key: all open after, none on a retired key", async function () {
      const blobs = [...(await storeAll(vault)), ...(await storeAll(vault))];
      const { keyId, resealed } = await rotate(vault.db, vault.keyring);
      expect(resealed).to.be.at.least(blobs.length);
      expect(await rowsOnRetiredKeys(vault)).to.equal(0);
      const active = await rowsOf<{ id: number }>(vault.db, sql`SELECT id FROM data_key WHERE retired_at IS NULL`);
      expect(active.map((row) => row.id)).to.deep.equal([keyId]);
      await expectReadable(vault, new Keyring(vault.keyring.current), blobs);
    });

    it("resumes one cut short: what is left on retired keys is sealed again", async function () {
      const blobs = await storeAll(vault);
      await newDataKey(vault.db, vault.keyring); // a rotation stopped after its first transaction
      expect(await rowsOnRetiredKeys(vault)).to.be.greaterThan(0);
      const { keyId, resealed } = await rotate(vault.db, vault.keyring, true);
      expect(keyId).to.equal(undefined);
      expect(resealed).to.be.at.least(blobs.length);
      expect(await rowsOnRetiredKeys(vault)).to.equal(0);
      await expectReadable(vault, vault.keyring, blobs);
    });

    it("re-encrypts in batches, one transaction each", async function () {
      const blobs = [...(await storeAll(vault)), ...(await storeAll(vault)), ...(await storeAll(vault))];
      await newDataKey(vault.db, vault.keyring);
      expect(await resealRetired(vault.db, vault.keyring, 2)).to.be.at.least(blobs.length);
      expect(await rowsOnRetiredKeys(vault)).to.equal(0);
      await expectReadable(vault, vault.keyring, blobs);
    });
  });

  describe("rewrap (vault:rewrap --new-master)", function () {
    it("wraps every data key under the new master key: the old one is no longer needed", async function () {
      const blobs = await storeAll(vault);
      const old = vault.keyring.current;
      const fresh = masterKey(randomBytes(32));
      const keys = await rowsOf<{ n: number }>(vault.db, sql`SELECT count(*)::int AS n FROM data_key`);
      expect(await new Keyring(fresh, old).rewrap(vault.db)).to.equal(keys[0].n);
      const masters = await rowsOf<{ master_id: string }>(vault.db, sql`SELECT DISTINCT master_id FROM data_key`);
      expect(masters.map((row) => row.master_id)).to.deep.equal([fresh.id]);
      await expectReadable(vault, new Keyring(fresh), blobs);
      expect(await new Keyring(fresh).rewrap(vault.db)).to.equal(0); // done: a second run moves nothing
      vault.keyring = new Keyring(fresh);
    });
  });

  describe("at rest", function () {
    /** The needles found in `content`: one pass over it, however many needles. */
    const finder = (needles: string[]) => {
      const pattern = new RegExp(
        needles.map((needle) => needle.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&")).join("|"),
        "g",
      );
      return (content: Buffer) => new Set(content.toString("latin1").match(pattern) ?? []);
    };

    it("no column and no file of the database holds an uploaded plaintext or its hex", async function () {
      const own = await openTestVault();
      const plaintexts = (await storeAll(own)).map((blob) => blob.plaintext);
      await rotate(own.db, own.keyring);
      plaintexts.push(...(await storeAll(own)).map((blob) => blob.plaintext));
      // the control: a text the vault keeps in clear (a read's stated purpose), which the scans must find
      const control = `control ${randomBytes(8).toString("hex")}`;
      await logRefusal(own.db, { ...readEntry(), purposeText: control }, "SmartLawUnauthorized");
      const find = finder([
        control,
        ...plaintexts.flatMap((plaintext) => [
          plaintext.toString("latin1"),
          plaintext.toString("hex"),
          plaintext.toString("hex").toUpperCase(),
        ]),
      ]);
      const found = new Set<string>();
      try {
        const columns = await rowsOf<{ table_name: string; column_name: string; data_type: string }>(
          own.db,
          sql`SELECT table_name, column_name, data_type FROM information_schema.columns
              WHERE table_schema = ${own.schema} AND data_type IN ('bytea', 'text', 'jsonb')`,
        );
        expect(columns.length).to.be.greaterThan(20);
        for (const { table_name, column_name, data_type } of columns) {
          const column = sql.identifier(column_name);
          const cell = data_type === "bytea" ? column : sql`convert_to(${column}::text, 'UTF8')`;
          const values = await rowsOf<{ v: Uint8Array | null }>(
            own.db,
            sql`SELECT ${cell} AS v FROM ${sql.identifier(table_name)} WHERE ${column} IS NOT NULL`,
          );
          for (const { v } of values) find(Buffer.from(v!)).forEach((needle) => found.add(needle));
        }
      } finally {
        await own.close();
      }
      expect([...found]).to.deep.equal([control]);
      if (own.options.dir) {
        found.clear();
        const files = filesUnder(own.options.dir);
        expect(files.length).to.be.greaterThan(100);
        for (const file of files) find(readFileSync(file)).forEach((needle) => found.add(needle));
        expect([...found]).to.deep.equal([control]);
      }
      await dropTestVault(own.options);
    });
  });
});
