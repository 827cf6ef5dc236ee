/**
 * The vault's encrypted blobs, stored and fetched by their row's key: documents by hash, records' private parts by
 * uid, personal data by identity, applications' data by application. What the upload route stores once it has
 * checked a blob against the chain, and what the gated read route fetches once the read is logged.
 */
import { eq, inArray, isNotNull, sql, type SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

import { now, seal, unseal, type Keyring } from "./crypto";
import { VaultBrokenSealError } from "./errors";
import { preparedOn, type VaultDb } from "./db";
import { applicationData, dataKey, document, identityData, recordPrivate } from "./schema";

/** Who stored a blob: the uploader's identity and key, the signed upload's EIP-712 digest, and when (unix s). */
export interface Upload {
  by: bigint;
  key: Buffer;
  digest: Buffer;
  at?: bigint;
}

/** Which blob: the table and the row's key. */
export type BlobRef =
  | { kind: "document"; hash: Buffer }
  | { kind: "record_private"; uid: Buffer }
  | { kind: "identity_data"; identityId: bigint }
  | { kind: "application_data"; applicationId: bigint };

/** A blob's row without its plaintext: the reference plus what each table keeps beside the ciphertext. */
export type BlobMeta =
  | { kind: "document"; hash: Buffer; recordUid: Buffer; mediaType: string }
  | { kind: "record_private"; uid: Buffer; registerId: Buffer; subject: bigint }
  | { kind: "identity_data"; identityId: bigint; attributesHash: Buffer }
  | { kind: "application_data"; applicationId: bigint; dataHash: Buffer };

export type BlobKind = BlobRef["kind"];

/** The four tables, each with the column its rows are found by. */
export const BLOB_TABLES = {
  document: { table: document, key: document.hash },
  record_private: { table: recordPrivate, key: recordPrivate.uid },
  identity_data: { table: identityData, key: identityData.identityId },
  application_data: { table: applicationData, key: applicationData.applicationId },
} as const;

/** The row's key as a driver value (bytes, or a uint256 as decimal text) and as the text bound into the AAD. */
function rowKey(ref: BlobRef): { value: Buffer | string; text: string } {
  switch (ref.kind) {
    case "document":
      return { value: ref.hash, text: `0x${ref.hash.toString("hex")}` };
    case "record_private":
      return { value: ref.uid, text: `0x${ref.uid.toString("hex")}` };
    case "identity_data":
      return { value: ref.identityId.toString(), text: ref.identityId.toString() };
    case "application_data":
      return { value: ref.applicationId.toString(), text: ref.applicationId.toString() };
  }
}

/** AES-GCM's additional data: table ‖ row key ‖ data key id. */
export function blobAad(kind: BlobKind, rowKeyText: string, keyId: number): string {
  return `${kind}:${rowKeyText}:${keyId}`;
}

/** Stores a blob encrypted; a row already there is kept as it is (re-uploading is a no-op). Returns whether stored. */
export async function storeBlob(
  db: VaultDb,
  keyring: Keyring,
  meta: BlobMeta,
  plaintext: Uint8Array,
  upload: Upload,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const active = await keyring.activeKey(tx);
    const sealed = seal(active.key, plaintext, blobAad(meta.kind, rowKey(meta).text, active.id));
    const common: Common = {
      keyId: active.id,
      ...sealed,
      uploadedBy: upload.by.toString(),
      uploadedKey: upload.key,
      uploadDigest: upload.digest,
      uploadedAt: upload.at ?? now(),
    };
    const inserted = await insertRow(tx, meta, plaintext.length, common);
    return inserted.length > 0;
  });
}

/** The columns every blob table fills the same way. */
interface Common {
  keyId: number;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
  uploadedBy: string;
  uploadedKey: Buffer;
  uploadDigest: Buffer;
  uploadedAt: bigint;
}

function insertRow(tx: VaultDb, meta: BlobMeta, size: number, common: Common) {
  switch (meta.kind) {
    case "document":
      return tx
        .insert(document)
        .values({ hash: meta.hash, recordUid: meta.recordUid, mediaType: meta.mediaType, size, ...common })
        .onConflictDoNothing()
        .returning({ key: document.hash });
    case "record_private":
      return tx
        .insert(recordPrivate)
        .values({ uid: meta.uid, registerId: meta.registerId, subject: meta.subject.toString(), ...common })
        .onConflictDoNothing()
        .returning({ key: recordPrivate.uid });
    case "identity_data":
      return tx
        .insert(identityData)
        .values({ identityId: meta.identityId.toString(), attributesHash: meta.attributesHash, ...common })
        .onConflictDoNothing()
        .returning({ key: identityData.identityId });
    case "application_data":
      return tx
        .insert(applicationData)
        .values({ applicationId: meta.applicationId.toString(), dataHash: meta.dataHash, ...common })
        .onConflictDoNothing()
        .returning({ key: applicationData.applicationId });
  }
}

/** A sealed row as every blob table holds it. */
interface SealedRow {
  rowKey: Buffer | string;
  keyId: number;
  iv: Buffer;
  tag: Buffer;
  ciphertext: Buffer;
}

/**
 * The columns shared by the four tables, selected from one of them. drizzle types a query by one table; the
 * columns are the chosen table's own, so the cast only widens the type.
 */
function sealedRows(db: VaultDb, kind: BlobKind, where: SQL | undefined, limit?: number): Promise<SealedRow[]> {
  const { table, key } = BLOB_TABLES[kind];
  const query = db
    .select({ rowKey: key as PgColumn, keyId: table.keyId, iv: table.iv, tag: table.tag, ciphertext: table.ciphertext })
    .from(table as typeof document)
    .where(where);
  return (limit === undefined ? query : query.limit(limit)) as Promise<SealedRow[]>;
}

/** The plaintext of a blob, or undefined when the vault holds none under that key. */
export async function fetchBlob(db: VaultDb, keyring: Keyring, ref: BlobRef): Promise<Buffer | undefined> {
  const key = rowKey(ref);
  const name = `vault_blob_${ref.kind}`;
  const query = preparedOn(db, name, () => {
    const { table, key: column } = BLOB_TABLES[ref.kind];
    return db
      .select({
        rowKey: column as PgColumn,
        keyId: table.keyId,
        iv: table.iv,
        tag: table.tag,
        ciphertext: table.ciphertext,
      })
      .from(table as typeof document)
      .where(sql`${column} = ${sql.placeholder("key")}`)
      .prepare(name);
  });
  const [row] = (await query.execute({ key: key.value })) as SealedRow[];
  if (!row) return undefined;
  return openRow(db, keyring, ref.kind, key.text, row);
}

/**
 * What the vault holds of a record, in one query: its private part (undefined when none) and its documents, each
 * with its hash, media type and plaintext.
 */
export async function fetchRecordBlobs(db: VaultDb, keyring: Keyring, uid: Buffer) {
  const query = preparedOn(db, "vault_record_blobs", () => {
    const sealedOf = (t: typeof document | typeof recordPrivate) => ({
      keyId: t.keyId,
      iv: t.iv,
      tag: t.tag,
      ciphertext: t.ciphertext,
    });
    return db
      .select({
        kind: sql<BlobKind>`'record_private'`,
        rowKey: recordPrivate.uid,
        mediaType: sql<string>`''`,
        ...sealedOf(recordPrivate),
      })
      .from(recordPrivate)
      .where(eq(recordPrivate.uid, sql.placeholder("uid")))
      .unionAll(
        db
          .select({
            kind: sql<BlobKind>`'document'`,
            rowKey: document.hash,
            mediaType: document.mediaType,
            ...sealedOf(document),
          })
          .from(document)
          .where(eq(document.recordUid, sql.placeholder("uid"))),
      )
      .prepare("vault_record_blobs");
  });
  const rows = (await query.execute({ uid })) as (SealedRow & { kind: BlobKind; rowKey: Buffer; mediaType: string })[];
  let opening: Buffer | undefined;
  const documents: { hash: Buffer; mediaType: string; content: Buffer }[] = [];
  for (const row of rows) {
    const text = `0x${row.rowKey.toString("hex")}`;
    if (row.kind === "record_private") opening = await openRow(db, keyring, "record_private", text, row);
    else
      documents.push({
        hash: row.rowKey,
        mediaType: row.mediaType,
        content: await openRow(db, keyring, "document", text, row),
      });
  }
  return { opening, documents };
}

/** A row's plaintext; a seal that does not open is reported with its table and row. */
async function openRow(db: VaultDb, keyring: Keyring, kind: BlobKind, text: string, row: SealedRow): Promise<Buffer> {
  const key = await keyring.dataKey(db, row.keyId);
  try {
    return unseal(key, row, blobAad(kind, text, row.keyId));
  } catch {
    throw new VaultBrokenSealError(kind, text);
  }
}

/** Rows of `kind` still under a retired data key, at most `limit` of them, for re-encryption. */
export function rowsOnRetiredKeys(db: VaultDb, kind: BlobKind, limit: number): Promise<SealedRow[]> {
  const retired = db.select({ id: dataKey.id }).from(dataKey).where(isNotNull(dataKey.retiredAt));
  return sealedRows(db, kind, inArray(BLOB_TABLES[kind].table.keyId, retired), limit);
}

/** Seals a row again under `to`, checking its old seal first (a row that does not open is never rewritten). */
export async function reseal(
  tx: VaultDb,
  keyring: Keyring,
  kind: BlobKind,
  row: SealedRow,
  to: { id: number; key: Buffer },
): Promise<void> {
  const text = typeof row.rowKey === "string" ? row.rowKey : `0x${row.rowKey.toString("hex")}`;
  const plaintext = await openRow(tx, keyring, kind, text, row);
  const sealed = seal(to.key, plaintext, blobAad(kind, text, to.id));
  const { table, key } = BLOB_TABLES[kind];
  await tx
    .update(table as typeof document)
    .set({ keyId: to.id, ...sealed })
    .where(sql`${key} = ${row.rowKey}`);
}
