/**
 * The query API's request and response schemas: they validate requests (400 on bad input) and generate the OpenAPI
 * document. Whole numbers that may exceed 2^53 (ids, amounts, timestamps) travel as decimal strings.
 */
import { z } from "@hono/zod-openapi";

export const Uint = z
  .string()
  .regex(/^[0-9]{1,78}$/, "a whole number in decimal")
  // zod runs a refinement even when the pattern failed: only digits are given to BigInt, or "abc" throws (a 500)
  .refine(
    (value) => !/^[0-9]+$/.test(value) || BigInt(value) < 2n ** 256n,
    "a whole number in decimal, at most 2^256 - 1",
  )
  .openapi({ example: "5" });
export const Bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "32 bytes in hex");
export const Address = z
  .string()
  .regex(/^0x[0-9a-fA-F]{40}$/, "an address in hex")
  .openapi({ example: "0x90F79bf6EB2c4F870365E785982E1f101E93b906" });
/** A bytes32 id given as its text (at most 31 bytes: "BIRTH", "PENSION_ACT") or as 32 bytes in hex. */
export const TextId = z
  .string()
  .min(1)
  .refine(
    (v) => /^0x[0-9a-fA-F]{64}$/.test(v) || new TextEncoder().encode(v).length <= 31,
    "at most 31 bytes of text, or 32 bytes in hex",
  )
  .openapi({ example: "BIRTH_REGISTRATION_ACT" });

export const ErrorBody = z.object({ error: z.string() }).openapi("Error");

/** A bytes32 with its text, where it is text. */
const Named = z.object({ id: Bytes32, name: z.string() });

export const RecordBody = z
  .object({
    uid: Bytes32,
    register: Named,
    subject: Uint,
    version: z.number().int(),
    status: z.enum(["current", "superseded", "revoked"]),
    data: z.string(),
    official: Uint,
    key: Address,
    law: Named,
    recordedAt: Uint,
    transactionHash: z.string(),
    supersededBy: Bytes32.nullable(),
    reason: z.string().nullable(),
  })
  .openapi("Record");

export const RecordsBody = z.object({ subject: Uint, records: z.array(RecordBody) }).openapi("SubjectRecords");
export const VersionsBody = z.object({ uid: Bytes32, versions: z.array(RecordBody) }).openapi("RecordVersions");

export const StepBody = z
  .object({
    status: z.enum(["submitted", "approved", "rejected", "referred"]),
    at: Uint,
    by: Uint,
    reason: z.string(),
    department: Uint.nullable(),
    role: Bytes32.nullable(),
    detail: z.unknown(),
  })
  .openapi("ApplicationStep");

export const ApplicationBody = z
  .object({
    id: Uint,
    service: Named,
    applicant: Uint,
    key: Address,
    /** keccak256 of the application's data (the data stay with the applicant and the data service's vault). */
    dataHash: z.string(),
    status: z.enum(["submitted", "approved", "rejected", "referred"]),
    submittedAt: Uint,
    decidedAt: Uint.nullable(),
    decidedBy: Uint.nullable(),
    reason: z.string().nullable(),
    referredTo: Uint.nullable(),
  })
  .openapi("Application");

export const ApplicationHistoryBody = z
  .object({ application: ApplicationBody, history: z.array(StepBody) })
  .openapi("ApplicationHistory");
export const ReferralsBody = z
  .object({ department: Uint, applications: z.array(ApplicationBody) })
  .openapi("DepartmentReferrals");

export const LawBody = z
  .object({
    law: Named,
    version: z.number().int(),
    repealed: z.boolean(),
    updatedAt: Uint,
    versions: z.array(
      z.object({
        version: z.number().int(),
        textHash: Bytes32,
        recordedAt: Uint,
        digest: Bytes32.nullable(),
        signers: z.array(Address).nullable(),
      }),
    ),
    grants: z.array(
      z.object({
        role: Bytes32,
        target: Address,
        selector: z.string(),
        contract: z.string().openapi({ description: "the target's deployment name" }),
        function: z.string().openapi({ description: "the function, or the read (readRecord, readPersonalData)" }),
        read: z.boolean().openapi({ description: "a read under law, not a write" }),
        resource: Named,
        scope: z.enum(["any", "jurisdiction"]),
        grantedAt: Uint,
        revokedAt: Uint.nullable(),
      }),
    ),
    parameters: z.array(z.object({ key: Named, value: Uint, setAt: Uint })),
  })
  .openapi("Law");

const AppointmentBody = z.object({
  appointmentId: Uint,
  official: Uint,
  role: Bytes32,
  department: Uint,
  jurisdiction: Named,
  from: Uint,
  until: Uint,
  law: Named,
  dismissedAt: Uint.nullable(),
  dismissalReason: z.string().nullable(),
});

export const IdentityBody = z
  .object({
    id: Uint,
    kind: z.enum(["person", "organisation"]),
    jurisdiction: Named,
    attributesHash: Bytes32,
    status: z.enum(["active", "suspended", "deceased", "dissolved"]),
    law: Named,
    enrolledAt: Uint,
    keys: z.array(z.object({ key: Address, law: Named, addedAt: Uint, revokedAt: Uint.nullable() })),
    /** The identity's own posts, as an official. */
    appointments: z.array(AppointmentBody),
    /** The officials appointed to this identity, as a department. */
    officials: z.array(AppointmentBody),
  })
  .openapi("Identity");

export const StatementBody = z
  .object({
    account: Address,
    balance: Uint,
    entries: z.array(
      z.object({
        blockNumber: Uint,
        timestamp: Uint,
        transactionHash: z.string(),
        counterparty: Address,
        /** Signed: negative when the account paid. */
        amount: z.string(),
        balance: Uint,
      }),
    ),
  })
  .openapi("TokenStatement");

export const EventsBody = z
  .object({
    events: z.array(
      z.object({
        contract: z.string(),
        name: z.string(),
        args: z.unknown(),
        blockNumber: Uint,
        timestamp: Uint,
        transactionHash: z.string(),
        logIndex: z.number().int(),
      }),
    ),
  })
  .openapi("Events");
