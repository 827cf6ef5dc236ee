/**
 * The citizens' and departments' tools for the ServiceDesk: apply to a service with the application's fields by
 * name (the records the rule needs read from the registers by the tool), decide a referred application, list what
 * is referred to a department, and show an application with its history and the records it proposes.
 */
import { ParamType, TypedDataEncoder, ZeroHash, isHexString, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { CivilRegistry } from "../../../typechain-types";
import { eventText, readableId, textId } from "../common/ids";
import { checkIdInRange, identityIdOf, resolveService } from "../common/names";
import { getServices, getSystem } from "../common/system";
import { sendChecked } from "../common/tx";
import { formatTime } from "../identity/identity";
import { decodeOnChainRecord, encodeRecord, registerInfo } from "../registry/registry";

export const APPLICATION_STATUS = ["none", "submitted", "approved", "rejected", "referred"] as const;

/**
 * The application forms of the genesis services, as their rules decode them (see contracts/rules): the fields a
 * person gives by name, and those the tool fills from the registers (the birth records a rule checks its data
 * against). A service whose form is not here takes its data as 0x-hex.
 */
interface Form {
  /** The ABI layout of the application data, in order. */
  layout: string;
  /** Fields that may be left out, with their value. */
  defaults?: Record<string, unknown>;
  /** Fields the tool reads from the registers: the data of a current birth record. */
  births?: Record<string, "applicant" | { subjectField: string }>;
}

const FORMS: Record<string, Form> = {
  BIRTH_REGISTRATION: {
    layout: "uint256 child,uint32 birthDate,bytes32 placeOfBirth,bytes32 documentHash,uint256 parent1,uint256 parent2",
    defaults: { parent1: 0, parent2: 0 },
  },
  PENSION_ENROLMENT: { layout: "bytes birthData", births: { birthData: "applicant" } },
  MARRIAGE_REGISTRATION: {
    layout:
      "uint256 partner,bytes32 documentHash,bytes applicantBirth,bytes partnerBirth,uint256 nonce,uint256 deadline," +
      "bytes consent",
    births: { applicantBirth: "applicant", partnerBirth: { subjectField: "partner" } },
  },
};

/** The data of a person's current birth record ("0x" when there is none), as its RecordAdded event carries them. */
async function currentBirth(registry: CivilRegistry, person: bigint): Promise<string> {
  const uid = await registry.latest(textId("BIRTH"), person);
  if (uid === ZeroHash || (await registry.getRecord(uid)).status !== 1n) return "0x";
  const events = await registry.queryFilter(registry.filters.RecordAdded(uid));
  return events[0]?.args.data ?? "0x";
}

/**
 * The application data of `service` for `applicant`: `values` by field name (see FORMS), or 0x-hex as given.
 * Fields the tool reads from the registers may not be given.
 */
export async function applicationData(
  hre: HardhatRuntimeEnvironment,
  service: string,
  applicant: bigint,
  values: Record<string, unknown> | string,
): Promise<string> {
  if (typeof values === "string") {
    if (!isHexString(values)) throw new Error("the application's data are fields by name (JSON) or 0x-hex");
    return values;
  }
  const form = FORMS[service];
  if (!form) throw new Error(`the tools know no form for ${service}: give its data as 0x-hex`);
  const fields = form.layout.split(",").map((f) => ParamType.from(f));
  const filled: Record<string, unknown> = { ...form.defaults, ...values };
  const { civilRegistry } = await getServices(hre);
  for (const [field, whose] of Object.entries(form.births ?? {})) {
    if (field in values) throw new Error(`the field "${field}" is read from the registers: leave it out`);
    const raw = whose === "applicant" ? applicant : filled[whose.subjectField];
    if (raw === undefined) continue; // reported as the missing field it depends on
    filled[field] = await currentBirth(civilRegistry, BigInt(String(raw)));
  }
  return encodeRecord(fields, filled, `the application to ${service}`);
}

/** The fields a person gives for `service`, to name them in help and messages. */
export function formFields(service: string): string[] | undefined {
  const form = FORMS[service];
  if (!form) return undefined;
  const given = (f: string) => !(f in (form.births ?? {}));
  return form.layout
    .split(",")
    .map((f) => f.split(" ")[1])
    .filter(given)
    .map((f) => (form.defaults && f in form.defaults ? `${f} (optional)` : f));
}

export interface ApplicationOutcome {
  applicationId: bigint;
  status: string;
  reason: string;
}

/** Submits an application, by the applicant's own key: its id and what the rule decided. */
export async function applyToService(
  hre: HardhatRuntimeEnvironment,
  applicantKey: Signer,
  service: string,
  values: Record<string, unknown> | string,
): Promise<ApplicationOutcome> {
  const serviceId = await resolveService(hre, service);
  const { identityRegistry } = await getSystem(hre);
  const key = await applicantKey.getAddress();
  const applicant = await identityRegistry.identityOf(key);
  if (applicant === 0n) throw new Error(`${key} is not a live key of any identity: only an identity applies`);
  const data = await applicationData(hre, service, applicant, values);
  const { serviceDesk } = await getServices(hre, applicantKey);
  const receipt = await sendChecked(hre, serviceDesk, "submit", [serviceId, data]);
  for (const log of receipt.logs) {
    const event = serviceDesk.interface.parseLog(log);
    if (event?.name === "ApplicationSubmitted") {
      const application = await serviceDesk.application(event.args.applicationId);
      return {
        applicationId: event.args.applicationId,
        status: APPLICATION_STATUS[Number(application.status)],
        reason: readableId(application.reason),
      };
    }
  }
  throw new Error(`the application ${receipt.hash} recorded no ApplicationSubmitted event`);
}

/** Decides a referred application, by an official of the service's department: approve or reject, with a reason. */
export async function decideApplication(
  hre: HardhatRuntimeEnvironment,
  official: Signer,
  applicationId: bigint,
  approve: boolean,
  reason: string,
) {
  if (reason.trim() === "") throw new Error("a decision needs its reason");
  const { serviceDesk } = await getServices(hre, official);
  await existingApplication(hre, applicationId);
  return sendChecked(hre, serviceDesk, "decide", [applicationId, approve, "0x", reason]);
}

/**
 * The reason of a decision in words: an official's as its event keeps its text (the chain keeps only its hash), the
 * rule's code otherwise.
 */
async function decisionReason(
  hre: HardhatRuntimeEnvironment,
  applicationId: bigint,
  decidedBy: bigint,
  stored: string,
): Promise<string> {
  if (decidedBy === 0n) return readableId(stored);
  const { serviceDesk } = await getServices(hre);
  const [approved] = await serviceDesk.queryFilter(serviceDesk.filters.ApplicationApproved(applicationId));
  const [rejected] = await serviceDesk.queryFilter(serviceDesk.filters.ApplicationRejected(applicationId));
  const decision = approved ?? rejected;
  return decision ? eventText(decision, "reasonText") : readableId(stored);
}

async function existingApplication(hre: HardhatRuntimeEnvironment, applicationId: bigint) {
  const { serviceDesk } = await getServices(hre);
  const count = await serviceDesk.applicationCount();
  checkIdInRange("application", applicationId, count);
  return serviceDesk.application(applicationId);
}

export interface ProposedRecord {
  register: string;
  subject: number;
  fields: Record<string, string>;
}

export interface ApplicationView {
  applicationId: number;
  service: string;
  applicant: number;
  status: string;
  reason: string;
  submitted: string;
  history: { status: string; at: string; by: number; reason: string }[];
  /** The records the rule proposes, for a referred application. */
  proposed: ProposedRecord[];
}

/** An application with its history, and for a referred one the records its rule proposes, by field name. */
export async function showApplication(hre: HardhatRuntimeEnvironment, applicationId: bigint): Promise<ApplicationView> {
  const { serviceDesk, civilRegistry } = await getServices(hre);
  const a = await existingApplication(hre, applicationId);
  // a step is read by position: `at` is also the name of Array.prototype.at, which a Result (an array) keeps
  const reason = await decisionReason(hre, applicationId, a.decidedBy, a.reason);
  const steps = [...(await serviceDesk.history(applicationId))];
  const history = steps.map(([status, at, by, stepReason], i) => ({
    status: APPLICATION_STATUS[Number(status)],
    at: formatTime(at),
    by: Number(by),
    reason: i === steps.length - 1 ? reason : readableId(stepReason),
  }));
  const proposed: ProposedRecord[] = [];
  if (Number(a.status) === 4) {
    const info = await registerInfo(civilRegistry, readableId((await serviceDesk.service(a.serviceId)).registerId));
    for (const entry of await serviceDesk.proposal(applicationId))
      proposed.push({
        register: readableId(info.id),
        subject: Number(entry.subject),
        fields: decodeOnChainRecord(info.layout, entry.data),
      });
  }
  return {
    applicationId: Number(applicationId),
    service: readableId(a.serviceId),
    applicant: Number(a.applicant),
    status: APPLICATION_STATUS[Number(a.status)],
    reason,
    submitted: formatTime(a.submittedAt),
    history,
    proposed,
  };
}

export function formatApplication(v: ApplicationView): string {
  return [
    `Application ${v.applicationId} to ${v.service} by identity ${v.applicant}: ${v.status}${v.reason ? ` (${v.reason})` : ""}`,
    ...v.history.map(
      (s) =>
        `  ${s.at}  ${s.status.padEnd(9)}  by ${s.by === 0 ? "the rule" : `identity ${s.by}`}${s.reason ? `: ${s.reason}` : ""}`,
    ),
    ...v.proposed.map(
      (p) =>
        `  proposes in ${p.register} for identity ${p.subject}: ` +
        Object.entries(p.fields)
          .map(([k, value]) => `${k} ${value}`)
          .join(", "),
    ),
  ].join("\n");
}

/** The applications referred to a department and not decided yet, optionally of one service, in order. */
export async function referredApplications(
  hre: HardhatRuntimeEnvironment,
  department: string,
  service?: string,
): Promise<ApplicationView[]> {
  const { serviceDesk } = await getServices(hre);
  const id = await identityIdOf(hre, department);
  if (service !== undefined) await resolveService(hre, service);
  const views: ApplicationView[] = [];
  for (const e of await serviceDesk.queryFilter(serviceDesk.filters.ApplicationReferred(undefined, id))) {
    const view = await showApplication(hre, e.args.applicationId);
    if (view.status === "referred" && (service === undefined || view.service === service)) views.push(view);
  }
  return views;
}

/** The EIP-712 type of a partner's consent to marry (see MarriageRegistrationRule). */
export const MARRIAGE_CONSENT_TYPES = {
  MarriageConsent: [
    { name: "applicant", type: "uint256" },
    { name: "partner", type: "uint256" },
    { name: "documentHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** What a partner consents to: to marry the applicant, on the document, once (the nonce), until the deadline. */
export interface MarriageTerms {
  applicant: bigint;
  partner: bigint;
  documentHash: string;
  nonce: bigint;
  deadline: bigint;
}

/**
 * The partner's signature of `terms` in the domain of the marriage rule at `rule` on chain `chainId`, and the
 * EIP-712 digest it signs (the ServiceDesk lets a consent serve one application, by that digest).
 */
export async function signMarriageTerms(
  partnerKey: Pick<Signer, "signTypedData">,
  rule: string,
  chainId: bigint,
  terms: MarriageTerms,
): Promise<{ signature: string; digest: string }> {
  const domain = { name: "MarriageRegistrationRule", version: "1", chainId, verifyingContract: rule };
  return {
    signature: await partnerKey.signTypedData(domain, MARRIAGE_CONSENT_TYPES, terms),
    digest: TypedDataEncoder.hash(domain, MARRIAGE_CONSENT_TYPES, terms),
  };
}

export interface MarriageConsent {
  partner: string;
  documentHash: string;
  nonce: string;
  deadline: string;
  consent: string;
}

/**
 * The partner's consent to marry `applicant`, signed with the partner's own key (on the partner's machine): the
 * fields the applicant then gives to service:apply for MARRIAGE_REGISTRATION. Valid for `hours`; the nonce is
 * random, so a consent serves one application.
 */
export async function signMarriageConsent(
  hre: HardhatRuntimeEnvironment,
  partnerKey: Signer,
  applicant: string,
  documentHash: string,
  hours = 24,
): Promise<MarriageConsent> {
  if (!isHexString(documentHash, 32)) throw new Error("the document hash must be 32 bytes of 0x-hex");
  const { identityRegistry, smartLaw } = await getSystem(hre);
  const { serviceDesk } = await getServices(hre);
  const applicantId = await identityIdOf(hre, applicant);
  const partner = await identityRegistry.identityOf(await partnerKey.getAddress());
  if (partner === 0n) throw new Error(`${await partnerKey.getAddress()} is not a live key of any identity`);
  const lawId = (await serviceDesk.service(await resolveService(hre, "MARRIAGE_REGISTRATION"))).lawId;
  const now = (await hre.ethers.provider.getBlock("latest"))!.timestamp;
  const consent = {
    applicant: applicantId,
    partner,
    documentHash,
    nonce: BigInt(hre.ethers.hexlify(hre.ethers.randomBytes(16))),
    deadline: BigInt(now + hours * 3600),
  };
  const chainId = (await hre.ethers.provider.getNetwork()).chainId;
  const { signature } = await signMarriageTerms(partnerKey, await smartLaw.ruleOf(lawId), chainId, consent);
  return {
    partner: partner.toString(),
    documentHash,
    nonce: consent.nonce.toString(),
    deadline: consent.deadline.toString(),
    consent: signature,
  };
}
