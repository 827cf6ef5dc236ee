/**
 * A hospital registrar's standing in the birth rule is the standing SmartLaw asks of him when he records a birth
 * himself ({IIdentityRegistry-standing} for the key that applied): a current appointment to HOSPITAL_REGISTRAR,
 * within whose jurisdiction the child is enrolled, in an active hospital, under a law in force. Through the
 * ServiceDesk (which writes as a service role with scope Any) he records no birth he could not record himself.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { GENESIS, GENESIS_APPOINTMENTS, SHANGHAI, STATUS } from "../helpers/identity";
import { CIVIL_ACT, call, enact } from "../helpers/law";
import { BIRTH, birthData, chainDate, enrollPerson } from "../helpers/registry";
import { BIRTH_REGISTRATION, BIRTH_REGISTRATION_ACT, approvalOf, birthDeclaration, reason } from "../helpers/services";

const oneRecord = (records: unknown[]) => records.length === 1;

describe("Security: a hospital registrar's standing in the birth rule", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  /** The hospital registrar declares `child` born yesterday in `place`. */
  const declare = async (child: bigint, place?: string) =>
    f.serviceDesk
      .connect(f.signers.hospitalRegistrar)
      .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 1), [0n, 0n], undefined, place));

  /** The hospital is dissolved, by a law: organisations change status by law alone. */
  const dissolveHospital = async () =>
    enact(f, f.legislators, CIVIL_ACT, [
      await call(f.identityRegistry, "setStatus", [GENESIS.hospital, STATUS.Dissolved, "closed"]),
    ]);

  it("rejects the Dongcheng hospital registrar's declaration of a Shanghai birth; a Dongcheng birth is approved", async function () {
    const faraway = await enrollPerson(f, SHANGHAI);
    // he may not record it himself
    await expect(
      f.civilRegistry
        .connect(f.signers.hospitalRegistrar)
        .record(BIRTH, faraway, birthData(await chainDate(0, 1), SHANGHAI)),
    ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction");
    // nor through the ServiceDesk
    await expect(declare(faraway, SHANGHAI))
      .to.emit(f.serviceDesk, "ApplicationRejected")
      .withArgs(1n, 0n, reason("NO_STANDING"), "");
    expect(await f.civilRegistry.latest(BIRTH, faraway)).to.equal(ethers.ZeroHash);

    const child = await enrollPerson(f);
    await expect(declare(child))
      .to.emit(f.serviceDesk, "ApplicationApproved")
      .withArgs(2n, 0n, ethers.ZeroHash, "", oneRecord);
    expect(await f.civilRegistry.latest(BIRTH, child)).to.not.equal(ethers.ZeroHash);
  });

  it("rejects his declaration once his hospital is dissolved; approved before", async function () {
    const [before, after] = [await enrollPerson(f), await enrollPerson(f)];
    await expect(declare(before)).to.emit(f.serviceDesk, "ApplicationApproved");
    await dissolveHospital();
    await expect(
      f.civilRegistry.connect(f.signers.hospitalRegistrar).record(BIRTH, after, birthData(await chainDate(0, 1))),
    ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
    await expect(declare(after))
      .to.emit(f.serviceDesk, "ApplicationRejected")
      .withArgs(2n, 0n, reason("NO_STANDING"), "");
    expect(await f.civilRegistry.latest(BIRTH, after)).to.equal(ethers.ZeroHash);
  });

  it("rejects his declaration once he is dismissed", async function () {
    const child = await enrollPerson(f);
    await f.identityRegistry.connect(f.signers.director).dismiss(GENESIS_APPOINTMENTS.hospitalRegistrar, "transferred");
    await expect(declare(child))
      .to.emit(f.serviceDesk, "ApplicationRejected")
      .withArgs(1n, 0n, reason("NO_STANDING"), "");
  });

  it("rejects his declaration once the law he was appointed under is repealed", async function () {
    const child = await enrollPerson(f);
    await enact(f, f.legislators, CIVIL_ACT, [await call(f.smartLaw, "repeal", [CIVIL_ACT])]);
    await expect(declare(child))
      .to.emit(f.serviceDesk, "ApplicationRejected")
      .withArgs(1n, 0n, reason("NO_STANDING"), "");
    expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
  });

  it("refuses at the decision a late declaration whose hospital was dissolved meanwhile (the rule reviews standing)", async function () {
    const child = await enrollPerson(f);
    await f.serviceDesk
      .connect(f.signers.hospitalRegistrar)
      .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 40)));
    expect((await f.serviceDesk.application(1n)).reason).to.equal(reason("LATE_DECLARATION"));
    await dissolveHospital();
    await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
      .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
      .withArgs(1n, await f.smartLaw.ruleOf(BIRTH_REGISTRATION_ACT), reason("NO_STANDING"));
  });
});
