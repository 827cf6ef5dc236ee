/**
 * The signed requests of the gated routes: a read (`ReadRequest`) and a subject's query of his access log
 * (`AccessQuery`), typed data in the `GovChainData` EIP-712 domain whose verifying contract is the AccessLog. The
 * request bodies are validated here (400); the signer is recovered from the signature (401 when it cannot be).
 */
import { z } from "@hono/zod-openapi";
import { hashTypedData, recoverAddress, type Address, type Hex, type TypedDataDomain } from "viem";

import { Bytes32, Uint } from "../api/schemas";

/** The EIP-712 types, as AccessLog's `hashReadRequest` and `hashAccessQuery` hash them. */
export const READ_TYPES = {
  ReadRequest: [
    { name: "registerId", type: "bytes32" },
    { name: "subject", type: "uint256" },
    { name: "purpose", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

export const QUERY_TYPES = {
  AccessQuery: [
    { name: "subject", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

/** The domain of the reads: the AccessLog's, on this chain. */
export function dataDomain(chainId: number, accessLog: Address): TypedDataDomain {
  return { name: "GovChainData", version: "1", chainId, verifyingContract: accessLog };
}

export const Signature = z.string().regex(/^0x[0-9a-fA-F]{130}$/, "a 65-byte signature in hex");

export const ReadBody = z
  .object({
    request: z.object({
      registerId: Bytes32.openapi({ description: "the register; zero for the subject's personal data" }),
      subject: Uint,
      purpose: Bytes32.openapi({ description: "keccak256 of purposeText" }),
      nonce: Uint,
      deadline: Uint.openapi({ description: "unix seconds; the request is refused after it" }),
    }),
    purposeText: z.string().min(1).max(500),
    signature: Signature,
  })
  .openapi("ReadRequest");
export type ReadBody = z.infer<typeof ReadBody>;

export const TrackerBody = z
  .object({
    query: z.object({ subject: Uint, nonce: Uint, deadline: Uint }),
    signature: Signature,
  })
  .openapi("AccessQuery");
export type TrackerBody = z.infer<typeof TrackerBody>;

/** A read request as typed data (whole numbers as bigints). */
export const readMessage = (r: ReadBody["request"]) => ({
  registerId: r.registerId as Hex,
  subject: BigInt(r.subject),
  purpose: r.purpose as Hex,
  nonce: BigInt(r.nonce),
  deadline: BigInt(r.deadline),
});

export const queryMessage = (q: TrackerBody["query"]) => ({
  subject: BigInt(q.subject),
  nonce: BigInt(q.nonce),
  deadline: BigInt(q.deadline),
});

/** The digest a reader signed (it holds his nonce: kept in the log entry) and the key that signed it, if any. */
export async function recoverRead(domain: TypedDataDomain, body: ReadBody) {
  const digest = hashTypedData({
    domain,
    types: READ_TYPES,
    primaryType: "ReadRequest",
    message: readMessage(body.request),
  });
  return { digest, signer: await recoverOrUndefined(digest, body.signature as Hex) };
}

export async function recoverQuery(domain: TypedDataDomain, body: TrackerBody) {
  const digest = hashTypedData({
    domain,
    types: QUERY_TYPES,
    primaryType: "AccessQuery",
    message: queryMessage(body.query),
  });
  return { digest, signer: await recoverOrUndefined(digest, body.signature as Hex) };
}

/**
 * The key that signed `digest` (hashed once: the digest is also the log entry's). A signature that recovers no key
 * (a bad `v`, `r` or `s`) is a bad signature, not a server error.
 */
export async function recoverOrUndefined(digest: Hex, signature: Hex): Promise<Address | undefined> {
  try {
    return await recoverAddress({ hash: digest, signature });
  } catch {
    return undefined;
  }
}
