/**
 * The registers' data service as its users call it: a read of a register's record under law, signed by the
 * reader's key (`ReadRequest`), and a person's data tracker, signed by a live key of his (`AccessQuery`), both
 * typed data in the AccessLog's EIP-712 domain; and an anchored log entry verified on chain, against the root the
 * service anchored, by `AccessLog.verifyEntry`, so that nobody need trust the service's word for it.
 */
import { randomBytes } from "node:crypto";
import { ZeroHash, hexlify, keccak256, toUtf8Bytes, type Signer, type TypedDataDomain } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { AccessLog } from "../../../typechain-types";
import { textId } from "../common/ids";

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

/** Whether an anchored entry, as the tracker gives it, is in the batch whose root the AccessLog holds. */
export async function verifiedOnChain(service: DataService, entry: TrackerEntry): Promise<boolean> {
  if (!entry.anchored) return false;
  const { batchId, leaf, proof } = entry.anchored;
  return service.accessLog.verifyEntry(batchId, leaf as never, proof);
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
