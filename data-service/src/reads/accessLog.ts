/**
 * The access log, written first: a read's entry (or a refused attempt's) is committed, with the request's nonce,
 * before any data is read from the vault. A crash after the commit loses at most the reply, never the entry.
 */
import { getTableName, sql } from "drizzle-orm";

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

interface Pending {
  entry: AccessEntry;
  outcome: number;
  refusal: string | null;
  resolve: (id: bigint) => void;
  reject: (error: unknown) => void;
}

/** The most entries committed together: one statement's parameters stay far under Postgres' 65,535. */
const MOST_PER_COMMIT = 500;

/**
 * Group commit: the entries that arrive while a commit is under way wait for the next one, and go in together (their
 * nonces in one statement, their entries in another, one commit). Under load a read waits for one commit shared with
 * the others instead of a commit of its own; alone, it is written at once. Each entry's promise settles only after
 * its transaction has committed (or failed), so the log still comes first.
 */
class LogWriter {
  private queue: Pending[] = [];
  private writing = false;

  constructor(private readonly db: VaultDb) {}

  write(entry: AccessEntry, outcome: number, refusal: string | null): Promise<bigint> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, outcome, refusal, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain() {
    this.writing = true;
    while (this.queue.length > 0) {
      await commitOrSplit(this.db, this.queue.splice(0, MOST_PER_COMMIT));
    }
    this.writing = false;
  }
}

/**
 * Commits a group; when an entry's own data is at fault (a data exception or a constraint, SQLSTATE classes 22 and
 * 23), the group is halved and each half tried again, so that the faulty entry is found in a few commits and costs
 * the others nothing. Any other failure (the database down) fails the whole group at once.
 */
async function commitOrSplit(db: VaultDb, group: Pending[]): Promise<void> {
  try {
    await commit(db, group);
  } catch (error) {
    if (group.length === 1 || !entryAtFault(error)) {
      for (const p of group) p.reject(error);
      return;
    }
    const half = Math.ceil(group.length / 2);
    await commitOrSplit(db, group.slice(0, half));
    await commitOrSplit(db, group.slice(half));
  }
}

/** Whether Postgres refused a value of the statement (class 22 or 23), wherever the driver put its code. */
function entryAtFault(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (typeof e.code === "string" && /^2[23][0-9A-Z]{3}$/.test(e.code)) return true;
  }
  return false;
}

const writers = new WeakMap<VaultDb, LogWriter>();
const writerOf = (db: VaultDb) => {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new LogWriter(db)));
  return writer;
};

const nonceKey = (key: Buffer, kind: string, value: bigint | string) => `${key.toString("hex")}:${kind}:${value}`;

/**
 * Uses the batch's nonces and writes its entries in one transaction, then settles each entry's promise with its id. A
 * used nonce (before, or earlier in the batch) rejects its entry with NonceUsedError and writes nothing for it: the
 * entry of the nonce's first use is the one that stands.
 */
async function commit(db: VaultDb, batch: Pending[]) {
  const first = new Map<string, Pending>();
  const again: Pending[] = [];
  for (const p of batch) {
    const { key, kind, value } = p.entry.nonce;
    const k = nonceKey(key, kind, value);
    if (first.has(k)) again.push(p);
    else first.set(k, p);
  }
  const ids = await db.transaction(async (tx) => {
    const used = await tx
      .insert(requestNonce)
      .values(
        [...first.values()].map(({ entry: { nonce, at } }) => ({
          key: nonce.key,
          kind: nonce.kind,
          nonce: nonce.value.toString(),
          usedAt: at,
        })),
      )
      .onConflictDoNothing()
      .returning({ key: requestNonce.key, kind: requestNonce.kind, nonce: requestNonce.nonce });
    const fresh = new Set(used.map((u) => nonceKey(u.key, u.kind, u.nonce)));
    for (const [k, p] of first) if (!fresh.has(k)) (first.delete(k), again.push(p));
    const written = [...first.values()];
    if (written.length === 0) return [];
    // the ids are drawn first, so that each entry knows its own whatever order the rows come back in
    const drawn = await tx
      .select({ id: sql<string>`nextval(pg_get_serial_sequence(${getTableName(accessLog)}, 'id'))::text` })
      .from(sql`generate_series(1, ${written.length})`);
    const ids = drawn.map((r) => BigInt(r.id));
    await tx.insert(accessLog).values(written.map((p, i) => ({ id: ids[i], ...row(p) })));
    return written.map((p, i) => [p, ids[i]] as const);
  });
  for (const p of again) {
    const { key, kind, value } = p.entry.nonce;
    p.reject(new NonceUsedError(`0x${key.toString("hex")}`, kind, value));
  }
  for (const [p, id] of ids) p.resolve(id);
}

/** An entry's row (its id apart). */
const row = ({ entry, outcome, refusal }: Pending) => ({
  at: entry.at,
  blockNumber: entry.blockNumber,
  blockHash: entry.blockHash,
  outcome,
  refusal,
  reader: entry.reader.toString(),
  readerKey: entry.nonce.key,
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
});

/** Uses the entry's nonce and writes it, shared with the entries that arrive meanwhile; its id once committed. */
function logAccess(db: VaultDb, entry: AccessEntry, outcome: number, refusal: string | null): Promise<bigint> {
  return writerOf(db).write(entry, outcome, refusal);
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
