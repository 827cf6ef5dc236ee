/**
 * The registers' data service as its users call it: a read of a register's record under law, signed by the
 * reader's key (`ReadRequest`), and a person's data tracker, signed by a live key of his (`AccessQuery`), both
 * typed data in the AccessLog's EIP-712 domain; and an anchored log entry verified on chain, against the root the
 * service anchored, by `AccessLog.verifyEntry`, so that nobody need trust the service's word for it.
 */
import { randomBytes } from "node:crypto";
import { AbiCoder, ZeroHash, hexlify, keccak256, toUtf8Bytes, type Signer, type TypedDataDomain } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { AccessLog } from "../../../typechain-types";
import { textId } from "../common/ids";
import { decodeOnChainRecord, decodeRecord } from "../registry/registry";
import { clearForm, hasPrivateFields, onChainForm, type RecordSchema } from "../registry/schema";

/** The typed data of a read and of a tracker query, as AccessLog's `hashReadRequest`/`hashAccessQuery` hash them. */
export const READ_REQUEST = {
  ReadRequest: [
    { name: "registerId", type: "bytes32" },
    { name: "subject", type: "uint256" },
    { name: "purpose", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};
export const ACCESS_QUERY = {
  AccessQuery: [
    { name: "subject", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** How long a signed request stays valid: long enough for a slow network, short enough that a leaked one expires. */
const VALID_FOR_SECONDS = 600;

export interface DataService {
  url: string;
  accessLog: AccessLog;
  domain: TypedDataDomain;
}

/** The data service at `url` (GOVCHAIN_DATA_URL by default) for the network's AccessLog. */
export async function dataService(hre: HardhatRuntimeEnvironment, url = process.env.GOVCHAIN_DATA_URL) {
  if (!url)
    throw new Error(
      "no data service: set GOVCHAIN_DATA_URL to its address (`npm run stack` starts one at http://127.0.0.1:42069)",
    );
  const deployment = await hre.deployments.getOrNull("AccessLog");
  if (!deployment) throw new Error(`AccessLog is not deployed on network "${hre.network.name}"`);
  const accessLog = (await hre.ethers.getContractAt("AccessLog", deployment.address)) as unknown as AccessLog;
  const domain = await accessLog.eip712Domain();
  return {
    url: url.replace(/\/+$/, ""),
    accessLog,
    domain: {
      name: domain.name,
      version: domain.version,
      chainId: domain.chainId,
      verifyingContract: domain.verifyingContract,
    },
  } satisfies DataService;
}

export interface Answer<T> {
  status: number;
  body: T;
}

export interface ReadAnswer {
  entryId: string;
  block: string;
  law: string;
  role: string;
  registerId: string;
  subject: string;
  uid: string | null;
  data: string | null;
  private: string | null;
  documents: { hash: string; mediaType: string; content: string }[];
  personalData: string | null;
}

export interface Refusal {
  error: string;
  entryId?: string;
}

/**
 * Reads `register`'s current record of `subject` (the subject's personal data when `register` is undefined) for
 * `purpose`, signed by `reader`. The service logs the read, or its refusal, before it answers.
 */
export async function readRecord(
  service: DataService,
  reader: Signer,
  request: { register?: string; subject: bigint; purpose: string },
): Promise<Answer<ReadAnswer | Refusal>> {
  const message = {
    registerId: request.register === undefined ? ZeroHash : textId(request.register),
    subject: request.subject,
    purpose: keccak256(toUtf8Bytes(request.purpose)),
    nonce: freshNonce(),
    deadline: await deadline(reader),
  };
  const signature = await reader.signTypedData(service.domain, READ_REQUEST, message);
  return post(service, "/reads", { request: decimal(message), purposeText: request.purpose, signature });
}

export interface TrackerEntry {
  entryId: string;
  at: string;
  outcome: "read" | "refused";
  refusal: string | null;
  reader: string;
  readerKey: string;
  role: string;
  department: string;
  law: string;
  registerId: string;
  recordUid: string;
  purpose: string;
  anchored: {
    batchId: string;
    seq: string;
    leaf: (string | number)[];
    proof: string[];
    root: string;
    anchorTx: string | null;
  } | null;
}

/** The reads of `subject`'s data that the law lets him see now, newest first, asked with a live key of his. */
export async function dataTracker(
  service: DataService,
  person: Signer,
  subject: bigint,
): Promise<Answer<{ subject: string; entries: TrackerEntry[] } | Refusal>> {
  const message = { subject, nonce: freshNonce(), deadline: await deadline(person) };
  const signature = await person.signTypedData(service.domain, ACCESS_QUERY, message);
  return post(service, "/tracker", { query: decimal(message), signature });
}

/**
 * Whether an anchored entry, as the tracker shows it, is what the AccessLog's root holds: the leaf's values are the
 * ones shown (a service cannot attach a genuine leaf to an entry it made up, or another person's), and its proof
 * leads to the anchored root. An entry not anchored yet is not verified.
 */
export async function verifiedOnChain(service: DataService, entry: TrackerEntry, subject: bigint): Promise<boolean> {
  if (!entry.anchored) return false;
  const { batchId, leaf, proof } = entry.anchored;
  if (!leafIsShown(entry, leaf, subject)) return false;
  return service.accessLog.verifyEntry(batchId, leaf as never, proof);
}

/** AccessLog.Entry's fields, in order (IAccessLog.sol), and their types: a leaf of the read log's tree. */
export const LEAF_FIELDS = [
  "seq",
  "at",
  "disclosedAt",
  "outcome",
  "reader",
  "key",
  "role",
  "department",
  "lawId",
  "registerId",
  "subject",
  "recordUid",
  "purpose",
  "requestDigest",
  "refusal",
] as const;
export const LEAF_TYPES = [
  "uint64",
  "uint64",
  "uint64",
  "uint8",
  "uint256",
  "address",
  "bytes32",
  "uint256",
  "bytes32",
  "bytes32",
  "uint256",
  "bytes32",
  "bytes32",
  "bytes32",
  "bytes4",
];
const OUTCOME = { read: 1n, refused: 2n };

/** Whether the leaf holds the values the entry shows, about `subject`. */
function leafIsShown(entry: TrackerEntry, values: (string | number)[], subject: bigint): boolean {
  if (values.length !== LEAF_FIELDS.length) return false;
  const leaf = Object.fromEntries(LEAF_FIELDS.map((field, i) => [field, String(values[i]).toLowerCase()]));
  const same = (a: string | bigint, b: string) => {
    try {
      return BigInt(a) === BigInt(b);
    } catch {
      return false;
    }
  };
  return (
    same(entry.at, leaf.at) &&
    same(OUTCOME[entry.outcome], leaf.outcome) &&
    same(entry.reader, leaf.reader) &&
    same(entry.readerKey, leaf.key) &&
    same(entry.department, leaf.department) &&
    same(entry.recordUid || 0n, leaf.recordUid) &&
    same(keccak256(toUtf8Bytes(entry.purpose)), leaf.purpose) &&
    (entry.outcome === "refused" || (same(entry.role, leaf.role) && same(entry.law, leaf.lawId))) &&
    same(entry.registerId || 0n, leaf.registerId) &&
    same(subject, leaf.subject)
  );
}

/**
 * The chain's word on a read's answer: it is about the register and subject `asked`, the record the service
 * returned is the subject's current record in that register, and its data is what the record's hash commits to. A
 * service that is wrong, or lies, is caught here.
 */
export async function checkReadAgainstChain(
  civilRegistry: {
    getRecord(uid: string): Promise<{ registerId: string; subject: bigint; dataHash: string }>;
    latest(register: string, subject: bigint): Promise<string>;
  },
  read: ReadAnswer,
  asked?: { registerId: string; subject: bigint },
): Promise<void> {
  if (
    asked &&
    (read.registerId.toLowerCase() !== asked.registerId.toLowerCase() || BigInt(read.subject) !== asked.subject)
  )
    throw new Error(
      `the data service answered about ${read.registerId} of identity ${read.subject}, ` +
        `not the ${asked.registerId} of identity ${asked.subject} asked`,
    );
  if (!read.uid || !read.data) return;
  const [record, latest] = await Promise.all([
    civilRegistry.getRecord(read.uid),
    civilRegistry.latest(read.registerId, BigInt(read.subject)),
  ]);
  if (record.registerId.toLowerCase() !== read.registerId.toLowerCase() || record.subject !== BigInt(read.subject))
    throw new Error(
      `the data service answered with record ${read.uid}, which is not of the register and subject asked`,
    );
  if (latest.toLowerCase() !== read.uid.toLowerCase())
    throw new Error(`the data service answered with record ${read.uid}; the subject's current record is ${latest}`);
  if (keccak256(read.data) !== record.dataHash)
    throw new Error(`the data service's data for record ${read.uid} do not match the hash the chain holds`);
}

/**
 * The record a read returned, every field readable: its public fields from its on-chain data, its private ones from
 * the private part the vault returned (`abi.encode(bytes clear, bytes32 salt)`), taken only when that clear form
 * and salt give the very on-chain data the read returned (its public fields and its salted private hash), as
 * {@link checkReadAgainstChain} checks that data against the chain. `private` is whether the private fields are
 * shown; a private part that does not match is refused, never shown.
 */
export function openReadRecord(
  layout: RecordSchema,
  read: ReadAnswer,
): { fields: Record<string, string>; private: boolean } {
  if (!read.uid || !read.data) throw new Error("the read returned no record");
  // a register without private fields has nothing to open: whatever the service sent beside it is not shown
  if (!read.private || !hasPrivateFields(layout))
    return { fields: decodeOnChainRecord(layout, read.data), private: false };
  let clear: string;
  let salt: string;
  try {
    const coder = AbiCoder.defaultAbiCoder();
    [clear, salt] = coder.decode(["bytes", "bytes32"], read.private) as unknown as [string, string];
    // canonical encodings only, as the vault took them: the same bytes as their values encoded again
    if (coder.encode(["bytes", "bytes32"], [clear, salt]) !== read.private.toLowerCase())
      throw new Error("not canonical");
    if (clearForm(layout, coder.decode(layout.fields, clear)) !== clear) throw new Error("not canonical");
    if (onChainForm(layout, clear, salt).toLowerCase() !== read.data.toLowerCase()) throw new Error("no match");
  } catch {
    throw new Error(
      `the data service's private part of record ${read.uid} does not open the record's commitment: not shown`,
    );
  }
  return { fields: decodeRecord(layout.fields, clear), private: true };
}

async function post<T>(service: DataService, path: string, body: unknown): Promise<Answer<T>> {
  let response: Response;
  try {
    response = await fetch(`${service.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new Error(`the data service at ${service.url} did not answer: ${(error as Error).message}`);
  }
  return { status: response.status, body: (await response.json()) as T };
}

/** A random 128-bit nonce: the service refuses a nonce it has seen from the same key. */
const freshNonce = () => BigInt(hexlify(randomBytes(16)));

/** A deadline some minutes past both this machine's clock and the chain's latest block. */
async function deadline(signer: Signer): Promise<bigint> {
  const block = await signer.provider?.getBlock("latest");
  const now = Math.max(Math.floor(Date.now() / 1000), block?.timestamp ?? 0);
  return BigInt(now + VALID_FOR_SECONDS);
}

/** Whole numbers as decimal strings, as the service's JSON takes them. */
const decimal = (message: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(message).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v]));
