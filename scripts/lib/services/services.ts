/**
 * The citizens' and departments' tools for the ServiceDesk: apply to a service with the application's fields by
 * name (the records the rule needs read from the registers by the tool), decide a referred application, list what
 * is referred to a department, and show an application with its history and the records it proposes.
 */
import { existsSync } from "node:fs";
import {
  AbiCoder,
  ParamType,
  TypedDataEncoder,
  ZeroHash,
  dataSlice,
  isHexString,
  keccak256,
  type Signer,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { CivilRegistry } from "../../../typechain-types";
import { eventText, readableId, textId } from "../common/ids";
import { checkIdInRange, identityIdOf, resolveService } from "../common/names";
import { getServices, getSystem } from "../common/system";
import { sendChecked } from "../common/tx";
import { formatTime } from "../identity/identity";
import { openingPath, readOpeningFile, sealRecord } from "../registry/openings";
import { decodeOnChainRecord, encodeRecord, registerInfo } from "../registry/registry";
import { newSalt, readSchema } from "../registry/schema";

const coder = AbiCoder.defaultAbiCoder();

export const APPLICATION_STATUS = ["none", "submitted", "approved", "rejected", "referred"] as const;

/**
 * The application forms of the genesis services, as their rules decode them (see contracts/rules): the fields a
 * person gives by name, and those the tool fills: the openings of the birth records a rule checks (from the
 * registrars' opening files: a rule reads private facts only as an opening of the record's commitment), and the
 * salt that commits the records an application proposes. A service whose form is not here takes its data as 0x-hex.
 */
interface Form {
  /** The ABI layout of the application data, in order. */
  layout: string;
  /** Fields that may be left out, with their value. */
  defaults?: Record<string, unknown>;
  /** Fields the tool fills with a current birth record opened: `abi.encode(bytes32 documentHash, bytes opening)`. */
  births?: Record<string, "applicant" | { subjectField: string }>;
  /** The field the tool fills with the salt that commits the proposed records' private fields. */
  salt?: string;
  /** The data are this form's one field as it is, not ABI-encoded (the pension's opening). */
  bare?: boolean;
}

const FORMS: Record<string, Form> = {
  BIRTH_REGISTRATION: {
    layout:
      "uint256 child,uint32 birthDate,bytes32 placeOfBirth,bytes32 documentHash,uint256 parent1,uint256 parent2," +
      "bytes32 salt",
    defaults: { parent1: 0, parent2: 0 },
    salt: "salt",
  },
  PENSION_ENROLMENT: { layout: "bytes birth", births: { birth: "applicant" }, bare: true },
  MARRIAGE_REGISTRATION: {
    layout:
      "uint256 partner,bytes32 documentHash,bytes applicantBirth,bytes partnerBirth,uint256 nonce,uint256 deadline," +
      "bytes consent,bytes32 salt",
    births: { applicantBirth: "applicant", partnerBirth: { subjectField: "partner" } },
    salt: "salt",
  },
};

/**
 * A person's current birth record opened, as the rules read it: `abi.encode(bytes32 documentHash, bytes opening)`
 * from the record's opening file in `openingsDir` ("0x" when the person has no current birth record). The file must
 * open the current record: an older one's would be refused by the rule (BIRTH_RECORD_MISMATCH).
 */
export async function openedBirth(registry: CivilRegistry, person: bigint, openingsDir: string): Promise<string> {
  const uid = await registry.latest(textId("BIRTH"), person);
  if (uid === ZeroHash || (await registry.getRecord(uid)).status !== 1n) return "0x";
  const path = openingPath(openingsDir, textId("BIRTH"), person);
  if (!existsSync(path)) {
    throw new Error(
      `the birth record ${uid} of identity ${person} keeps its date private: its opening is not in ${path}`,
    );
  }
  const file = readOpeningFile(path);
  if (!(await registry.verify(uid, file.onChain))) {
    throw new Error(`the opening in ${path} is not of identity ${person}'s current birth record ${uid}`);
  }
  const clear = coder.decode(readSchema(file.schema).fields, file.clear).toObject();
  return birthProof(clear.documentHash as string, file.opening);
}

/** A birth record opened as the rules read it: `abi.encode(bytes32 documentHash, bytes opening)`. */
export function birthProof(documentHash: string, opening: string): string {
  return coder.encode(["bytes32", "bytes"], [documentHash, opening]);
}

/**
 * The application data of `service` for `applicant`: `values` by field name (see FORMS), or 0x-hex as given.
 * Fields the tool fills may not be given. A birth declaration's opening (its salt) is saved in `openingsDir` before
 * the application is sent, as a registrar's record's is.
 */
export async function applicationData(
  hre: HardhatRuntimeEnvironment,
  service: string,
  applicant: bigint,
  values: Record<string, unknown> | string,
  openingsDir = "records",
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
  for (const field of [...Object.keys(form.births ?? {}), ...(form.salt ? [form.salt] : [])]) {
    if (field in values) throw new Error(`the field "${field}" is filled by the tool: leave it out`);
  }
  for (const [field, whose] of Object.entries(form.births ?? {})) {
    const raw = whose === "applicant" ? applicant : filled[whose.subjectField];
    if (raw === undefined) continue; // reported as the missing field it depends on
    filled[field] = await openedBirth(civilRegistry, BigInt(String(raw)), openingsDir);
  }
  if (form.salt) filled[form.salt] = ZeroHash; // a placeholder until the salt is drawn: the fields are checked first
  const where = `the application to ${service}`;
  const encoded = encodeRecord(fields, filled, where);
  if (form.bare) return filled[fields[0].name] as string;
  if (!form.salt) return encoded;
  filled[form.salt] = service === "BIRTH_REGISTRATION" ? await declaredBirthSalt(hre, encoded, openingsDir) : newSalt();
  return encodeRecord(fields, filled, where);
}

/**
 * The salt of a birth declaration: the child's birth record is sealed as a registrar's would be, its opening saved
 * in `openingsDir` first (a declaration sent again with the same facts reuses it, and so proposes the same record).
 */
async function declaredBirthSalt(hre: HardhatRuntimeEnvironment, declaration: string, openingsDir: string) {
  const [child, birthDate, placeOfBirth, documentHash] = coder.decode(
    FORMS.BIRTH_REGISTRATION.layout.split(","),
    declaration,
  );
  const { civilRegistry } = await getServices(hre);
  const register = await registerInfo(civilRegistry, "BIRTH");
  const clear = coder.encode(register.fields, [birthDate, placeOfBirth, documentHash]);
  sealRecord(openingsDir, register, child as bigint, clear);
  return readOpeningFile(openingPath(openingsDir, register.id, child as bigint)).salt;
}

/** The fields a person gives for `service`, to name them in help and messages. */
export function formFields(service: string): string[] | undefined {
  const form = FORMS[service];
  if (!form) return undefined;
  const given = (f: string) => !(f in (form.births ?? {})) && f !== form.salt;
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
  openingsDir = "records",
): Promise<ApplicationOutcome> {
  const serviceId = await resolveService(hre, service);
  const { identityRegistry } = await getSystem(hre);
  const key = await applicantKey.getAddress();
  const applicant = await identityRegistry.identityOf(key);
  if (applicant === 0n) throw new Error(`${key} is not a live key of any identity: only an identity applies`);
  const data = await applicationData(hre, service, applicant, values, openingsDir);
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
  // an approval gives the application's data again (the chain keeps their hash), the proposed records standing
  const data = approve ? coder.encode(["bytes", "bytes[]"], [await submittedData(hre, applicationId), []]) : "0x";
  return sendChecked(hre, serviceDesk, "decide", [applicationId, approve, data, reason]);
}

/**
 * The data an application was submitted with, read from its transaction: events and state keep only their hash,
 * but the transaction's calldata holds them (calldata stays visible to node operators). An application sent
 * through another contract has them elsewhere in its calldata: the tool says so.
 */
async function submittedData(hre: HardhatRuntimeEnvironment, applicationId: bigint): Promise<string> {
  const { serviceDesk } = await getServices(hre);
  const [event] = await serviceDesk.queryFilter(serviceDesk.filters.ApplicationSubmitted(applicationId));
  const tx = event && (await hre.ethers.provider.getTransaction(event.transactionHash));
  let data = "0x";
  try {
    // submit(bytes32,bytes) and apply(bytes32,bytes) take the same arguments
    data = coder.decode(["bytes32", "bytes"], dataSlice(tx!.data, 4))[1] as string;
  } catch {
    // not a call to the ServiceDesk: said below
  }
  if (!event || keccak256(data) !== event.args.dataHash) {
    throw new Error(
      `the data of application ${applicationId} are not in its transaction's calldata (sent through another ` +
        "contract?): an approval needs them",
    );
  }
  return data;
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
