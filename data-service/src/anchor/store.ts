/**
 * The anchorer's batches in the vault's tables: access_log entries get their sequence number and batch id, and
 * anchor_batch keeps each batch's root, range, tree and status, in the same transaction.
 */
import { and, asc, eq, gt, inArray, isNull, max, ne, sql } from "drizzle-orm";
import type { Hex } from "viem";

import type { VaultDb } from "../vault/db";
import { accessLog, anchorBatch } from "../vault/schema";
import type { AnchorStore, StoredBatch } from "./anchorer";
import { hex, leafValues } from "./leaf";

const bytes = (value: Hex) => Buffer.from(value.slice(2), "hex");

type BatchRow = typeof anchorBatch.$inferSelect;
const storedBatch = (b: BatchRow): StoredBatch => ({
  batchId: b.batchId,
  root: hex(b.root),
  firstSeq: b.firstSeq,
  count: b.count,
  firstAt: b.firstAt,
  lastAt: b.lastAt,
  status: b.status as StoredBatch["status"],
  txHash: b.txHash ? hex(b.txHash) : null,
});

/** `refusalSelector` gives the selector of a row's logged refusal (the chain's ABI knows the errors). */
export function vaultAnchorStore(db: VaultDb, refusalSelector: (refusal: string | null) => Hex): AnchorStore {
  return {
    buildBatch: (batchId, limit, build) =>
      db.transaction(async (tx) => {
        const [{ last }] = await tx.select({ last: max(accessLog.seq) }).from(accessLog);
        const rows = await tx
          .select()
          .from(accessLog)
          .where(isNull(accessLog.batchId))
          .orderBy(asc(accessLog.id))
          .limit(limit);
        if (rows.length === 0) return undefined;
        const firstSeq = (last ?? 0n) + 1n;
        const { root, tree } = build(
          rows.map((row) => ({
            id: row.id,
            at: row.at,
            leaf: (seq) => leafValues(row, seq, refusalSelector(row.refusal)),
          })),
          firstSeq,
        );
        // numbered in id order, exactly the rows the tree was built from (one committed since is left for the next)
        await tx.execute(sql`
          UPDATE ${accessLog} SET seq = ${firstSeq - 1n} + numbered.rank, batch_id = ${batchId}
          FROM (SELECT id, row_number() OVER (ORDER BY id) AS rank FROM ${accessLog}
                WHERE ${inArray(
                  accessLog.id,
                  rows.map((r) => r.id),
                )}) AS numbered
          WHERE ${accessLog.id} = numbered.id`);
        const times = rows.map((r) => r.at);
        const [stored] = await tx
          .insert(anchorBatch)
          .values({
            batchId,
            root: bytes(root),
            firstSeq,
            count: rows.length,
            firstAt: times.reduce((a, b) => (a < b ? a : b)),
            lastAt: times.reduce((a, b) => (a > b ? a : b)),
            tree,
            status: "built",
          })
          .returning();
        return storedBatch(stored);
      }),
    unfinished: async () =>
      (
        await db.select().from(anchorBatch).where(ne(anchorBatch.status, "anchored")).orderBy(asc(anchorBatch.batchId))
      ).map(storedBatch),
    lastBatchId: async () => {
      const [{ last }] = await db.select({ last: max(anchorBatch.batchId) }).from(anchorBatch);
      return last ?? 0n;
    },
    markSent: async (batchId, txHash) => {
      await db
        .update(anchorBatch)
        .set({ status: "sent", txHash: bytes(txHash) })
        .where(and(eq(anchorBatch.batchId, batchId), ne(anchorBatch.status, "anchored")));
    },
    markAnchored: async (batchId, blockNumber) => {
      await db
        .update(anchorBatch)
        .set({ status: "anchored", ...(blockNumber === null ? {} : { blockNumber }) })
        .where(eq(anchorBatch.batchId, batchId));
    },
    reopenAfter: async (batchId) => {
      await db
        .update(anchorBatch)
        .set({ status: "built", blockNumber: null })
        .where(and(gt(anchorBatch.batchId, batchId), eq(anchorBatch.status, "anchored")));
    },
  };
}
