/**
 * Rules decide only for applicants with standing (a hospital registrar for the child, or a parent named in a birth
 * declaration, which the officer then decides; a party to a marriage; the person himself for a pension), consents
 * are single-use (nonce and deadline, bound to the application), and registers say what kind of subject they hold.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { GENESIS, KIND, time } from "../helpers/identity";
import { roleId } from "../helpers/law";
import { BIRTH, MARRIAGE, birthData, birthRecord, chainDate, coder, enrollPerson } from "../helpers/registry";
import {
  BIRTH_REGISTRATION,
  MARRIAGE_REGISTRATION,
  PENSION,
  birthDeclaration,
  citizen,
  marriageApplication,
  reason,
  type Citizen,
} from "../helpers/services";

const OFFICER = roleId("CIVIL_AFFAIRS_OFFICER");

describe("Security: rules decide only for applicants with standing", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  describe("birth registration", function () {
    it("refuses a stranger's declaration of an adult official's birth; the real declaration still works", async function () {
      const stranger = await citizen(f, 35);
      const official = GENESIS.registrar;
      // as found: a stranger, no parent of the official, declares him born three days ago
      await expect(
        f.serviceDesk
          .connect(stranger.wallet)
          .submit(BIRTH_REGISTRATION, birthDeclaration(official, await chainDate(0, 3))),
      )
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("NO_STANDING"), "");
      // naming himself a parent does not make a person enrolled long ago a newborn
      await time.increase(90 * 86_400);
      await expect(
        f.serviceDesk
          .connect(stranger.wallet)
          .submit(BIRTH_REGISTRATION, birthDeclaration(official, await chainDate(0, 3), [stranger.id, 0n])),
      )
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(2n, 0n, reason("ENROLLED_BEFORE_BIRTH"), "");
      expect(await f.civilRegistry.latest(BIRTH, official)).to.equal(ethers.ZeroHash);
      // the official's real birth is still recorded by the registrar
      await expect(f.civilRegistry.connect(f.signers.registrar).record(BIRTH, official, birthData(19850412))).to.emit(
        f.civilRegistry,
        "RecordAdded",
      );
    });

    it("refers a parent named in the data to the officer, and approves the hospital registrar's", async function () {
      const parent = await citizen(f, 30);
      const [first, second] = [await enrollPerson(f), await enrollPerson(f)];
      await expect(
        f.serviceDesk
          .connect(parent.wallet)
          .submit(BIRTH_REGISTRATION, birthDeclaration(first, await chainDate(0, 2), [0n, parent.id])),
      )
        .to.emit(f.serviceDesk, "ApplicationReferred")
        .withArgs(1n, GENESIS.ministry, OFFICER, reason("PARENTAGE_UNPROVEN"), (p: unknown[]) => p.length === 1);
      expect(await f.civilRegistry.latest(BIRTH, first)).to.equal(ethers.ZeroHash);
      await expect(
        f.serviceDesk
          .connect(f.signers.hospitalRegistrar)
          .submit(BIRTH_REGISTRATION, birthDeclaration(second, await chainDate(0, 1), [parent.id, 0n])),
      ).to.emit(f.serviceDesk, "ApplicationApproved");
      expect(await f.civilRegistry.latest(BIRTH, second)).to.not.equal(ethers.ZeroHash);
    });

    it("rejects an organisation as the child, or as a parent; the register refuses it as a subject", async function () {
      const parent = await citizen(f, 30);
      await expect(
        f.serviceDesk
          .connect(f.signers.hospitalRegistrar)
          .submit(BIRTH_REGISTRATION, birthDeclaration(GENESIS.hospital, await chainDate(0, 1))),
      )
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("NOT_A_PERSON"), "");
      const child = await enrollPerson(f);
      await expect(
        f.serviceDesk
          .connect(parent.wallet)
          .submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 1), [parent.id, GENESIS.hospital])),
      )
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(2n, 0n, reason("INVALID_PARENT"), "");
      await expect(
        f.civilRegistry.connect(f.signers.hospitalRegistrar).record(BIRTH, GENESIS.hospital, birthData(20260101)),
      )
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryWrongSubjectKind")
        .withArgs(BIRTH, GENESIS.hospital, KIND.Person, KIND.Organisation);
    });
  });

  describe("marriage consents", function () {
    let a: Citizen;
    let b: Citizen;

    beforeEach(async function () {
      [a, b] = [await citizen(f, 30), await citizen(f, 28)];
    });

    it("refuses the old consent after a divorce; a fresh one marries the couple again", async function () {
      const first = await marriageApplication(f, a, b);
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, first.data))
        .to.emit(f.serviceDesk, "ConsentUsed")
        .withArgs(1n, first.digest);
      expect(await f.serviceDesk.consentUser(first.digest)).to.equal(1n);
      // the divorce: the registrar revokes both marriage records
      for (const party of [a.id, b.id]) {
        const uid = await f.civilRegistry.latest(MARRIAGE, party);
        await f.civilRegistry.connect(f.signers.registrar).revoke(uid, "divorce judgment");
      }
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, first.data))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskConsentUsed")
        .withArgs(first.digest, 1n);
      const again = await marriageApplication(f, a, b);
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, again.data)).to.emit(
        f.serviceDesk,
        "ApplicationApproved",
      );
    });

    it("refuses a consent given for another application: another applicant, or one already referred", async function () {
      const c = await citizen(f, 33);
      const consent = await marriageApplication(f, a, b);
      // c presents b's consent to marry a as his own application
      const [, documentHash, , , nonce, deadline, signature, salt] = coder.decode(
        ["uint256", "bytes32", "bytes", "bytes", "uint256", "uint256", "bytes", "bytes32"],
        consent.data,
      );
      const stolen = coder.encode(
        ["uint256", "bytes32", "bytes", "bytes", "uint256", "uint256", "bytes", "bytes32"],
        [b.id, documentHash, c.birth, b.birth, nonce, deadline, signature, salt],
      );
      await expect(f.serviceDesk.connect(c.wallet).submit(MARRIAGE_REGISTRATION, stolen))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("NO_CONSENT"), "");
      // a consent serves one application, even one that waits for the department
      const d = await citizen(f, undefined);
      const referred = await marriageApplication(f, a, d);
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, referred.data)).to.emit(
        f.serviceDesk,
        "ApplicationReferred",
      );
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, referred.data))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskConsentUsed")
        .withArgs(referred.digest, 2n);
    });

    it("rejects an organisation as the applying party", async function () {
      const consent = await marriageApplication(f, { id: GENESIS.hospital, wallet: a.wallet, birth: "0x" }, b);
      await expect(f.serviceDesk.connect(f.signers.hospital).submit(MARRIAGE_REGISTRATION, consent.data))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("NO_STANDING"), "");
    });
  });

  describe("pension enrolment", function () {
    it("enrols only the applicant himself: an organisation has no birth record", async function () {
      await expect(f.serviceDesk.connect(f.signers.hospital).submit(PENSION, birthRecord(19500101).proof))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("NO_BIRTH_RECORD"), "");
    });
  });
});
