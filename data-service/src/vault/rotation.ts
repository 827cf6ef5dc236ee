/**
 * Data key rotation: a new data key, the others retired, then every blob sealed again under the new key in batches
 * (one transaction each). A rotation cut short is resumed by re-encrypting what is still on a retired key.
 */
import { isNull } from "drizzle-orm";

import { BLOB_TABLES, reseal, rowsOnRetiredKeys, type BlobKind } from "./blobs";
import { now, type Keyring } from "./crypto";
import type { VaultDb } from "./db";
import { dataKey } from "./schema";

export const ROTATION_BATCH = 500;

export interface Rotation {
  /** The new data key's id (absent when only resuming). */
  keyId?: number;
  /** Blobs sealed again. */
  resealed: number;
}

/** Retires every data key and creates the one that seals from now on, in one transaction. Returns its id. */
export function newDataKey(db: VaultDb, keyring: Keyring): Promise<number> {
  return db.transaction(async (tx) => {
    // The update waits for transactions sealing under the old key (they hold it FOR SHARE) to commit.
    await tx.update(dataKey).set({ retiredAt: now() }).where(isNull(dataKey.retiredAt));
    return keyring.createDataKey(tx);
  });
}

/** Seals again, under the active key, every blob still under a retired one; `batch` rows per transaction. */
export async function resealRetired(db: VaultDb, keyring: Keyring, batch = ROTATION_BATCH): Promise<number> {
  let resealed = 0;
  for (const kind of Object.keys(BLOB_TABLES) as BlobKind[]) {
    for (let moved = batch; moved === batch; resealed += moved) {
      moved = await db.transaction(async (tx) => {
        const rows = await rowsOnRetiredKeys(tx, kind, batch);
        const active = await keyring.activeKey(tx);
        for (const row of rows) await reseal(tx, keyring, kind, row, active);
        return rows.length;
      });
    }
  }
  return resealed;
}

/** `vault:rotate`: a new data key and every blob under it; with `resume`, only the re-encryption left undone. */
export async function rotate(db: VaultDb, keyring: Keyring, resume = false): Promise<Rotation> {
  const keyId = resume ? undefined : await newDataKey(db, keyring);
  return { keyId, resealed: await resealRetired(db, keyring) };
}
