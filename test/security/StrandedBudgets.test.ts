/**
 * Budgets can be taken back: a repealed programme's budget returns to the reserve (by anyone: the repeal decides),
 * a law moves a budget between accounts and programmes or back to the reserve, and a dissolved organisation's
 * account is closed and its budget returned to the reserve (by anyone; by law while the organisation is active).
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { GENESIS, STATUS } from "../helpers/identity";
import { PENSION_ACT, call, enact, legislatureSigner, roleId } from "../helpers/law";
import {
  MINISTRY_BUDGET,
  MINTED,
  PENSION,
  PENSION_BUDGET,
  PUBLIC_FINANCE_ACT,
  treasuryFixture,
  type TreasuryFixture,
} from "../helpers/treasury";

const FINANCE_OFFICER = roleId("FINANCE_OFFICER");
const NONE = ethers.ZeroHash;

describe("Stranded budgets", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  const asOutsider = () => f.treasury.connect(f.signers.outsider);
  const legislature = async () => f.treasury.connect(await legislatureSigner(f));
  const repealPension = async () => f.smartLaw.connect(await legislatureSigner(f)).repeal(PENSION_ACT);
  const unauthorized = async (caller: string, fn: "closeAccount" | "reallocate") => [
    caller,
    await f.treasury.getAddress(),
    f.treasury.interface.getFunction(fn).selector,
  ];

  describe("a repealed programme", function () {
    it("keeps its budget while its law is in force", async function () {
      await expect(asOutsider().releaseProgrammeBudget(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryLawInForce")
        .withArgs(PENSION, PENSION_ACT);
      const unknown = ethers.encodeBytes32String("CHILD_SUBSIDY");
      await expect(asOutsider().releaseProgrammeBudget(unknown))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownProgramme")
        .withArgs(unknown);
    });

    it("returns its budget to the reserve once repealed, by anyone, once", async function () {
      await repealPension();
      await expect(asOutsider().releaseProgrammeBudget(PENSION))
        .to.emit(f.treasury, "ProgrammeBudgetReleased")
        .withArgs(PENSION, PENSION_BUDGET, PENSION_ACT);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(0n);
      expect(await f.treasury.allocated()).to.equal(MINISTRY_BUDGET);
      expect(await f.treasury.reserve()).to.equal(MINTED - MINISTRY_BUDGET);
      await expect(asOutsider().releaseProgrammeBudget(PENSION))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("budget");
    });

    it("can have its budget moved by law to an account, but receives none", async function () {
      await repealPension();
      await expect(
        enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
          await call(f.treasury, "reallocate", [0, PENSION, GENESIS.ministry, NONE, 1_000n]),
        ]),
      )
        .to.emit(f.treasury, "BudgetReallocated")
        .withArgs(0n, PENSION, GENESIS.ministry, NONE, 1_000n, PUBLIC_FINANCE_ACT);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET + 1_000n);
      await expect((await legislature()).reallocate(GENESIS.ministry, NONE, 0, PENSION, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryLawNotInForce")
        .withArgs(PENSION, PENSION_ACT);
    });
  });

  describe("reallocate", function () {
    it("moves a budget by law between an account and a programme, and back to the reserve", async function () {
      await expect(
        enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
          await call(f.treasury, "reallocate", [GENESIS.ministry, NONE, 0, PENSION, 2_000n]),
          await call(f.treasury, "reallocate", [0, PENSION, 0, NONE, 500n]),
        ]),
      )
        .to.emit(f.treasury, "BudgetReallocated")
        .withArgs(GENESIS.ministry, NONE, 0n, PENSION, 2_000n, PUBLIC_FINANCE_ACT)
        .and.to.emit(f.treasury, "BudgetReallocated")
        .withArgs(0n, PENSION, 0n, NONE, 500n, PUBLIC_FINANCE_ACT);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET - 2_000n);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET + 1_500n);
      expect(await f.treasury.reserve()).to.equal(MINTED - MINISTRY_BUDGET - PENSION_BUDGET + 500n);
    });

    it("moves no more than a budget holds, between budgets that exist, and changes nothing on refusal", async function () {
      const treasury = await legislature();
      await expect(treasury.reallocate(GENESIS.ministry, NONE, 0, PENSION, MINISTRY_BUDGET + 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInsufficientBudget")
        .withArgs(GENESIS.ministry, MINISTRY_BUDGET, MINISTRY_BUDGET + 1n);
      await expect(treasury.reallocate(0, PENSION, GENESIS.ministry, NONE, PENSION_BUDGET + 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryProgrammeBudgetExceeded")
        .withArgs(PENSION, PENSION_BUDGET, PENSION_BUDGET + 1n);
      await expect(treasury.reallocate(GENESIS.ministry, PENSION, 0, NONE, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidBudget")
        .withArgs(GENESIS.ministry, PENSION);
      await expect(treasury.reallocate(0, NONE, GENESIS.ministry, NONE, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidBudget")
        .withArgs(0n, NONE);
      await expect(treasury.reallocate(GENESIS.ministry, NONE, GENESIS.ministry, PENSION, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidBudget")
        .withArgs(GENESIS.ministry, PENSION);
      await expect(treasury.reallocate(GENESIS.ministry, NONE, GENESIS.ministry, NONE, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryInvalidBudget")
        .withArgs(GENESIS.ministry, NONE);
      await expect(treasury.reallocate(GENESIS.ministry, NONE, GENESIS.hospital, NONE, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.hospital);
      await expect(treasury.reallocate(GENESIS.ministry, NONE, 0, NONE, 0n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryZeroValue")
        .withArgs("amount");
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET);
    });

    it("is a law's alone, not a finance officer's", async function () {
      const officer = f.signers.financeOfficer;
      await expect(f.treasury.connect(officer).reallocate(GENESIS.ministry, NONE, 0, NONE, 1n))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(...(await unauthorized(officer.address, "reallocate")));
    });
  });

  describe("a dissolved organisation's account", function () {
    beforeEach(async function () {
      await enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
        await call(f.treasury, "openAccount", [GENESIS.hospital, FINANCE_OFFICER]),
        await call(f.treasury, "allocate", [GENESIS.hospital, 3_000n]),
      ]);
    });

    it("is closed by law only while the organisation is active", async function () {
      await expect(asOutsider().closeAccount(GENESIS.hospital))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(...(await unauthorized(f.signers.outsider.address, "closeAccount")));
    });

    it("is closed by anyone once the organisation is dissolved, its budget back in the reserve", async function () {
      const identities = f.identityRegistry.connect(await legislatureSigner(f));
      await identities.setStatus(GENESIS.hospital, STATUS.Dissolved, "merged into the district hospital");
      const reserve = await f.treasury.reserve();
      await expect(asOutsider().closeAccount(GENESIS.hospital))
        .to.emit(f.treasury, "AccountClosed")
        .withArgs(GENESIS.hospital, 3_000n, NONE);
      expect(await f.treasury.reserve()).to.equal(reserve + 3_000n);
      const account = await f.treasury.account(GENESIS.hospital);
      expect([account.balance, account.open]).to.deep.equal([0n, false]);
      await expect(asOutsider().closeAccount(GENESIS.hospital))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.hospital);
      await expect((await legislature()).allocate(GENESIS.hospital, 1n))
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.hospital);
    });
  });

  describe("an account closed by law", function () {
    it("pays nothing more, and opened again it starts empty and is counted once", async function () {
      await expect(
        enact(f, f.legislators, PUBLIC_FINANCE_ACT, [await call(f.treasury, "closeAccount", [GENESIS.ministry])]),
      )
        .to.emit(f.treasury, "AccountClosed")
        .withArgs(GENESIS.ministry, MINISTRY_BUDGET, PUBLIC_FINANCE_ACT);
      await expect(
        f.treasury
          .connect(f.signers.financeOfficer)
          .pay(GENESIS.ministry, f.pensioners[0].wallet.address, 1n, ethers.id("purpose")),
      )
        .to.be.revertedWithCustomError(f.treasury, "TreasuryUnknownAccount")
        .withArgs(GENESIS.ministry);
      await enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
        await call(f.treasury, "openAccount", [GENESIS.ministry, FINANCE_OFFICER]),
        await call(f.treasury, "allocate", [GENESIS.ministry, 5n]),
      ]);
      expect(await f.treasury.allocated()).to.equal(PENSION_BUDGET + 5n);
      expect(await f.treasury.reserve()).to.equal(MINTED - PENSION_BUDGET - 5n);
    });
  });
});
