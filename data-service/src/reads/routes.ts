/**
 * The gated routes: reads under law (`POST /reads`, log first, then reply), the data tracker (`POST /tracker`) and
 * the anchored batches (`GET /access-log/batches/{id}`). Answers: 400 bad input (an expired request, a used nonce),
 * 401 a signature that recovers no key or not the subject's, 403 not allowed under law with SmartLaw's reason (and
 * logged), 404 nothing to read (logged), 429 over the rate limit (not logged as a read).
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Address, Hex } from "viem";

import { hex } from "../anchor/leaf";
import { ErrorBody, Uint } from "../api/schemas";
import { logRefusal, logThenRead, type AccessEntry } from "./accessLog";
import { ReadChain, ZERO32, type ReadDecision } from "./chain";
import { personalData, recordData, type IndexedRecord } from "./data";
import { keccak } from "./keccak";
import { logRequest, type RequestLine } from "./logger";
import { ReadBody, TrackerBody, recoverQuery, recoverRead } from "./requests";
import { crashAt, sharedReadService, type ReadService } from "./service";
import { OUTCOMES, batchOf, trackerEntries } from "./tracker";
import { NonceUsedError } from "../vault/errors";
import { requestNonce } from "../vault/schema";

const bytes = (value: Hex) => Buffer.from(value.slice(2), "hex");
export const json = (schema: z.ZodType, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const Refused = z.object({ error: z.string(), entryId: Uint.optional() }).openapi("Refused");
const refusals = {
  400: json(ErrorBody, "bad input: the body, the purpose's hash, an expired request, a used nonce"),
  401: json(ErrorBody, "the signature recovers no key, or not one of the subject's"),
  403: json(Refused, "not allowed under law: SmartLaw's reason (logged as a refused attempt)"),
  404: json(Refused, "nothing to read (logged)"),
  429: json(ErrorBody, "over the rate limit; Retry-After says when to try again"),
};

const ReadAnswer = z
  .object({
    entryId: Uint,
    block: Uint,
    law: z.string(),
    role: z.string(),
    registerId: z.string(),
    subject: Uint,
    uid: z.string().nullable(),
    data: z.string().nullable(),
    private: z.string().nullable(),
    documents: z.array(z.object({ hash: z.string(), mediaType: z.string(), content: z.string() })),
    personalData: z.string().nullable(),
  })
  .openapi("Read");

const TrackerEntry = z
  .object({
    entryId: Uint,
    at: Uint,
    outcome: z.enum(["read", "refused"]),
    refusal: z.string().nullable(),
    reader: Uint,
    readerKey: z.string(),
    role: z.string(),
    department: Uint,
    law: z.string(),
    registerId: z.string(),
    recordUid: z.string(),
    purpose: z.string(),
    anchored: z
      .object({
        batchId: Uint,
        seq: Uint,
        leaf: z.array(z.union([z.string(), z.number()])),
        proof: z.array(z.string()),
        root: z.string(),
        anchorTx: z.string().nullable(),
      })
      .nullable(),
  })
  .openapi("AccessLogEntry");

const BatchAnswer = z
  .object({
    batchId: Uint,
    root: z.string(),
    firstSeq: Uint,
    count: z.number().int(),
    firstAt: Uint,
    lastAt: Uint,
    status: z.string(),
    anchorTx: z.string().nullable(),
    blockNumber: Uint.nullable(),
  })
  .openapi("AccessLogBatch");

/** A request's line in the structured log, finished and written once its answer is known. */
export function requestLog(route: string) {
  const started = performance.now();
  const line: Omit<RequestLine, "status" | "ms"> = { reqId: randomUUID(), route };
  return {
    line,
    done: (status: number) => logRequest({ ...line, status, ms: Math.round((performance.now() - started) * 10) / 10 }),
  };
}

/** The client's address as the socket gives it (the service binds 127.0.0.1; a proxy in front would set its own). */
const clientIp = (c: Context) =>
  (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket.remoteAddress ?? "unknown";

type Problem = { status: 400 | 401 | 429; error: string; retryAfter?: number };

/**
 * The checks before the chain is asked: the per-IP limit, the purpose's hash, the deadline, the signature, the key's
 * limit. `freshBlock`: the node is asked for its latest block whatever GOVCHAIN_BLOCK_MAX_AGE_MS allows.
 */
export async function admit(
  service: ReadService,
  c: Context,
  deadline: string,
  recover: () => Promise<{ digest: Hex; signer: Address | undefined }>,
  purpose?: { hash: string; text: string },
  freshBlock = false,
): Promise<Problem | { digest: Hex; signer: Address; now: bigint; block: { number: bigint; hash: Hex } }> {
  const ipWait = service.limits.perIp.take(clientIp(c));
  if (ipWait) return { status: 429, error: "too many requests from this address", retryAfter: ipWait };
  if (purpose && `0x${keccak(Buffer.from(purpose.text, "utf8")).toString("hex")}` !== purpose.hash.toLowerCase())
    return { status: 400, error: "request.purpose: not the keccak256 of purposeText" };
  const block = await service.chain.latestBlock(freshBlock);
  const now = ReadChain.timeAt(block);
  if (BigInt(deadline) < now) return { status: 400, error: `request expired at ${deadline} (now ${now})` };
  const { digest, signer } = await recover();
  if (!signer) return { status: 401, error: "the signature recovers no key" };
  const keyWait = service.limits.perKey.take(signer.toLowerCase());
  if (keyWait) return { status: 429, error: `too many requests from ${signer}`, retryAfter: keyWait };
  return { digest, signer, now, block: { number: block.number, hash: block.hash } };
}

export function problem(c: Context, p: Problem) {
  if (p.retryAfter) c.header("Retry-After", String(p.retryAfter));
  return c.json({ error: p.error }, p.status);
}

export function registerReadRoutes(app: OpenAPIHono, indexed: IndexedRecord) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/reads",
      summary:
        "Read a subject's record in a register (registerId zero: his personal data) under law: logged first, then answered",
      request: { body: { required: true, content: { "application/json": { schema: ReadBody } } } },
      responses: { 200: json(ReadAnswer, "the data, with the log entry of this read"), ...refusals },
    }),
    async (c) => {
      const { line, done } = requestLog("POST /reads");
      const body = c.req.valid("json");
      const service = await sharedReadService();
      const admitted = await admit(service, c, body.request.deadline, () => recoverRead(service.digests, body), {
        hash: body.request.purpose,
        text: body.purposeText,
      });
      if ("status" in admitted) {
        done(admitted.status);
        return problem(c, admitted);
      }
      line.signer = admitted.signer;
      const registerId = body.request.registerId.toLowerCase() as Hex;
      const subject = BigInt(body.request.subject);
      const asked = { key: admitted.signer, registerId, subject };
      const { decision, uid } = await service.chain.decide(asked, admitted.block.number);
      const entry = accessEntry(body, admitted, decision, uid);
      try {
        if (!decision.allowed) {
          const entryId = await logRefusal(service.logDb, entry, decision.refusal.reason);
          service.anchorer?.entryLogged();
          Object.assign(line, { entryId: entryId.toString(), outcome: "refused" });
          done(403);
          return c.json({ error: decision.refusal.reason, entryId: entryId.toString() }, 403);
        }
        const { entryId, data } = await logThenRead(service.logDb, entry, async () => {
          crashAt("after-log");
          if (registerId !== ZERO32)
            return uid === ZERO32 ? undefined : recordData(service.vault.db, service.keyring, indexed, uid);
          const personal = await personalData(service.vault.db, service.keyring, subject);
          return personal === undefined ? undefined : { data: null, private: null, documents: [], personal };
        });
        service.anchorer?.entryLogged();
        line.entryId = entryId.toString();
        if (data === undefined) {
          line.outcome = "not found";
          done(404);
          const what = registerId === ZERO32 ? "personal data in the vault" : "current record in that register";
          return c.json({ error: `subject ${subject} has no ${what}`, entryId: entryId.toString() }, 404);
        }
        line.outcome = "read";
        done(200);
        return c.json(
          {
            entryId: entryId.toString(),
            block: admitted.block.number.toString(),
            law: decision.lawId,
            role: decision.role,
            registerId,
            subject: subject.toString(),
            uid: registerId === ZERO32 ? null : uid,
            data: data.data,
            private: data.private,
            documents: data.documents,
            personalData: "personal" in data ? data.personal : null,
          },
          200,
        );
      } catch (error) {
        if (!(error instanceof NonceUsedError)) throw error;
        done(400);
        return c.json({ error: error.message }, 400);
      }
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/tracker",
      summary: "A person's data tracker: who read his data, when, under which law and why, with anchored proofs",
      request: {
        body: { required: true, content: { "application/json": { schema: TrackerBody } } },
        query: z.object({
          before: Uint.optional().openapi({ description: "entries older than this entry id (the next page)" }),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: json(z.object({ subject: Uint, entries: z.array(TrackerEntry) }), "the subject's access log"),
        ...refusals,
      },
    }),
    async (c) => {
      const { line, done } = requestLog("POST /tracker");
      const body = c.req.valid("json");
      const { before, limit } = c.req.valid("query");
      const service = await sharedReadService();
      const admitted = await admit(service, c, body.query.deadline, () => recoverQuery(service.digests, body));
      if ("status" in admitted) {
        done(admitted.status);
        return problem(c, admitted);
      }
      line.signer = admitted.signer;
      const subject = BigInt(body.query.subject);
      const identity = await service.chain.activeIdentityOf(admitted.signer, admitted.block.number);
      if (identity !== subject) {
        done(401);
        return c.json({ error: `${admitted.signer} is not a live key of identity ${subject}` }, 401);
      }
      try {
        await useNonce(service, admitted.signer, BigInt(body.query.nonce), admitted.now);
      } catch (error) {
        if (!(error instanceof NonceUsedError)) throw error;
        done(400);
        return c.json({ error: error.message }, 400);
      }
      const rows = await trackerEntries(service.vault.db, (r) => service.chain.refusalSelector(r), {
        subject,
        now: admitted.now,
        before: before === undefined ? undefined : BigInt(before),
        limit,
      });
      done(200);
      return c.json(
        {
          subject: subject.toString(),
          entries: rows.map(({ row, proof }) => ({
            entryId: row.id.toString(),
            at: row.at.toString(),
            outcome: OUTCOMES[row.outcome as 1 | 2],
            refusal: row.refusal,
            reader: row.reader,
            readerKey: hex(row.readerKey),
            role: hex(row.role),
            department: row.department,
            law: hex(row.lawId),
            registerId: hex(row.registerId),
            recordUid: hex(row.recordUid),
            purpose: row.purposeText,
            anchored: proof,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/access-log/batches/{id}",
      summary: "An anchored batch of the access log: its Merkle root, count, range and anchoring transaction",
      request: { params: z.object({ id: Uint }) },
      responses: { 200: json(BatchAnswer, "the batch"), 400: refusals[400], 404: json(ErrorBody, "no such batch") },
    }),
    async (c) => {
      const id = BigInt(c.req.valid("param").id);
      const batch = await batchOf((await sharedReadService()).vault.db, id);
      if (!batch) return c.json({ error: `no batch ${id}` }, 404);
      return c.json(
        {
          batchId: batch.batchId.toString(),
          root: hex(batch.root),
          firstSeq: batch.firstSeq.toString(),
          count: batch.count,
          firstAt: batch.firstAt.toString(),
          lastAt: batch.lastAt.toString(),
          status: batch.status,
          anchorTx: batch.txHash ? hex(batch.txHash) : null,
          blockNumber: batch.blockNumber === null ? null : batch.blockNumber.toString(),
        },
        200,
      );
    },
  );
}

/** The log entry of a read or refused attempt, as decided at the block (zeros where the chain granted nothing). */
function accessEntry(
  body: ReadBody,
  admitted: { digest: Hex; signer: Address; now: bigint; block: { number: bigint; hash: Hex } },
  decision: ReadDecision,
  uid: Hex,
): AccessEntry {
  const granted = decision.allowed ? decision : undefined;
  return {
    nonce: { key: bytes(admitted.signer), kind: "read", value: BigInt(body.request.nonce) },
    at: admitted.now,
    blockNumber: admitted.block.number,
    blockHash: bytes(admitted.block.hash),
    reader: decision.reader,
    role: bytes(granted?.role ?? ZERO32),
    department: granted?.department ?? 0n,
    lawId: bytes(granted?.lawId ?? ZERO32),
    registerId: bytes(body.request.registerId as Hex),
    subject: BigInt(body.request.subject),
    recordUid: bytes(granted ? uid : ZERO32),
    purpose: bytes(body.request.purpose as Hex),
    purposeText: body.purposeText,
    requestDigest: bytes(admitted.digest),
    disclosedAt: disclosedAt(admitted.now, granted?.covertPeriod ?? 0n),
  };
}

/** A tracker query's nonce, used once per key like a read's. */
async function useNonce(service: ReadService, key: Address, nonce: bigint, at: bigint) {
  const used = await service.vault.db
    .insert(requestNonce)
    .values({ key: bytes(key), kind: "tracker", nonce: nonce.toString(), usedAt: at })
    .onConflictDoNothing()
    .returning({ key: requestNonce.key });
  if (used.length === 0) throw new NonceUsedError(key, "tracker", nonce);
}

/**
 * When a read's subject may see it: `now`, or after the law's covert period. A period past any date (a law may set
 * one up to 2^64 - 1 s) hides the read for good, kept within the log's bigint column rather than refused.
 */
function disclosedAt(now: bigint, covertPeriod: bigint): bigint {
  const NEVER = (1n << 62n) - 1n;
  return now + covertPeriod > NEVER ? NEVER : now + covertPeriod;
}
