/**
 * The vault's tables: what exists nowhere else (documents, personal data, private record fields, the access log),
 * kept apart from the index that Ponder may drop and rebuild. The tables carry no schema name: the vault sets its
 * connection's `search_path` to its own schema (`VAULT_SCHEMA`, default `govchain_vault`), so the migrations that
 * drizzle-kit generates from this file apply under whichever schema an installation names.
 *
 * Hashes, uids, keys and addresses are `bytea`; identity, application and nonce numbers are uint256, kept exactly as
 * `numeric(78, 0)` (read back as decimal strings); times are unix seconds in `bigint`.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
} from "drizzle-orm/pg-core";

/** Raw bytes: a Buffer whichever driver (pg answers Buffers, PGlite Uint8Arrays). */
export const bytes = customType<{ data: Buffer; driverData: Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => Buffer.from(value),
});

const uint256 = (name: string) => numeric(name, { precision: 78, scale: 0 });
const seconds = (name: string) => bigint(name, { mode: "bigint" });

/**
 * The columns every encrypted blob has: the data key it is under, and AES-256-GCM's nonce, tag and output. `key_id`
 * has no foreign key: drizzle-kit writes a referenced table with its schema (`"public"."data_key"`), which would tie
 * the migrations to one schema name; data keys are never deleted, only retired.
 */
const sealed = {
  keyId: integer("key_id").notNull(),
  iv: bytes("iv").notNull(),
  tag: bytes("tag").notNull(),
  ciphertext: bytes("ciphertext").notNull(),
};

/** Who put a blob here: the uploading official's identity and key, the signed upload's digest, when. */
const uploaded = {
  uploadedBy: uint256("uploaded_by").notNull(),
  uploadedKey: bytes("uploaded_key").notNull(),
  uploadDigest: bytes("upload_digest").notNull(),
  uploadedAt: seconds("uploaded_at").notNull(),
};

/** Data keys, each wrapped (AES-256-GCM) by the master key named by `master_id`; the newest unretired one encrypts. */
export const dataKey = pgTable("data_key", {
  id: serial("id").primaryKey(),
  wrapped: bytes("wrapped").notNull(),
  wrapIv: bytes("wrap_iv").notNull(),
  wrapTag: bytes("wrap_tag").notNull(),
  masterId: text("master_id").notNull(),
  createdAt: seconds("created_at").notNull(),
  retiredAt: seconds("retired_at"),
});

/** The documents behind records' document hashes; `hash` is the keccak256 of the plaintext. */
export const document = pgTable("document", {
  hash: bytes("hash").primaryKey(),
  ...sealed,
  size: integer("size").notNull(),
  mediaType: text("media_type").notNull(),
  recordUid: bytes("record_uid").notNull(),
  ...uploaded,
});

/** A record's private fields in clear form with their salt (the opening of the on-chain `privateHash`). */
export const recordPrivate = pgTable("record_private", {
  uid: bytes("uid").primaryKey(),
  registerId: bytes("register_id").notNull(),
  subject: uint256("subject").notNull(),
  ...sealed,
  ...uploaded,
});

/** An identity's personal data (canonical JSON and salt), the opening of its on-chain attributes hash. */
export const identityData = pgTable("identity_data", {
  identityId: uint256("identity_id").primaryKey(),
  attributesHash: bytes("attributes_hash").notNull(),
  ...sealed,
  ...uploaded,
});

/** An application's data, whose keccak256 the ServiceDesk's event carries. */
export const applicationData = pgTable("application_data", {
  applicationId: uint256("application_id").primaryKey(),
  dataHash: bytes("data_hash").notNull(),
  ...sealed,
  ...uploaded,
});

/**
 * Every read of personal data and every refused attempt, written before any data is returned. `seq` and `batch_id`
 * are given when the anchorer batches the entry; `disclosed_at` is when the subject may see it (later for covert
 * reads).
 */
export const accessLog = pgTable(
  "access_log",
  {
    id: bigserial("id", { mode: "bigint" }).primaryKey(),
    seq: bigint("seq", { mode: "bigint" }).unique(),
    at: seconds("at").notNull(),
    blockNumber: bigint("block_number", { mode: "bigint" }).notNull(),
    blockHash: bytes("block_hash").notNull(),
    /** 1 read, 2 refused (as AccessLog's leaves). */
    outcome: smallint("outcome").notNull(),
    /** SmartLaw's decoded error when refused. */
    refusal: text("refusal"),
    reader: uint256("reader").notNull(),
    readerKey: bytes("reader_key").notNull(),
    role: bytes("role").notNull(),
    department: uint256("department").notNull(),
    lawId: bytes("law_id").notNull(),
    /** Zero for an identity's personal data. */
    registerId: bytes("register_id").notNull(),
    subject: uint256("subject").notNull(),
    recordUid: bytes("record_uid").notNull(),
    purpose: bytes("purpose").notNull(),
    purposeText: text("purpose_text").notNull(),
    requestDigest: bytes("request_digest").notNull(),
    disclosedAt: seconds("disclosed_at").notNull(),
    batchId: bigint("batch_id", { mode: "bigint" }),
  },
  (table) => [
    index("access_log_subject_at").on(table.subject, table.at),
    index("access_log_unbatched")
      .on(table.id)
      .where(sql`${table.batchId} IS NULL`),
  ],
);

/** Nonces of signed requests, each usable once per key and kind (read, tracker, upload). */
export const requestNonce = pgTable(
  "request_nonce",
  {
    key: bytes("key").notNull(),
    kind: text("kind").notNull(),
    nonce: uint256("nonce").notNull(),
    usedAt: seconds("used_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.key, table.kind, table.nonce] })],
);

/** Batches of access-log entries and the Merkle tree whose root AccessLog anchors. */
export const anchorBatch = pgTable("anchor_batch", {
  batchId: bigint("batch_id", { mode: "bigint" }).primaryKey(),
  root: bytes("root").notNull(),
  firstSeq: bigint("first_seq", { mode: "bigint" }).notNull(),
  count: integer("count").notNull(),
  firstAt: seconds("first_at").notNull(),
  lastAt: seconds("last_at").notNull(),
  /** StandardMerkleTree.dump(). */
  tree: jsonb("tree").notNull(),
  /** built, sent, anchored. */
  status: text("status").notNull(),
  txHash: bytes("tx_hash"),
  blockNumber: bigint("block_number", { mode: "bigint" }),
});
