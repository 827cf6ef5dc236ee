/**
 * The access log, written first: a read's entry (or a refused attempt's) is committed, with the request's nonce,
 * before any data is read from the vault. A crash after the commit loses at most the reply, never the entry.
 */
import { sql } from "drizzle-orm";

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
 * Uses the batch's nonces and writes its entries in one statement (in a transaction of its own), then settles each
 * entry's promise with its id. A used nonce (before, or earlier in the batch) rejects its entry with NonceUsedError
 * and writes nothing for it: the entry of the nonce's first use is the one that stands.
 *
 * The batch travels as one JSON parameter, so that the statement's text is the same whatever the batch's size:
 * building a statement of twenty parameters per entry was the largest cost of a commit, and a read alone under a
 * steady load commits alone.
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
  const written = new Map<string, bigint>();
  const rows = JSON.stringify([...first.values()].map(jsonRow));
  await db.transaction(async (tx) => {
    const result = (await tx.execute(sql`
      WITH input AS (
        SELECT * FROM jsonb_to_recordset(${rows}::jsonb) AS x(
          ord int, key text, kind text, nonce numeric, at bigint, block_number bigint, block_hash text,
          outcome smallint, refusal text, reader numeric, role text, department numeric, law_id text,
          register_id text, subject numeric, record_uid text, purpose text, purpose_text text,
          request_digest text, disclosed_at bigint)
      ), used AS (
        INSERT INTO ${requestNonce} (key, kind, nonce, used_at)
        SELECT decode(key, 'hex'), kind, nonce, at FROM input
        ON CONFLICT DO NOTHING
        RETURNING key, kind, nonce
      )
      INSERT INTO ${accessLog} (at, block_number, block_hash, outcome, refusal, reader, reader_key, role, department,
        law_id, register_id, subject, record_uid, purpose, purpose_text, request_digest, disclosed_at)
      SELECT i.at, i.block_number, decode(i.block_hash, 'hex'), i.outcome, i.refusal, i.reader, decode(i.key, 'hex'),
        decode(i.role, 'hex'), i.department, decode(i.law_id, 'hex'), decode(i.register_id, 'hex'), i.subject,
        decode(i.record_uid, 'hex'), decode(i.purpose, 'hex'), i.purpose_text, decode(i.request_digest, 'hex'),
        i.disclosed_at
      FROM input i JOIN used u ON u.key = decode(i.key, 'hex') AND u.kind = i.kind AND u.nonce = i.nonce
      ORDER BY i.ord
      RETURNING id::text, reader_key, request_digest`)) as unknown as {
      rows: { id: string; reader_key: Uint8Array; request_digest: Uint8Array }[];
    };
    // an entry is known by its key and digest: the digest holds the nonce, used once per key and kind
    for (const r of result.rows)
      written.set(entryKey(Buffer.from(r.reader_key), Buffer.from(r.request_digest)), BigInt(r.id));
  });
  for (const p of first.values()) {
    const id = written.get(entryKey(p.entry.nonce.key, p.entry.requestDigest));
    if (id === undefined) again.push(p);
    else p.resolve(id);
  }
  for (const p of again) {
    const { key, kind, value } = p.entry.nonce;
    p.reject(new NonceUsedError(`0x${key.toString("hex")}`, kind, value));
  }
}

const entryKey = (key: Buffer, digest: Buffer) => `${key.toString("hex")}:${digest.toString("hex")}`;

/** An entry as the statement's JSON takes it: bytes in hex, whole numbers as decimal text. */
const jsonRow = ({ entry, outcome, refusal }: Pending, ord: number) => ({
  ord,
  key: entry.nonce.key.toString("hex"),
  kind: entry.nonce.kind,
  nonce: entry.nonce.value.toString(),
  at: entry.at.toString(),
  block_number: entry.blockNumber.toString(),
  block_hash: entry.blockHash.toString("hex"),
  outcome,
  refusal,
  reader: entry.reader.toString(),
  role: entry.role.toString("hex"),
  department: entry.department.toString(),
  law_id: entry.lawId.toString("hex"),
  register_id: entry.registerId.toString("hex"),
  subject: entry.subject.toString(),
  record_uid: entry.recordUid.toString("hex"),
  purpose: entry.purpose.toString("hex"),
  purpose_text: entry.purposeText,
  request_digest: entry.requestDigest.toString("hex"),
  disclosed_at: entry.disclosedAt.toString(),
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
