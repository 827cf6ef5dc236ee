import { expect } from "chai";
import { ethers } from "hardhat";

import { GENESIS, STATUS, freshKey, time } from "../helpers/identity";
import { PENSION_ACT, call, enact, paramKey, roleId, legislatureSigner } from "../helpers/law";
import { DEATH, PENSION_ENROLMENT } from "../helpers/registry";
import {
  MINISTRY_BUDGET,
  MINTED,
  PENSION,
  PENSION_AMOUNT,
  PENSION_BUDGET,
  PENSION_PERIOD,
  PUBLIC_FINANCE_ACT,
  SKIP,
  enrolPensioners,
  newPerson,
  recordDeath,
  treasuryFixture,
  type TreasuryFixture,
} from "../helpers/treasury";

const FINANCE_OFFICER = roleId("FINANCE_OFFICER");
const PURPOSE = ethers.id("road maintenance, contract 2026-88");
const REASON = ethers.id("paid twice by mistake");

describe("Treasury", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  const asFinance = () => f.treasury.connect(f.signers.financeOfficer);
  const asOfficer = () => f.treasury.connect(f.signers.officer);
  const legislature = async () => f.treasury.connect(await legislatureSigner(f));
  const nextPeriod = () => time.increase(PENSION_PERIOD);
  const periodNow = async () => (await f.treasury.currentPeriod(PENSION))[0];

  describe("budgets, by law", function () {
    it("allocates from the reserve to accounts and programmes", async function () {
      expect(await f.treasury.allocated()).to.equal(MINISTRY_BUDGET + PENSION_BUDGET);
      expect(await f.treasury.reserve()).to.equal(MINTED - MINISTRY_BUDGET - PENSION_BUDGET);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET);
      await expect(
        enact(f, f.legislators, PUBLIC_FINANCE_ACT, [await call(f.treasury, "allocate", [GENESIS.ministry, 5n])]),
      )
        .to.emit(f.treasury, "BudgetAllocated")
        .withArgs(GENESIS.ministry, 5n, PUBLIC_FINANCE_ACT);
      await expect(
        enact(f, f.legislators, PUBLIC_FINANCE_ACT, [await call(f.treasury, "fundProgramme", [PENSION, 7n])]),
      )
        .to.emit(f.treasury, "ProgrammeFunded")
        .withArgs(PENSION, 7n, PUBLIC_FINANCE_ACT);
    });

    it("never allocates beyond the reserve, nor to an unknown account or programme", async function () {
      const treasury = await legislature();
      const reserve = await f.treasury.reserve();
      await expect(treasury.allocate(GENESIS.ministry, reserve + 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInsufficientReserve")
        .withArgs(reserve, reserve + 1n);
      await expect(treasury.fundProgramme(PENSION, reserve + 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInsufficientReserve")
        .withArgs(reserve, reserve + 1n);
      await expect(treasury.allocate(GENESIS.dongchengOffice, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.dongchengOffice);
      const unknown = ethers.encodeBytes32String("CHILD_SUBSIDY");
      await expect(treasury.fundProgramme(unknown, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownProgramme")
        .withArgs(unknown);
      await expect(treasury.allocate(GENESIS.ministry, 0n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("amount");
    });

    it("opens accounts for active organisations only, once, by law", async function () {
      const treasury = await legislature();
      await expect(treasury.openAccount(GENESIS.dongchengOffice, FINANCE_OFFICER))
        .to.emit(f.treasury, "AccountOpened")
        .withArgs(GENESIS.dongchengOffice, FINANCE_OFFICER, ethers.ZeroHash);
      await expect(treasury.openAccount(GENESIS.dongchengOffice, FINANCE_OFFICER))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryAccountExists")
        .withArgs(GENESIS.dongchengOffice);
      await expect(treasury.openAccount(GENESIS.director, FINANCE_OFFICER))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidOrganisation")
        .withArgs(GENESIS.director);
      await expect(treasury.openAccount(GENESIS.hospital, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("role");
      await f.identityRegistry
        .connect(await legislatureSigner(f))
        .setStatus(GENESIS.hospital, STATUS.Dissolved, "closed");
      await expect(treasury.openAccount(GENESIS.hospital, FINANCE_OFFICER))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidOrganisation")
        .withArgs(GENESIS.hospital);
      await expect(asFinance().openAccount(GENESIS.hospital, FINANCE_OFFICER)).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
    });

    it("defines programmes bound to a law in force, with its parameters and registers", async function () {
      const treasury = await legislature();
      const id = ethers.encodeBytes32String("CHILD_SUBSIDY");
      const amount = paramKey("PENSION_AMOUNT");
      const period = paramKey("PENSION_PERIOD");
      await expect(treasury.defineProgramme(PENSION, PENSION_ACT, amount, period, PENSION_ENROLMENT, DEATH, 0))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryProgrammeExists")
        .withArgs(PENSION);
      const lapsed = ethers.encodeBytes32String("NO_SUCH_ACT");
      await expect(treasury.defineProgramme(id, lapsed, amount, period, PENSION_ENROLMENT, DEATH, 0))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryLawNotInForce")
        .withArgs(id, lapsed);
      const missing = paramKey("CHILD_AMOUNT");
      await expect(treasury.defineProgramme(id, PENSION_ACT, missing, period, PENSION_ENROLMENT, DEATH, 0))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawParamNotSet")
        .withArgs(PENSION_ACT, missing);
      const noPeriod = paramKey("NO_PERIOD");
      await f.smartLaw.connect(await legislatureSigner(f)).setParam(PENSION_ACT, noPeriod, 0);
      await expect(treasury.defineProgramme(id, PENSION_ACT, amount, noPeriod, PENSION_ENROLMENT, DEATH, 0))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidPeriodLength")
        .withArgs(id, 0);
      const nowhere = ethers.encodeBytes32String("NOWHERE");
      await expect(treasury.defineProgramme(id, PENSION_ACT, amount, period, nowhere, DEATH, 0))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryUnknownRegister")
        .withArgs(nowhere);
      await expect(treasury.defineProgramme(ethers.ZeroHash, PENSION_ACT, amount, period, PENSION_ENROLMENT, DEATH, 0))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("programmeId");
      const start = BigInt(await time.latest()) + 1000n;
      await expect(treasury.defineProgramme(id, PENSION_ACT, amount, period, PENSION_ENROLMENT, DEATH, start))
        .to.emit(f.treasury, "ProgrammeDefined")
        .withArgs(id, PENSION_ACT, amount, period, PENSION_ENROLMENT, DEATH, start);
      await expect(f.treasury.currentPeriod(id))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryProgrammeNotStarted")
        .withArgs(id, start);
    });
  });

  describe("payments by officers", function () {
    it("pays a person from the organisation's account, with purpose and legal basis", async function () {
      const to = f.young.wallet.address;
      await expect(asFinance().pay(GENESIS.ministry, to, 12_345n, PURPOSE))
        .to.emit(f.treasury, "PaymentMade")
        .withArgs(1n, GENESIS.ministry, 0n, to, 12_345n, PURPOSE, PUBLIC_FINANCE_ACT, f.signers.financeOfficer.address)
        .and.to.emit(f.fiatToken, "Transfer")
        .withArgs(await f.treasury.getAddress(), to, 12_345n);
      expect(await f.fiatToken.balanceOf(to)).to.equal(12_345n);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET - 12_345n);
      const payment = await f.treasury.payment(1n);
      expect([payment.fromOrganisation, payment.to, payment.amount, payment.reversed]).to.deep.equal([
        GENESIS.ministry,
        to,
        12_345n,
        false,
      ]);
      expect(await f.treasury.reserve()).to.equal(MINTED - MINISTRY_BUDGET - PENSION_BUDGET);
    });

    it("moves budget between organisations' accounts", async function () {
      await enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
        await call(f.treasury, "openAccount", [GENESIS.dongchengOffice, FINANCE_OFFICER]),
      ]);
      await expect(asFinance().transferBudget(GENESIS.ministry, GENESIS.dongchengOffice, 1_000n, PURPOSE))
        .to.emit(f.treasury, "PaymentMade")
        .withArgs(
          1n,
          GENESIS.ministry,
          GENESIS.dongchengOffice,
          ethers.ZeroAddress,
          1_000n,
          PURPOSE,
          PUBLIC_FINANCE_ACT,
          f.signers.financeOfficer.address,
        );
      expect((await f.treasury.account(GENESIS.dongchengOffice)).balance).to.equal(1_000n);
      await expect(asFinance().transferBudget(GENESIS.ministry, GENESIS.ministry, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidOrganisation")
        .withArgs(GENESIS.ministry);
      await expect(asFinance().transferBudget(GENESIS.ministry, GENESIS.hospital, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.hospital);
    });

    it("never pays beyond the account's balance, nor to a key that may not hold", async function () {
      await expect(asFinance().pay(GENESIS.ministry, f.young.wallet.address, MINISTRY_BUDGET + 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInsufficientBudget")
        .withArgs(GENESIS.ministry, MINISTRY_BUDGET, MINISTRY_BUDGET + 1n);
      const stranger = freshKey();
      await expect(asFinance().pay(GENESIS.ministry, stranger, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger);
      await expect(asFinance().pay(GENESIS.ministry, ethers.ZeroAddress, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("to");
      await expect(asFinance().pay(GENESIS.ministry, f.young.wallet.address, 0n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("amount");
    });

    it("refuses whoever is not a finance officer of the paying organisation", async function () {
      await expect(asOfficer().pay(GENESIS.ministry, f.young.wallet.address, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.officer.address,
          await f.treasury.getAddress(),
          f.treasury.interface.getFunction("pay").selector,
        );
      // a finance officer appointed to another organisation
      const clerk = await newPerson(f);
      const now = BigInt(await time.latest());
      // finance officers are appointed by the Legislature alone, in a law
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.identityRegistry, "appoint", [
          clerk.id,
          FINANCE_OFFICER,
          GENESIS.dongchengOffice,
          ethers.encodeBytes32String("CN"),
          now,
          now + 86_400n,
        ]),
      ]);
      await expect(f.treasury.connect(clerk.wallet).pay(GENESIS.ministry, f.young.wallet.address, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryNotCompetent")
        .withArgs(clerk.wallet.address, GENESIS.ministry, FINANCE_OFFICER);
      await expect(asFinance().pay(GENESIS.dongchengOffice, f.young.wallet.address, 1n, PURPOSE))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.dongchengOffice);
    });

    it("reverses a payment in tokens by a new transaction, taking the tokens back, once", async function () {
      const to = f.young.wallet.address;
      await asFinance().pay(GENESIS.ministry, to, 5_000n, PURPOSE);
      await expect(asFinance().reverse(1n, REASON))
        .to.emit(f.treasury, "PaymentReversed")
        .withArgs(1n, 5_000n, REASON, PUBLIC_FINANCE_ACT, f.signers.financeOfficer.address)
        .and.to.emit(f.fiatToken, "ClawedBack")
        .withArgs(to, await f.treasury.getAddress(), 5_000n, REASON, PUBLIC_FINANCE_ACT);
      expect(await f.fiatToken.balanceOf(to)).to.equal(0n);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET);
      const payment = await f.treasury.payment(1n);
      expect([payment.amount, payment.reversed]).to.deep.equal([5_000n, true]);
      await expect(asFinance().reverse(1n, REASON))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryPaymentAlreadyReversed")
        .withArgs(1n);
      await expect(asFinance().reverse(2n, REASON))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownPayment")
        .withArgs(2n);
    });

    it("reverses a payment between accounts, if the receiving account still holds it", async function () {
      await enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
        await call(f.treasury, "openAccount", [GENESIS.dongchengOffice, FINANCE_OFFICER]),
      ]);
      await asFinance().transferBudget(GENESIS.ministry, GENESIS.dongchengOffice, 1_000n, PURPOSE);
      await asFinance().reverse(1n, REASON);
      expect((await f.treasury.account(GENESIS.dongchengOffice)).balance).to.equal(0n);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET);
    });

    it("cannot take back what the payee no longer holds", async function () {
      await asFinance().pay(GENESIS.ministry, f.young.wallet.address, 5_000n, PURPOSE);
      await f.fiatToken.connect(f.young.wallet).transfer(f.pensioners[0].wallet.address, 1n);
      await expect(asFinance().reverse(1n, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InsufficientBalance")
        .withArgs(f.young.wallet.address, 4_999n, 5_000n);
      expect((await f.treasury.payment(1n)).reversed).to.equal(false);
    });
  });

  describe("claim", function () {
    it("pays an enrolled pensioner this period's amount, naming the law", async function () {
      const [alice] = f.pensioners;
      const period = await periodNow();
      await expect(f.treasury.connect(alice.wallet).claim(PENSION))
        .to.emit(f.treasury, "BenefitClaimed")
        .withArgs(PENSION, period, alice.id, alice.wallet.address, PENSION_AMOUNT, PENSION_ACT);
      expect(await f.fiatToken.balanceOf(alice.wallet.address)).to.equal(PENSION_AMOUNT);
      expect(await f.treasury.isPaid(PENSION, period, alice.id)).to.equal(true);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET - PENSION_AMOUNT);
    });

    it("pays once per period, and again in the next", async function () {
      const [alice] = f.pensioners;
      await f.treasury.connect(alice.wallet).claim(PENSION);
      const period = await periodNow();
      await expect(f.treasury.connect(alice.wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryAlreadyPaid")
        .withArgs(PENSION, period, alice.id);
      await nextPeriod();
      await expect(f.treasury.connect(alice.wallet).claim(PENSION))
        .to.emit(f.treasury, "PeriodOpened")
        .and.to.emit(f.treasury, "BenefitClaimed");
      expect(await periodNow()).to.equal(period + 1n);
    });

    it("refuses a person not enrolled, a key of no identity, and a deceased pensioner", async function () {
      await expect(f.treasury.connect(f.young.wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryNotEnrolled")
        .withArgs(PENSION, f.young.id);
      await expect(f.treasury.connect(f.signers.outsider).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownClaimant")
        .withArgs(f.signers.outsider.address);
      const [, bob] = f.pensioners;
      await recordDeath(f, bob.id);
      const record = await f.civilRegistry.latest(DEATH, bob.id);
      await expect(f.treasury.connect(bob.wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryBeneficiaryStopped")
        .withArgs(PENSION, bob.id, record);
      expect(await f.treasury.eligibility(PENSION, bob.id)).to.equal(SKIP.Stopped);
    });

    it("refuses a suspended pensioner's key at the token", async function () {
      const [alice] = f.pensioners;
      await f.identityRegistry.connect(f.signers.registrar).setStatus(alice.id, STATUS.Suspended, "inquiry");
      await expect(f.treasury.connect(alice.wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(alice.wallet.address);
    });

    it("asks the IdentityRegistry again for a key the token admitted, once the key is revoked", async function () {
      const [alice] = f.pensioners;
      await f.treasury.connect(alice.wallet).claim(PENSION);
      expect((await f.fiatToken.account(alice.wallet.address)).admitted).to.equal(true);
      await f.identityRegistry.connect(f.signers.registrar).revokeKey(alice.wallet.address);
      await nextPeriod();
      await expect(f.treasury.connect(alice.wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownClaimant")
        .withArgs(alice.wallet.address);
    });

    it("takes a new amount from the next period, not the current one", async function () {
      const [alice, bob] = f.pensioners;
      await f.treasury.connect(alice.wallet).claim(PENSION);
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, paramKey("PENSION_AMOUNT"), 350_000n]),
      ]);
      await f.treasury.connect(bob.wallet).claim(PENSION);
      expect(await f.fiatToken.balanceOf(bob.wallet.address)).to.equal(PENSION_AMOUNT);
      await nextPeriod();
      await f.treasury.connect(bob.wallet).claim(PENSION);
      expect(await f.fiatToken.balanceOf(bob.wallet.address)).to.equal(PENSION_AMOUNT + 350_000n);
    });

    it("never pays beyond the programme's budget", async function () {
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, paramKey("PENSION_AMOUNT"), PENSION_BUDGET + 1n]),
      ]);
      await nextPeriod();
      const [alice] = f.pensioners;
      await expect(f.treasury.connect(alice.wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryProgrammeBudgetExceeded")
        .withArgs(PENSION, PENSION_BUDGET, PENSION_BUDGET + 1n);
    });

    it("stops paying when the programme's law is repealed", async function () {
      await f.smartLaw.connect(await legislatureSigner(f)).repeal(PENSION_ACT);
      await expect(f.treasury.connect(f.pensioners[0].wallet).claim(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryLawNotInForce")
        .withArgs(PENSION, PENSION_ACT);
    });

    it("refuses an unknown programme", async function () {
      const unknown = ethers.encodeBytes32String("CHILD_SUBSIDY");
      await expect(f.treasury.connect(f.pensioners[0].wallet).claim(unknown))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownProgramme")
        .withArgs(unknown);
    });
  });

  describe("payout", function () {
    const ids = () => f.pensioners.map((p) => p.id);
    const keys = () => f.pensioners.map((p) => p.wallet.address);

    it("pays every eligible beneficiary in one transaction", async function () {
      const period = await periodNow();
      const tx = asOfficer().payout(PENSION, period, ids(), keys());
      await expect(tx)
        .to.emit(f.treasury, "PayoutMade")
        .withArgs(PENSION, period, PENSION_AMOUNT, 3n, PENSION_ACT, f.signers.officer.address);
      for (const p of f.pensioners) {
        expect(await f.fiatToken.balanceOf(p.wallet.address)).to.equal(PENSION_AMOUNT);
        expect(await f.treasury.isPaid(PENSION, period, p.id)).to.equal(true);
      }
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET - 3n * PENSION_AMOUNT);
    });

    it("passes over those already paid, not enrolled or deceased, so that a rerun pays no one twice", async function () {
      const [alice, bob, carol] = f.pensioners;
      await f.treasury.connect(alice.wallet).claim(PENSION);
      await recordDeath(f, bob.id);
      const period = await periodNow();
      const all = [...ids(), f.young.id];
      const allKeys = [...keys(), f.young.wallet.address];
      await expect(asOfficer().payout(PENSION, period, all, allKeys))
        .to.emit(f.treasury, "BenefitSkipped")
        .withArgs(PENSION, period, alice.id, SKIP.AlreadyPaid)
        .and.to.emit(f.treasury, "BenefitSkipped")
        .withArgs(PENSION, period, bob.id, SKIP.Stopped)
        .and.to.emit(f.treasury, "BenefitSkipped")
        .withArgs(PENSION, period, f.young.id, SKIP.NotEnrolled)
        .and.to.emit(f.treasury, "PayoutMade")
        .withArgs(PENSION, period, PENSION_AMOUNT, 1n, PENSION_ACT, f.signers.officer.address);
      expect(await f.fiatToken.balanceOf(carol.wallet.address)).to.equal(PENSION_AMOUNT);
      const budget = (await f.treasury.programme(PENSION)).budget;
      await expect(asOfficer().payout(PENSION, period, all, allKeys)).not.to.emit(f.treasury, "PayoutMade");
      expect((await f.treasury.programme(PENSION)).budget).to.equal(budget);
      // a beneficiary listed twice in one payout is paid once
      await nextPeriod();
      await f.treasury.connect(alice.wallet).claim(PENSION);
      await asOfficer().payout(
        PENSION,
        period + 1n,
        [carol.id, carol.id],
        [carol.wallet.address, carol.wallet.address],
      );
      expect(await f.fiatToken.balanceOf(carol.wallet.address)).to.equal(2n * PENSION_AMOUNT);
    });

    it("pays the period named only, and the programme's officers only", async function () {
      const period = await periodNow();
      await expect(asOfficer().payout(PENSION, period + 1n, ids(), keys()))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryWrongPeriod")
        .withArgs(PENSION, period, period + 1n);
      await expect(asFinance().payout(PENSION, period, ids(), keys())).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
      await expect(asOfficer().payout(PENSION, period, ids(), []))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryLengthMismatch")
        .withArgs(3n, 0n);
    });

    it("passes over a key that is not the beneficiary's, paying the others; refuses the whole payout when the budget falls short", async function () {
      const period = await periodNow();
      const swapped = [keys()[1], keys()[0], keys()[2]];
      await expect(asOfficer().payout(PENSION, period, ids(), swapped))
        .to.emit(f.treasury, "BenefitSkipped")
        .withArgs(PENSION, period, ids()[0], SKIP.KeyNotOfIdentity)
        .and.to.emit(f.treasury, "BenefitSkipped")
        .withArgs(PENSION, period, ids()[1], SKIP.KeyNotOfIdentity)
        .and.to.emit(f.treasury, "PayoutMade")
        .withArgs(PENSION, period, PENSION_AMOUNT, 1n, PENSION_ACT, f.signers.officer.address);
      expect(await f.treasury.isPaid(PENSION, period, ids()[0])).to.equal(false);
      expect(await f.treasury.isPaid(PENSION, period, ids()[2])).to.equal(true);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET - PENSION_AMOUNT);
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, paramKey("PENSION_AMOUNT"), PENSION_BUDGET / 2n]),
      ]);
      await nextPeriod();
      const next = await periodNow();
      const budget = PENSION_BUDGET - PENSION_AMOUNT;
      await expect(asOfficer().payout(PENSION, next, ids(), keys()))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryProgrammeBudgetExceeded")
        .withArgs(PENSION, budget, (PENSION_BUDGET / 2n) * 3n);
    });

    it("pays newly enrolled beneficiaries who never held tokens", async function () {
      const dora = await newPerson(f);
      await enrolPensioners(f, [dora.id]);
      await asOfficer().payout(PENSION, await periodNow(), [dora.id], [dora.wallet.address]);
      expect(await f.fiatToken.balanceOf(dora.wallet.address)).to.equal(PENSION_AMOUNT);
      expect(await f.treasury.eligibility(PENSION, dora.id)).to.equal(SKIP.AlreadyPaid);
      expect(await f.treasury.eligibility(PENSION, f.young.id)).to.equal(SKIP.NotEnrolled);
    });
  });
});
