/**
 * What a granted read returns, fetched only once its access-log entry is committed: a record's public fields (its
 * on-chain form, from the index), its private part and documents (decrypted from the vault), or an identity's
 * personal data.
 */
import type { Hex } from "viem";

import { hex } from "../anchor/leaf";
import { fetchBlob, fetchRecordBlobs } from "../vault/blobs";
import type { Keyring } from "../vault/crypto";
import type { VaultDb } from "../vault/db";

const bytes = (value: Hex) => Buffer.from(value.slice(2), "hex");

/** The record's on-chain form as the index holds it (RecordAdded.data), if indexed yet. */
export type IndexedRecord = (uid: Hex) => Promise<{ data: Hex } | undefined>;

export async function recordData(db: VaultDb, keyring: Keyring, indexed: IndexedRecord, uid: Hex) {
  const [onChain, vault] = await Promise.all([indexed(uid), fetchRecordBlobs(db, keyring, bytes(uid))]);
  return {
    /** The public fields and the private part's hash, as on chain. */
    data: onChain?.data ?? null,
    /** `abi.encode(bytes clear, bytes32 salt)`: every field in clear, and the salt of the on-chain commitment. */
    private: vault.opening ? hex(vault.opening) : null,
    documents: vault.documents.map((d) => ({
      hash: hex(d.hash),
      mediaType: d.mediaType,
      content: d.content.toString("base64"),
    })),
  };
}

/** The identity's personal data (canonical JSON and salt) as uploaded, or undefined when the vault has none. */
export async function personalData(db: VaultDb, keyring: Keyring, identityId: bigint) {
  const blob = await fetchBlob(db, keyring, { kind: "identity_data", identityId });
  return blob === undefined ? undefined : blob.toString("utf8");
}
