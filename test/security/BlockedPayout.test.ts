/**
 * Nobody can block anybody else's payment: a beneficiary whose key cannot receive (revoked, frozen, of an identity
 * no longer active) is passed over by a payout with the reason, the others are paid, and a rerun pays the skipped
 * ones once they can receive, never anyone twice.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { STATUS, consentedKey, time } from "../helpers/identity";
import { PENSION_ACT } from "../helpers/law";
import {
  PENSION,
  PENSION_AMOUNT,
  PENSION_BUDGET,
  PENSION_PERIOD,
  SKIP,
  treasuryFixture,
  type TreasuryFixture,
} from "../helpers/treasury";

const ORDER = ethers.id("court order 2026-44");

describe("Blocked payout", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  const asOfficer = () => f.treasury.connect(f.signers.officer);
  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);
  const periodNow = async () => (await f.treasury.currentPeriod(PENSION))[0];
  const ids = () => f.pensioners.map((p) => p.id);
  const keys = () => f.pensioners.map((p) => p.wallet.address);
  const budget = async () => (await f.treasury.programme(PENSION)).budget;
  const balanceOf = (key: string) => f.fiatToken.balanceOf(key);

  it("passes over a revoked key, pays the others, and pays the beneficiary at its new key on a rerun", async function () {
    const [alice, bob, carol] = f.pensioners;
    const newKey = await consentedKey(f.identityRegistry, alice.id);
    await asRegistrar().recoverKey(alice.wallet.address, newKey);
    const period = await periodNow();
    await expect(asOfficer().payout(PENSION, period, ids(), keys()))
      .to.emit(f.treasury, "BenefitSkipped")
      .withArgs(PENSION, period, alice.id, SKIP.KeyRevoked)
      .and.to.emit(f.treasury, "PayoutMade")
      .withArgs(PENSION, period, PENSION_AMOUNT, 2n, PENSION_ACT, f.signers.officer.address);
    expect(await balanceOf(bob.wallet.address)).to.equal(PENSION_AMOUNT);
    expect(await balanceOf(carol.wallet.address)).to.equal(PENSION_AMOUNT);
    expect(await balanceOf(alice.wallet.address)).to.equal(0n);
    expect(await f.treasury.isPaid(PENSION, period, alice.id)).to.equal(false);
    expect(await budget()).to.equal(PENSION_BUDGET - 2n * PENSION_AMOUNT);

    await expect(asOfficer().payout(PENSION, period, ids(), [newKey, bob.wallet.address, carol.wallet.address]))
      .to.emit(f.treasury, "PayoutMade")
      .withArgs(PENSION, period, PENSION_AMOUNT, 1n, PENSION_ACT, f.signers.officer.address);
    expect(await balanceOf(newKey)).to.equal(PENSION_AMOUNT);
    expect(await balanceOf(bob.wallet.address)).to.equal(PENSION_AMOUNT);
    expect(await budget()).to.equal(PENSION_BUDGET - 3n * PENSION_AMOUNT);
  });

  it("passes over a frozen key until the court unfreezes it, then pays it once", async function () {
    const [, bob] = f.pensioners;
    await f.fiatToken.connect(f.signers.judge).freeze(bob.wallet.address, ORDER);
    const period = await periodNow();
    await expect(asOfficer().payout(PENSION, period, ids(), keys()))
      .to.emit(f.treasury, "BenefitSkipped")
      .withArgs(PENSION, period, bob.id, SKIP.KeyFrozen)
      .and.to.emit(f.fiatToken, "DisbursementRefused");
    expect(await balanceOf(bob.wallet.address)).to.equal(0n);
    await f.fiatToken.connect(f.signers.judge).unfreeze(bob.wallet.address, ORDER);
    await asOfficer().payout(PENSION, period, ids(), keys());
    await asOfficer().payout(PENSION, period, ids(), keys());
    expect(await balanceOf(bob.wallet.address)).to.equal(PENSION_AMOUNT);
    for (const p of f.pensioners) expect(await balanceOf(p.wallet.address)).to.equal(PENSION_AMOUNT);
    expect(await budget()).to.equal(PENSION_BUDGET - 3n * PENSION_AMOUNT);
  });

  it("passes over a beneficiary marked deceased before its death record, and a suspended one until reinstated", async function () {
    const [alice, bob, carol] = f.pensioners;
    await asRegistrar().setStatus(alice.id, STATUS.Deceased, "death reported");
    await asRegistrar().setStatus(bob.id, STATUS.Suspended, "inquiry");
    const period = await periodNow();
    await expect(asOfficer().payout(PENSION, period, ids(), keys()))
      .to.emit(f.treasury, "BenefitSkipped")
      .withArgs(PENSION, period, alice.id, SKIP.IdentityNotActive)
      .and.to.emit(f.treasury, "BenefitSkipped")
      .withArgs(PENSION, period, bob.id, SKIP.IdentityNotActive)
      .and.to.emit(f.treasury, "PayoutMade")
      .withArgs(PENSION, period, PENSION_AMOUNT, 1n, PENSION_ACT, f.signers.officer.address);
    expect(await balanceOf(carol.wallet.address)).to.equal(PENSION_AMOUNT);
    await asRegistrar().setStatus(bob.id, STATUS.Active, "cleared");
    await expect(asOfficer().payout(PENSION, period, ids(), keys()))
      .to.emit(f.treasury, "PayoutMade")
      .withArgs(PENSION, period, PENSION_AMOUNT, 1n, PENSION_ACT, f.signers.officer.address);
    expect(await balanceOf(bob.wallet.address)).to.equal(PENSION_AMOUNT);
    expect(await balanceOf(alice.wallet.address)).to.equal(0n);
    expect(await budget()).to.equal(PENSION_BUDGET - 2n * PENSION_AMOUNT);
  });

  it("pays nobody and changes nothing when no key can receive", async function () {
    await f.fiatToken.connect(f.signers.judge).freeze(f.pensioners[0].wallet.address, ORDER);
    const period = await periodNow();
    const held = await f.fiatToken.balanceOf(await f.treasury.getAddress());
    await expect(asOfficer().payout(PENSION, period, [f.pensioners[0].id], [f.pensioners[0].wallet.address]))
      .to.emit(f.treasury, "BenefitSkipped")
      .withArgs(PENSION, period, f.pensioners[0].id, SKIP.KeyFrozen)
      .and.not.to.emit(f.treasury, "PayoutMade");
    expect(await f.fiatToken.balanceOf(await f.treasury.getAddress())).to.equal(held);
    expect(await budget()).to.equal(PENSION_BUDGET);
    expect(await f.treasury.isPaid(PENSION, period, f.pensioners[0].id)).to.equal(false);
  });

  it("pays the skipped ones in the next period too, once they can receive", async function () {
    const [alice] = f.pensioners;
    await f.fiatToken.connect(f.signers.judge).freeze(alice.wallet.address, ORDER);
    await asOfficer().payout(PENSION, await periodNow(), ids(), keys());
    await f.fiatToken.connect(f.signers.judge).unfreeze(alice.wallet.address, ORDER);
    await time.increase(PENSION_PERIOD);
    await asOfficer().payout(PENSION, await periodNow(), ids(), keys());
    expect(await balanceOf(alice.wallet.address)).to.equal(PENSION_AMOUNT);
    expect(await balanceOf(f.pensioners[1].wallet.address)).to.equal(2n * PENSION_AMOUNT);
  });
});
