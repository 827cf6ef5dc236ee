/**
 * The access log, written first: a read's entry (or a refused attempt's) is committed, with the request's nonce,
 * before any data is read from the vault. A crash after the commit loses at most the reply, never the entry.
 */
import type { VaultDb } from "../vault/db";
import { NonceUsedError } from "../vault/errors";
import { accessLog, requestNonce } from "../vault/schema";

/** The kinds of signed request, each with its own nonces per key. */
export type NonceKind = "read" | "tracker" | "upload";

/** An entry's outcome, as AccessLog's leaves carry it. */
export const OUTCOME = { read: 1, refused: 2 } as const;

/** What the gated read route knows of a request once the chain has decided it (zero where it did not: a refusal). */
export interface AccessEntry {
  /** The request's signer and nonce: a nonce is used once per key and kind. */
  nonce: { key: Buffer; kind: NonceKind; value: bigint };
  at: bigint;
  blockNumber: bigint;
  blockHash: Buffer;
  reader: bigint;
  role: Buffer;
  department: bigint;
  lawId: Buffer;
  /** Zero for an identity's personal data. */
  registerId: Buffer;
  subject: bigint;
  recordUid: Buffer;
  purpose: Buffer;
  purposeText: string;
  requestDigest: Buffer;
  /** When the subject may see the entry: `at`, or later for a covert read. */
  disclosedAt: bigint;
}

/**
 * Uses the nonce and writes the entry in one transaction, and returns the entry's id once committed. A used nonce
 * throws NonceUsedError and writes nothing: the entry of the nonce's first use is the one that stands.
 */
async function logAccess(db: VaultDb, entry: AccessEntry, outcome: number, refusal: string | null): Promise<bigint> {
  return db.transaction(async (tx) => {
    const { key, kind, value } = entry.nonce;
    const used = await tx
      .insert(requestNonce)
      .values({ key, kind, nonce: value.toString(), usedAt: entry.at })
      .onConflictDoNothing()
      .returning({ key: requestNonce.key });
    if (used.length === 0) throw new NonceUsedError(`0x${key.toString("hex")}`, kind, value);
    const [row] = await tx
      .insert(accessLog)
      .values({
        at: entry.at,
        blockNumber: entry.blockNumber,
        blockHash: entry.blockHash,
        outcome,
        refusal,
        reader: entry.reader.toString(),
        readerKey: key,
        role: entry.role,
        department: entry.department.toString(),
        lawId: entry.lawId,
        registerId: entry.registerId,
        subject: entry.subject.toString(),
        recordUid: entry.recordUid,
        purpose: entry.purpose,
        purposeText: entry.purposeText,
        requestDigest: entry.requestDigest,
        disclosedAt: entry.disclosedAt,
      })
      .returning({ id: accessLog.id });
    return row.id;
  });
}

/**
 * Logs a granted read, then reads. `readFn` runs only after the entry's transaction has committed (Postgres'
 * default synchronous commit; PGlite opened without relaxed durability), so whatever it returns was logged first;
 * if it throws, the entry stays: the read was attempted under a grant.
 */
export async function logThenRead<T>(
  db: VaultDb,
  entry: AccessEntry,
  readFn: (entryId: bigint) => Promise<T>,
): Promise<{ entryId: bigint; data: T }> {
  const entryId = await logAccess(db, entry, OUTCOME.read, null);
  return { entryId, data: await readFn(entryId) };
}

/** Logs a refused attempt (outcome 2) with SmartLaw's decoded reason; no data is read. */
export function logRefusal(db: VaultDb, entry: AccessEntry, refusal: string): Promise<bigint> {
  return logAccess(db, entry, OUTCOME.refused, refusal);
}
