/**
 * An access-log row as AccessLog's `Entry`: the values of its Merkle leaf, in the order and types of ENTRY_TYPES,
 * for the tree the anchorer builds and the proof the data tracker shows.
 */
import type { Hex } from "viem";

import type { accessLog } from "../vault/schema";
import type { LeafValues } from "./anchorer";

export type LogRow = typeof accessLog.$inferSelect;

export const hex = (bytes: Buffer): Hex => `0x${bytes.toString("hex")}`;

/** The leaf's values for `row` numbered `seq`; `refusal` is the selector of the row's refusal (zero for a read). */
export function leafValues(row: LogRow, seq: bigint, refusal: Hex): LeafValues {
  return [
    seq.toString(),
    row.at.toString(),
    row.disclosedAt.toString(),
    row.outcome,
    row.reader,
    hex(row.readerKey),
    hex(row.role),
    row.department,
    hex(row.lawId),
    hex(row.registerId),
    row.subject,
    hex(row.recordUid),
    hex(row.purpose),
    hex(row.requestDigest),
    refusal,
  ];
}
