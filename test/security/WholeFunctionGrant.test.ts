/**
 * A grant on a whole function of a contract that checks per resource does what it says: it covers every resource
 * (a register of the CivilRegistry, a role for the IdentityRegistry's appoint).
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { citizenFixture, type CitizenFixture } from "../helpers/fixtures";
import { DONGCHENG, GENESIS, time } from "../helpers/identity";
import { CIVIL_ACT, PERSONNEL_OFFICER, SCOPE_ANY, call, enact, lawId, roleId } from "../helpers/law";
import { textId } from "../../scripts/lib/common/ids";

const RESIDENCE = textId("RESIDENCE");
const CIVIL_REGISTRATION_ACT = lawId("CIVIL_REGISTRATION_ACT");
const CLERK = roleId("CLERK");

describe("Whole-function grant", function () {
  let f: CitizenFixture;

  beforeEach(async function () {
    f = await citizenFixture();
  });

  const residence = () =>
    ethers.AbiCoder.defaultAbiCoder().encode(["bytes32", "uint32", "bytes32"], [DONGCHENG, 20240101, ethers.id("doc")]);

  it("lets a role granted CivilRegistry.record on the whole function write every register", async function () {
    const registry = await f.civilRegistry.getAddress();
    const record = f.civilRegistry.interface.getFunction("record").selector;
    const officer = f.signers.officer; // CIVIL_AFFAIRS_OFFICER holds no grant on RESIDENCE
    await expect(f.civilRegistry.connect(officer).record(RESIDENCE, f.citizenId, residence()))
      .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
      .withArgs(officer.address, registry, record);
    expect(await f.smartLaw.canCallOn(officer.address, registry, record, RESIDENCE)).to.equal(false);

    await enact(f, f.legislators, CIVIL_REGISTRATION_ACT, [
      await call(f.smartLaw, "grant", [
        CIVIL_REGISTRATION_ACT,
        roleId("CIVIL_AFFAIRS_OFFICER"),
        registry,
        record,
        SCOPE_ANY,
      ]),
    ]);
    expect(await f.smartLaw.canCallOn(officer.address, registry, record, RESIDENCE)).to.equal(true);
    await expect(f.civilRegistry.connect(officer).record(RESIDENCE, f.citizenId, residence())).to.emit(
      f.civilRegistry,
      "RecordAdded",
    );
  });

  it("lets a personnel officer granted appoint on the whole function appoint to any role", async function () {
    const registry = await f.identityRegistry.getAddress();
    const appoint = f.identityRegistry.interface.getFunction("appoint").selector;
    const now = BigInt(await time.latest());
    const asDirector = f.identityRegistry.connect(f.signers.director);
    await expect(asDirector.appoint(f.citizenId, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + 86_400n))
      .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
      .withArgs(f.signers.director.address, registry, appoint);
    await enact(f, f.legislators, CIVIL_ACT, [
      await call(f.smartLaw, "grant", [CIVIL_ACT, PERSONNEL_OFFICER, registry, appoint, 1]),
    ]);
    await expect(
      asDirector.appoint(f.citizenId, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + 86_400n),
    ).to.emit(f.identityRegistry, "OfficialAppointed");
  });

  it("still refuses outside the jurisdiction of a whole-function grant scoped Jurisdiction", async function () {
    const registry = await f.civilRegistry.getAddress();
    const record = f.civilRegistry.interface.getFunction("record").selector;
    // the Shanghai registrar, granted record on the whole function within his jurisdiction, for a Dongcheng subject
    await enact(f, f.legislators, CIVIL_REGISTRATION_ACT, [
      await call(f.smartLaw, "grant", [CIVIL_REGISTRATION_ACT, roleId("REGISTRAR"), registry, record, 1]),
    ]);
    await expect(f.civilRegistry.connect(f.signers.registrar2).record(RESIDENCE, f.citizenId, residence()))
      .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
      .withArgs(f.signers.registrar2.address, DONGCHENG);
  });
});
