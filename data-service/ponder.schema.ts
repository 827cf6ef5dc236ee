/**
 * The index's tables: every GovChain event as it was emitted (`chain_event`), and the registers' state rebuilt from
 * those events for the query API. All of it is derived from the chain: Ponder may drop and rebuild any of these
 * tables (a new schema, a reorganisation), so nothing that exists only off chain is kept here.
 */
import { index, onchainTable, primaryKey } from "ponder";

/** Every event of every GovChain contract, its arguments as JSON (whole numbers as decimal strings). */
export const chainEvent = onchainTable(
  "chain_event",
  (t) => ({
    id: t.text().primaryKey(), // `${blockNumber}:${logIndex}`
    contract: t.text().notNull(),
    name: t.text().notNull(),
    args: t.json().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    logIndex: t.integer().notNull(),
  }),
  (table) => ({ byName: index().on(table.contract, table.name) }),
);

export const jurisdiction = onchainTable("jurisdiction", (t) => ({
  code: t.hex().primaryKey(),
  parent: t.hex().notNull(),
  depth: t.integer().notNull(),
  lawId: t.hex().notNull(),
}));

/** An identity: a person or an organisation, with the commitment to its attributes (never the attributes). */
export const identity = onchainTable("identity", (t) => ({
  id: t.bigint().primaryKey(),
  kind: t.integer().notNull(), // 1 person, 2 organisation
  jurisdiction: t.hex().notNull(),
  attributesHash: t.hex().notNull(),
  status: t.integer().notNull(), // 1 active, 2 suspended, 3 deceased, 4 dissolved
  lawId: t.hex().notNull(),
  enrolledAt: t.bigint().notNull(),
}));

/** A key of an identity; a key belongs to one identity forever, revoked or not. */
export const identityKey = onchainTable(
  "identity_key",
  (t) => ({
    key: t.hex().primaryKey(),
    identityId: t.bigint().notNull(),
    lawId: t.hex().notNull(),
    addedAt: t.bigint().notNull(),
    revokedAt: t.bigint(),
  }),
  (table) => ({ byIdentity: index().on(table.identityId) }),
);

/** An official's appointment to a role in a department, over a jurisdiction, for a term. */
export const appointment = onchainTable(
  "appointment",
  (t) => ({
    id: t.bigint().primaryKey(),
    official: t.bigint().notNull(),
    role: t.hex().notNull(),
    department: t.bigint().notNull(),
    jurisdiction: t.hex().notNull(),
    from: t.bigint().notNull(),
    until: t.bigint().notNull(),
    lawId: t.hex().notNull(),
    dismissedAt: t.bigint(),
    dismissalReason: t.text(),
  }),
  (table) => ({ byOfficial: index().on(table.official), byDepartment: index().on(table.department) }),
);

/** A law's current state: its version and whether it was repealed. */
export const law = onchainTable("law", (t) => ({
  id: t.hex().primaryKey(),
  version: t.integer().notNull(),
  repealed: t.boolean().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Each version of a law with the hash of its text, and the legislators who enacted it. */
export const lawVersion = onchainTable(
  "law_version",
  (t) => ({
    lawId: t.hex().notNull(),
    version: t.integer().notNull(),
    textHash: t.hex().notNull(),
    recordedAt: t.bigint().notNull(),
    digest: t.hex(),
    signers: t.json(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.lawId, table.version] }) }),
);

/** A right a law gives a role: to call `selector` on `target`, for one resource or (zero) every one. */
export const grant = onchainTable(
  "grant",
  (t) => ({
    lawId: t.hex().notNull(),
    role: t.hex().notNull(),
    target: t.hex().notNull(),
    selector: t.hex().notNull(),
    resource: t.hex().notNull(),
    scope: t.integer().notNull(), // 0 any, 1 jurisdiction
    grantedAt: t.bigint().notNull(),
    revokedAt: t.bigint(),
  }),
  (table) => ({
    pk: primaryKey({ columns: [table.lawId, table.role, table.target, table.selector, table.resource] }),
    byLaw: index().on(table.lawId),
  }),
);

/** A law's parameter, its value as last set. */
export const parameter = onchainTable(
  "parameter",
  (t) => ({
    lawId: t.hex().notNull(),
    key: t.hex().notNull(),
    value: t.bigint().notNull(),
    setAt: t.bigint().notNull(),
  }),
  (table) => ({ pk: primaryKey({ columns: [table.lawId, table.key] }) }),
);

export const register = onchainTable("register", (t) => ({
  id: t.hex().primaryKey(),
  number: t.integer().notNull(),
  name: t.text().notNull(),
  schema: t.text().notNull(),
  lawId: t.hex().notNull(),
  subjectKind: t.integer().notNull(),
}));

/** A version of a subject's record in a register; its fields as the event carried them (ABI-encoded). */
export const record = onchainTable(
  "record",
  (t) => ({
    uid: t.hex().primaryKey(),
    registerId: t.hex().notNull(),
    subject: t.bigint().notNull(),
    version: t.integer().notNull(),
    status: t.integer().notNull(), // 1 current, 2 superseded, 3 revoked
    data: t.hex().notNull(),
    official: t.bigint().notNull(),
    key: t.hex().notNull(),
    lawId: t.hex().notNull(),
    recordedAt: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
    supersededBy: t.hex(),
    reason: t.text(), // of the amendment or the revocation that ended it
  }),
  (table) => ({ bySubject: index().on(table.subject, table.registerId) }),
);

export const service = onchainTable("service", (t) => ({
  id: t.hex().primaryKey(),
  lawId: t.hex().notNull(),
  registerId: t.hex().notNull(),
  department: t.bigint().notNull(),
  role: t.hex().notNull(),
}));

export const application = onchainTable(
  "application",
  (t) => ({
    id: t.bigint().primaryKey(),
    serviceId: t.hex().notNull(),
    applicant: t.bigint().notNull(),
    key: t.hex().notNull(),
    /** keccak256 of the application's data: the event carries no more (the data may hold private facts). */
    dataHash: t.hex().notNull(),
    status: t.integer().notNull(), // 1 submitted, 2 approved, 3 rejected, 4 referred
    submittedAt: t.bigint().notNull(),
    decidedAt: t.bigint(),
    decidedBy: t.bigint(),
    reason: t.hex(),
    /** The department it was referred to, while and after it was. */
    referredTo: t.bigint(),
  }),
  (table) => ({ byApplicant: index().on(table.applicant), byReferral: index().on(table.referredTo) }),
);

/** A step of an application: submitted, referred (to a department and role), approved or rejected. */
export const applicationStep = onchainTable(
  "application_step",
  (t) => ({
    id: t.text().primaryKey(), // `${blockNumber}:${logIndex}`
    applicationId: t.bigint().notNull(),
    status: t.integer().notNull(),
    at: t.bigint().notNull(),
    by: t.bigint().notNull(), // the applicant, the deciding official, or 0 for the rule
    reason: t.hex().notNull(),
    department: t.bigint(),
    role: t.hex(),
    detail: t.json(), // the records written (uids) or proposed
  }),
  (table) => ({ byApplication: index().on(table.applicationId) }),
);

/** A movement of the fiat token (mints from, and burns to, the zero address). */
export const tokenTransfer = onchainTable(
  "token_transfer",
  (t) => ({
    id: t.text().primaryKey(), // `${blockNumber}:${logIndex}`
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    transactionHash: t.hex().notNull(),
  }),
  (table) => ({ byFrom: index().on(table.from), byTo: index().on(table.to) }),
);

export const tokenBalance = onchainTable("token_balance", (t) => ({
  account: t.hex().primaryKey(),
  balance: t.bigint().notNull(),
}));
