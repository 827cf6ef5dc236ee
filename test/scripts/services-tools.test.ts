import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { PRIVATE_VALUE, recordByName } from "../../scripts/lib/registry/registry";
import { textId } from "../../scripts/lib/common/ids";
import { openingPath, readOpeningFile } from "../../scripts/lib/registry/openings";
import { listRegisters, formatRegisters } from "../../scripts/lib/registry/registers";
import {
  applyToService,
  decideApplication,
  formatApplication,
  referredApplications,
  showApplication,
  signMarriageConsent,
} from "../../scripts/lib/services/services";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { GENESIS } from "../helpers/identity";
import { chainDate, documentHash } from "../helpers/registry";
import { citizen as newCitizen, type Citizen } from "../helpers/services";

/** yyyymmdd as the tools take dates: YYYY-MM-DD. */
const isoDate = (date: number) => `${String(date).slice(0, 4)}-${String(date).slice(4, 6)}-${String(date).slice(6)}`;

describe("services tools", function () {
  let f: SystemFixture;
  let openings: string;

  beforeEach(async function () {
    f = await deploySystem();
    openings = mkdtempSync(join(tmpdir(), "govchain-openings-"));
  });
  afterEach(function () {
    rmSync(openings, { recursive: true, force: true });
  });

  /** A person born `yearsAgo` years ago, his birth recorded by the registrar's tool (its opening in `openings`). */
  const citizen = async (_: SystemFixture, yearsAgo: number | undefined): Promise<Citizen> => {
    const person = await newCitizen(f, undefined);
    if (yearsAgo === undefined) return person;
    const values = {
      birthDate: isoDate(await chainDate(yearsAgo)),
      placeOfBirth: "CN-11-01",
      documentHash: documentHash(),
    };
    await recordByName(hre, f.signers.registrar, "BIRTH", person.id, values, ".", openings);
    return person;
  };

  describe("service:apply", function () {
    it("applies to the pension with the birth record opened from the registrar's opening file", async function () {
      const pensioner = await citizen(f, 70);
      const outcome = await applyToService(hre, pensioner.wallet, "PENSION_ENROLMENT", {}, openings);
      expect([outcome.status, outcome.reason]).to.deep.equal(["approved", ""]);
      const young = await citizen(f, undefined);
      const refused = await applyToService(hre, young.wallet, "PENSION_ENROLMENT", {}, openings);
      expect([refused.status, refused.reason]).to.deep.equal(["rejected", "NO_BIRTH_RECORD"]);
      // without the opening, the tool says where it looked
      const elsewhere = await citizen(f, 70);
      await expect(
        applyToService(hre, elsewhere.wallet, "PENSION_ENROLMENT", {}, join(openings, "none")),
      ).to.be.rejectedWith(/keeps its date private: its opening is not in .*BIRTH-\d+\.opening\.json/);
    });

    it("names the services and the fields when one is unknown, and keeps register data to the registers", async function () {
      const person = await citizen(f, 70);
      await expect(applyToService(hre, person.wallet, "PENSIONS", {})).to.be.rejectedWith(
        /no service "PENSIONS" \(services: BIRTH_REGISTRATION, MARRIAGE_REGISTRATION, PENSION_ENROLMENT\)/,
      );
      await expect(applyToService(hre, person.wallet, "BIRTH_REGISTRATION", { chld: 1 })).to.be.rejectedWith(
        /unknown field "chld" \(fields: child, birthDate/,
      );
      await expect(applyToService(hre, person.wallet, "PENSION_ENROLMENT", { birth: "0x" })).to.be.rejectedWith(
        /"birth" is filled by the tool/,
      );
    });
  });

  describe("service:marriage-consent", function () {
    it("the partner's signed consent is the data the applicant gives to marry", async function () {
      const [a, b] = [await citizen(f, 30), await citizen(f, 30)];
      const consent = await signMarriageConsent(hre, b.wallet, a.id.toString(), documentHash());
      expect(consent.partner).to.equal(b.id.toString());
      const outcome = await applyToService(hre, a.wallet, "MARRIAGE_REGISTRATION", { ...consent }, openings);
      expect([outcome.status, outcome.reason]).to.deep.equal(["approved", ""]);
    });
  });

  describe("a referred application", function () {
    it("is listed for its department, shown with the record it proposes, and decided by its officer", async function () {
      const parent = await citizen(f, 30);
      const child = await citizen(f, undefined);
      const birthDate = await chainDate(0, 3);
      const outcome = await applyToService(
        hre,
        parent.wallet,
        "BIRTH_REGISTRATION",
        {
          child: child.id.toString(),
          birthDate: isoDate(birthDate),
          placeOfBirth: "CN-11-01",
          documentHash: documentHash(),
          parent1: parent.id.toString(),
        },
        openings,
      );
      expect([outcome.status, outcome.reason]).to.deep.equal(["referred", "PARENTAGE_UNPROVEN"]);

      // the proposed record keeps the date private; its opening was saved before the declaration was sent
      const referred = await referredApplications(hre, String(GENESIS.ministry));
      expect(referred.map((a) => a.applicationId)).to.deep.equal([Number(outcome.applicationId)]);
      const saved = readOpeningFile(openingPath(openings, textId("BIRTH"), child.id));
      expect(referred[0].proposed[0].fields.privateHash).to.equal(saved.privateHash);
      expect(referred[0].proposed[0].fields.birthDate).to.equal(PRIVATE_VALUE);
      expect(formatApplication(referred[0])).to.match(/proposes in BIRTH for identity \d+: birthDate/);

      await expect(
        decideApplication(hre, f.signers.registrar, outcome.applicationId, true, "CHECKED"),
      ).to.be.rejectedWith(/^refused, nothing sent: SmartLawUnauthorized\(registrar/);
      await expect(
        decideApplication(hre, f.signers.officer, outcome.applicationId, true, "x".repeat(300)),
      ).to.be.rejectedWith(/^refused, nothing sent: ServiceDeskReasonTooLong\(300, 256\)$/);
      // the reason in words, longer than a 32-byte code, read back from the decision's event
      const reason = "both parents seen with the hospital's birth certificate";
      await decideApplication(hre, f.signers.officer, outcome.applicationId, true, reason);
      const view = await showApplication(hre, outcome.applicationId);
      expect(view.reason).to.equal(reason);
      expect(view.history.map((s) => [s.status, s.reason])).to.deep.equal([
        ["submitted", ""],
        ["referred", "PARENTAGE_UNPROVEN"],
        ["approved", reason],
      ]);
      // an enum argument of a refusal reads as its member's name
      await expect(decideApplication(hre, f.signers.officer, outcome.applicationId, false, "again")).to.be.rejectedWith(
        /^refused, nothing sent: ServiceDeskNotReferred\(\d+, Approved\)$/,
      );
      expect(await referredApplications(hre, "1")).to.deep.equal([]);
      await expect(showApplication(hre, 99n)).to.be.rejectedWith(/no application 99/);
    });
  });

  describe("registry:list", function () {
    it("lists every register with its number, subject, law and fields", async function () {
      const registers = await listRegisters(hre);
      expect(registers.map((r) => r.id)).to.deep.equal([
        "BIRTH",
        "DEATH",
        "MARRIAGE",
        "RESIDENCE",
        "BUSINESS_LICENCE",
        "PENSION_ENROLMENT",
      ]);
      expect(registers[4]).to.deep.include({ number: 5, subject: "organisation", law: "CIVIL_REGISTRATION_ACT" });
      expect(registers[0].fields.map((x) => x.name)).to.deep.equal(["birthDate", "placeOfBirth", "documentHash"]);
      expect(formatRegisters(registers)).to.match(/BUSINESS_LICENCE \(Business licences\), of an organisation/);
    });
  });

  describe("service:show", function () {
    it("reads an official's reason that is not UTF-8 or holds control characters, replaced and escaped", async function () {
      const parent = await citizen(f, 30);
      const child = await citizen(f, undefined);
      const outcome = await applyToService(
        hre,
        parent.wallet,
        "BIRTH_REGISTRATION",
        {
          child: child.id.toString(),
          birthDate: isoDate(await chainDate(0, 3)),
          placeOfBirth: "CN-11-01",
          documentHash: documentHash(),
          parent1: parent.id.toString(),
        },
        openings,
      );
      expect(outcome.status).to.equal("referred");
      // the chain takes any bytes as a string: 0xff 0xfe, then a terminal's clear-screen sequence
      const reason = ethers.concat(["0xfffe", ethers.toUtf8Bytes("\u001b[2J")]);
      const args = ethers.AbiCoder.defaultAbiCoder().encode(
        ["uint256", "bool", "bytes", "bytes"],
        [outcome.applicationId, false, "0x", reason],
      );
      await f.signers.officer.sendTransaction({
        to: await f.serviceDesk.getAddress(),
        data: ethers.concat([f.serviceDesk.interface.getFunction("decide").selector, args]),
      });
      const shown = await showApplication(hre, outcome.applicationId);
      expect(shown.status).to.equal("rejected");
      expect(shown.reason).to.equal("\ufffd\ufffd\\u001b[2J");
    });
  });
});
