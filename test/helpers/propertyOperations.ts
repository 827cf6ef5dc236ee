/**
 * Generated sequences of GovChain operations, run against a node by one `hardhat run` for the data service's
 * property test: each line of stdin is a sequence (JSON), answered on stdout by one line, `outcomes:` and each
 * operation's outcome (done, refused on chain with its transaction, or not sent). The registrars' openings are kept
 * in GOVCHAIN_OPENINGS, across sequences. Each operation is sent without the tools' simulation: what the chain
 * refuses is mined as a reverted transaction, the case the index must hold nothing for.
 */
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { type BaseContract, type ContractTransactionResponse, ZeroHash, keccak256, toBeHex, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { textId } from "../../scripts/lib/common/ids";
import { resolveService } from "../../scripts/lib/common/names";
import { getFinance, getServices, getSystem } from "../../scripts/lib/common/system";
import { explain } from "../../scripts/lib/common/tx";
import { draftLawUpdate, type LawFile } from "../../scripts/lib/law/draft";
import { signLawUpdate } from "../../scripts/lib/law/sign";
import { noteRecordUid, openingPath, sealRecord } from "../../scripts/lib/registry/openings";
import { encodeRecord, registerInfo } from "../../scripts/lib/registry/registry";
import { applicationData, decideApplication, signMarriageConsent } from "../../scripts/lib/services/services";

/** Named accounts of hardhat.config.ts that act in the operations. */
export type Actor =
  "registrar" | "registrar2" | "hospitalRegistrar" | "director" | "officer" | "centralBanker" | "outsider";
/** Registers the operations write (DEATH left out: a death ends the registrar's own identity, and most else). */
export type Register = "BIRTH" | "RESIDENCE" | "MARRIAGE";
/** A grant a law update may give or take: CIVIL_REGISTRATION_ACT's, on one register. */
export interface GrantSlot {
  role: "MARKET_REGULATOR" | "REGISTRAR";
  fn: "amend" | "revoke";
  register: "BUSINESS_LICENCE" | "PENSION_ENROLMENT";
}

export type Operation =
  | { kind: "record"; register: Register; subject: number; by: Actor; seed: number }
  | { kind: "amend"; pick: number; by: Actor; seed: number }
  | { kind: "revoke"; pick: number; by: Actor }
  | { kind: "mint"; to: Actor | "Treasury"; amount: number }
  | { kind: "transfer"; from: Actor; to: Actor; amount: number }
  | { kind: "param"; law: "MARRIAGE_LAW" | "PENSION_ACT"; key: string; value: number; quorum: boolean }
  | { kind: "grant"; slot: GrantSlot; scope: "Any" | "Jurisdiction" }
  | { kind: "revokeGrant"; slot: GrantSlot }
  | { kind: "addKey"; owner: Actor; spare: number }
  | { kind: "revokeKey"; owner: Actor; spare: number }
  | { kind: "apply"; service: "PENSION_ENROLMENT" | "MARRIAGE_REGISTRATION"; by: Actor }
  | { kind: "decide"; pick: number; approve: boolean };

/** What became of an operation: mined, mined and reverted (with the error the node's estimate gave), or not sent. */
export type Outcome =
  | { outcome: "done"; hash: string }
  | { outcome: "refused"; hash: string; reason: string }
  | { outcome: "not sent"; reason: string };

/** Accounts of the development mnemonic that no named account uses: keys to add to identities. */
const SPARE_KEYS = [27, 28, 29];
/** The gas of a transaction the node would refuse: enough for any of these operations, so it reverts by its error. */
const REFUSED_GAS = 3_000_000n;
const GENESIS = resolve(__dirname, "../../genesis");
const TEXTS: Record<string, string> = {
  MARRIAGE_LAW: "texts/marriage-law.md",
  PENSION_ACT: "texts/pension-act.md",
  CIVIL_REGISTRATION_ACT: "texts/civil-registration-act.md",
};

const signer = async (name: string) => hre.ethers.getSigner((await hre.getNamedAccounts())[name]);
const spareKey = async (i: number) => (await hre.ethers.getSigners())[SPARE_KEYS[i % SPARE_KEYS.length]];

/**
 * Sends `method(args)` from the contract's signer as a person who did not simulate it would: with the node's gas
 * estimate when the call would succeed, else with a fixed gas, so that the chain mines its refusal.
 */
async function send(contract: BaseContract, method: string, args: unknown[]): Promise<Outcome> {
  const fn = contract.getFunction(method);
  let refusal: string | undefined;
  const gasLimit = await fn.estimateGas(...args).then(
    (gas) => (gas * 12n) / 10n,
    async (error) => {
      refusal = await explain(hre, error);
      return REFUSED_GAS;
    },
  );
  const tx = (await fn.send(...args, { gasLimit })) as ContractTransactionResponse;
  await tx.wait().catch(() => undefined); // a refusal throws: its receipt says so below
  const receipt = await hre.ethers.provider.getTransactionReceipt(tx.hash);
  if (receipt?.status === 1) return { outcome: "done", hash: tx.hash };
  return { outcome: "refused", hash: tx.hash, reason: refusal ?? "reverted, though its estimate passed" };
}

/** A record's fields by name, varied by `seed`; private fields are sealed by the caller. */
function recordValues(register: Register, seed: number): Record<string, unknown> {
  const date = `19${50 + (seed % 45)}0${1 + (seed % 9)}1${seed % 10}`;
  const documentHash = keccak256(toUtf8Bytes(`${register} document ${seed}`));
  if (register === "BIRTH") return { birthDate: date, placeOfBirth: "CN-11-01", documentHash };
  if (register === "MARRIAGE") return { spouse: 4n + BigInt(seed % 5), marriageDate: date, documentHash };
  return { jurisdiction: "CN-11-01", since: date, streetAddress: `${seed} Dongsi Street`, documentHash };
}

/** The persons whose records the operations write: Dongcheng's registrar and hospital registrar, Shanghai's registrar. */
export const SUBJECTS = [5, 8, 6];
/** No record of the chain's: what an amendment or a revocation names when there is no current record to pick. */
const UNKNOWN_UID = toBeHex((1n << 96n) | (5n << 32n) | 0xffffffffn, 32);

/**
 * The current record `pick` points at (modulo their number) among the subjects' records in `registers`, or
 * undefined when there is none.
 */
async function currentRecord(pick: number, registers: string[]) {
  const { civilRegistry } = await getServices(hre);
  const current: { register: string; subject: number; uid: string }[] = [];
  for (const register of registers)
    for (const subject of SUBJECTS) {
      const uid = await civilRegistry.latest(textId(register), subject);
      if (uid !== ZeroHash && (await civilRegistry.getRecord(uid)).status === 1n)
        current.push({ register, subject, uid });
    }
  return current.length ? current[pick % current.length] : undefined;
}

/** Records (`record`) or amends (`amend`, the picked current record) with new fields, as `op.by`. */
async function writeRecord(op: Extract<Operation, { kind: "record" | "amend" }>, openings: string): Promise<Outcome> {
  const picked = op.kind === "amend" ? await currentRecord(op.pick, ["BIRTH", "RESIDENCE", "MARRIAGE"]) : undefined;
  const register = (op.kind === "record" ? op.register : (picked?.register ?? "BIRTH")) as Register;
  const subject = BigInt(op.kind === "record" ? op.subject : (picked?.subject ?? SUBJECTS[0]));
  const { civilRegistry } = await getServices(hre, await signer(op.by));
  const info = await registerInfo(civilRegistry, register);
  const clear = encodeRecord(info.fields, recordValues(register, op.seed), register);
  // sealed apart, and kept only once written: a refused record's opening must not replace the current one's
  const sealing = mkdtempSync(join(openings, "sealing-"));
  const data = sealRecord(sealing, info, subject, clear);
  const outcome =
    op.kind === "record"
      ? await send(civilRegistry, "record", [info.id, subject, data])
      : await send(civilRegistry, "amend", [picked?.uid ?? UNKNOWN_UID, data, `correction ${op.seed}`]);
  if (outcome.outcome === "done" && existsSync(openingPath(sealing, info.id, subject))) {
    noteRecordUid(sealing, info.id, subject, data, await civilRegistry.latest(info.id, subject));
    renameSync(openingPath(sealing, info.id, subject), openingPath(openings, info.id, subject));
  }
  rmSync(sealing, { recursive: true, force: true });
  return outcome;
}

/** A law update of `law` with these contents, signed by two legislators (the quorum) or only one. */
async function enactLaw(law: string, contents: Partial<LawFile>, quorum: boolean): Promise<Outcome> {
  const file = await draftLawUpdate(hre, { law: { lawId: law, text: TEXTS[law], ...contents }, baseDir: GENESIS });
  const legislators = quorum ? ["legislator1", "legislator2"] : ["legislator3"];
  const signatures = await Promise.all(legislators.map(async (l) => signLawUpdate(await signer(l), file)));
  const { legislature } = await getSystem(hre, await signer("deployer"));
  return send(legislature, "enact", [file.update, signatures.map((s) => s.signature)]);
}

const grantArgs = (s: GrantSlot) => [
  "CIVIL_REGISTRATION_ACT",
  s.role,
  "CivilRegistry",
  `CivilRegistry.${s.fn}`,
  s.register,
];

/** An application by `op.by`'s key: a pension, or a marriage with the consent of the other person of Dongcheng. */
async function apply(op: Extract<Operation, { kind: "apply" }>, openings: string): Promise<Outcome> {
  const key = await signer(op.by);
  const { identityRegistry } = await getSystem(hre);
  const applicant = await identityRegistry.identityOf(key.address);
  let values = {};
  if (op.service === "MARRIAGE_REGISTRATION") {
    // the partner is the other person of Dongcheng, whose applications the civil affairs officer there decides
    const partner = await signer(op.by === "registrar" ? "hospitalRegistrar" : "registrar");
    const documentHash = keccak256(toUtf8Bytes(`marriage certificate of ${applicant}`));
    values = { ...(await signMarriageConsent(hre, partner, applicant.toString(), documentHash)) };
  }
  const data = await applicationData(hre, op.service, applicant, values, openings);
  const { serviceDesk } = await getServices(hre, key);
  return send(serviceDesk, "submit", [await resolveService(hre, op.service), data]);
}

/**
 * The referred application `pick` points at (modulo their number), decided by the civil affairs officer through the
 * tools (an approval gives the application's data again, read from its transaction), whose simulation refuses
 * before sending.
 */
async function decide(op: Extract<Operation, { kind: "decide" }>): Promise<Outcome> {
  const { serviceDesk } = await getServices(hre);
  const referred: bigint[] = [];
  for (let id = 1n; id <= (await serviceDesk.applicationCount()); id++)
    if ((await serviceDesk.application(id)).status === 4n) referred.push(id);
  if (referred.length === 0) return { outcome: "not sent", reason: "no referred application" };
  const id = referred[op.pick % referred.length];
  const receipt = await decideApplication(hre, await signer("officer"), id, op.approve, `decision ${op.pick}`);
  return { outcome: "done", hash: receipt.hash };
}

/** Runs one operation as its actor would, each refusal left to the chain (but a decision's, see `decide`). */
async function run(op: Operation, openings: string): Promise<Outcome> {
  const { fiatToken } = await getFinance(hre);
  const account = async (who: string) =>
    who === "Treasury" ? ((await getFinance(hre)).treasury.target as string) : (await signer(who)).address;
  switch (op.kind) {
    case "record":
    case "amend":
      return writeRecord(op, openings);
    case "revoke": {
      const { civilRegistry } = await getServices(hre, await signer(op.by));
      const picked = await currentRecord(op.pick, ["BIRTH", "RESIDENCE", "MARRIAGE", "PENSION_ENROLMENT"]);
      return send(civilRegistry, "revoke", [picked?.uid ?? UNKNOWN_UID, "recorded in error"]);
    }
    case "mint":
      return send(fiatToken.connect(await signer("centralBanker")), "mint", [await account(op.to), op.amount]);
    case "transfer":
      return send(fiatToken.connect(await signer(op.from)), "transfer", [await account(op.to), op.amount]);
    case "param":
      return enactLaw(op.law, { params: { [op.key]: op.value } }, op.quorum);
    case "grant": {
      const { role, fn, register } = op.slot;
      const grants = [{ role, contract: "CivilRegistry", functions: [fn], resources: [register], scope: op.scope }];
      return enactLaw("CIVIL_REGISTRATION_ACT", { grants }, true);
    }
    case "revokeGrant":
      return enactLaw(
        "CIVIL_REGISTRATION_ACT",
        { calls: [{ contract: "SmartLaw", function: "revokeGrantOn", args: grantArgs(op.slot) }] },
        true,
      );
    case "addKey": {
      const key = await spareKey(op.spare);
      const owner = await signer(op.owner);
      const { identityRegistry } = await getSystem(hre, owner);
      const identity = await identityRegistry.identityOf(owner.address);
      // the key consents first, by its own transaction (refused when it already belongs to an identity)
      const consent = await send(identityRegistry.connect(key), "consentToIdentity", [identity]);
      if (consent.outcome !== "done") return consent;
      return send(identityRegistry, "addKey", [identity, key.address]);
    }
    case "revokeKey": {
      const { identityRegistry } = await getSystem(hre, await signer(op.owner));
      return send(identityRegistry, "revokeKey", [(await spareKey(op.spare)).address]);
    }
    case "apply":
      return apply(op, openings);
    case "decide":
      return decide(op);
  }
}

/** Runs a sequence, one operation after another: the outcome of each. */
export async function runOperations(operations: Operation[], openings: string) {
  mkdirSync(openings, { recursive: true });
  const outcomes: Outcome[] = [];
  for (const op of operations) {
    // a tool's refusal before anything is sent (no opening for an application, a decision the simulation refuses)
    outcomes.push(await run(op, openings).catch((error: Error) => ({ outcome: "not sent", reason: error.message })));
  }
  return outcomes;
}

/** What starts the line of a sequence's outcomes on stdout (Hardhat may print other lines). */
export const OUTCOMES = "outcomes:";

if (require.main === module) {
  // one sequence per line of stdin, answered by one line: one process, and one start of Hardhat, serves them all
  (async () => {
    for await (const line of createInterface({ input: process.stdin })) {
      const outcomes = await runOperations(JSON.parse(line) as Operation[], process.env.GOVCHAIN_OPENINGS!);
      console.log(`${OUTCOMES} ${JSON.stringify(outcomes)}`);
    }
  })().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
