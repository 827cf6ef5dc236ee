/**
 * The data tracker: a person's view of the access log, every read of his data and every refused attempt, newest
 * first, with each entry's Merkle proof against the root anchored on chain once its batch is anchored. Covert reads
 * stay hidden until their `disclosed_at` (the chain's time), though they are logged and anchored like the others.
 */
import { and, desc, eq, inArray, lt, lte } from "drizzle-orm";
import type { Hex } from "viem";

import { hex, leafValues, type LogRow } from "../anchor/leaf";
import { proofAt, type StandardDump } from "../anchor/anchorer";
import type { VaultDb } from "../vault/db";
import { accessLog, anchorBatch } from "../vault/schema";

export const OUTCOMES = { 1: "read", 2: "refused" } as const;

export interface TrackerPage {
  subject: bigint;
  /** Only entries disclosed at or before this time (the chain's). */
  now: bigint;
  /** Entries with a lower id than this one (the next page); all when undefined. */
  before?: bigint;
  limit: number;
}

export async function trackerEntries(db: VaultDb, refusalSelector: (refusal: string | null) => Hex, page: TrackerPage) {
  const rows = await db
    .select()
    .from(accessLog)
    .where(
      and(
        eq(accessLog.subject, page.subject.toString()),
        lte(accessLog.disclosedAt, page.now),
        page.before === undefined ? undefined : lt(accessLog.id, page.before),
      ),
    )
    .orderBy(desc(accessLog.id))
    .limit(page.limit);
  const batchIds = [...new Set(rows.flatMap((r) => (r.batchId === null ? [] : [r.batchId])))];
  const batches = batchIds.length
    ? await db
        .select()
        .from(anchorBatch)
        .where(and(inArray(anchorBatch.batchId, batchIds), eq(anchorBatch.status, "anchored")))
    : [];
  const anchored = new Map(batches.map((b) => [b.batchId, b]));
  return rows.map((row) => ({ row, proof: proofOf(row, anchored.get(row.batchId ?? -1n), refusalSelector) }));
}

type BatchRow = typeof anchorBatch.$inferSelect;

/** The entry's leaf values and proof in its anchored batch; null while not anchored. */
function proofOf(row: LogRow, batch: BatchRow | undefined, refusalSelector: (refusal: string | null) => Hex) {
  if (!batch || row.seq === null) return null;
  const index = Number(row.seq - batch.firstSeq);
  return {
    batchId: batch.batchId.toString(),
    seq: row.seq.toString(),
    leaf: leafValues(row, row.seq, refusalSelector(row.refusal)),
    proof: proofAt(batch.tree as StandardDump, index),
    root: hex(batch.root),
    anchorTx: batch.txHash ? hex(batch.txHash) : null,
  };
}

/** A batch as the public sees it: root, count, range and the transaction that anchored it. */
export async function batchOf(db: VaultDb, batchId: bigint) {
  const [batch] = await db.select().from(anchorBatch).where(eq(anchorBatch.batchId, batchId));
  return batch;
}
