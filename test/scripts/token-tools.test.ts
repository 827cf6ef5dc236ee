import { expect } from "chai";
import hre from "hardhat";

import {
  balanceOf,
  describeMovement,
  forceTransfer,
  formatBalance,
  setFrozen,
  setPaused,
  transferTokens,
} from "../../scripts/lib/token/token";
import { citizenFixture, type CitizenFixture } from "../helpers/fixtures";
import { consentToEnrol, DONGCHENG, PERSON, attributes } from "../helpers/identity";
import { twoHolders } from "../helpers/treasury";

describe("token tools", function () {
  let f: CitizenFixture;

  beforeEach(async function () {
    f = await citizenFixture();
    await twoHolders(f, 100_000n);
  });

  it("shows balances by name and transfers between holders", async function () {
    expect(
      await describeMovement(hre, "transfer", 2_500n, f.signers.citizen1.address, f.signers.citizen2.address),
    ).to.match(/^transfer: 25.00 yuan from citizen1 \(0x.*\) to citizen2 \(0x/);
    await transferTokens(hre, f.signers.citizen1, "citizen2", 2_500n);
    const balance = await balanceOf(hre, "citizen2");
    expect([balance.balance, balance.fen, balance.mayHold]).to.deep.equal(["25.00", "2500", true]);
    expect(formatBalance(await balanceOf(hre, "Treasury"))).to.match(
      /^Treasury \(0x.*\): 0.00 yuan \(a service account\)/,
    );
    // an enrolled key that never held money is its identity's all the same
    expect((await balanceOf(hre, "citizen3")).identity).to.equal(0);
    await consentToEnrol(f.identityRegistry, f.signers.citizen3);
    await f.identityRegistry
      .connect(f.signers.registrar)
      .enroll(PERSON, DONGCHENG, attributes(), f.signers.citizen3.address);
    expect(formatBalance(await balanceOf(hre, "citizen3"))).to.match(/^citizen3 \(0x.*\): 0.00 yuan \(identity \d+\)$/);
    await expect(balanceOf(hre, "nobody")).to.be.rejectedWith(/named accounts: deployer, legislator1/);
  });

  it("refuses a transfer to a key that may not hold, with nothing sent", async function () {
    const nonce = await f.signers.citizen1.getNonce();
    await expect(transferTokens(hre, f.signers.citizen1, "outsider", 1n)).to.be.rejectedWith(
      /^refused, nothing sent: FiatTokenAccountNotAdmitted\(outsider \(0x/,
    );
    expect(await f.signers.citizen1.getNonce()).to.equal(nonce);
  });

  it("a court freezes, moves by order and unfreezes; the guardian pauses", async function () {
    await setFrozen(hre, f.signers.judge, "citizen1", true, "CASE_2026_117");
    await expect(transferTokens(hre, f.signers.citizen1, "citizen2", 1n)).to.be.rejectedWith(/FiatTokenAccountFrozen/);
    await forceTransfer(hre, f.signers.judge, "citizen1", "citizen2", 40_000n, "CASE_2026_117");
    await setFrozen(hre, f.signers.judge, "citizen1", false, "CASE_CLOSED");
    expect((await balanceOf(hre, "citizen1")).balance).to.equal("600.00");

    await expect(setPaused(hre, f.signers.outsider, true)).to.be.rejectedWith(/SmartLawUnauthorized\(outsider/);
    await setPaused(hre, f.signers.guardian, true);
    await expect(transferTokens(hre, f.signers.citizen1, "citizen2", 1n)).to.be.rejectedWith(/EnforcedPause/);
    await setPaused(hre, f.signers.guardian, false);
    await transferTokens(hre, f.signers.citizen1, "citizen2", 1n);
    await expect(setFrozen(hre, f.signers.judge, "citizen1", true, " ")).to.be.rejectedWith(/needs its reason/);
  });
});
