import { expect } from "chai";
import hre, { ethers } from "hardhat";

import {
  claimBenefit,
  describeBudgetTransfer,
  describeClaim,
  describePayout,
  describeReversal,
  reversePayment,
  transferBudget,
} from "../../scripts/lib/treasury/budget";
import { GENESIS } from "../helpers/identity";
import { PENSION, PENSION_AMOUNT, treasuryFixture, type TreasuryFixture } from "../helpers/treasury";

describe("treasury tools: reversals, budget transfers and claims", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  it("describes and reverses a payment, once", async function () {
    await f.treasury
      .connect(f.signers.financeOfficer)
      .pay(GENESIS.ministry, f.young.wallet.address, 2_500n, ethers.encodeBytes32String("books"));
    expect(await describeReversal(hre, 1n)).to.match(
      /^reverse payment 1 \(books\): 25.00 yuan from 0x[0-9a-fA-F]{40} back to identity 1 \(ministryOfCivilAffairs\)'s account$/,
    );
    await reversePayment(hre, f.signers.financeOfficer, 1n, "PAID_TWICE");
    expect((await f.treasury.payment(1n)).reversed).to.equal(true);
    await expect(describeReversal(hre, 1n)).to.be.rejectedWith(/payment 1 is reversed already/);
    await expect(reversePayment(hre, f.signers.financeOfficer, 1n, "again")).to.be.rejectedWith(
      /^refused, nothing sent: TreasuryPaymentAlreadyReversed\(1\)/,
    );
    await expect(reversePayment(hre, f.signers.financeOfficer, 7n, "x")).to.be.rejectedWith(/no payment 7/);
  });

  it("refuses a budget transfer to an organisation without an account, with nothing sent", async function () {
    expect(await describeBudgetTransfer(hre, GENESIS.ministry, GENESIS.court, 100n)).to.equal(
      "transfer budget: 1.00 yuan from identity 1 (ministryOfCivilAffairs)'s account to identity 12 (court)'s account",
    );
    const nonce = await f.signers.financeOfficer.getNonce();
    await expect(
      transferBudget(hre, f.signers.financeOfficer, GENESIS.ministry, GENESIS.court, 100n, "RELIEF"),
    ).to.be.rejectedWith(/^refused, nothing sent: TreasuryUnknownAccount\(12\)/);
    expect(await f.signers.financeOfficer.getNonce()).to.equal(nonce);
  });

  it("a pensioner claims this period's benefit, once", async function () {
    const [pensioner] = f.pensioners;
    expect(await describeClaim(hre, "PENSION", pensioner.wallet.address)).to.match(
      /^claim PENSION, period 1: 3,000.00 yuan from the programme's budget to 0x/,
    );
    expect(await describePayout(hre, "PENSION")).to.match(/period 1: 3,000.00 yuan to each eligible beneficiary/);
    expect(await claimBenefit(hre, pensioner.wallet, "PENSION")).to.equal(PENSION_AMOUNT);
    await expect(claimBenefit(hre, pensioner.wallet, "PENSION")).to.be.rejectedWith(
      /^refused, nothing sent: TreasuryAlreadyPaid\(PENSION, 1/,
    );
    await expect(claimBenefit(hre, pensioner.wallet, "PENSIONS")).to.be.rejectedWith(
      /no programme "PENSIONS" \(programmes: PENSION\)/,
    );
    expect(await f.treasury.isPaid(PENSION, 1n, pensioner.id)).to.equal(true);
  });
});
