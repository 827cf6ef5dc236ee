/**
 * The legal basis is always the law being enacted. The Legislature records its version (SmartLaw's recordVersion)
 * before the update's calls run, and SmartLaw takes that law as the basis of every write they make; a law update
 * that called recordVersion itself would give another law (or a new law) a version that no LawEnacted announces,
 * and make it the basis of the writes after it. The Legislature refuses such an update before running anything.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { CN } from "../helpers/identity";
import { CIVIL_ACT, PENSION_ACT, call, enact, lawId, lawUpdate, paramKey, sign } from "../helpers/law";
import { jurisdictionCode } from "../../scripts/lib/common/ids";

describe("Security: a law update cannot swap the legal basis", function () {
  let f: SystemFixture;
  let smartLaw: string;
  let recordVersion: string;

  beforeEach(async function () {
    f = await deploySystem();
    smartLaw = await f.smartLaw.getAddress();
    recordVersion = f.smartLaw.interface.getFunction("recordVersion").selector;
  });

  it("refuses an update of CIVIL_ADMINISTRATION_ACT that versions PENSION_ACT and then writes under it", async function () {
    const pensionVersion = await f.smartLaw.lawVersion(PENSION_ACT);
    const civilVersion = await f.smartLaw.lawVersion(CIVIL_ACT);
    const code = jurisdictionCode("CN-99");
    const update = await lawUpdate(f, CIVIL_ACT, [
      await call(f.smartLaw, "recordVersion", [PENSION_ACT, pensionVersion + 1n, ethers.id("other text")]),
      await call(f.identityRegistry, "defineJurisdiction", [code, CN]),
    ]);
    await expect(f.legislature.enact(update, await sign(f.legislature, update, f.legislators)))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureForbiddenCall")
      .withArgs(0n, smartLaw, recordVersion);
    // nothing was written: no version of either law, no jurisdiction, the nonce still free
    expect(await f.smartLaw.lawVersion(PENSION_ACT)).to.equal(pensionVersion);
    expect(await f.smartLaw.lawVersion(CIVIL_ACT)).to.equal(civilVersion);
    expect(await f.smartLaw.textHash(PENSION_ACT, pensionVersion + 1n)).to.equal(ethers.ZeroHash);
    expect((await f.identityRegistry.jurisdiction(code)).defined).to.equal(false);
    expect(await f.legislature.isNonceUsed(update.nonce)).to.equal(false);
  });

  it("refuses an update that brings a brand-new law into force inside it", async function () {
    const hidden = lawId("HIDDEN_ACT");
    await expect(
      enact(f, f.legislators, CIVIL_ACT, [await call(f.smartLaw, "recordVersion", [hidden, 1, ethers.id("x")])]),
    )
      .to.be.revertedWithCustomError(f.legislature, "LegislatureForbiddenCall")
      .withArgs(0n, smartLaw, recordVersion);
    expect(await f.smartLaw.isInForce(hidden)).to.equal(false);
  });

  it("refuses the call before running anything: an earlier call is not even tried", async function () {
    // call 0 would fail (an unknown parameter's law), call 2 records the version of the law being enacted
    const civilVersion = await f.smartLaw.lawVersion(CIVIL_ACT);
    await expect(
      enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "setParam", [lawId("NO_SUCH_ACT"), paramKey("X"), 1]),
        await call(f.identityRegistry, "defineJurisdiction", [jurisdictionCode("CN-98"), CN]),
        await call(f.smartLaw, "recordVersion", [CIVIL_ACT, civilVersion + 2n, ethers.id("again")]),
      ]),
    )
      .to.be.revertedWithCustomError(f.legislature, "LegislatureForbiddenCall")
      .withArgs(2n, smartLaw, recordVersion);
  });

  it("enacts the same writes without the call, citing the law being enacted, and versions PENSION_ACT by its own update", async function () {
    const code = jurisdictionCode("CN-99");
    const tx = enact(f, f.legislators, CIVIL_ACT, [
      await call(f.smartLaw, "setParam", [CIVIL_ACT, paramKey("TEST_PARAM"), 5]),
      await call(f.identityRegistry, "defineJurisdiction", [code, CN]),
    ]);
    await expect(tx).to.emit(f.identityRegistry, "JurisdictionDefined").withArgs(code, CN, 1, CIVIL_ACT);
    await expect(tx).to.emit(f.smartLaw, "ParamSet").withArgs(CIVIL_ACT, paramKey("TEST_PARAM"), 5n);

    const pensionVersion = await f.smartLaw.lawVersion(PENSION_ACT);
    const update = await lawUpdate(f, PENSION_ACT, [], { textHash: ethers.id("other text") });
    await expect(f.legislature.enact(update, await sign(f.legislature, update, f.legislators)))
      .to.emit(f.legislature, "LawEnacted")
      .withArgs(
        PENSION_ACT,
        pensionVersion + 1n,
        await f.legislature.hashLawUpdate(update),
        f.legislators.map((l) => l.address),
      );
    expect(await f.smartLaw.textHash(PENSION_ACT, pensionVersion + 1n)).to.equal(ethers.id("other text"));
  });
});
