/**
 * What each event changes in the registers' state, by `Contract:Event`. The contracts' own views are the reference:
 * the data service's tests compare the API's answers with them.
 */
import {
  application,
  applicationStep,
  appointment,
  grant,
  identity,
  identityKey,
  jurisdiction,
  law,
  lawVersion,
  parameter,
  record,
  register,
  service,
  tokenBalance,
  tokenTransfer,
} from "ponder:schema";
import type { Hex } from "viem";

/** An event as Ponder hands it to a handler; its arguments are those of the deployment's ABI, known at start only. */
export interface IndexedEvent {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- decoded from an ABI read at start, not in code
  args: Record<string, any>;
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: Hex };
  log: { logIndex: number };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the same: the tables are typed, the events are not
export type Context = { db: any };
type Projection = (event: IndexedEvent, context: Context) => Promise<void>;

const ZERO = "0x0000000000000000000000000000000000000000";
const eventId = (event: IndexedEvent) => `${event.block.number}:${event.log.logIndex}`;
/** A record's version: the low 32 bits of its uid (register number, subject, version). */
const versionOf = (uid: Hex) => Number(BigInt(uid) & 0xffffffffn);

const APPLICATION = { submitted: 1, approved: 2, rejected: 3, referred: 4 } as const;
const RECORD = { current: 1, superseded: 2, revoked: 3 } as const;

/** Adds a step to an application's history and sets its status, as ServiceDesk.history shows it. */
async function decide(event: IndexedEvent, { db }: Context, status: number, detail: unknown) {
  const { applicationId, official, reason } = event.args;
  await db.insert(applicationStep).values({
    id: eventId(event),
    applicationId,
    status,
    at: event.block.timestamp,
    by: official,
    reason,
    detail,
  });
  await db
    .update(application, { id: applicationId })
    .set({ status, decidedAt: event.block.timestamp, decidedBy: official, reason });
}

async function moveTokens({ db }: Context, account: Hex, delta: bigint) {
  if (account === ZERO) return;
  await db
    .insert(tokenBalance)
    .values({ account, balance: delta })
    .onConflictDoUpdate((row: { balance: bigint }) => ({ balance: row.balance + delta }));
}

export const projections: Record<string, Projection> = {
  "IdentityRegistry:JurisdictionDefined": async ({ args }, { db }) => {
    await db
      .insert(jurisdiction)
      .values({ code: args.code, parent: args.parent, depth: args.depth, lawId: args.lawId });
  },
  "IdentityRegistry:IdentityEnrolled": async (event, { db }) => {
    const { identityId, kind, jurisdiction, attributesHash, key, lawId } = event.args;
    const at = event.block.timestamp;
    await db
      .insert(identity)
      .values({ id: identityId, kind, jurisdiction, attributesHash, status: 1, lawId, enrolledAt: at });
    await db.insert(identityKey).values({ key, identityId, lawId, addedAt: at });
  },
  "IdentityRegistry:KeyAdded": async (event, { db }) => {
    const { identityId, key, lawId } = event.args;
    await db.insert(identityKey).values({ key, identityId, lawId, addedAt: event.block.timestamp });
  },
  "IdentityRegistry:KeyRevoked": async (event, { db }) => {
    await db.update(identityKey, { key: event.args.key }).set({ revokedAt: event.block.timestamp });
  },
  "IdentityRegistry:IdentityStatusChanged": async ({ args }, { db }) => {
    await db.update(identity, { id: args.identityId }).set({ status: args.to });
  },
  "IdentityRegistry:OfficialAppointed": async ({ args }, { db }) => {
    const { appointmentId, official, role, department, jurisdiction, from, until, lawId } = args;
    await db.insert(appointment).values({
      id: appointmentId,
      official,
      role,
      department,
      jurisdiction,
      from: BigInt(from),
      until: BigInt(until),
      lawId,
    });
  },
  "IdentityRegistry:OfficialDismissed": async (event, { db }) => {
    await db
      .update(appointment, { id: event.args.appointmentId })
      .set({ dismissedAt: event.block.timestamp, dismissalReason: event.args.reason });
  },

  "SmartLaw:LawVersionRecorded": async (event, { db }) => {
    const { lawId, version, textHash } = event.args;
    const at = event.block.timestamp;
    await db.insert(lawVersion).values({ lawId, version, textHash, recordedAt: at });
    await db
      .insert(law)
      .values({ id: lawId, version, repealed: false, updatedAt: at })
      .onConflictDoUpdate({ version, repealed: false, updatedAt: at });
  },
  "SmartLaw:LawRepealed": async (event, { db }) => {
    await db.update(law, { id: event.args.lawId }).set({ repealed: true, updatedAt: event.block.timestamp });
  },
  "SmartLaw:ParamSet": async (event, { db }) => {
    const { lawId, key, value } = event.args;
    const setAt = event.block.timestamp;
    await db.insert(parameter).values({ lawId, key, value, setAt }).onConflictDoUpdate({ value, setAt });
  },
  "SmartLaw:Granted": async (event, { db }) => {
    const { lawId, role, target, selector, resource, scope } = event.args;
    const grantedAt = event.block.timestamp;
    await db
      .insert(grant)
      .values({ lawId, role, target, selector, resource, scope, grantedAt })
      .onConflictDoUpdate({ scope, grantedAt, revokedAt: null });
  },
  "SmartLaw:GrantRevoked": async (event, { db }) => {
    const { lawId, role, target, selector, resource } = event.args;
    await db.update(grant, { lawId, role, target, selector, resource }).set({ revokedAt: event.block.timestamp });
  },
  "Legislature:LawEnacted": async ({ args }, { db }) => {
    // SmartLaw records the version in the same transaction, before the Legislature says who enacted it
    await db
      .update(lawVersion, { lawId: args.lawId, version: args.version })
      .set({ digest: args.digest, signers: args.signers });
  },

  "CivilRegistry:RegisterCreated": async ({ args }, { db }) => {
    const { registerId, number, name, schema, lawId, subjectKind } = args;
    await db.insert(register).values({ id: registerId, number, name, schema, lawId, subjectKind });
  },
  "CivilRegistry:RecordAdded": async (event, { db }) => {
    const { uid, registerId, subject, official, key, lawId, data } = event.args;
    await db.insert(record).values({
      uid,
      registerId,
      subject,
      version: versionOf(uid),
      status: RECORD.current,
      data,
      official,
      key,
      lawId,
      recordedAt: event.block.timestamp,
      transactionHash: event.transaction.hash,
    });
  },
  "CivilRegistry:RecordAmended": async ({ args }, { db }) => {
    await db
      .update(record, { uid: args.uid })
      .set({ status: RECORD.superseded, supersededBy: args.newUid, reason: args.reason });
  },
  "CivilRegistry:RecordRevoked": async ({ args }, { db }) => {
    await db.update(record, { uid: args.uid }).set({ status: RECORD.revoked, reason: args.reason });
  },

  "ServiceDesk:ServiceDefined": async ({ args }, { db }) => {
    const { serviceId, lawId, registerId, department, role } = args;
    await db.insert(service).values({ id: serviceId, lawId, registerId, department, role });
  },
  "ServiceDesk:ApplicationSubmitted": async (event, { db }) => {
    const { applicationId, serviceId, applicant, key, dataHash } = event.args;
    const at = event.block.timestamp;
    await db.insert(application).values({
      id: applicationId,
      serviceId,
      applicant,
      key,
      dataHash,
      status: APPLICATION.submitted,
      submittedAt: at,
    });
    await db.insert(applicationStep).values({
      id: eventId(event),
      applicationId,
      status: APPLICATION.submitted,
      at,
      by: applicant,
      reason: `0x${"0".repeat(64)}`,
    });
  },
  "ServiceDesk:ApplicationReferred": async (event, { db }) => {
    const { applicationId, department, role, reason, proposed } = event.args;
    await db.insert(applicationStep).values({
      id: eventId(event),
      applicationId,
      status: APPLICATION.referred,
      at: event.block.timestamp,
      by: 0n,
      reason,
      department,
      role,
      detail: { proposed: plainEntries(proposed) },
    });
    await db.update(application, { id: applicationId }).set({ status: APPLICATION.referred, referredTo: department });
  },
  "ServiceDesk:ApplicationApproved": (event, context) =>
    decide(event, context, APPLICATION.approved, { uids: event.args.uids }),
  "ServiceDesk:ApplicationRejected": (event, context) => decide(event, context, APPLICATION.rejected, null),

  "FiatToken:Transfer": async (event, context) => {
    const { from, to, value } = event.args as { from: Hex; to: Hex; value: bigint };
    await context.db.insert(tokenTransfer).values({
      id: eventId(event),
      from,
      to,
      amount: value,
      blockNumber: event.block.number,
      timestamp: event.block.timestamp,
      transactionHash: event.transaction.hash,
    });
    await moveTokens(context, from, -value);
    await moveTokens(context, to, value);
  },
};

/** The records a rule proposed, as JSON (their numbers as decimal strings). */
function plainEntries(entries: readonly Record<string, unknown>[]) {
  return entries.map((entry) =>
    Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, typeof v === "bigint" ? v.toString() : v])),
  );
}
