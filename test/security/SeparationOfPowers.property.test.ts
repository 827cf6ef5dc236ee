import { expect } from "chai";
import fc from "fast-check";
import { deployments, ethers } from "hardhat";
import type { ContractTransactionReceipt, ContractTransactionResponse, HDNodeWallet, Log, Signer } from "ethers";

import { lawId, roleId } from "../../scripts/lib/common/ids";
import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { BEIJING, CN, DONGCHENG, GENESIS, GENESIS_APPOINTMENTS, SHANGHAI, STATUS, XICHENG } from "../helpers/identity";
import { call, enact } from "../helpers/law";
import { BIRTH, DEATH, birthData, chainDate, deathData, enrollPerson } from "../helpers/registry";
import { BIRTH_REGISTRATION, approval, birthDeclaration } from "../helpers/services";
import { MINISTRY_BUDGET, mint, newPerson } from "../helpers/treasury";

/**
 * Separation of powers, as a model-based property: random appointments, dismissals, status and key changes,
 * records, allowances, transfers, court orders, payments and repeals, each by a random actor (officials, citizens,
 * a stranger). A plain model keeps the genesis grants, who holds which appointment where, the identities' status,
 * their keys, and which laws are in force. After every step:
 * - the step succeeded exactly when the model says the actor had a power for that act under a law in force;
 * - every state change in the step's events names the actor (his identity and key) and the very law the model
 *   finds for that act; tokens moved only between, and by, keys with standing.
 */

const ACTS = {
  CIVIL_ADMINISTRATION_ACT: lawId("CIVIL_ADMINISTRATION_ACT"),
  CIVIL_REGISTRATION_ACT: lawId("CIVIL_REGISTRATION_ACT"),
  BIRTH_REGISTRATION_ACT: lawId("BIRTH_REGISTRATION_ACT"),
  CURRENCY_ACT: lawId("CURRENCY_ACT"),
  PUBLIC_FINANCE_ACT: lawId("PUBLIC_FINANCE_ACT"),
};
type Act = keyof typeof ACTS;

const ROLES = [
  "PERSONNEL_OFFICER",
  "REGISTRAR",
  "HOSPITAL_REGISTRAR",
  "CIVIL_AFFAIRS_OFFICER",
  "JUDGE",
  "FINANCE_OFFICER",
  "SERVICE_DESK",
  "TREASURY",
] as const;
type Role = (typeof ROLES)[number];
const SERVICE_ROLES: Role[] = ["SERVICE_DESK", "TREASURY"];

/** A power the genesis law grants: a role may do an act (on a resource), within its jurisdiction or anywhere. */
interface Power {
  law: Act;
  role: Role;
  act: string;
  resource?: string;
  scope: "Any" | "Jurisdiction";
}
/** The genesis grants the commands below exercise, in the order the genesis law makes them. */
const POWERS: Power[] = [
  // registrars change the status of persons only; organisations' status is the Legislature's alone
  ...["PERSON:ACTIVE", "PERSON:SUSPENDED", "PERSON:DECEASED"].map((resource): Power => ({
    law: "CIVIL_ADMINISTRATION_ACT",
    role: "REGISTRAR",
    act: "setStatus",
    resource,
    scope: "Jurisdiction",
  })),
  // keys are added by the identity itself: no official holds addKey
  { law: "CIVIL_ADMINISTRATION_ACT", role: "REGISTRAR", act: "revokeKey", scope: "Jurisdiction" },
  ...["REGISTRAR", "HOSPITAL_REGISTRAR", "CIVIL_AFFAIRS_OFFICER", "MARKET_REGULATOR"].flatMap((resource) =>
    ["appoint", "dismiss"].map((act): Power => ({
      law: "CIVIL_ADMINISTRATION_ACT",
      role: "PERSONNEL_OFFICER",
      act,
      resource,
      scope: "Jurisdiction",
    })),
  ),
  ...["BIRTH", "DEATH"].map((resource): Power => ({
    law: "CIVIL_REGISTRATION_ACT",
    role: "REGISTRAR",
    act: "record",
    resource,
    scope: "Jurisdiction",
  })),
  ...["BIRTH", "DEATH"].map((resource): Power => ({
    law: "CIVIL_REGISTRATION_ACT",
    role: "HOSPITAL_REGISTRAR",
    act: "record",
    resource,
    scope: "Jurisdiction",
  })),
  {
    law: "BIRTH_REGISTRATION_ACT",
    role: "CIVIL_AFFAIRS_OFFICER",
    act: "record",
    resource: "BIRTH",
    scope: "Jurisdiction",
  },
  {
    law: "BIRTH_REGISTRATION_ACT",
    role: "CIVIL_AFFAIRS_OFFICER",
    act: "decide",
    resource: "BIRTH_REGISTRATION",
    scope: "Jurisdiction",
  },
  { law: "CURRENCY_ACT", role: "JUDGE", act: "freeze", scope: "Jurisdiction" },
  { law: "PUBLIC_FINANCE_ACT", role: "FINANCE_OFFICER", act: "pay", scope: "Jurisdiction" },
];

/** The jurisdiction tree of the genesis law, as parent links. */
const PARENT: Record<string, string | undefined> = {
  [CN]: undefined,
  [BEIJING]: CN,
  [DONGCHENG]: BEIJING,
  [XICHENG]: BEIJING,
  [SHANGHAI]: CN,
};
function within(code: string, ancestor: string): boolean {
  for (let c: string | undefined = code; c !== undefined; c = PARENT[c]) if (c === ancestor) return true;
  return false;
}

interface ModelIdentity {
  kind: "person" | "organisation";
  status: number;
  jurisdiction: string;
}
interface ModelAppointment {
  id: bigint;
  official: bigint;
  role: Role;
  department: bigint;
  jurisdiction: string;
  until: bigint;
  dismissed: boolean;
  law: Act;
}
interface Model {
  identities: Map<bigint, ModelIdentity>;
  /** key -> its identity and whether it is live */
  keys: Map<string, { id: bigint; live: boolean }>;
  liveKeys: Map<bigint, number>;
  appointments: ModelAppointment[];
  /** identities that hold or ever held an appointment */
  everAppointed: Set<bigint>;
  repealed: Set<Act>;
  frozen: Set<string>;
  allowances: Map<string, bigint>;
  records: Set<string>;
  /** referred applications decided so far */
  decided: Set<bigint>;
  /** the Ministry's budget left */
  budget: bigint;
}

/** The actors: officials of the genesis, new persons with wallets (one in Shanghai), and a stranger. */
const ACTORS = [
  "director",
  "registrar",
  "registrar2",
  "hospitalRegistrar",
  "officer",
  "judge",
  "financeOfficer",
  "p0",
  "p1",
  "p2",
  "outsider",
] as const;
type Actor = (typeof ACTORS)[number];

interface Real {
  f: SystemFixture;
  signers: Record<Actor, Signer>;
  /** the new persons' identities (p0, p1 in Dongcheng; p2 in Shanghai) */
  persons: bigint[];
  wallets: HDNodeWallet[];
  now: () => Promise<bigint>;
  /** birth declarations referred to the civil affairs officer: by p0 of a Dongcheng child, by p2 of a Shanghai one */
  referrals: { id: bigint; applicant: bigint; key: string; child: bigint; jurisdiction: string; data: string }[];
}

const MAX_LIVE_KEYS = 4;
const TERM_END = BigInt(Date.UTC(2031, 0, 1) / 1000);
const DEPARTMENTS = [GENESIS.ministry, GENESIS.dongchengOffice, GENESIS.shanghaiBureau, GENESIS.court];
const JURISDICTIONS = [CN, DONGCHENG, XICHENG, SHANGHAI];

function identityOfKey(model: Model, key: string): bigint {
  const k = model.keys.get(key);
  return k !== undefined && k.live ? k.id : 0n;
}

/** Whether an appointment confers its power now: in term, not dismissed, department active, its law in force. */
function inEffect(model: Model, a: ModelAppointment, now: bigint): boolean {
  return (
    !a.dismissed &&
    a.until > now &&
    model.identities.get(a.department)!.status === STATUS.Active &&
    !model.repealed.has(a.law)
  );
}

/**
 * The law under which `key` may do `act` (on `resource`) for a subject in `subjectJurisdiction`, as SmartLaw
 * decides it: the first grant, in the order made, whose law is in force and whose role the key's identity holds,
 * active, in effect and (for scope Jurisdiction) covering the subject. Undefined when no law allows it.
 */
function lawFor(
  model: Model,
  key: string,
  act: string,
  resource: string | undefined,
  subjectJurisdiction: string,
  now: bigint,
): Act | undefined {
  const id = identityOfKey(model, key);
  if (id === 0n || model.identities.get(id)?.status !== STATUS.Active) return undefined;
  for (const p of POWERS) {
    if (p.act !== act || p.resource !== resource || model.repealed.has(p.law)) continue;
    const post = model.appointments.find((a) => a.official === id && a.role === p.role && inEffect(model, a, now));
    if (post === undefined) continue;
    if (p.scope === "Any" || within(subjectJurisdiction, post.jurisdiction)) return p.law;
  }
  return undefined;
}

/** Whether a key may hold and move tokens: a live key of an active identity, not frozen. */
function hasStanding(model: Model, key: string): boolean {
  const id = identityOfKey(model, key);
  return id !== 0n && model.identities.get(id)!.status === STATUS.Active && !model.frozen.has(key);
}

async function send(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt | undefined> {
  try {
    return (await (await tx).wait()) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The events of a receipt, parsed by whichever system contract emitted them. */
function eventsOf(r: Real, receipt: ContractTransactionReceipt) {
  const contracts = [r.f.identityRegistry, r.f.civilRegistry, r.f.fiatToken, r.f.treasury, r.f.serviceDesk];
  return receipt.logs.flatMap((log: Log) => {
    for (const c of contracts) {
      if (log.address.toLowerCase() !== (c.target as string).toLowerCase()) continue;
      const parsed = c.interface.parseLog(log);
      if (parsed) return [{ name: parsed.name, args: parsed.args }];
    }
    return [];
  });
}

/** How many events naming who acted (`by`) the steps checked: the check must have been exercised. */
let actorsChecked = 0;

/**
 * A step: the model says whether it must succeed and, if so, which law it is done under; the step runs, its outcome
 * must match, and every state-changing event it emits must name the actor and that law.
 */
abstract class Step implements fc.AsyncCommand<Model, Real> {
  constructor(readonly actor: Actor) {}
  check = () => true;
  /** What the model expects: undefined for a refusal, else the law (null where none is named, as for transfers). */
  abstract expect(model: Model, r: Real, now: bigint): Promise<Act | null | undefined>;
  abstract send(r: Real): Promise<ContractTransactionResponse>;
  abstract update(model: Model, r: Real, receipt: ContractTransactionReceipt): void;

  async run(model: Model, r: Real) {
    // the next block's time: the model judges at the block the step is mined in
    const now = (await r.now()) + 1n;
    await ethers.provider.send("evm_setNextBlockTimestamp", [Number(now)]);
    const law = await this.expect(model, r, now);
    const receipt = await send(this.send(r));
    expect(
      receipt !== undefined,
      `${this.toString()}: model expects ${law === undefined ? "a refusal" : "success"}`,
    ).to.equal(law !== undefined);
    if (receipt === undefined) return;
    const actorKey = await r.signers[this.actor].getAddress();
    const actorId = identityOfKey(model, actorKey);
    const tokenCall = receipt.to!.toLowerCase() === (r.f.fiatToken.target as string).toLowerCase();
    for (const e of eventsOf(r, receipt)) {
      if ("lawId" in e.args.toObject()) {
        // an act of the identity's own key is done under no law, and says so
        const named = law === null ? ethers.ZeroHash : ACTS[law!];
        expect(e.args.lawId, `${this.toString()}: ${e.name} names the law`).to.equal(named);
      }
      if ("by" in e.args.toObject()) {
        // every step is a transaction the actor's key sends straight to the contract that emits: none of these
        // events comes from a contract acting on his behalf, so `by` is his key (the Legislature's acts are Repeal)
        expect(e.args.by, `${this.toString()}: ${e.name} names who acted`).to.equal(actorKey);
        actorsChecked++;
      }
      if (e.name === "RecordAdded") {
        expect([e.args.official, e.args.key]).to.deep.equal([actorId, actorKey]);
      }
      if (e.name === "PaymentMade") expect(e.args.officer).to.equal(actorKey);
      if (e.name === "Transfer" && e.args.to !== ethers.ZeroAddress && e.args.from !== ethers.ZeroAddress) {
        // the Treasury pays as a service account; whoever spends through the token must have standing
        for (const key of tokenCall ? [e.args.from, e.args.to, actorKey] : [e.args.to]) {
          expect(hasStanding(model, key), `${this.toString()}: ${key} has standing`).to.equal(true);
        }
      }
    }
    this.update(model, r, receipt);
  }
}

const reason = ethers.id("property");

class Appoint extends Step {
  constructor(
    actor: Actor,
    readonly official: number,
    readonly role: Role,
    readonly jurisdiction: number,
    readonly department: number,
  ) {
    super(actor);
  }
  private officialId = (r: Real) => officialIds(r)[this.official];
  async expect(model: Model, r: Real, now: bigint) {
    const law = lawFor(
      model,
      await r.signers[this.actor].getAddress(),
      "appoint",
      this.role,
      JURISDICTIONS[this.jurisdiction],
      now,
    );
    const official = this.officialId(r);
    const target = model.identities.get(official)!;
    const department = model.identities.get(DEPARTMENTS[this.department])!;
    const actorId = identityOfKey(model, await r.signers[this.actor].getAddress());
    const taken = model.appointments.some(
      (a) => a.official === official && a.role === this.role && !a.dismissed && a.until > now,
    );
    const ok =
      law !== undefined &&
      target.kind === "person" &&
      target.status === STATUS.Active &&
      actorId !== official &&
      department.status === STATUS.Active &&
      !SERVICE_ROLES.includes(this.role) &&
      !taken;
    return ok ? law : undefined;
  }
  send(r: Real) {
    return r.f.identityRegistry
      .connect(r.signers[this.actor])
      .appoint(
        this.officialId(r),
        roleId(this.role),
        DEPARTMENTS[this.department],
        JURISDICTIONS[this.jurisdiction],
        0,
        TERM_END,
      );
  }
  update(model: Model, r: Real, receipt: ContractTransactionReceipt) {
    const e = eventsOf(r, receipt).find((x) => x.name === "OfficialAppointed")!;
    model.everAppointed.add(this.officialId(r));
    model.appointments.push({
      id: e.args.appointmentId,
      official: this.officialId(r),
      role: this.role,
      department: DEPARTMENTS[this.department],
      jurisdiction: JURISDICTIONS[this.jurisdiction],
      until: TERM_END,
      dismissed: false,
      law: "CIVIL_ADMINISTRATION_ACT",
    });
  }
  toString = () =>
    `${this.actor} appoints o${this.official} ${this.role} in j${this.jurisdiction}, d${this.department}`;
}

class Dismiss extends Step {
  constructor(
    actor: Actor,
    readonly index: number,
  ) {
    super(actor);
  }
  private target = (model: Model) => model.appointments[this.index % model.appointments.length];
  async expect(model: Model, r: Real, now: bigint) {
    const a = this.target(model);
    const key = await r.signers[this.actor].getAddress();
    const law = lawFor(model, key, "dismiss", a.role, a.jurisdiction, now);
    const ok = law !== undefined && identityOfKey(model, key) !== a.official && !a.dismissed && a.until > now;
    return ok ? law : undefined;
  }
  private id?: bigint;
  send(r: Real) {
    return r.f.identityRegistry.connect(r.signers[this.actor]).dismiss(this.id!, "property");
  }
  override async run(model: Model, r: Real) {
    this.id = this.target(model).id;
    await super.run(model, r);
  }
  update(model: Model) {
    this.target(model).dismissed = true;
  }
  toString = () => `${this.actor} dismisses appointment #${this.index}`;
}

class SetStatus extends Step {
  constructor(
    actor: Actor,
    readonly subject: number,
    readonly suspend: boolean,
  ) {
    super(actor);
  }
  private id = (r: Real) => subjectIds(r)[this.subject];
  async expect(model: Model, r: Real, now: bigint) {
    const subject = model.identities.get(this.id(r))!;
    const resource = `${subject.kind.toUpperCase()}:${this.suspend ? "SUSPENDED" : "ACTIVE"}`;
    const law = lawFor(
      model,
      await r.signers[this.actor].getAddress(),
      "setStatus",
      resource,
      subject.jurisdiction,
      now,
    );
    const ok = law !== undefined && subject.status === (this.suspend ? STATUS.Active : STATUS.Suspended);
    return ok ? law : undefined;
  }
  send(r: Real) {
    const to = this.suspend ? STATUS.Suspended : STATUS.Active;
    return r.f.identityRegistry.connect(r.signers[this.actor]).setStatus(this.id(r), to, "property");
  }
  update(model: Model, r: Real) {
    model.identities.get(this.id(r))!.status = this.suspend ? STATUS.Suspended : STATUS.Active;
  }
  toString = () => `${this.actor} ${this.suspend ? "suspends" : "reinstates"} s${this.subject}`;
}

class AddKey extends Step {
  constructor(
    actor: Actor,
    readonly person: number,
    readonly consent: boolean,
  ) {
    super(actor);
  }
  private key?: HDNodeWallet;
  async expect(model: Model, r: Real) {
    const id = r.persons[this.person];
    const subject = model.identities.get(id)!;
    const actorKey = await r.signers[this.actor].getAddress();
    const own = identityOfKey(model, actorKey) === id;
    const law = own ? null : undefined; // an act of the identity itself, under no law
    const ok =
      law !== undefined && this.consent && subject.status === STATUS.Active && model.liveKeys.get(id)! < MAX_LIVE_KEYS;
    return ok ? law : undefined;
  }
  override async run(model: Model, r: Real) {
    this.key = ethers.Wallet.createRandom(ethers.provider);
    if (this.consent) {
      await ethers.provider.send("hardhat_setBalance", [this.key.address, "0x56BC75E2D63100000"]);
      await r.f.identityRegistry.connect(this.key).consentToIdentity(r.persons[this.person]);
    }
    await super.run(model, r);
  }
  send(r: Real) {
    return r.f.identityRegistry.connect(r.signers[this.actor]).addKey(r.persons[this.person], this.key!.address);
  }
  update(model: Model, r: Real) {
    const id = r.persons[this.person];
    model.keys.set(this.key!.address, { id, live: true });
    model.liveKeys.set(id, model.liveKeys.get(id)! + 1);
  }
  toString = () => `${this.actor} adds a key ${this.consent ? "with" : "without"} consent to p${this.person}`;
}

class RevokeKey extends Step {
  constructor(
    actor: Actor,
    readonly person: number,
  ) {
    super(actor);
  }
  private key?: string;
  async expect(model: Model, r: Real, now: bigint) {
    const id = r.persons[this.person];
    const actorKey = await r.signers[this.actor].getAddress();
    const own = identityOfKey(model, actorKey) === id;
    // an official's keys (anyone ever appointed) are revoked by himself or by a law only
    const law = own
      ? null
      : model.everAppointed.has(id)
        ? undefined
        : lawFor(model, actorKey, "revokeKey", undefined, model.identities.get(id)!.jurisdiction, now);
    return law !== undefined && model.keys.get(this.key!)!.live ? law : undefined;
  }
  override async run(model: Model, r: Real) {
    // the most recently added live key of the person other than its wallet, else its wallet
    const id = r.persons[this.person];
    const wallet = r.wallets[this.person].address;
    const others = [...model.keys.entries()].filter(([k, v]) => v.id === id && v.live && k !== wallet);
    this.key = others.length > 0 ? others[others.length - 1][0] : wallet;
    await super.run(model, r);
  }
  send(r: Real) {
    return r.f.identityRegistry.connect(r.signers[this.actor]).revokeKey(this.key!);
  }
  update(model: Model, r: Real) {
    const id = r.persons[this.person];
    model.keys.get(this.key!)!.live = false;
    model.liveKeys.set(id, model.liveKeys.get(id)! - 1);
  }
  toString = () => `${this.actor} revokes a key of p${this.person}`;
}

class RecordStep extends Step {
  constructor(
    actor: Actor,
    readonly birth: boolean,
    readonly person: number,
  ) {
    super(actor);
  }
  private register = () => (this.birth ? BIRTH : DEATH);
  async expect(model: Model, r: Real, now: bigint) {
    const id = r.persons[this.person];
    const law = lawFor(
      model,
      await r.signers[this.actor].getAddress(),
      "record",
      this.birth ? "BIRTH" : "DEATH",
      model.identities.get(id)!.jurisdiction,
      now,
    );
    return law !== undefined && !model.records.has(`${this.register()}:${id}`) ? law : undefined;
  }
  send(r: Real) {
    const data = this.birth ? birthData(19900101) : deathData(20260101);
    return r.f.civilRegistry.connect(r.signers[this.actor]).record(this.register(), r.persons[this.person], data);
  }
  update(model: Model, r: Real) {
    model.records.add(`${this.register()}:${r.persons[this.person]}`);
  }
  toString = () => `${this.actor} records a ${this.birth ? "birth" : "death"} of p${this.person}`;
}

class Approve extends Step {
  constructor(
    readonly owner: number,
    readonly spender: Actor,
  ) {
    super(ACTORS[7 + owner]);
  }
  async expect(model: Model, r: Real) {
    const ok =
      hasStanding(model, r.wallets[this.owner].address) &&
      hasStanding(model, await r.signers[this.spender].getAddress());
    return ok ? null : undefined;
  }
  send(r: Real) {
    return r.f.fiatToken.connect(r.wallets[this.owner]).approve(r.signers[this.spender], 1000n);
  }
  update(model: Model) {
    model.allowances.set(`${this.owner}:${this.spender}`, 1000n);
  }
  toString = () => `p${this.owner} lets ${this.spender} spend`;
}

class TransferFrom extends Step {
  constructor(
    readonly spender: Actor,
    readonly owner: number,
    readonly to: number,
  ) {
    super(spender);
  }
  async expect(model: Model, r: Real) {
    const allowance = model.allowances.get(`${this.owner}:${this.spender}`) ?? 0n;
    const ok =
      allowance >= 100n &&
      [r.wallets[this.owner].address, r.wallets[this.to].address, await r.signers[this.spender].getAddress()].every(
        (k) => hasStanding(model, k),
      );
    return ok ? null : undefined;
  }
  send(r: Real) {
    return r.f.fiatToken
      .connect(r.signers[this.spender])
      .transferFrom(r.wallets[this.owner].address, r.wallets[this.to].address, 100n);
  }
  update(model: Model) {
    const k = `${this.owner}:${this.spender}`;
    model.allowances.set(k, model.allowances.get(k)! - 100n);
  }
  toString = () => `${this.spender} moves 1.00 from p${this.owner} to p${this.to}`;
}

class Freeze extends Step {
  constructor(
    actor: Actor,
    readonly person: number,
  ) {
    super(actor);
  }
  async expect(model: Model, r: Real, now: bigint) {
    const key = r.wallets[this.person].address;
    const id = r.persons[this.person];
    const law = lawFor(
      model,
      await r.signers[this.actor].getAddress(),
      "freeze",
      undefined,
      model.identities.get(id)!.jurisdiction,
      now,
    );
    return law !== undefined && !model.frozen.has(key) ? law : undefined;
  }
  send(r: Real) {
    return r.f.fiatToken.connect(r.signers[this.actor]).freeze(r.wallets[this.person].address, reason);
  }
  update(model: Model, r: Real) {
    model.frozen.add(r.wallets[this.person].address);
  }
  toString = () => `${this.actor} freezes p${this.person}`;
}

class Pay extends Step {
  constructor(
    actor: Actor,
    readonly person: number,
  ) {
    super(actor);
  }
  async expect(model: Model, r: Real, now: bigint) {
    const actorKey = await r.signers[this.actor].getAddress();
    const law = lawFor(model, actorKey, "pay", undefined, model.identities.get(GENESIS.ministry)!.jurisdiction, now);
    const id = identityOfKey(model, actorKey);
    // the Treasury's account officers: FINANCE_OFFICER appointed in the Ministry itself
    const officer = model.appointments.some(
      (a) =>
        a.official === id &&
        a.role === "FINANCE_OFFICER" &&
        a.department === GENESIS.ministry &&
        inEffect(model, a, now),
    );
    const ok =
      law !== undefined && officer && model.budget >= 100n && hasStanding(model, r.wallets[this.person].address);
    return ok ? law : undefined;
  }
  send(r: Real) {
    return r.f.treasury
      .connect(r.signers[this.actor])
      .pay(GENESIS.ministry, r.wallets[this.person].address, 100n, reason);
  }
  update(model: Model) {
    model.budget -= 100n;
  }
  toString = () => `${this.actor} pays p${this.person} from the Ministry's account`;
}

/**
 * An official decides a referred birth declaration: he must hold `decide` on the service within the child's
 * jurisdiction, in the service's department, and, to approve, `record` on BIRTH there: the record is his, under the
 * law of his own grant. Whether the registers allow the birth (the rule's review) is the rule's to say, asked as a
 * view; the power is the model's.
 */
class Decide extends Step {
  constructor(
    actor: Actor,
    readonly index: number,
    readonly approve: boolean,
  ) {
    super(actor);
  }
  private referral = (r: Real) => r.referrals[this.index];
  async expect(model: Model, r: Real, now: bigint) {
    const a = this.referral(r);
    const key = await r.signers[this.actor].getAddress();
    const id = identityOfKey(model, key);
    const decideLaw = lawFor(model, key, "decide", "BIRTH_REGISTRATION", a.jurisdiction, now);
    const post = model.appointments.find(
      (p) => p.official === id && p.role === "CIVIL_AFFAIRS_OFFICER" && !p.dismissed && p.until > now,
    );
    const competent = decideLaw !== undefined && post?.department === GENESIS.ministry;
    // nobody decides his own case
    if (!competent || model.decided.has(a.id) || id === a.applicant || id === a.child) return undefined;
    if (!this.approve) return decideLaw;
    const recordLaw = lawFor(model, key, "record", "BIRTH", a.jurisdiction, now);
    const rule = await r.f.smartLaw.ruleOf(ACTS.BIRTH_REGISTRATION_ACT);
    // approved as proposed: the rule checks the declaration as submitted
    const review = await (await ethers.getContractAt("IRule", rule)).review(a.applicant, a.key, a.data, []);
    // the ServiceDesk writes the record for him, under the role CIVIL_REGISTRATION_ACT assigns it
    const deskHasRole = !model.repealed.has("CIVIL_REGISTRATION_ACT");
    return recordLaw !== undefined && deskHasRole && review.outcome !== 1n ? recordLaw : undefined;
  }
  send(r: Real) {
    return r.f.serviceDesk
      .connect(r.signers[this.actor])
      .decide(
        this.referral(r).id,
        this.approve,
        this.approve ? approval(this.referral(r).data) : "0x",
        "documents seen",
      );
  }
  update(model: Model, r: Real, receipt: ContractTransactionReceipt) {
    const a = this.referral(r);
    model.decided.add(a.id);
    if (this.approve) model.records.add(`${BIRTH}:${a.child}`);
    const decision = eventsOf(r, receipt).find((e) => e.name.startsWith("Application"))!;
    expect(decision.args.official).to.equal(identityOfKey(model, this.actorKey!));
  }
  private actorKey?: string;
  override async run(model: Model, r: Real) {
    this.actorKey = await r.signers[this.actor].getAddress();
    await super.run(model, r);
  }
  toString = () => `${this.actor} ${this.approve ? "approves" : "rejects"} referral #${this.index}`;
}

/** A law update that repeals a law: the Legislature's act, always allowed. */
class Repeal implements fc.AsyncCommand<Model, Real> {
  constructor(readonly law: Act) {}
  check = (model: Readonly<Model>) => !model.repealed.has(this.law);
  async run(model: Model, r: Real) {
    await enact(r.f, r.f.legislators, ACTS[this.law], [await call(r.f.smartLaw, "repeal", [ACTS[this.law]])]);
    model.repealed.add(this.law);
  }
  toString = () => `the Legislature repeals ${this.law}`;
}

/** The identities an appointment may name: the genesis persons, the new persons, and a department (refused). */
function officialIds(r: Real): bigint[] {
  return [GENESIS.director, GENESIS.registrar, GENESIS.judge, ...r.persons, GENESIS.ministry];
}
/** The identities a status change may name: departments and persons. */
function subjectIds(r: Real): bigint[] {
  return [GENESIS.dongchengOffice, GENESIS.shanghaiBureau, GENESIS.ministry, GENESIS.registrar, ...r.persons];
}

const fixture = deployments.createFixture(async (hre): Promise<Real> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  await mint(f, await f.treasury.getAddress(), MINISTRY_BUDGET);
  await enact(f, f.legislators, ACTS.PUBLIC_FINANCE_ACT, [
    await call(f.treasury, "allocate", [GENESIS.ministry, MINISTRY_BUDGET]),
  ]);
  const p0 = await newPerson(f);
  const p1 = await newPerson(f);
  // a person of Shanghai, enrolled by the Shanghai registrar
  const w2 = ethers.Wallet.createRandom(ethers.provider);
  await ethers.provider.send("hardhat_setBalance", [w2.address, "0x56BC75E2D63100000"]);
  await f.identityRegistry.connect(w2).consentToIdentity(0); // its consent to be enrolled
  await f.identityRegistry.connect(f.signers.registrar2).enroll(1, SHANGHAI, ethers.id("p2"), w2.address);
  const p2 = { id: await f.identityRegistry.identityCount(), wallet: w2 };
  for (const p of [p0, p1, p2]) await mint(f, p.wallet.address, 10_000n);
  // each new person lets each other spend 10.00 of his, so that spending by allowance is exercised from the start
  for (const owner of [p0, p1, p2])
    for (const spender of [p0, p1, p2])
      if (owner !== spender) await f.fiatToken.connect(owner.wallet).approve(spender.wallet.address, 1000n);
  const wallets: Record<string, Signer> = { p0: p0.wallet, p1: p1.wallet, p2: p2.wallet };
  const signers = Object.fromEntries(
    ACTORS.map((a) => [a, wallets[a] ?? f.signers[a as keyof typeof f.signers]]),
  ) as Record<Actor, Signer>;
  // two parents declare their children's births: referred, as parentage is for the officer to check in person
  const referrals: Real["referrals"] = [];
  for (const [parent, place] of [
    [p0, DONGCHENG],
    [p2, SHANGHAI],
  ] as const) {
    const child = await enrollPerson(f, place);
    const data = birthDeclaration(child, await chainDate(), [parent.id, 0n], undefined, place);
    await f.serviceDesk.connect(parent.wallet).submit(BIRTH_REGISTRATION, data);
    const id = await f.serviceDesk.applicationCount();
    expect((await f.serviceDesk.application(id)).status).to.equal(4n); // Referred
    referrals.push({ id, applicant: parent.id, key: parent.wallet.address, child, jurisdiction: place, data });
  }
  return {
    f,
    signers,
    referrals,
    persons: [p0.id, p1.id, p2.id],
    wallets: [p0.wallet, p1.wallet, p2.wallet],
    now: async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp),
  };
});

/** The model of the state the fixture leaves. */
async function initialModel(r: Real): Promise<Model> {
  const person = (jurisdiction: string): ModelIdentity => ({ kind: "person", status: STATUS.Active, jurisdiction });
  const organisation = (jurisdiction: string): ModelIdentity => ({
    kind: "organisation",
    status: STATUS.Active,
    jurisdiction,
  });
  const identities = new Map<bigint, ModelIdentity>([
    [GENESIS.ministry, organisation(CN)],
    [GENESIS.dongchengOffice, organisation(DONGCHENG)],
    [GENESIS.shanghaiBureau, organisation(SHANGHAI)],
    [GENESIS.court, organisation(CN)],
    [GENESIS.hospital, organisation(DONGCHENG)],
    [GENESIS.director, person(CN)],
    [GENESIS.registrar, person(DONGCHENG)],
    [GENESIS.registrar2, person(SHANGHAI)],
    [GENESIS.hospitalRegistrar, person(DONGCHENG)],
    [GENESIS.officer, person(BEIJING)],
    [GENESIS.judge, person(CN)],
    [GENESIS.financeOfficer, person(CN)],
    [r.persons[0], person(DONGCHENG)],
    [r.persons[1], person(DONGCHENG)],
    [r.persons[2], person(SHANGHAI)],
  ]);
  const keys = new Map<string, { id: bigint; live: boolean }>();
  const genesisKeys: [Actor, bigint][] = [
    ["director", GENESIS.director],
    ["registrar", GENESIS.registrar],
    ["registrar2", GENESIS.registrar2],
    ["hospitalRegistrar", GENESIS.hospitalRegistrar],
    ["officer", GENESIS.officer],
    ["judge", GENESIS.judge],
    ["financeOfficer", GENESIS.financeOfficer],
  ];
  for (const [actor, id] of genesisKeys) keys.set(await r.signers[actor].getAddress(), { id, live: true });
  r.persons.forEach((id, i) => keys.set(r.wallets[i].address, { id, live: true }));
  const genesis = (
    id: bigint,
    official: bigint,
    role: Role,
    department: bigint,
    jurisdiction: string,
    law: Act,
  ): ModelAppointment => ({ id, official, role, department, jurisdiction, until: TERM_END, dismissed: false, law });
  return {
    identities,
    keys,
    liveKeys: new Map(r.persons.map((id) => [id, 1])),
    appointments: [
      genesis(
        GENESIS_APPOINTMENTS.director,
        GENESIS.director,
        "PERSONNEL_OFFICER",
        GENESIS.ministry,
        CN,
        "CIVIL_ADMINISTRATION_ACT",
      ),
      genesis(
        GENESIS_APPOINTMENTS.registrar,
        GENESIS.registrar,
        "REGISTRAR",
        GENESIS.dongchengOffice,
        DONGCHENG,
        "CIVIL_ADMINISTRATION_ACT",
      ),
      genesis(
        GENESIS_APPOINTMENTS.registrar2,
        GENESIS.registrar2,
        "REGISTRAR",
        GENESIS.shanghaiBureau,
        SHANGHAI,
        "CIVIL_ADMINISTRATION_ACT",
      ),
      genesis(
        GENESIS_APPOINTMENTS.hospitalRegistrar,
        GENESIS.hospitalRegistrar,
        "HOSPITAL_REGISTRAR",
        GENESIS.hospital,
        DONGCHENG,
        "CIVIL_ADMINISTRATION_ACT",
      ),
      genesis(
        GENESIS_APPOINTMENTS.officer,
        GENESIS.officer,
        "CIVIL_AFFAIRS_OFFICER",
        GENESIS.ministry,
        BEIJING,
        "CIVIL_ADMINISTRATION_ACT",
      ),
      genesis(GENESIS_APPOINTMENTS.judge, GENESIS.judge, "JUDGE", GENESIS.court, CN, "CURRENCY_ACT"),
      genesis(
        GENESIS_APPOINTMENTS.financeOfficer,
        GENESIS.financeOfficer,
        "FINANCE_OFFICER",
        GENESIS.ministry,
        CN,
        "PUBLIC_FINANCE_ACT",
      ),
    ],
    everAppointed: new Set(),
    repealed: new Set(),
    frozen: new Set(),
    allowances: new Map(
      [0, 1, 2].flatMap((o) =>
        [0, 1, 2].filter((sp) => sp !== o).map((sp): [string, bigint] => [`${o}:p${sp}`, 1000n]),
      ),
    ),
    records: new Set(),
    decided: new Set(),
    budget: MINISTRY_BUDGET,
  };
}

describe("Separation of powers (model-based property)", function () {
  it("every act succeeds exactly when a law in force gave its actor that power, and names him and that law", async function () {
    const anyone = fc.constantFrom(...ACTORS);
    /** Mostly the actors who hold the power in question (so that acts succeed), sometimes anyone at all. */
    const mostly = (...holders: Actor[]) =>
      fc.oneof({ arbitrary: fc.constantFrom(...holders), weight: 3 }, { arbitrary: anyone, weight: 1 });
    const person = fc.integer({ min: 0, max: 2 });
    const appointable = fc.constantFrom<Role>("REGISTRAR", "HOSPITAL_REGISTRAR", "CIVIL_AFFAIRS_OFFICER");
    const commands = [
      fc
        .tuple(
          mostly("director"),
          fc.integer({ min: 0, max: 6 }),
          fc.oneof({ arbitrary: appointable, weight: 3 }, { arbitrary: fc.constantFrom(...ROLES), weight: 1 }),
          fc.integer({ min: 0, max: JURISDICTIONS.length - 1 }),
          fc.integer({ min: 0, max: DEPARTMENTS.length - 1 }),
        )
        .map(([a, o, role, j, d]) => new Appoint(a, o, role, j, d)),
      fc.tuple(mostly("director"), fc.nat()).map(([a, i]) => new Dismiss(a, i)),
      fc
        .tuple(mostly("registrar", "registrar2", "p0", "p1"), fc.integer({ min: 0, max: 6 }), fc.boolean())
        .map(([a, s, b]) => new SetStatus(a, s, b)),
      fc
        .tuple(
          mostly("p0", "p1", "p2", "registrar"),
          person,
          fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, fc.constant(false)),
        )
        .map(([a, p, c]) => new AddKey(a, p, c)),
      fc.tuple(mostly("p0", "p1", "p2", "registrar"), person).map(([a, p]) => new RevokeKey(a, p)),
      fc
        .tuple(
          mostly("registrar", "registrar2", "hospitalRegistrar", "officer", "p0", "p1", "p2"),
          fc.boolean(),
          person,
        )
        .map(([a, b, p]) => new RecordStep(a, b, p)),
      fc.tuple(person, mostly("p0", "p1", "p2")).map(([o, s]) => new Approve(o, s)),
      fc.tuple(mostly("p0", "p1", "p2"), person, person).map(([s, o, t]) => new TransferFrom(s, o, t)),
      fc.tuple(mostly("judge"), person).map(([a, p]) => new Freeze(a, p)),
      fc
        .tuple(mostly("officer"), fc.integer({ min: 0, max: 1 }), fc.boolean())
        .map(([a, i, approve]) => new Decide(a, i, approve)),
      fc.tuple(mostly("financeOfficer"), person).map(([a, p]) => new Pay(a, p)),
      fc
        .constantFrom<Act>("CIVIL_ADMINISTRATION_ACT", "CIVIL_REGISTRATION_ACT", "CURRENCY_ACT")
        .map((l) => new Repeal(l)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 40, size: "large" }), async (cmds) => {
        const real = await fixture();
        const model = await initialModel(real);
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 30) },
    );
    expect(actorsChecked, "events naming who acted were checked").to.be.greaterThan(0);
  });
});
