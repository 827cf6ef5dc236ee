import { expect } from "chai";
import fc from "fast-check";
import { ethers } from "hardhat";

import { time } from "../helpers/identity";
import {
  PENSION,
  PENSION_AMOUNT,
  PENSION_BUDGET,
  PENSION_PERIOD,
  recordDeath,
  treasuryFixture,
  type Person,
  type TreasuryFixture,
} from "../helpers/treasury";

/**
 * A model of the token and the pension programme: balances, frozen accounts, the deceased, the programme's budget
 * and who was paid in which period. Random sequences of mints, burns, transfers, freezes, claims, payouts, deaths
 * and new periods run against the contracts and the model; each command succeeds exactly when the model says it
 * may. After each: every balance equals the model's, the total supply is the sum of the balances, no one was paid
 * twice in a period (counted from the events), and the programme paid no more than its budget.
 */
interface Model {
  balances: Map<string, bigint>;
  frozen: Set<string>;
  dead: Set<number>;
  paid: Set<string>;
  budget: bigint;
  period: bigint;
}
interface Real {
  f: TreasuryFixture;
  /** The pensioners, then one person not enrolled. */
  people: Person[];
  holders: string[];
}

const BANKER = "banker";

async function expectOutcome(tx: Promise<unknown>, ok: boolean) {
  if (ok) await expect(tx).not.to.be.reverted;
  else await expect(tx).to.be.reverted;
}

const balanceOf = (m: Model, who: string) => m.balances.get(who) ?? 0n;
const move = (m: Model, from: string, to: string, amount: bigint) => {
  m.balances.set(from, balanceOf(m, from) - amount);
  m.balances.set(to, balanceOf(m, to) + amount);
};

abstract class Checked implements fc.AsyncCommand<Model, Real> {
  check(_model: Readonly<Model>): boolean {
    return true;
  }
  abstract apply(model: Model, r: Real): Promise<void>;
  async run(model: Model, r: Real) {
    await this.apply(model, r);
    await invariants(model, r);
  }
}

/** Holder index -1 is the central bank's issuance officer; 0..n-1 the people. */
const keyOf = (r: Real, i: number) => (i < 0 ? r.f.signers.centralBanker.address : r.people[i].wallet.address);
const nameOf = (i: number) => (i < 0 ? BANKER : `p${i}`);

class MintCommand extends Checked {
  constructor(
    readonly to: number,
    readonly amount: bigint,
  ) {
    super();
  }
  async apply(m: Model, r: Real) {
    const to = nameOf(this.to);
    const ok = !m.frozen.has(to);
    await expectOutcome(r.f.fiatToken.connect(r.f.signers.centralBanker).mint(keyOf(r, this.to), this.amount), ok);
    if (ok) m.balances.set(to, balanceOf(m, to) + this.amount);
  }
  toString() {
    return `mint(${nameOf(this.to)}, ${this.amount})`;
  }
}

class BurnCommand extends Checked {
  constructor(readonly amount: bigint) {
    super();
  }
  async apply(m: Model, r: Real) {
    const ok = !m.frozen.has(BANKER) && balanceOf(m, BANKER) >= this.amount;
    await expectOutcome(r.f.fiatToken.connect(r.f.signers.centralBanker).burn(this.amount), ok);
    if (ok) m.balances.set(BANKER, balanceOf(m, BANKER) - this.amount);
  }
  toString() {
    return `burn(${this.amount})`;
  }
}

class TransferCommand extends Checked {
  constructor(
    readonly from: number,
    readonly to: number,
    readonly amount: bigint,
  ) {
    super();
  }
  async apply(m: Model, r: Real) {
    const [from, to] = [nameOf(this.from), nameOf(this.to)];
    // a death record stops benefits; it is the identity's status (not changed here) that stops its keys
    const ok = !m.frozen.has(from) && !m.frozen.has(to) && balanceOf(m, from) >= this.amount;
    const sender = this.from < 0 ? r.f.signers.centralBanker : r.people[this.from].wallet;
    await expectOutcome(r.f.fiatToken.connect(sender).transfer(keyOf(r, this.to), this.amount), ok);
    if (ok) move(m, from, to, this.amount);
  }
  toString() {
    return `transfer(${nameOf(this.from)} -> ${nameOf(this.to)}, ${this.amount})`;
  }
}

class FreezeCommand extends Checked {
  constructor(readonly who: number) {
    super();
  }
  async apply(m: Model, r: Real) {
    const who = nameOf(this.who);
    const judge = r.f.fiatToken.connect(r.f.signers.judge);
    const reason = ethers.id("order");
    if (m.frozen.has(who)) {
      await judge.unfreeze(keyOf(r, this.who), reason);
      m.frozen.delete(who);
    } else {
      await judge.freeze(keyOf(r, this.who), reason);
      m.frozen.add(who);
    }
  }
  toString() {
    return `toggleFreeze(${nameOf(this.who)})`;
  }
}

/** Whether person i would be paid now, in the model. */
function payable(m: Model, r: Real, i: number): boolean {
  const enrolled = i < r.people.length - 1;
  return enrolled && !m.dead.has(i) && !m.paid.has(`${m.period}:${i}`);
}

class ClaimCommand extends Checked {
  constructor(readonly who: number) {
    super();
  }
  async apply(m: Model, r: Real) {
    const name = nameOf(this.who);
    const ok = payable(m, r, this.who) && !m.frozen.has(name) && m.budget >= PENSION_AMOUNT;
    await expectOutcome(r.f.treasury.connect(r.people[this.who].wallet).claim(PENSION), ok);
    if (ok) {
      m.paid.add(`${m.period}:${this.who}`);
      m.budget -= PENSION_AMOUNT;
      m.balances.set(name, balanceOf(m, name) + PENSION_AMOUNT);
    }
  }
  toString() {
    return `claim(p${this.who})`;
  }
}

class PayoutCommand extends Checked {
  constructor(readonly who: number[]) {
    super();
  }
  async apply(m: Model, r: Real) {
    const selected = this.who.filter((i) => payable(m, r, i));
    const unique = [...new Set(selected)];
    // the budget must cover every beneficiary selected; a frozen key is then passed over, not paid, never blocking
    const ok = m.budget >= PENSION_AMOUNT * BigInt(unique.length);
    const paid = unique.filter((i) => !m.frozen.has(nameOf(i)));
    const tx = r.f.treasury.connect(r.f.signers.officer).payout(
      PENSION,
      m.period,
      this.who.map((i) => r.people[i].id),
      this.who.map((i) => r.people[i].wallet.address),
    );
    await expectOutcome(tx, ok);
    if (ok) {
      for (const i of paid) {
        m.paid.add(`${m.period}:${i}`);
        m.balances.set(nameOf(i), balanceOf(m, nameOf(i)) + PENSION_AMOUNT);
      }
      m.budget -= PENSION_AMOUNT * BigInt(paid.length);
    }
  }
  toString() {
    return `payout(${this.who.map((i) => `p${i}`).join(", ")})`;
  }
}

class DeathCommand extends Checked {
  constructor(readonly who: number) {
    super();
  }
  check(m: Readonly<Model>) {
    return !m.dead.has(this.who);
  }
  async apply(m: Model, r: Real) {
    await recordDeath(r.f, r.people[this.who].id);
    m.dead.add(this.who);
  }
  toString() {
    return `death(p${this.who})`;
  }
}

class NextPeriodCommand extends Checked {
  async apply(m: Model, r: Real) {
    await time.increase(PENSION_PERIOD);
    m.period += 1n;
    expect((await r.f.treasury.currentPeriod(PENSION))[0]).to.equal(m.period);
  }
  toString() {
    return "nextPeriod";
  }
}

async function invariants(m: Model, r: Real) {
  const { fiatToken, treasury } = r.f;
  let sum = await fiatToken.balanceOf(await treasury.getAddress());
  for (const [i, key] of r.holders.entries()) {
    const balance = await fiatToken.balanceOf(key);
    expect(balance, `balance of ${nameOf(i - 1)}`).to.equal(balanceOf(m, nameOf(i - 1)));
    sum += balance;
  }
  expect(await fiatToken.totalSupply()).to.equal(sum);
  const budget = (await treasury.programme(PENSION)).budget;
  expect(budget).to.equal(m.budget);
  // no one paid twice in a period, and never more than the budget: counted from the events alone
  const counts = new Map<string, number>();
  let total = 0n;
  for (const e of await treasury.queryFilter(treasury.filters.BenefitClaimed())) {
    const k = `${e.args.period}:${e.args.beneficiary}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
    total += e.args.amount;
  }
  const treasuryAddress = await treasury.getAddress();
  for (const e of await treasury.queryFilter(treasury.filters.PayoutMade())) {
    const transfers = (
      await fiatToken.queryFilter(fiatToken.filters.Transfer(treasuryAddress), e.blockNumber, e.blockNumber)
    ).filter((t) => t.transactionHash === e.transactionHash);
    for (const t of transfers) {
      const id = (await r.f.identityRegistry.keyRecord(t.args.to)).identityId;
      const k = `${e.args.period}:${id}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
      total += t.args.value;
    }
  }
  for (const [k, n] of counts) expect(n, `payments for ${k}`).to.equal(1);
  expect(total).to.be.at.most(PENSION_BUDGET);
  expect(total).to.equal(PENSION_BUDGET - budget);
}

describe("FiatToken and Treasury (model-based property)", function () {
  it("keep supply equal to the balances, pay no one twice, stay within budget, and never move frozen accounts", async function () {
    const person = fc.integer({ min: 0, max: 3 });
    const holder = fc.integer({ min: -1, max: 3 });
    const amount = fc.bigInt({ min: 1n, max: 400_000n });
    const commands = [
      fc.tuple(holder, amount).map(([to, a]) => new MintCommand(to, a)),
      amount.map((a) => new BurnCommand(a)),
      fc.tuple(holder, holder, amount).map(([from, to, a]) => new TransferCommand(from, to, a)),
      holder.map((who) => new FreezeCommand(who)),
      person.map((who) => new ClaimCommand(who)),
      fc.array(person, { minLength: 1, maxLength: 4 }).map((who) => new PayoutCommand(who)),
      fc.integer({ min: 0, max: 2 }).map((who) => new DeathCommand(who)),
      fc.constant(new NextPeriodCommand()),
    ];
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 20 }), async (cmds) => {
        const f = await treasuryFixture();
        const people = [...f.pensioners, f.young];
        const holders = [f.signers.centralBanker.address, ...people.map((p) => p.wallet.address)];
        const model: Model = {
          balances: new Map(),
          frozen: new Set(),
          dead: new Set(),
          paid: new Set(),
          budget: PENSION_BUDGET,
          period: (await f.treasury.currentPeriod(PENSION))[0],
        };
        await fc.asyncModelRun(() => ({ model, real: { f, people, holders } }), cmds);
      }),
      { numRuns: 25 },
    );
  });
});
