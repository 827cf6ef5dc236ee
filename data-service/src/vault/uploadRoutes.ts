/**
 * `POST /vault/uploads`: a signed upload into the vault, checked against the chain at the latest block. Admitted as
 * the gated reads are (the per-IP and per-key limits, the deadline, the signature: `admit`), and logged the same way
 * (one structured line, never the content). Answers 200 (stored, or already held), 400 bad input or content that does
 * not match the chain, 401 a signature that recovers no key, 403 not allowed under law (SmartLaw's reason), 404 no
 * such record or identity, 429 over the rate limit.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { keccak256, type Hex } from "viem";

import { ErrorBody, Uint } from "../api/schemas";
import { Signature } from "../reads/requests";
import { admit, json, problem, requestLog } from "../reads/routes";
import { sharedReadService } from "../reads/service";
import { loadDeployments } from "../deployments";
import { NonceUsedError } from "./errors";
import {
  UPLOAD_KINDS,
  UploadChain,
  UploadRefused,
  checkUpload,
  recoverUpload,
  storeUpload,
  targetProblem,
} from "./uploads";

/** Uploads of at most 8 MiB (their base64 text a third longer). */
const MAX_CONTENT = Math.ceil((8 * 1024 * 1024 * 4) / 3) + 4;

export const UploadBody = z
  .object({
    kind: z.enum(UPLOAD_KINDS),
    target: z
      .string()
      .min(1)
      .max(78)
      .openapi({ description: "a record's uid (DOCUMENT, RECORD_PRIVATE), else an identity's id" }),
    content: z
      .string()
      .max(MAX_CONTENT)
      .base64()
      .openapi({ description: "the content in base64; keccak256 of its bytes is signed" }),
    mediaType: z.string().min(1).max(100).optional().openapi({ description: "a document's media type" }),
    nonce: Uint,
    deadline: Uint.openapi({ description: "unix seconds; the upload is refused after it" }),
    signature: Signature,
  })
  .openapi("Upload");

const Uploaded = z
  .object({
    kind: z.enum(UPLOAD_KINDS),
    target: z.string(),
    contentHash: z.string(),
    stored: z.boolean(),
    uploadedBy: Uint,
  })
  .openapi("Uploaded");

/** The chain as uploads are checked against it, built once beside the gated reads' service. */
async function uploadChain(): Promise<UploadChain> {
  const holder = globalThis as { govchainUploads?: UploadChain };
  const service = await sharedReadService();
  holder.govchainUploads ??= new UploadChain(
    service.chain,
    loadDeployments(process.env.GOVCHAIN_NETWORK ?? "localhost"),
  );
  return holder.govchainUploads;
}

export function registerUploadRoutes(app: OpenAPIHono) {
  app.openapi(
    createRoute({
      method: "post",
      path: "/vault/uploads",
      summary:
        "Upload a record's document or private fields, or an identity's personal data: kept when it matches the chain and the signer may write it",
      request: { body: { required: true, content: { "application/json": { schema: UploadBody } } } },
      responses: {
        200: json(Uploaded, "kept (stored false: the vault held it already)"),
        400: json(ErrorBody, "bad input, an expired upload, a used nonce, or content that does not match the chain"),
        401: json(ErrorBody, "the signature recovers no key"),
        403: json(ErrorBody, "the signer may not write that record or identity: SmartLaw's reason"),
        404: json(ErrorBody, "no such record or identity"),
        429: json(ErrorBody, "over the rate limit; Retry-After says when to try again"),
      },
    }),
    async (c) => {
      const { line, done } = requestLog("POST /vault/uploads");
      const body = c.req.valid("json");
      const wrongTarget = targetProblem(body.kind, body.target);
      if (wrongTarget) {
        done(400);
        return c.json({ error: wrongTarget }, 400);
      }
      const service = await sharedReadService();
      const upload = {
        kind: body.kind,
        target: body.target,
        content: Buffer.from(body.content, "base64"),
        nonce: BigInt(body.nonce),
        deadline: BigInt(body.deadline),
      };
      // an upload follows its record's transaction at once: checked at the node's latest block, never a recent one
      const admitted = await admit(
        service,
        c,
        body.deadline,
        () => recoverUpload(service.domain, upload, body.signature as Hex),
        undefined,
        true,
      );
      if ("status" in admitted) {
        done(admitted.status);
        return problem(c, admitted);
      }
      line.signer = admitted.signer;
      try {
        const chain = await uploadChain();
        const accepted = await checkUpload(
          chain,
          { ...upload, mediaType: body.mediaType },
          admitted.signer,
          admitted.block.number,
        );
        const stored = await storeUpload(service.vault.db, service.keyring, accepted, upload, {
          signer: admitted.signer,
          digest: admitted.digest,
          at: admitted.now,
        });
        done(200);
        return c.json(
          {
            kind: body.kind,
            target: body.target,
            contentHash: keccak256(upload.content),
            stored,
            uploadedBy: accepted.uploader.toString(),
          },
          200,
        );
      } catch (error) {
        if (error instanceof UploadRefused) {
          line.outcome = "refused";
          done(error.status);
          return c.json({ error: error.message }, error.status);
        }
        if (!(error instanceof NonceUsedError)) throw error;
        done(400);
        return c.json({ error: error.message }, 400);
      }
    },
  );
}
