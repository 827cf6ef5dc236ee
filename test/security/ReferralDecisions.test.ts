/**
 * Officials fill gaps, they never override facts: an approval of a referred application is reviewed by the rule
 * with the decided data, each record it writes is authorised and attributed as the deciding official's own (his
 * grant on the register, within the subject's jurisdiction), and `decide` is granted by law like every write.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, GENESIS, SHANGHAI } from "../helpers/identity";
import { call, enact, roleId } from "../helpers/law";
import { BIRTH, DEATH, MARRIAGE, birthData, chainDate, deathData, enrollPerson } from "../helpers/registry";
import {
  APPLICATION_STATUS,
  BIRTH_REGISTRATION,
  BIRTH_REGISTRATION_ACT,
  MARRIAGE_LAW,
  MARRIAGE_REGISTRATION,
  birthDeclaration,
  citizen,
  marriageApplication,
  approvalOf,
  decidedBirth,
  marriageData,
  marriageRecord,
  reason,
  type Citizen,
} from "../helpers/services";

const OFFICER = roleId("CIVIL_AFFAIRS_OFFICER");

describe("Security: referral decisions", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  describe("a referred marriage (a party without a birth record)", function () {
    let a: Citizen;
    let b: Citizen;
    let document: string;
    let rule: string;

    beforeEach(async function () {
      [a, b] = [await citizen(f, 30), await citizen(f, undefined)];
      const application = await marriageApplication(f, a, b);
      document = application.documentHash;
      rule = await f.smartLaw.ruleOf(MARRIAGE_LAW);
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, application.data)).to.emit(
        f.serviceDesk,
        "ApplicationReferred",
      );
    });

    it("refuses a third person, who never consented and is married, as a spouse", async function () {
      const [c, d] = [await citizen(f, 40), await citizen(f, 40)];
      await f.civilRegistry
        .connect(f.signers.registrar)
        .record(MARRIAGE, c.id, marriageRecord(c.id, d.id, 20200101, document, ethers.ZeroHash));
      const today = await chainDate();
      await expect(
        f.serviceDesk
          .connect(f.signers.officer)
          .decide(
            1n,
            true,
            await approvalOf(f, 1n, [marriageData(c.id, today, document), marriageData(a.id, today, document)]),
            "documents seen",
          ),
      )
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("SPOUSE_NOT_CONSENTING"));
      expect(await f.civilRegistry.latest(MARRIAGE, a.id)).to.equal(ethers.ZeroHash);
      // the legitimate decision beside it: the spouses who applied and consented
      await expect(
        f.serviceDesk
          .connect(f.signers.officer)
          .decide(
            1n,
            true,
            await approvalOf(f, 1n, [marriageData(b.id, today, document), marriageData(a.id, today, document)]),
            "documents seen",
          ),
      ).to.emit(f.serviceDesk, "ApplicationApproved");
    });

    it("refuses to marry a party who died after the referral, or married someone else meanwhile", async function () {
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      await f.civilRegistry.connect(f.signers.registrar).record(DEATH, b.id, deathData(await chainDate()));
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("DECEASED"));
      await ethers.provider.send("evm_revert", [snapshot]);

      const c = await citizen(f, 35);
      await f.civilRegistry
        .connect(f.signers.registrar)
        .record(MARRIAGE, b.id, marriageRecord(b.id, c.id, 20260101, document, ethers.ZeroHash));
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("ALREADY_MARRIED"));
      // the official may still reject it
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, false, "0x", "married meanwhile"))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, GENESIS.officer, ethers.id("married meanwhile"), "married meanwhile");
    });

    it("refuses a marriage date ahead, or records of another document", async function () {
      const today = await chainDate();
      const other = ethers.id("another certificate");
      await expect(
        f.serviceDesk
          .connect(f.signers.officer)
          .decide(
            1n,
            true,
            await approvalOf(f, 1n, [marriageData(b.id, today, other), marriageData(a.id, today, other)]),
            "documents seen",
          ),
      )
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("RECORDS_MISMATCH"));
      await expect(
        f.serviceDesk
          .connect(f.signers.officer)
          .decide(
            1n,
            true,
            await approvalOf(f, 1n, [marriageData(b.id, 29990101, document), marriageData(a.id, 29990101, document)]),
            "documents seen",
          ),
      )
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("DATE_IN_FUTURE"));
    });

    it("writes each record as the deciding official's: him, his key, the law of his grant", async function () {
      const decision = "age checked on the household register";
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), decision))
        .to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(
          (uid: string) => uid !== ethers.ZeroHash,
          MARRIAGE,
          a.id,
          GENESIS.officer,
          f.signers.officer.address,
          MARRIAGE_LAW,
          (data: string) => data.length > 2,
        );
      for (const party of [a.id, b.id]) {
        const record = await f.civilRegistry.getRecord(await f.civilRegistry.latest(MARRIAGE, party));
        expect([record.official, record.key, record.lawId]).to.deep.equal([
          GENESIS.officer,
          f.signers.officer.address,
          MARRIAGE_LAW,
        ]);
      }
      expect((await f.serviceDesk.application(1n)).status).to.equal(APPLICATION_STATUS.Approved);
    });
  });

  describe("a late birth declaration by the hospital", function () {
    let child: bigint;

    beforeEach(async function () {
      child = await enrollPerson(f);
      await expect(
        f.serviceDesk
          .connect(f.signers.hospitalRegistrar)
          .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 40))),
      )
        .to.emit(f.serviceDesk, "ApplicationReferred")
        .withArgs(1n, GENESIS.ministry, OFFICER, reason("LATE_DECLARATION"), (p: unknown[]) => p.length === 1);
    });

    it("refuses an officer whose role has no grant on BIRTH to set a birth date of 1950", async function () {
      const record = f.civilRegistry.interface.getFunction("record").selector;
      await enact(f, f.legislators, BIRTH_REGISTRATION_ACT, [
        await call(f.smartLaw, "revokeGrantOn", [
          BIRTH_REGISTRATION_ACT,
          OFFICER,
          await f.civilRegistry.getAddress(),
          record,
          BIRTH,
        ]),
      ]);
      await expect(
        f.serviceDesk
          .connect(f.signers.officer)
          .decide(
            1n,
            true,
            await approvalOf(f, 1n, [decidedBirth(19500101, ethers.id("certificate"))]),
            "documents seen",
          ),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.officer.address, await f.civilRegistry.getAddress(), record);
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
    });

    it("lets the officer who holds the grant approve: the record is his, under BIRTH_REGISTRATION_ACT", async function () {
      await f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen");
      const record = await f.civilRegistry.getRecord(await f.civilRegistry.latest(BIRTH, child));
      expect([record.official, record.key, record.lawId]).to.deep.equal([
        GENESIS.officer,
        f.signers.officer.address,
        BIRTH_REGISTRATION_ACT,
      ]);
    });

    it("refuses decided data that the registers or the declaration contradict", async function () {
      const rule = await f.smartLaw.ruleOf(BIRTH_REGISTRATION_ACT);
      await expect(
        f.serviceDesk
          .connect(f.signers.officer)
          .decide(
            1n,
            true,
            await approvalOf(f, 1n, [decidedBirth(29990101, ethers.id("certificate"))]),
            "documents seen",
          ),
      )
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("DATE_IN_FUTURE"));
      await f.civilRegistry.connect(f.signers.registrar).record(BIRTH, child, birthData(await chainDate(0, 41)));
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleRejected")
        .withArgs(1n, rule, reason("ALREADY_REGISTERED"));
    });
  });

  describe("competence follows the subject's jurisdiction, not the applicant's", function () {
    it("refuses the officer of Beijing for a child of Shanghai declared by a parent of Dongcheng", async function () {
      const parent = await citizen(f, 30);
      const child = await enrollPerson(f, SHANGHAI);
      await f.serviceDesk
        .connect(parent.wallet)
        .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 40), [parent.id, 0n]));
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.officer.address, SHANGHAI);
    });

    it("accepts him for a child of Dongcheng declared by a parent of Shanghai", async function () {
      const parent = await citizen(f, 30, SHANGHAI);
      const child = await enrollPerson(f, DONGCHENG);
      await f.serviceDesk
        .connect(parent.wallet)
        .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 40), [parent.id, 0n]));
      await expect(
        f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"),
      ).to.emit(f.serviceDesk, "ApplicationApproved");
    });

    it("refuses a marriage whose second party lives outside the officer's jurisdiction", async function () {
      const [a, b] = [await citizen(f, 30), await citizen(f, undefined, SHANGHAI)];
      await f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, (await marriageApplication(f, a, b)).data);
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.officer.address, SHANGHAI);
      expect(await f.civilRegistry.latest(MARRIAGE, a.id)).to.equal(ethers.ZeroHash);
    });
  });

  describe("nobody decides his own case", function () {
    it("refuses an officer who declared the birth himself; another officer decides it", async function () {
      const parent = await citizen(f, 30);
      const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      await f.identityRegistry
        .connect(f.signers.director)
        .appoint(parent.id, OFFICER, GENESIS.ministry, DONGCHENG, now, now + 365n * 86_400n);
      const child = await enrollPerson(f, DONGCHENG);
      await f.serviceDesk
        .connect(parent.wallet)
        .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 1), [parent.id, 0n]));
      await expect(f.serviceDesk.connect(parent.wallet).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskOwnCase")
        .withArgs(1n, parent.id);
      await expect(f.serviceDesk.connect(parent.wallet).decide(1n, false, "0x", "documents seen"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskOwnCase")
        .withArgs(1n, parent.id);
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, await approvalOf(f, 1n), "documents seen"))
        .to.emit(f.serviceDesk, "ApplicationApproved")
        .withArgs(
          1n,
          GENESIS.officer,
          ethers.id("documents seen"),
          "documents seen",
          (uids: string[]) => uids.length === 1,
        );
    });
  });

  describe("decide is granted by law", function () {
    it("refuses the officer once the law revokes his grant of decide on the service", async function () {
      const parent = await citizen(f, 30);
      const child = await enrollPerson(f);
      await f.serviceDesk
        .connect(parent.wallet)
        .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 40), [parent.id, 0n]));
      const decide = f.serviceDesk.interface.getFunction("decide").selector;
      await enact(f, f.legislators, BIRTH_REGISTRATION_ACT, [
        await call(f.smartLaw, "revokeGrantOn", [
          BIRTH_REGISTRATION_ACT,
          OFFICER,
          await f.serviceDesk.getAddress(),
          decide,
          BIRTH_REGISTRATION,
        ]),
      ]);
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, false, "0x", "documents seen"))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.officer.address, await f.serviceDesk.getAddress(), decide);
    });
  });
});
