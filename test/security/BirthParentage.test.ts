/**
 * The birth rule approves only what the registers prove; officials fill the gaps. No register proves parentage: a
 * person who names himself a parent in a declaration could otherwise register the birth of anyone enrolled lately
 * (at launch, everyone, officials included), dated on or before the enrolment day, and the true declaration would
 * then be refused. A parent's declaration is therefore referred to the civil affairs officer (PARENTAGE_UNPROVEN),
 * who decides in person; the hospital's registrar (with standing for the child) is approved by the rule; anyone
 * else is rejected (NO_STANDING).
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { GENESIS } from "../helpers/identity";
import { roleId } from "../helpers/law";
import { BIRTH, birthData, chainDate, dateOf, enrollPerson } from "../helpers/registry";
import {
  APPLICATION_STATUS,
  BIRTH_REGISTRATION,
  BIRTH_REGISTRATION_ACT,
  approvalOf,
  birthDeclaration,
  citizen,
  reason,
} from "../helpers/services";

const OFFICER = roleId("CIVIL_AFFAIRS_OFFICER");
const oneRecord = (records: unknown[]) => records.length === 1;

describe("Security: a birth declared by a self-named parent", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  it("refers a stranger naming himself parent of the adult Dongcheng registrar; the true birth is still recorded", async function () {
    const stranger = await citizen(f, 35);
    const official = GENESIS.registrar; // an adult enrolled at genesis, no birth record yet
    // as found: declared born on his enrolment day (the genesis's: a test run past midnight is a day later), by a
    // "parent" who only names himself so
    const enrolmentDay = dateOf(Number((await f.identityRegistry.identity(official)).enrolledAt));
    const tx = f.serviceDesk
      .connect(stranger.wallet)
      .submit(BIRTH_REGISTRATION, birthDeclaration(official, enrolmentDay, [stranger.id, 0n]));
    await expect(tx)
      .to.emit(f.serviceDesk, "ApplicationReferred")
      .withArgs(1n, GENESIS.ministry, OFFICER, reason("PARENTAGE_UNPROVEN"), oneRecord);
    await expect(tx).not.to.emit(f.civilRegistry, "RecordAdded");
    expect(await f.civilRegistry.latest(BIRTH, official)).to.equal(ethers.ZeroHash);

    // the registrar's true record is not refused
    await expect(f.civilRegistry.connect(f.signers.registrar).record(BIRTH, official, birthData(19850412))).to.emit(
      f.civilRegistry,
      "RecordAdded",
    );
    // and the officer can no longer approve the referral: the registers now prove the birth
    const rule = await f.smartLaw.ruleOf(BIRTH_REGISTRATION_ACT);
    await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
      .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
      .withArgs(1n, rule, reason("ALREADY_REGISTERED"));
    await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, false, "0x", "no parent of his"))
      .to.emit(f.serviceDesk, "ApplicationRejected")
      .withArgs(1n, GENESIS.officer, ethers.id("no parent of his"), "no parent of his");
  });

  it("rejects a declaration by anyone who is neither the hospital nor a parent named (NO_STANDING)", async function () {
    const [stranger, mother] = [await citizen(f, 35), await citizen(f, 30)];
    const child = await enrollPerson(f);
    await expect(
      f.serviceDesk
        .connect(stranger.wallet)
        .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 1), [mother.id, 0n])),
    )
      .to.emit(f.serviceDesk, "ApplicationRejected")
      .withArgs(1n, 0n, reason("NO_STANDING"), "");
    expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
  });

  it("lets the officer approve a parent's declaration in person: the record is his, under BIRTH_REGISTRATION_ACT", async function () {
    const mother = await citizen(f, 30);
    const child = await enrollPerson(f);
    await expect(
      f.serviceDesk
        .connect(mother.wallet)
        .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 1), [mother.id, 0n])),
    )
      .to.emit(f.serviceDesk, "ApplicationReferred")
      .withArgs(1n, GENESIS.ministry, OFFICER, reason("PARENTAGE_UNPROVEN"), oneRecord);
    await expect(
      f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "hospital certificate"),
    )
      .to.emit(f.serviceDesk, "ApplicationApproved")
      .withArgs(1n, GENESIS.officer, ethers.id("hospital certificate"), "hospital certificate", oneRecord);
    const record = await f.civilRegistry.getRecord(await f.civilRegistry.latest(BIRTH, child));
    expect([record.official, record.key, record.lawId]).to.deep.equal([
      GENESIS.officer,
      f.signers.officer.address,
      BIRTH_REGISTRATION_ACT,
    ]);
  });

  it("approves the hospital registrar's declaration at once, parents named or not", async function () {
    const mother = await citizen(f, 30);
    const [first, second] = [await enrollPerson(f), await enrollPerson(f)];
    const hospital = f.serviceDesk.connect(f.signers.hospitalRegistrar);
    await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(first, await chainDate(0, 1), [mother.id, 0n])))
      .to.emit(f.serviceDesk, "ApplicationApproved")
      .withArgs(1n, 0n, ethers.ZeroHash, "", oneRecord);
    await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(second, await chainDate(0, 1))))
      .to.emit(f.serviceDesk, "ApplicationApproved")
      .withArgs(2n, 0n, ethers.ZeroHash, "", oneRecord);
    expect((await f.serviceDesk.application(2n)).status).to.equal(APPLICATION_STATUS.Approved);
    expect(await f.civilRegistry.latest(BIRTH, second)).to.not.equal(ethers.ZeroHash);
  });
});
