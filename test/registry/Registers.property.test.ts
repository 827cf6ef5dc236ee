import { expect } from "chai";
import fc from "fast-check";
import { deployments, ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, SHANGHAI } from "../helpers/identity";
import { BIRTH, RECORD_STATUS, birthData, enrollPerson } from "../helpers/registry";

/**
 * A model of the birth register: per subject, its versions in order. Random sequences of record, amend, revoke
 * and batch operations by random officials run against the contract and the model; after each, the registry's
 * views must equal the model, and the registers rebuilt from the events alone must equal both.
 */
interface Version {
  uid: string;
  dataHash: string;
  status: bigint;
}
interface Model {
  versions: Map<number, Version[]>;
}
interface Real {
  f: SystemFixture;
  subjects: bigint[];
  jurisdictions: string[];
}

type Official = "registrar" | "registrar2" | "hospitalRegistrar" | "outsider";
const OFFICIALS: Official[] = ["registrar", "registrar2", "hospitalRegistrar", "outsider"];
const WHERE: Record<Official, string | undefined> = {
  registrar: DONGCHENG,
  registrar2: SHANGHAI,
  hospitalRegistrar: DONGCHENG,
  outsider: undefined,
};

/** Whether the official may call `fn` for a subject in `jurisdiction` (the genesis grants on BIRTH). */
function allowed(official: Official, fn: "record" | "amend" | "revoke", jurisdiction: string): boolean {
  if (WHERE[official] !== jurisdiction) return false;
  return official !== "hospitalRegistrar" || fn === "record";
}

const current = (model: Model, s: number) => model.versions.get(s)?.find((v) => v.status === RECORD_STATUS.Current);

async function expectOutcome(tx: Promise<unknown>, ok: boolean) {
  if (ok) await expect(tx).not.to.be.reverted;
  else await expect(tx).to.be.reverted;
}

async function lastUids(r: Real, count: number): Promise<string[]> {
  const events = await r.f.civilRegistry.queryFilter(r.f.civilRegistry.filters.RecordAdded());
  return events.slice(-count).map((e) => e.args.uid);
}

/** A command that checks the invariants after it runs. */
abstract class Checked implements fc.AsyncCommand<Model, Real> {
  abstract check(model: Readonly<Model>): boolean;
  abstract apply(model: Model, r: Real): Promise<void>;
  async run(model: Model, r: Real) {
    await this.apply(model, r);
    await checkInvariants(model, r);
  }
}

class RecordCommand extends Checked {
  constructor(
    readonly official: Official,
    readonly subject: number,
    readonly date: number,
  ) {
    super();
  }
  check = () => true;
  async apply(model: Model, r: Real) {
    const data = birthData(this.date);
    const ok = allowed(this.official, "record", r.jurisdictions[this.subject]) && !current(model, this.subject);
    await expectOutcome(
      r.f.civilRegistry.connect(signer(r, this.official)).record(BIRTH, r.subjects[this.subject], data),
      ok,
    );
    if (ok) push(model, this.subject, (await lastUids(r, 1))[0], data);
  }
  toString = () => `record(${this.official}, s${this.subject}, ${this.date})`;
}

class AmendCommand extends Checked {
  constructor(
    readonly official: Official,
    readonly subject: number,
    readonly date: number,
  ) {
    super();
  }
  check = (model: Readonly<Model>) => (model.versions.get(this.subject)?.length ?? 0) > 0;
  async apply(model: Model, r: Real) {
    const versions = model.versions.get(this.subject)!;
    const target = versions[versions.length - 1];
    const data = birthData(this.date);
    const ok =
      allowed(this.official, "amend", r.jurisdictions[this.subject]) && target.status === RECORD_STATUS.Current;
    await expectOutcome(r.f.civilRegistry.connect(signer(r, this.official)).amend(target.uid, data, "correction"), ok);
    if (ok) {
      target.status = RECORD_STATUS.Superseded;
      push(model, this.subject, (await lastUids(r, 1))[0], data);
    }
  }
  toString = () => `amend(${this.official}, s${this.subject}, ${this.date})`;
}

class RevokeCommand extends Checked {
  constructor(
    readonly official: Official,
    readonly subject: number,
  ) {
    super();
  }
  check = (model: Readonly<Model>) => (model.versions.get(this.subject)?.length ?? 0) > 0;
  async apply(model: Model, r: Real) {
    const versions = model.versions.get(this.subject)!;
    const target = versions[versions.length - 1];
    const ok =
      allowed(this.official, "revoke", r.jurisdictions[this.subject]) && target.status === RECORD_STATUS.Current;
    await expectOutcome(r.f.civilRegistry.connect(signer(r, this.official)).revoke(target.uid, "error"), ok);
    if (ok) target.status = RECORD_STATUS.Revoked;
  }
  toString = () => `revoke(${this.official}, s${this.subject})`;
}

class BatchCommand extends Checked {
  constructor(
    readonly official: Official,
    readonly subjects: number[],
    readonly date: number,
  ) {
    super();
  }
  check = () => true;
  async apply(model: Model, r: Real) {
    const data = this.subjects.map((_, i) => birthData(this.date + i));
    const ok =
      new Set(this.subjects).size === this.subjects.length &&
      this.subjects.every((s) => allowed(this.official, "record", r.jurisdictions[s]) && !current(model, s));
    await expectOutcome(
      r.f.civilRegistry.connect(signer(r, this.official)).recordBatch(
        BIRTH,
        this.subjects.map((s) => r.subjects[s]),
        data,
      ),
      ok,
    );
    if (ok) {
      const uids = await lastUids(r, this.subjects.length);
      this.subjects.forEach((s, i) => push(model, s, uids[i], data[i]));
    }
  }
  toString = () => `batch(${this.official}, [${this.subjects.map((s) => `s${s}`).join(", ")}], ${this.date})`;
}

function signer(r: Real, official: Official): HardhatEthersSigner {
  return r.f.signers[official];
}

function push(model: Model, subject: number, uid: string, data: string) {
  const versions = model.versions.get(subject) ?? [];
  versions.push({ uid, dataHash: ethers.keccak256(data), status: RECORD_STATUS.Current });
  model.versions.set(subject, versions);
}

/** The registry's views equal the model, and so do the registers rebuilt from events alone. */
async function checkInvariants(model: Model, r: Real) {
  const { civilRegistry } = r.f;
  const rebuilt = new Map<string, { dataHash: string; status: bigint; subject: bigint }>();
  for (const e of await civilRegistry.queryFilter(civilRegistry.filters.RecordAdded())) {
    rebuilt.set(e.args.uid, {
      dataHash: ethers.keccak256(e.args.data),
      status: RECORD_STATUS.Current,
      subject: e.args.subject,
    });
  }
  for (const e of await civilRegistry.queryFilter(civilRegistry.filters.RecordAmended()))
    rebuilt.get(e.args.uid)!.status = RECORD_STATUS.Superseded;
  for (const e of await civilRegistry.queryFilter(civilRegistry.filters.RecordRevoked()))
    rebuilt.get(e.args.uid)!.status = RECORD_STATUS.Revoked;

  let count = 0;
  for (const [s, subject] of r.subjects.entries()) {
    const versions = model.versions.get(s) ?? [];
    count += versions.length;
    expect(versions.filter((v) => v.status === RECORD_STATUS.Current).length).to.be.at.most(1);
    for (const [i, v] of versions.entries()) {
      const record = await civilRegistry.getRecord(v.uid);
      expect([record.version, record.status, record.dataHash, record.subject]).to.deep.equal([
        BigInt(i + 1),
        v.status,
        v.dataHash,
        subject,
      ]);
      expect(rebuilt.get(v.uid)).to.deep.equal({ dataHash: v.dataHash, status: v.status, subject });
    }
    expect(await civilRegistry.latest(BIRTH, subject)).to.equal(current(model, s)?.uid ?? ethers.ZeroHash);
  }
  // currentOf (written in assembly, for payouts) answers as latest does, ids beyond 64 bits included
  let expected = 0n;
  r.subjects.forEach((_, s) => {
    if (current(model, s)) expected |= 1n << BigInt(s);
  });
  expect(await civilRegistry.currentOf(BIRTH, [...r.subjects, 1n << 64n])).to.deep.equal([expected]);
  expect(rebuilt.size).to.equal(count); // append-only: nothing the model does not know, nothing lost
}

const fixture = deployments.createFixture(async (hre): Promise<Real> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const jurisdictions = [DONGCHENG, DONGCHENG, DONGCHENG, SHANGHAI, SHANGHAI];
  const subjects = [];
  for (const j of jurisdictions) subjects.push(await enrollPerson(f, j));
  return { f, subjects, jurisdictions };
});

describe("CivilRegistry registers (model-based property)", function () {
  it("stay append-only, keep latest consistent with the history, and rebuild from events", async function () {
    const official = fc.constantFrom(...OFFICIALS);
    const subject = fc.integer({ min: 0, max: 4 });
    const date = fc
      .tuple(fc.integer({ min: 1930, max: 2025 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
      .map(([y, m, d]) => y * 10000 + m * 100 + d);
    const commands = [
      fc.tuple(official, subject, date).map(([o, s, d]) => new RecordCommand(o, s, d)),
      fc.tuple(official, subject, date).map(([o, s, d]) => new AmendCommand(o, s, d)),
      fc.tuple(official, subject).map(([o, s]) => new RevokeCommand(o, s)),
      fc
        .tuple(official, fc.uniqueArray(subject, { minLength: 1, maxLength: 3 }), date)
        .map(([o, s, d]) => new BatchCommand(o, s, d)),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 15 }), async (cmds) => {
        const real = await fixture();
        const model: Model = { versions: new Map() };
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: 25 },
    );
  });
});
