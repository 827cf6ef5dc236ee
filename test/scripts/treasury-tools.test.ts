import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { resolve } from "node:path";

import { enactLawUpdate } from "../../scripts/lib/law/enact";
import { signLawUpdate } from "../../scripts/lib/law/sign";
import {
  draftAllocation,
  formatAmount,
  formatPayoutSummary,
  formatStatement,
  mintTokens,
  parseAmount,
  payFromAccount,
  payoutPeriod,
  statement,
} from "../../scripts/lib/treasury/treasury";
import { GENESIS, freshKey, time } from "../helpers/identity";
import {
  MINISTRY_BUDGET,
  PENSION,
  PENSION_AMOUNT,
  PENSION_BUDGET,
  PENSION_PERIOD,
  recordDeath,
  treasuryFixture,
  type TreasuryFixture,
} from "../helpers/treasury";

const TEXT = resolve(__dirname, "../../genesis/texts/public-finance-act.md");

describe("treasury tools", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  it("reads and writes amounts in yuan with two decimals", function () {
    expect(parseAmount("1,234.56")).to.equal(123_456n);
    expect(parseAmount("7")).to.equal(700n);
    expect(formatAmount(123_456_789n)).to.equal("1,234,567.89");
    expect(formatAmount(-5n)).to.equal("-0.05");
    expect(parseAmount("10,000,000.00")).to.equal(1_000_000_000n);
    expect(parseAmount("1234.5")).to.equal(123_450n);
    const bad = ["1.234", "abc", "0", "-3", "", "10,00", "1 0", "1_000", "1,0000", ",100", "1,000,", "1.", ".5", " 7"];
    for (const text of bad) expect(() => parseAmount(text), text).to.throw(/amount/);
  });

  describe("mint", function () {
    it("mints to the Treasury by name", async function () {
      const before = await f.fiatToken.balanceOf(await f.treasury.getAddress());
      await mintTokens(hre, f.signers.centralBanker, "Treasury", 500n);
      expect(await f.fiatToken.balanceOf(await f.treasury.getAddress())).to.equal(before + 500n);
    });

    it("refuses, before sending anything, a receiver that may not hold, a non-minter and too much", async function () {
      const block = await ethers.provider.getBlockNumber();
      const stranger = freshKey();
      await expect(mintTokens(hre, f.signers.centralBanker, stranger, 1n)).to.be.rejectedWith(/may not hold the token/);
      await expect(mintTokens(hre, f.signers.registrar, "Treasury", 1n)).to.be.rejectedWith(/is not a minter/);
      const allowance = await f.fiatToken.minterAllowance(f.signers.centralBanker.address);
      await expect(mintTokens(hre, f.signers.centralBanker, "Treasury", allowance + 1n)).to.be.rejectedWith(
        /exceeds what .* may still mint/,
      );
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });
  });

  describe("allocate", function () {
    it("drafts a law update that legislators sign and anyone enacts", async function () {
      const file = await draftAllocation(hre, "PUBLIC_FINANCE_ACT", TEXT, [
        { organisation: GENESIS.ministry, amount: 1_000n },
        { programme: "PENSION", amount: 2_000n },
      ]);
      expect(file.summary).to.deep.equal([
        `Treasury.allocate(organisation: identity ${GENESIS.ministry}, amount: 10.00 yuan)`,
        "Treasury.fundProgramme(programmeId: PENSION, amount: 20.00 yuan)",
      ]);
      const signatures = await Promise.all(f.legislators.map((l) => signLawUpdate(l, file)));
      await enactLawUpdate(hre, file, signatures, f.signers.outsider);
      expect((await f.treasury.account(GENESIS.ministry)).balance).to.equal(MINISTRY_BUDGET + 1_000n);
      expect((await f.treasury.programme(PENSION)).budget).to.equal(PENSION_BUDGET + 2_000n);
    });

    it("refuses to draft more than the reserve", async function () {
      const reserve = await f.treasury.reserve();
      await expect(
        draftAllocation(hre, "PUBLIC_FINANCE_ACT", TEXT, [{ organisation: GENESIS.ministry, amount: reserve + 1n }]),
      ).to.be.rejectedWith(/exceed the Treasury's reserve/);
    });
  });

  describe("pay and statement", function () {
    it("pays, reverses, and rebuilds the account from events to the Treasury's balance", async function () {
      const { paymentId } = await payFromAccount(
        hre,
        f.signers.financeOfficer,
        GENESIS.ministry,
        f.young.wallet.address,
        2_500n,
        "school repairs",
      );
      await payFromAccount(hre, f.signers.financeOfficer, GENESIS.ministry, f.young.wallet.address, 700n, "books");
      await f.treasury.connect(f.signers.financeOfficer).reverse(paymentId, ethers.id("wrong school"));
      const result = await statement(hre, { organisation: GENESIS.ministry });
      expect(result.lines.map((l) => l.amount)).to.deep.equal([MINISTRY_BUDGET, -2_500n, -700n, 2_500n]);
      expect([result.credits, result.debits, result.balance]).to.deep.equal([
        MINISTRY_BUDGET + 2_500n,
        3_200n,
        MINISTRY_BUDGET - 700n,
      ]);
      expect(result.balance).to.equal(result.onChain);
      expect(formatStatement(result)).to.match(/payment 1 \(school repairs, under PUBLIC_FINANCE_ACT\)/);
      expect(formatStatement(result)).to.match(/matches the Treasury's balance/);
    });

    it("refuses, before sending, a payment beyond the account or to a key that may not hold", async function () {
      const officer = f.signers.financeOfficer;
      await expect(
        payFromAccount(hre, officer, GENESIS.ministry, f.young.wallet.address, MINISTRY_BUDGET + 1n, "x"),
      ).to.be.rejectedWith(/account holds 5,000,000.00, less than 5,000,000.01/);
      await expect(payFromAccount(hre, officer, GENESIS.ministry, freshKey(), 1n, "x")).to.be.rejectedWith(
        /may not hold the token/,
      );
      await expect(payFromAccount(hre, officer, GENESIS.hospital, f.young.wallet.address, 1n, "x")).to.be.rejectedWith(
        /has no account/,
      );
    });

    it("refuses a payment by a registrar with the Treasury's decoded reason, nothing sent", async function () {
      const registrar = f.signers.registrar;
      const nonce = await ethers.provider.getTransactionCount(registrar.address);
      await expect(
        payFromAccount(hre, registrar, GENESIS.ministry, f.young.wallet.address, 1n, "x"),
      ).to.be.rejectedWith(/^refused, nothing sent: SmartLawUnauthorized\(registrar \(0x[0-9a-fA-F]{40}\), Treasury /);
      expect(await ethers.provider.getTransactionCount(registrar.address)).to.equal(nonce);
    });
  });

  describe("payout", function () {
    it("pays in batches, and a rerun after an interruption pays only those left", async function () {
      const first = await payoutPeriod(hre, f.signers.officer, "PENSION", { batchSize: 1, maxBatches: 2 });
      expect([first.enrolled, first.paid, first.remaining, first.transactions]).to.deep.equal([3, 2, 1, 2]);
      expect(formatPayoutSummary(first)).to.match(/1 beneficiaries left to pay/);
      const second = await payoutPeriod(hre, f.signers.officer, "PENSION", { batchSize: 1 });
      expect([second.paid, second.alreadyPaid, second.remaining]).to.deep.equal([1, 2, 0]);
      const third = await payoutPeriod(hre, f.signers.officer, "PENSION");
      expect([third.paid, third.alreadyPaid, third.transactions]).to.deep.equal([0, 3, 0]);
      for (const p of f.pensioners) expect(await f.fiatToken.balanceOf(p.wallet.address)).to.equal(PENSION_AMOUNT);
    });

    it("leaves out the deceased, and pays the next period after the time has come", async function () {
      await payoutPeriod(hre, f.signers.officer, "PENSION");
      await recordDeath(f, f.pensioners[1].id);
      await time.increase(PENSION_PERIOD);
      const next = await payoutPeriod(hre, f.signers.officer, "PENSION");
      expect([next.paid, next.notPayable.map((n) => n.beneficiary)]).to.deep.equal([2, [f.pensioners[1].id]]);
      expect(formatPayoutSummary(next)).to.match(/stopped/);
      const result = await statement(hre, { programme: "PENSION" });
      expect(result.balance).to.equal(result.onChain);
      expect(result.debits).to.equal(5n * PENSION_AMOUNT);
    });

    it("names an unknown programme plainly", async function () {
      await expect(payoutPeriod(hre, f.signers.officer, "CHILD_SUBSIDY")).to.be.rejectedWith(
        /there is no programme CHILD_SUBSIDY/,
      );
    });
  });
});
