/**
 * Signed uploads into the vault: a document behind a record's document hash, a record's private fields with their
 * salt, an identity's personal data. Each is accepted only when it matches the chain at the latest block (the hash
 * or commitment the chain holds) and when its signer may write what it belongs to (SmartLaw's `authorizeAt`, or the
 * key that wrote the record, or the person himself for his own data). An application's data is not taken yet: the
 * ServiceDesk's event still carries it in clear, so there is no hash on chain to check it against.
 *
 * The order of the answers: 404 (no such record or identity), 403 (the signer may not write it: SmartLaw's reason),
 * 400 (the content does not match the chain); then, in one transaction, the nonce used and the blob stored. The same
 * content again is a no-op: whatever matches a row's hash or commitment is that row's content.
 */
import canonicalize from "canonicalize";
import { eq } from "drizzle-orm";
import { AbiCoder } from "ethers";
import {
  concat,
  decodeAbiParameters,
  hashTypedData,
  keccak256,
  parseAbi,
  parseAbiItem,
  stringToHex,
  toFunctionSelector,
  toHex,
  type Address,
  type Hex,
  type TypedDataDomain,
} from "viem";

import {
  clearForm,
  decodeOnChain,
  hasPrivateFields,
  onChainForm,
  privateHash,
  privatePart,
  readSchema,
} from "../../../scripts/lib/registry/schema";
import type { Deployments } from "../deployments";
import type { ReadChain } from "../reads/chain";
import { recoverOrUndefined } from "../reads/signer";
import { BLOB_TABLES, storeBlob, type BlobMeta } from "./blobs";
import type { Keyring } from "./crypto";
import type { VaultDb } from "./db";
import { NonceUsedError } from "./errors";
import { requestNonce } from "./schema";

/** What may be uploaded (APPLICATION waits for the ServiceDesk to emit a hash of the data instead of the data). */
export const UPLOAD_KINDS = ["DOCUMENT", "RECORD_PRIVATE", "IDENTITY_DATA"] as const;
export type UploadKind = (typeof UPLOAD_KINDS)[number];

/** The EIP-712 type, as AccessLog's `hashUpload` hashes it. */
export const UPLOAD_TYPES = {
  Upload: [
    { name: "kind", type: "bytes32" },
    { name: "target", type: "bytes32" },
    { name: "contentHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export interface UploadRequest {
  kind: UploadKind;
  /** A record's uid (32 bytes in hex), or an identity's id (decimal). */
  target: string;
  content: Buffer;
  nonce: bigint;
  deadline: bigint;
}

/** What is wrong with an upload's target for its kind (checked before its signature is), if anything. */
export function targetProblem(kind: UploadKind, target: string): string | undefined {
  if (kind === "IDENTITY_DATA")
    return /^[0-9]{1,78}$/.test(target) && BigInt(target) < 2n ** 256n
      ? undefined
      : "target: an identity's id, in decimal";
  return /^0x[0-9a-fA-F]{64}$/.test(target) ? undefined : "target: a record's uid, 32 bytes in hex";
}

/** An upload's typed data: the kind as its text in 32 bytes, the identity id as a uint256 in 32 bytes. */
export function uploadMessage(u: UploadRequest) {
  return {
    kind: stringToHex(u.kind, { size: 32 }),
    target: u.kind === "IDENTITY_DATA" ? toHex(BigInt(u.target), { size: 32 }) : (u.target.toLowerCase() as Hex),
    contentHash: keccak256(u.content),
    nonce: u.nonce,
    deadline: u.deadline,
  };
}

/** The digest the uploader signed and the key that signed it, if the signature recovers one. */
export async function recoverUpload(domain: TypedDataDomain, u: UploadRequest, signature: Hex) {
  const digest = hashTypedData({ domain, types: UPLOAD_TYPES, primaryType: "Upload", message: uploadMessage(u) });
  return { digest, signer: await recoverOrUndefined(digest, signature) };
}

/** An upload refused, with its HTTP answer. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

const CIVIL_REGISTRY = parseAbi([
  "struct Record { bytes32 uid; bytes32 registerId; uint256 subject; uint32 version; uint8 status; bytes32 dataHash; uint256 official; address key; bytes32 lawId; uint64 recordedAt; }",
  "struct Register { uint32 number; bytes32 lawId; string name; string schema; uint8 words; bool dynamic; uint8 subjectKind; }",
  "function getRecord(bytes32 uid) view returns (Record)",
  "function register(bytes32 registerId) view returns (Register)",
]);
const RECORD_ADDED = parseAbiItem(
  "event RecordAdded(bytes32 indexed uid, bytes32 indexed registerId, uint256 indexed subject, uint256 official, address key, bytes32 lawId, bytes data)",
);
const IDENTITY_REGISTRY = parseAbi([
  "struct Identity { uint8 kind; uint8 status; uint64 enrolledAt; bytes32 jurisdiction; bytes32 attributesHash; }",
  "function identity(uint256 identityId) view returns (Identity)",
  "function subjectOf(uint256 identityId) view returns (uint8 kind, bytes32 jurisdiction)",
  "function identityOf(address key) view returns (uint256)",
  "function activeIdentityOf(address key) view returns (uint256)",
]);
const SMART_LAW = parseAbi([
  "function authorizeAt(address target, address caller, bytes4 selector, bytes32 resource, bytes32 subjectJurisdiction) view returns (bytes32)",
]);
/** The writes that make an official competent for a record's data: writing it, or amending it. */
const RECORD = toFunctionSelector("record(bytes32,uint256,bytes)");
const AMEND = toFunctionSelector("amend(bytes32,bytes,string)");
const ENROLL = toFunctionSelector("enroll(uint8,bytes32,bytes32,address)");
const ZERO32: Hex = `0x${"0".repeat(64)}`;

/** The chain as an upload is checked against it, all at one block. */
export class UploadChain {
  private readonly recordsFrom: bigint;

  constructor(
    private readonly chain: ReadChain,
    deployments: Deployments,
  ) {
    const civil = deployments.contracts.find((c) => c.name === "CivilRegistry");
    this.recordsFrom = BigInt(civil?.startBlock ?? 0);
  }

  /** The record and its data as RecordAdded carried them; 404 for a uid the registry does not know. */
  async record(uid: Hex, blockNumber: bigint) {
    const client = this.chain.client;
    const record = await client
      .readContract({
        address: this.chain.civilRegistry,
        abi: CIVIL_REGISTRY,
        functionName: "getRecord",
        args: [uid],
        blockNumber,
      })
      .catch((error: unknown) => {
        throw this.chain.refusalOf(error).reason.startsWith("CivilRegistryUnknownRecord")
          ? new UploadRefused(404, `no record ${uid}`)
          : error;
      });
    const [logs, register] = await Promise.all([
      client.getLogs({
        address: this.chain.civilRegistry,
        event: RECORD_ADDED,
        args: { uid },
        fromBlock: this.recordsFrom,
        toBlock: blockNumber,
      }),
      client.readContract({
        address: this.chain.civilRegistry,
        abi: CIVIL_REGISTRY,
        functionName: "register",
        args: [record.registerId],
        blockNumber,
      }),
    ]);
    const data = logs.map((l) => l.args.data!).find((d) => keccak256(d) === record.dataHash);
    if (data === undefined)
      throw new Error(`the node gave no RecordAdded for record ${uid} of hash ${record.dataHash}`);
    return { record, data, schema: register.schema };
  }

  /** An identity's record; 404 for one never enrolled. */
  async identity(id: bigint, blockNumber: bigint) {
    const identity = await this.chain.client.readContract({
      address: this.chain.identityRegistry,
      abi: IDENTITY_REGISTRY,
      functionName: "identity",
      args: [id],
      blockNumber,
    });
    if (identity.kind === 0) throw new UploadRefused(404, `no identity ${id}`);
    return identity;
  }

  async jurisdictionOf(subject: bigint, blockNumber: bigint): Promise<Hex> {
    const [, jurisdiction] = await this.chain.client.readContract({
      address: this.chain.identityRegistry,
      abi: IDENTITY_REGISTRY,
      functionName: "subjectOf",
      args: [subject],
      blockNumber,
    });
    return jurisdiction;
  }

  identityOf(key: Address, blockNumber: bigint, active = false): Promise<bigint> {
    return this.chain.client.readContract({
      address: this.chain.identityRegistry,
      abi: IDENTITY_REGISTRY,
      functionName: active ? "activeIdentityOf" : "identityOf",
      args: [key],
      blockNumber,
    });
  }

  /**
   * Whether SmartLaw lets `caller` make one of `selectors` on `target` for that resource and jurisdiction: undefined
   * when it does, else the first refusal, decoded (the 403's reason).
   */
  async refusalOfWrite(
    target: Address,
    caller: Address,
    selectors: Hex[],
    resource: Hex,
    jurisdiction: Hex,
    blockNumber: bigint,
  ): Promise<string | undefined> {
    let first: string | undefined;
    for (const selector of selectors) {
      try {
        await this.chain.client.readContract({
          address: this.chain.smartLaw,
          abi: SMART_LAW,
          functionName: "authorizeAt",
          args: [target, caller, selector, resource, jurisdiction],
          blockNumber,
        });
        return undefined;
      } catch (error) {
        first ??= this.chain.refusalOf(error).reason;
      }
    }
    return first;
  }

  get civilRegistry() {
    return this.chain.civilRegistry;
  }
  get identityRegistry() {
    return this.chain.identityRegistry;
  }
}

/** What the vault keeps of an accepted upload: its row, and who signed it. */
export interface Accepted {
  meta: BlobMeta;
  uploader: bigint;
}

/** Checks an upload against the chain at `block`: 404, 403 or 400 as {UploadRefused}, else the row to store. */
export async function checkUpload(
  chain: UploadChain,
  u: UploadRequest & { mediaType?: string },
  signer: Address,
  block: bigint,
): Promise<Accepted> {
  if (u.kind === "IDENTITY_DATA") return checkIdentityData(chain, u, signer, block);
  const uid = u.target.toLowerCase() as Hex;
  const { record, data, schema: schemaText } = await chain.record(uid, block);
  if (record.key.toLowerCase() !== signer.toLowerCase()) {
    const jurisdiction = await chain.jurisdictionOf(record.subject, block);
    const refusal = await chain.refusalOfWrite(
      chain.civilRegistry,
      signer,
      [RECORD, AMEND],
      record.registerId,
      jurisdiction,
      block,
    );
    if (refusal) throw new UploadRefused(403, refusal);
  }
  const schema = readSchema(schemaText);
  const uploader = await chain.identityOf(signer, block);
  if (u.kind === "DOCUMENT") {
    const documentHash = decodeOnChain(schema, data).values.documentHash;
    if (typeof documentHash !== "string")
      throw new UploadRefused(400, `record ${uid}'s register keeps no documentHash field on chain`);
    if (keccak256(u.content) !== documentHash.toLowerCase())
      throw new UploadRefused(400, `content does not match record ${uid} (documentHash)`);
    const hash = Buffer.from(documentHash.slice(2), "hex");
    const mediaType = u.mediaType ?? "application/octet-stream";
    return { meta: { kind: "document", hash, recordUid: bytes(uid), mediaType }, uploader };
  }
  if (!hasPrivateFields(schema)) throw new UploadRefused(400, `record ${uid}'s register has no private fields`);
  checkOpening(schema, uid, data, toHex(u.content));
  return {
    meta: { kind: "record_private", uid: bytes(uid), registerId: bytes(record.registerId), subject: record.subject },
    uploader,
  };
}

/**
 * A record's private content, `abi.encode(bytes clear, bytes32 salt)`: the clear form must be the schema's canonical
 * encoding, its private part and salt must hash to the record's private hash, and its public fields must be the
 * record's (then its on-chain form is the record's data).
 */
function checkOpening(schema: ReturnType<typeof readSchema>, uid: Hex, onChain: Hex, content: Hex) {
  let clear: Hex;
  let salt: Hex;
  let canonical: string;
  try {
    [clear, salt] = decodeAbiParameters([{ type: "bytes" }, { type: "bytes32" }], content);
    canonical = clearForm(schema, [...AbiCoder.defaultAbiCoder().decode(schema.fields, clear)]);
  } catch {
    throw new UploadRefused(400, "content: not abi.encode(bytes clear, bytes32 salt) with a clear form of the schema");
  }
  if (canonical !== clear)
    throw new UploadRefused(400, "content: the clear form is not the schema's canonical encoding");
  if (privateHash(privatePart(schema, clear), salt) !== decodeOnChain(schema, onChain).privateHash)
    throw new UploadRefused(400, `content does not match record ${uid} (privateHash)`);
  if (onChainForm(schema, clear, salt) !== onChain)
    throw new UploadRefused(400, `content does not match record ${uid} (public fields)`);
}

/**
 * An identity's personal data, the UTF-8 JSON `{ "attributes": {…}, "salt": "0x…" }`: the salt and the attributes'
 * canonical JSON (RFC 8785) must hash to the identity's attributes hash, as the enrolment committed them.
 */
async function checkIdentityData(
  chain: UploadChain,
  u: UploadRequest,
  signer: Address,
  block: bigint,
): Promise<Accepted> {
  const id = BigInt(u.target);
  const identity = await chain.identity(id, block);
  if ((await chain.identityOf(signer, block, true)) !== id) {
    const refusal = await chain.refusalOfWrite(
      chain.identityRegistry,
      signer,
      [ENROLL],
      ZERO32,
      identity.jurisdiction,
      block,
    );
    if (refusal) throw new UploadRefused(403, refusal);
  }
  const { attributes, salt } = personalData(u.content);
  const canonical = canonicalize(attributes);
  if (canonical === undefined || keccak256(concat([salt, stringToHex(canonical)])) !== identity.attributesHash)
    throw new UploadRefused(400, `content does not match identity ${id} (attributesHash)`);
  return {
    meta: { kind: "identity_data", identityId: id, attributesHash: bytes(identity.attributesHash) },
    uploader: await chain.identityOf(signer, block),
  };
}

function personalData(content: Buffer): { attributes: Record<string, unknown>; salt: Hex } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.toString("utf8"));
  } catch {
    parsed = undefined;
  }
  const { attributes, salt } = (parsed ?? {}) as { attributes?: unknown; salt?: unknown };
  if (
    typeof attributes !== "object" ||
    attributes === null ||
    typeof salt !== "string" ||
    !/^0x[0-9a-fA-F]{64}$/.test(salt)
  )
    throw new UploadRefused(400, 'content: the JSON { "attributes": {…}, "salt": "0x…" (32 bytes) }');
  return { attributes: attributes as Record<string, unknown>, salt: salt as Hex };
}

/** Whether the vault already holds the row an upload would fill. */
async function holds(db: VaultDb, meta: BlobMeta): Promise<boolean> {
  const key =
    meta.kind === "document"
      ? meta.hash
      : meta.kind === "record_private"
        ? meta.uid
        : meta.kind === "identity_data"
          ? meta.identityId.toString()
          : meta.applicationId.toString();
  const { table, key: column } = BLOB_TABLES[meta.kind];
  const found = await db
    .select({ key: column })
    .from(table as typeof BLOB_TABLES.document.table)
    .where(eq(column as typeof BLOB_TABLES.document.key, key as Buffer))
    .limit(1);
  return found.length > 0;
}

/**
 * Stores an accepted upload, its nonce used in the same transaction (a used nonce stores nothing). The same content
 * again stores nothing and uses no nonce: a client may repeat an upload whose answer it lost. Returns whether stored.
 */
export async function storeUpload(
  db: VaultDb,
  keyring: Keyring,
  accepted: Accepted,
  u: UploadRequest,
  signed: { signer: Address; digest: Hex; at: bigint },
): Promise<boolean> {
  if (await holds(db, accepted.meta)) return false;
  const key = bytes(signed.signer);
  return db.transaction(async (tx) => {
    const used = await tx
      .insert(requestNonce)
      .values({ key, kind: "upload", nonce: u.nonce.toString(), usedAt: signed.at })
      .onConflictDoNothing()
      .returning({ key: requestNonce.key });
    if (used.length === 0) throw new NonceUsedError(signed.signer, "upload", u.nonce);
    const upload = { by: accepted.uploader, key, digest: bytes(signed.digest), at: signed.at };
    return storeBlob(tx, keyring, accepted.meta, u.content, upload);
  });
}

const bytes = (value: Hex) => Buffer.from(value.slice(2), "hex");
