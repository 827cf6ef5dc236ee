/** A legislator can withdraw an on-chain approval before the update is enacted; then it no longer counts. */
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { PENSION_ACT, call, lawUpdate, paramKey, sign } from "../helpers/law";
import type { LawUpdate } from "../../scripts/lib/law/lawUpdate";

const RETIREMENT_AGE = paramKey("RETIREMENT_AGE");

describe("Approval withdrawal", function () {
  let f: SystemFixture;
  let update: LawUpdate;
  let digest: string;

  beforeEach(async function () {
    f = await deploySystem();
    update = await lawUpdate(f, PENSION_ACT, [await call(f.smartLaw, "setParam", [PENSION_ACT, RETIREMENT_AGE, 70])]);
    digest = await f.legislature.hashLawUpdate(update);
  });

  const as = (signer: HardhatEthersSigner) => f.legislature.connect(signer);

  it("withdraws an approval, which then no longer counts towards the quorum", async function () {
    const { legislator1, legislator2 } = f.signers;
    await as(legislator1).approve(digest);
    await expect(as(legislator1).withdrawApproval(digest))
      .to.emit(f.legislature, "ApprovalWithdrawn")
      .withArgs(digest, legislator1.address);
    expect(await f.legislature.hasApproved(digest, legislator1.address)).to.equal(false);
    await expect(f.legislature.enact(update, await sign(f.legislature, update, [legislator2])))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureQuorumNotReached")
      .withArgs(1, 2);
  });

  it("enacts with the approval while it stands, and after it is given again", async function () {
    const { legislator1, legislator2 } = f.signers;
    await as(legislator1).approve(digest);
    await as(legislator1).withdrawApproval(digest);
    await expect(as(legislator1).approve(digest))
      .to.emit(f.legislature, "LawUpdateApproved")
      .withArgs(digest, legislator1.address);
    await expect(f.legislature.enact(update, await sign(f.legislature, update, [legislator2])))
      .to.emit(f.legislature, "LawEnacted")
      .withArgs(PENSION_ACT, update.version, digest, [legislator2.address, legislator1.address]);
    expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(70n);
  });

  it("refuses to withdraw what was never approved, twice, or another legislator's approval", async function () {
    const { legislator1, legislator2, outsider } = f.signers;
    await expect(as(legislator1).withdrawApproval(digest))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureNotApproved")
      .withArgs(digest, legislator1.address);
    await as(legislator1).approve(digest);
    await expect(as(legislator2).withdrawApproval(digest))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureNotApproved")
      .withArgs(digest, legislator2.address);
    await expect(as(outsider).withdrawApproval(digest))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureNotApproved")
      .withArgs(digest, outsider.address);
    expect(await f.legislature.hasApproved(digest, legislator1.address)).to.equal(true);
    await as(legislator1).withdrawApproval(digest);
    await expect(as(legislator1).withdrawApproval(digest))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureNotApproved")
      .withArgs(digest, legislator1.address);
  });
});
