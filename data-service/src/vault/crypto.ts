/**
 * Envelope encryption. A master key (KEK), given to the process and never stored, wraps the data keys (DEKs) kept in
 * `data_key`; each blob is sealed with AES-256-GCM under the active data key, a fresh 12-byte IV, and additional
 * data naming its table, row and key, so that a ciphertext copied into another row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync, pbkdf2Sync } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { desc, eq, isNull } from "drizzle-orm";
import { keccak256 } from "viem";

import type { VaultDb } from "./db";
import { VaultMasterKeyError, VaultUnknownMasterError } from "./errors";
import { dataKey } from "./schema";

const ALGORITHM = "aes-256-gcm";
const IV_BYTES = 12;
const KEY_BYTES = 32;

export interface MasterKey {
  /** The first 8 bytes of keccak256(key), hex: names the key in `data_key.master_id` without revealing it. */
  id: string;
  key: Buffer;
}

export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/** A data key ready to seal with: its row id and the unwrapped key. */
export interface DataKey {
  id: number;
  key: Buffer;
}

export function masterKey(key: Buffer): MasterKey {
  if (key.length !== KEY_BYTES) throw new VaultMasterKeyError(`a master key is 32 bytes, not ${key.length}`);
  return { id: keccak256(key).slice(2, 18), key };
}

/** A master key written as 64 hex digits (an optional 0x), as in GOVCHAIN_VAULT_MASTER_KEY or a key file. */
export function masterKeyFromHex(text: string): MasterKey {
  const hex = text.trim().replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new VaultMasterKeyError("a master key is written as 64 hex digits");
  return masterKey(Buffer.from(hex, "hex"));
}

/**
 * The master key from the environment: GOVCHAIN_VAULT_MASTER_KEY (hex), or GOVCHAIN_VAULT_KEYSTORE, a file holding
 * it (see masterKeyFromFile) with GOVCHAIN_VAULT_PASSWORD when it is a keystore.
 */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): MasterKey {
  const hex = env.GOVCHAIN_VAULT_MASTER_KEY;
  if (hex) return masterKeyFromHex(hex);
  const file = env.GOVCHAIN_VAULT_KEYSTORE;
  if (!file) {
    throw new VaultMasterKeyError(
      "set GOVCHAIN_VAULT_MASTER_KEY (64 hex digits) or GOVCHAIN_VAULT_KEYSTORE (a key file)",
    );
  }
  return masterKeyFromFile(file, env.GOVCHAIN_VAULT_PASSWORD, "GOVCHAIN_VAULT_PASSWORD");
}

/**
 * A master key kept in a file: a JSON keystore (the tools' format, version 3) opened with `password`, or 64 hex
 * digits (as `vault:key` writes it, mode 0600, for the demo and tests).
 */
export function masterKeyFromFile(file: string, password: string | undefined, passwordVariable: string): MasterKey {
  const content = readFileSync(file, "utf8");
  if (!content.trimStart().startsWith("{")) return masterKeyFromHex(content);
  if (password === undefined) throw new VaultMasterKeyError(`${file} is a keystore: set ${passwordVariable}`);
  return masterKey(openKeystore(content, password));
}

/** Writes a new random master key to `file` (hex, mode 0600); never overwrites one. */
export function writeMasterKeyFile(file: string): MasterKey {
  const master = masterKey(randomBytes(KEY_BYTES));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${master.key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  return master;
}

interface KeystoreCrypto {
  cipher: string;
  ciphertext: string;
  cipherparams: { iv: string };
  kdf: "scrypt" | "pbkdf2";
  kdfparams: { salt: string; dklen: number; n?: number; r?: number; p?: number; c?: number };
  mac: string;
}

/** The 32 bytes a version-3 JSON keystore holds (as ethers' `Wallet.encrypt` writes it), checked by its MAC. */
export function openKeystore(json: string, password: string): Buffer {
  const parsed = JSON.parse(json) as { crypto?: KeystoreCrypto; Crypto?: KeystoreCrypto };
  const crypto = parsed.crypto ?? parsed.Crypto;
  if (!crypto) throw new VaultMasterKeyError("not a JSON keystore (no crypto section)");
  if (crypto.cipher !== "aes-128-ctr") throw new VaultMasterKeyError(`keystore cipher ${crypto.cipher} not supported`);
  const params = crypto.kdfparams;
  const salt = Buffer.from(params.salt, "hex");
  const derived =
    crypto.kdf === "scrypt"
      ? scryptSync(password, salt, params.dklen, {
          N: params.n,
          r: params.r,
          p: params.p,
          maxmem: 256 * params.n! * params.r!, // ethers' default N=2^17 needs 128 MiB, over node's 32 MiB default
        })
      : pbkdf2Sync(password, salt, params.c!, params.dklen, "sha256");
  const ciphertext = Buffer.from(crypto.ciphertext, "hex");
  const mac = keccak256(Buffer.concat([derived.subarray(16, 32), ciphertext])).slice(2);
  if (mac !== crypto.mac.toLowerCase()) throw new VaultMasterKeyError("the keystore's password is wrong");
  const decipher = createDecipheriv("aes-128-ctr", derived.subarray(0, 16), Buffer.from(crypto.cipherparams.iv, "hex"));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Sealed {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv).setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ciphertext };
}

/** The plaintext, or a throw ("Unsupported state or unable to authenticate data") when key, AAD or bytes differ. */
export function unseal(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, sealed.iv).setAAD(Buffer.from(aad)).setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
}

/** Binds a wrapped data key to the master key that wraps it. */
const wrapAad = (master: MasterKey) => `data_key:${master.id}`;

/**
 * The master keys a process holds and the data keys it has unwrapped. The first master key wraps new data keys;
 * others (an old master during a KEK rotation) only unwrap.
 */
export class Keyring {
  private readonly masters: Map<string, MasterKey>;
  private readonly unwrapped = new Map<number, Buffer>();

  constructor(
    readonly current: MasterKey,
    ...others: MasterKey[]
  ) {
    this.masters = new Map([current, ...others].map((master) => [master.id, master]));
  }

  /**
   * The data key to seal with: the newest unretired one, created on first use. Locked FOR SHARE within the caller's
   * transaction, so that a rotation's retirement waits for blobs being sealed under it, and no blob is sealed under
   * a key after its retirement commits.
   */
  async activeKey(tx: VaultDb): Promise<DataKey> {
    const [row] = await tx
      .select({ id: dataKey.id })
      .from(dataKey)
      .where(isNull(dataKey.retiredAt))
      .orderBy(desc(dataKey.id))
      .limit(1)
      .for("share");
    const id = row ? row.id : await this.createDataKey(tx);
    return { id, key: await this.dataKey(tx, id) };
  }

  /** A new data key, wrapped by the current master key. */
  async createDataKey(tx: VaultDb): Promise<number> {
    const key = randomBytes(KEY_BYTES);
    const wrapped = seal(this.current.key, key, wrapAad(this.current));
    const [row] = await tx
      .insert(dataKey)
      .values({
        wrapped: wrapped.ciphertext,
        wrapIv: wrapped.iv,
        wrapTag: wrapped.tag,
        masterId: this.current.id,
        createdAt: now(),
      })
      .returning({ id: dataKey.id });
    this.unwrapped.set(row.id, key);
    return row.id;
  }

  /** Data key `id`, unwrapped once and then kept in memory. */
  async dataKey(db: VaultDb, id: number): Promise<Buffer> {
    const cached = this.unwrapped.get(id);
    if (cached) return cached;
    const [row] = await db.select().from(dataKey).where(eq(dataKey.id, id));
    if (!row) throw new Error(`data key ${id} does not exist`);
    const master = this.masters.get(row.masterId);
    if (!master) throw new VaultUnknownMasterError(id, row.masterId);
    const key = unseal(master.key, { iv: row.wrapIv, tag: row.wrapTag, ciphertext: row.wrapped }, wrapAad(master));
    this.unwrapped.set(id, key);
    return key;
  }

  /**
   * Wraps every data key not yet under the current master key again under it (a KEK rotation), in one transaction:
   * all keys move or none. Rerunning it after success changes nothing. Returns how many keys moved.
   */
  async rewrap(db: VaultDb): Promise<number> {
    return db.transaction(async (tx) => {
      const rows = await tx.select().from(dataKey).for("update");
      let moved = 0;
      for (const row of rows.filter((candidate) => candidate.masterId !== this.current.id)) {
        const key = await this.dataKey(tx, row.id);
        const wrapped = seal(this.current.key, key, wrapAad(this.current));
        await tx
          .update(dataKey)
          .set({ wrapped: wrapped.ciphertext, wrapIv: wrapped.iv, wrapTag: wrapped.tag, masterId: this.current.id })
          .where(eq(dataKey.id, row.id));
        moved++;
      }
      return moved;
    });
  }
}

export function now(): bigint {
  return BigInt(Math.floor(Date.now() / 1000));
}
