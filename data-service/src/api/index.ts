/**
 * The query API over the index: a subject's records across registers, a record's versions, an application's
 * history, a department's referred applications, a law's versions, grants and parameters, an identity's keys and
 * officials, an account's token statement, and the raw events. JSON over HTTP; the OpenAPI document at
 * /openapi.json. Bad input is a 400, what the chain does not hold a 404.
 */
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gte, or, sql } from "ponder";
import { db } from "ponder:api";
import schema from "ponder:schema";
import { hexToString, stringToHex, toFunctionSelector, type AbiFunction, type Hex } from "viem";

import { loadDeployments } from "../deployments";
import { registerReadRoutes } from "../reads/routes";
import { sharedReadService } from "../reads/service";
import { logger } from "../reads/logger";
import { registerUploadRoutes } from "../vault/uploadRoutes";
import * as S from "./schemas";
import { treasuryRoutes } from "./treasury";

const app = new OpenAPIHono({
  // a request that does not match its schema is answered with the first problem, in one line
  defaultHook: (result, c) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      return c.json({ error: `${issue.path.join(".") || "request"}: ${issue.message}` }, 400);
    }
  },
});

const ZERO32 = `0x${"0".repeat(64)}`;
const RECORD_STATUS = ["none", "current", "superseded", "revoked"] as const;
const APPLICATION_STATUS = ["none", "submitted", "approved", "rejected", "referred"] as const;
const KIND = ["none", "person", "organisation"] as const;
const IDENTITY_STATUS = ["none", "active", "suspended", "deceased", "dissolved"] as const;
const SCOPE = ["any", "jurisdiction"] as const;

/** A bytes32 id from its text or its hex, as the tools take them. */
const toId = (value: string): Hex =>
  (/^0x[0-9a-fA-F]{64}$/.test(value) ? value.toLowerCase() : stringToHex(value, { size: 32 })) as Hex;

/** A bytes32 id with its text where it is printable text (a register, a law, a code), else empty. */
function named(id: Hex) {
  if (id === ZERO32) return { id, name: "" };
  try {
    const text = hexToString(id, { size: 32 });
    return { id, name: /^[\x20-\x7e]+$/.test(text) ? text : "" };
  } catch {
    return { id, name: "" };
  }
}

/** The reads a law grants, under pseudo-selectors that no contract has as functions (ISmartLaw.sol). */
const READS: Record<string, string> = {
  [toFunctionSelector("readRecord(bytes32,uint256)")]: "readRecord",
  [toFunctionSelector("readPersonalData(uint256)")]: "readPersonalData",
};
/** The deployment's contracts by address, with their functions by selector: what a grant names. */
const CONTRACTS = new Map(
  loadDeployments(process.env.GOVCHAIN_NETWORK ?? "localhost").contracts.map((c) => [
    c.address.toLowerCase(),
    {
      name: c.name,
      functions: new Map(
        c.abi
          .filter((item): item is AbiFunction => item.type === "function")
          .map((f) => [toFunctionSelector(f), f.name] as const),
      ),
    },
  ]),
);

/** What a grant allows: the contract, and the function or read by name (the selector when neither is known). */
function allowed(target: string, selector: string) {
  const contract = CONTRACTS.get(target.toLowerCase());
  const read = READS[selector];
  return {
    contract: contract?.name ?? "",
    function: read ?? contract?.functions.get(selector as Hex) ?? selector,
    read: read !== undefined,
  };
}

const text = (n: bigint | null) => (n === null ? null : n.toString());
const notFound = (what: string) => ({ error: `no ${what}` });
const errors = {
  400: { description: "bad input", content: { "application/json": { schema: S.ErrorBody } } },
  404: { description: "nothing such on chain", content: { "application/json": { schema: S.ErrorBody } } },
};
const ok = <T extends z.ZodType>(schemaOf: T, description: string) => ({
  200: { description, content: { "application/json": { schema: schemaOf } } },
  ...errors,
});

type RecordRow = typeof schema.record.$inferSelect;
const recordView = (r: RecordRow) => ({
  uid: r.uid,
  register: named(r.registerId),
  subject: r.subject.toString(),
  version: r.version,
  status: RECORD_STATUS[r.status] as "current" | "superseded" | "revoked",
  data: r.data,
  official: r.official.toString(),
  key: r.key,
  law: named(r.lawId),
  recordedAt: r.recordedAt.toString(),
  transactionHash: r.transactionHash,
  supersededBy: r.supersededBy,
  reason: r.reason,
});

type ApplicationRow = typeof schema.application.$inferSelect;
const applicationView = (a: ApplicationRow) => ({
  id: a.id.toString(),
  service: named(a.serviceId),
  applicant: a.applicant.toString(),
  key: a.key,
  dataHash: a.dataHash,
  status: APPLICATION_STATUS[a.status] as "submitted" | "approved" | "rejected" | "referred",
  submittedAt: a.submittedAt.toString(),
  decidedAt: text(a.decidedAt),
  decidedBy: text(a.decidedBy),
  reason: a.reason,
  referredTo: text(a.referredTo),
});

type AppointmentRow = typeof schema.appointment.$inferSelect;
const appointmentView = (p: AppointmentRow) => ({
  appointmentId: p.id.toString(),
  official: p.official.toString(),
  role: p.role,
  department: p.department.toString(),
  jurisdiction: named(p.jurisdiction),
  from: p.from.toString(),
  until: p.until.toString(),
  law: named(p.lawId),
  dismissedAt: text(p.dismissedAt),
  dismissalReason: p.dismissalReason,
});

app.openapi(
  createRoute({
    method: "get",
    path: "/subjects/{subject}/records",
    summary: "A subject's records across registers (in the order they were created), every version, oldest first",
    request: {
      params: z.object({ subject: S.Uint }),
      query: z.object({ register: S.TextId.optional() }),
    },
    responses: ok(S.RecordsBody, "the subject's records"),
  }),
  async (c) => {
    const { subject } = c.req.valid("param");
    const { register } = c.req.valid("query");
    const bySubject = eq(schema.record.subject, BigInt(subject));
    const rows = await db
      .select()
      .from(schema.record)
      .where(register ? and(bySubject, eq(schema.record.registerId, toId(register))) : bySubject)
      .orderBy(asc(schema.record.uid)); // a uid is the register's number, the subject and the version
    return c.json({ subject, records: rows.map(recordView) }, 200);
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/records/{uid}/versions",
    summary: "Every version of the record (same register and subject), oldest first",
    request: { params: z.object({ uid: S.Bytes32 }) },
    responses: ok(S.VersionsBody, "the record's versions"),
  }),
  async (c) => {
    const uid = c.req.valid("param").uid.toLowerCase() as Hex;
    const [found] = await db.select().from(schema.record).where(eq(schema.record.uid, uid));
    if (!found) return c.json(notFound(`record ${uid}`), 404);
    const rows = await db
      .select()
      .from(schema.record)
      .where(and(eq(schema.record.registerId, found.registerId), eq(schema.record.subject, found.subject)))
      .orderBy(asc(schema.record.version));
    return c.json({ uid, versions: rows.map(recordView) }, 200);
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/applications/{id}",
    summary: "An application and its history: submitted, referred, decided",
    request: { params: z.object({ id: S.Uint }) },
    responses: ok(S.ApplicationHistoryBody, "the application"),
  }),
  async (c) => {
    const id = BigInt(c.req.valid("param").id);
    const [found] = await db.select().from(schema.application).where(eq(schema.application.id, id));
    if (!found) return c.json(notFound(`application ${id}`), 404);
    const steps = await db
      .select()
      .from(schema.applicationStep)
      .where(eq(schema.applicationStep.applicationId, id))
      .orderBy(asc(schema.applicationStep.at), asc(schema.applicationStep.id));
    const history = steps.map((s) => ({
      status: APPLICATION_STATUS[s.status] as "submitted" | "approved" | "rejected" | "referred",
      at: s.at.toString(),
      by: s.by.toString(),
      reason: s.reason,
      department: text(s.department),
      role: s.role,
      detail: s.detail,
    }));
    return c.json({ application: applicationView(found), history }, 200);
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/departments/{department}/referrals",
    summary: "The applications referred to a department (open only, unless `all`)",
    request: {
      params: z.object({ department: S.Uint }),
      query: z.object({ all: z.enum(["true", "false"]).optional() }),
    },
    responses: ok(S.ReferralsBody, "the department's referred applications"),
  }),
  async (c) => {
    const { department } = c.req.valid("param");
    const all = c.req.valid("query").all === "true";
    const referred = eq(schema.application.referredTo, BigInt(department));
    const rows = await db
      .select()
      .from(schema.application)
      .where(all ? referred : and(referred, eq(schema.application.status, 4)))
      .orderBy(asc(schema.application.id));
    return c.json({ department, applications: rows.map(applicationView) }, 200);
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/laws/{law}",
    summary: "A law: its versions (with who enacted each), its grants and its parameters",
    request: { params: z.object({ law: S.TextId }) },
    responses: ok(S.LawBody, "the law"),
  }),
  async (c) => {
    const lawId = toId(c.req.valid("param").law);
    const [found] = await db.select().from(schema.law).where(eq(schema.law.id, lawId));
    if (!found) return c.json(notFound(`law ${named(lawId).name || lawId}`), 404);
    const [versions, grants, parameters] = await Promise.all([
      db
        .select()
        .from(schema.lawVersion)
        .where(eq(schema.lawVersion.lawId, lawId))
        .orderBy(asc(schema.lawVersion.version)),
      db.select().from(schema.grant).where(eq(schema.grant.lawId, lawId)),
      db.select().from(schema.parameter).where(eq(schema.parameter.lawId, lawId)),
    ]);
    return c.json(
      {
        law: named(lawId),
        version: found.version,
        repealed: found.repealed,
        updatedAt: found.updatedAt.toString(),
        versions: versions.map((v) => ({
          version: v.version,
          textHash: v.textHash,
          recordedAt: v.recordedAt.toString(),
          digest: v.digest,
          signers: v.signers as string[] | null,
        })),
        grants: grants.map((g) => ({
          role: g.role,
          target: g.target,
          selector: g.selector,
          ...allowed(g.target, g.selector),
          resource: named(g.resource),
          scope: SCOPE[g.scope],
          grantedAt: g.grantedAt.toString(),
          revokedAt: text(g.revokedAt),
        })),
        parameters: parameters.map((p) => ({
          key: named(p.key),
          value: p.value.toString(),
          setAt: p.setAt.toString(),
        })),
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/identities/{id}",
    summary: "An identity: its keys, its own appointments, and the officials appointed to it as a department",
    request: { params: z.object({ id: S.Uint }) },
    responses: ok(S.IdentityBody, "the identity"),
  }),
  async (c) => {
    const id = BigInt(c.req.valid("param").id);
    const [found] = await db.select().from(schema.identity).where(eq(schema.identity.id, id));
    if (!found) return c.json(notFound(`identity ${id}`), 404);
    const [keys, posts] = await Promise.all([
      db.select().from(schema.identityKey).where(eq(schema.identityKey.identityId, id)),
      db
        .select()
        .from(schema.appointment)
        .where(or(eq(schema.appointment.official, id), eq(schema.appointment.department, id)))
        .orderBy(asc(schema.appointment.id)),
    ]);
    return c.json(
      {
        id: found.id.toString(),
        kind: KIND[found.kind] as "person" | "organisation",
        jurisdiction: named(found.jurisdiction),
        attributesHash: found.attributesHash,
        status: IDENTITY_STATUS[found.status] as "active" | "suspended" | "deceased" | "dissolved",
        law: named(found.lawId),
        enrolledAt: found.enrolledAt.toString(),
        keys: keys.map((k) => ({
          key: k.key,
          law: named(k.lawId),
          addedAt: k.addedAt.toString(),
          revokedAt: text(k.revokedAt),
        })),
        appointments: posts.filter((p) => p.official === id).map(appointmentView),
        officials: posts.filter((p) => p.department === id).map(appointmentView),
      },
      200,
    );
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/accounts/{account}/statement",
    summary: "An account's fiat token statement: every movement in or out, with the balance after it",
    request: { params: z.object({ account: S.Address }) },
    responses: ok(S.StatementBody, "the statement"),
  }),
  async (c) => {
    const account = c.req.valid("param").account.toLowerCase() as Hex;
    const rows = await db
      .select()
      .from(schema.tokenTransfer)
      .where(or(eq(schema.tokenTransfer.from, account), eq(schema.tokenTransfer.to, account)))
      .orderBy(asc(schema.tokenTransfer.blockNumber), asc(schema.tokenTransfer.id));
    let balance = 0n;
    const entries = rows.map((t) => {
      // a transfer to oneself moves nothing
      const amount = (t.to === account ? t.amount : 0n) - (t.from === account ? t.amount : 0n);
      balance += amount;
      return {
        blockNumber: t.blockNumber.toString(),
        timestamp: t.timestamp.toString(),
        transactionHash: t.transactionHash,
        counterparty: t.to === account ? t.from : t.to,
        amount: amount.toString(),
        balance: balance.toString(),
      };
    });
    return c.json({ account, balance: balance.toString(), entries }, 200);
  },
);

app.openapi(
  createRoute({
    method: "get",
    path: "/events",
    summary: "GovChain's events as emitted, oldest first; of one contract, one event, from a block",
    request: {
      query: z.object({
        contract: z.string().min(1).optional(),
        name: z.string().min(1).optional(),
        fromBlock: S.Uint.optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        offset: z.coerce.number().int().min(0).default(0),
      }),
    },
    responses: ok(S.EventsBody, "the events"),
  }),
  async (c) => {
    const { contract, name, fromBlock, limit, offset } = c.req.valid("query");
    const filters = [
      ...(contract ? [eq(schema.chainEvent.contract, contract)] : []),
      ...(name ? [eq(schema.chainEvent.name, name)] : []),
      ...(fromBlock ? [gte(schema.chainEvent.blockNumber, BigInt(fromBlock))] : []),
    ];
    const rows = await db
      .select()
      .from(schema.chainEvent)
      .where(filters.length ? and(...filters) : undefined)
      .orderBy(asc(schema.chainEvent.blockNumber), asc(schema.chainEvent.logIndex))
      .limit(limit)
      .offset(offset);
    const events = rows.map((e) => ({
      contract: e.contract,
      name: e.name,
      args: e.args,
      blockNumber: e.blockNumber.toString(),
      timestamp: e.timestamp.toString(),
      transactionHash: e.transactionHash,
      logIndex: e.logIndex,
    }));
    return c.json({ events }, 200);
  },
);

treasuryRoutes(app, toId);
// prepared once: every gated read of a record asks it
const recordData = db
  .select({ data: schema.record.data })
  .from(schema.record)
  .where(eq(schema.record.uid, sql.placeholder("uid")))
  .prepare("index_record_data");
registerReadRoutes(app, async (uid) => (await recordData.execute({ uid }))[0]);
registerUploadRoutes(app);

// the anchorer's loop runs from the start when the service has its key; otherwise the gated side opens on first use
if (process.env.GOVCHAIN_SERVICE_KEY || process.env.GOVCHAIN_SERVICE_KEYSTORE)
  sharedReadService().catch((error) => logger.error({ err: error }, "the gated reads and the anchorer did not start"));

app.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: { title: "GovChain registers' data service", version: "0.1.0" },
});

export default app;
