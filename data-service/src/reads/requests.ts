/**
 * The signed requests of the gated routes: a read (`ReadRequest`) and a subject's query of his access log
 * (`AccessQuery`), typed data in the `GovChainData` EIP-712 domain whose verifying contract is the AccessLog. The
 * request bodies are validated here (400); the signer is recovered from the signature (401 when it cannot be).
 */
import { z } from "@hono/zod-openapi";
import { hashDomain, type Address, type Hex } from "viem";

import { Bytes32, Uint } from "../api/schemas";
import { keccak } from "./keccak";
import { recoverOrUndefined } from "./signer";

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
export type DataDomain = { name: string; version: string; chainId: number; verifyingContract: Address };

export function dataDomain(chainId: number, accessLog: Address): DataDomain {
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
    // Postgres keeps no NUL in text: refused here (a 400), as the log could not hold it
    purposeText: z
      .string()
      .min(1)
      .max(500)
      .refine((text) => !text.includes("\u0000"), "no NUL character"),
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

type WordTypes = readonly { name: string; type: "bytes32" | "uint256" }[];

/**
 * EIP-712 digests of requests whose fields are all one word (bytes32, uint256): the type hash and the domain's
 * separator computed once, then two keccaks per request. viem's `hashTypedData`, which encodes any type, costs about
 * a millisecond of CPU per request here, as much as the signature's recovery; a test holds this one equal to it.
 */
export class RequestDigests {
  /** "\x19\x01" ‖ the domain's separator: the first 34 bytes of every digest's preimage. */
  private readonly prefix: Buffer;
  private readonly typeHashes = new Map<string, Buffer>();

  constructor(domain: DataDomain) {
    const separator = hashDomain({
      domain: { ...domain, chainId: BigInt(domain.chainId) },
      types: {
        EIP712Domain: [
          { name: "name", type: "string" },
          { name: "version", type: "string" },
          { name: "chainId", type: "uint256" },
          { name: "verifyingContract", type: "address" },
        ],
      },
    });
    this.prefix = Buffer.concat([Buffer.from([0x19, 0x01]), Buffer.from(separator.slice(2), "hex")]);
  }

  digest(primaryType: string, fields: WordTypes, message: Record<string, Hex | bigint>): Hex {
    let typeHash = this.typeHashes.get(primaryType);
    if (!typeHash) {
      typeHash = keccak(Buffer.from(`${primaryType}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`));
      this.typeHashes.set(primaryType, typeHash);
    }
    const struct = Buffer.alloc(32 * (fields.length + 1));
    typeHash.copy(struct, 0);
    fields.forEach(({ name }, i) => writeWord(struct, 32 * (i + 1), message[name]));
    return `0x${keccak(this.prefix, keccak(struct)).toString("hex")}`;
  }
}

/** A field as its 32-byte word at `offset`: a bytes32 as it is, a uint256 in big-endian (refused past 2^256 - 1). */
function writeWord(into: Buffer, offset: number, value: Hex | bigint): void {
  if (typeof value !== "bigint") {
    if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new RangeError(`${value} is not a bytes32`);
    into.write(value.slice(2), offset, 32, "hex");
    return;
  }
  if (value < 0n || value >= 2n ** 256n) throw new RangeError(`${value} is not a uint256`);
  into.write(value.toString(16).padStart(64, "0"), offset, 32, "hex");
}

/** The digest a reader signed (it holds his nonce: kept in the log entry) and the key that signed it, if any. */
export async function recoverRead(digests: RequestDigests, body: ReadBody) {
  const digest = digests.digest("ReadRequest", READ_TYPES.ReadRequest, readMessage(body.request));
  return { digest, signer: await recoverOrUndefined(digest, body.signature as Hex) };
}

export async function recoverQuery(digests: RequestDigests, body: TrackerBody) {
  const digest = digests.digest("AccessQuery", QUERY_TYPES.AccessQuery, queryMessage(body.query));
  return { digest, signer: await recoverOrUndefined(digest, body.signature as Hex) };
}
