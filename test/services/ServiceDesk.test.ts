import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { setCode } from "@nomicfoundation/hardhat-network-helpers";

import { textId } from "../../scripts/lib/common/ids";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, GENESIS, SHANGHAI, STATUS as IDENTITY_STATUS, time } from "../helpers/identity";
import { CIVIL_ACT, PENSION_ACT, call, enact, paramKey, roleId } from "../helpers/law";
import {
  BIRTH,
  DEATH,
  MARRIAGE,
  PENSION_ENROLMENT,
  birthRecord,
  chainDate,
  coder,
  deathData,
  enrollPerson,
} from "../helpers/registry";
import {
  APPLICATION_STATUS as STATUS,
  BIRTH_REGISTRATION,
  BIRTH_REGISTRATION_ACT,
  MARRIAGE_LAW,
  MARRIAGE_REGISTRATION,
  PENSION,
  approval,
  birthDeclaration,
  citizen as newCitizen,
  marriageApplication,
  marriageData,
  reason,
  type Citizen,
} from "../helpers/services";

describe("ServiceDesk and the rules", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  /** A person with a key we hold, and (unless told otherwise) a birth record born `years` ago. */
  const citizen = (yearsAgo: number | undefined, jurisdiction = DONGCHENG) => newCitizen(f, yearsAgo, jurisdiction);

  const applicationId = async () => f.serviceDesk.applicationCount();
  // a pension application is the opening of the applicant's birth record
  const pensionData = (birth: string) => birth;

  describe("pension enrolment", function () {
    it("approves a person of retirement age and writes the enrolment at once", async function () {
      const person = await citizen(66);
      const tx = f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth));
      // the event carries the data's hash: the opening of the birth record stays off the logs
      await expect(tx)
        .to.emit(f.serviceDesk, "ApplicationSubmitted")
        .withArgs(1n, PENSION, person.id, person.wallet.address, ethers.keccak256(pensionData(person.birth)))
        .and.to.emit(f.serviceDesk, "ApplicationApproved");
      const uid = await f.civilRegistry.latest(PENSION_ENROLMENT, person.id);
      const record = await f.civilRegistry.getRecord(uid);
      expect(record.key).to.equal(await f.serviceDesk.getAddress());
      expect(record.lawId).to.equal(PENSION_ACT);
      const birthUid = await f.civilRegistry.latest(BIRTH, person.id);
      const enrolment = coder.encode(["uint32", "bytes32"], [await chainDate(), birthUid]);
      expect(await f.civilRegistry.verify(uid, enrolment)).to.equal(true);
      const application = await f.serviceDesk.application(1n);
      expect([application.serviceId, application.applicant, application.status, application.decidedBy]).to.deep.equal([
        PENSION,
        person.id,
        STATUS.Approved,
        0n,
      ]);
      const history = await f.serviceDesk.history(1n);
      expect(history.map((s) => s.status)).to.deep.equal([STATUS.Submitted, STATUS.Approved]);
    });

    it("answers to apply(bytes32,bytes), the specification's name, through the deployment's ABI", async function () {
      const person = await citizen(70);
      const { abi, address } = await deployments.get("ServiceDesk");
      const desk = new ethers.Contract(address, abi, person.wallet);
      expect(await desk.apply.staticCall(PENSION, pensionData(person.birth))).to.equal(1n);
      await expect(desk.apply(PENSION, pensionData(person.birth))).to.emit(f.serviceDesk, "ApplicationApproved");
      await expect(person.wallet.sendTransaction({ to: address, data: "0x12345678" })).to.be.revertedWithCustomError(
        f.serviceDesk,
        "ServiceDeskUnknownFunction",
      );
    });

    for (const [label, setup, code] of [
      ["under the retirement age", async () => citizen(59), "UNDER_RETIREMENT_AGE"],
      ["without a birth record", async () => citizen(undefined), "NO_BIRTH_RECORD"],
    ] as const) {
      it(`rejects a person ${label}, with the reason`, async function () {
        const person = await setup();
        await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth)))
          .to.emit(f.serviceDesk, "ApplicationRejected")
          .withArgs(1n, 0n, reason(code), "");
        expect((await f.serviceDesk.application(1n)).reason).to.equal(reason(code));
        expect(await f.civilRegistry.latest(PENSION_ENROLMENT, person.id)).to.equal(ethers.ZeroHash);
      });
    }

    it("rejects data that are not the birth record's, a registered death, a second enrolment", async function () {
      const person = await citizen(66);
      const forged = birthRecord(19500101).proof;
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(forged)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("BIRTH_RECORD_MISMATCH"), "");
      await f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth));
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(3n, 0n, reason("ALREADY_ENROLLED"), "");
      const other = await citizen(66);
      await f.civilRegistry.connect(f.signers.registrar).record(DEATH, other.id, deathData(await chainDate()));
      await expect(f.serviceDesk.connect(other.wallet).submit(PENSION, pensionData(other.birth)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(4n, 0n, reason("DECEASED"), "");
    });

    it("decides by the law in force: a change of RETIREMENT_AGE changes the next decision, with no redeployment", async function () {
      const rule = await f.smartLaw.ruleOf(PENSION_ACT);
      const person = await citizen(62);
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, paramKey("RETIREMENT_AGE"), 65]),
      ]);
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("UNDER_RETIREMENT_AGE"), "");
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, paramKey("RETIREMENT_AGE"), 60]),
      ]);
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth))).to.emit(
        f.serviceDesk,
        "ApplicationApproved",
      );
      expect(await f.smartLaw.ruleOf(PENSION_ACT)).to.equal(rule);
    });

    it("refuses a rule whose code was swapped, and a repealed law", async function () {
      const person = await citizen(66);
      const rule = await f.smartLaw.ruleOf(PENSION_ACT);
      const pinned = ethers.keccak256(await ethers.provider.getCode(rule));
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      const other = await deployments.get("BirthRegistrationRule");
      await setCode(rule, other.deployedBytecode!);
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth)))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawCodeHashMismatch")
        .withArgs(rule, pinned, ethers.keccak256(await ethers.provider.getCode(rule)));
      await ethers.provider.send("evm_revert", [snapshot]);
      await enact(f, f.legislators, PENSION_ACT, [await call(f.smartLaw, "repeal", [PENSION_ACT])]);
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth)))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskLawNotInForce")
        .withArgs(PENSION, PENSION_ACT);
    });

    it("proposes no records for an application decided at once", async function () {
      const person = await citizen(66);
      await f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth));
      expect(await f.serviceDesk.proposal(1n)).to.deep.equal([]);
      expect(await f.serviceDesk.referralDataHash(1n)).to.equal(ethers.ZeroHash);
    });

    it("refuses the key of a suspended applicant", async function () {
      const person = await citizen(66);
      await f.identityRegistry.connect(f.signers.registrar).setStatus(person.id, IDENTITY_STATUS.Suspended, "inquiry");
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, pensionData(person.birth)))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskInactiveApplicant")
        .withArgs(person.wallet.address);
    });

    it("refuses an unknown service, a key without an active identity, data the rule cannot read", async function () {
      const person = await citizen(66);
      await expect(f.serviceDesk.connect(person.wallet).submit(textId("NONE"), "0x"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskUnknownService")
        .withArgs(textId("NONE"));
      await expect(f.serviceDesk.connect(f.signers.outsider).submit(PENSION, pensionData(person.birth)))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskInactiveApplicant")
        .withArgs(f.signers.outsider.address);
      await expect(f.serviceDesk.connect(person.wallet).submit(PENSION, "0x1234"))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskRuleFailed")
        .withArgs(PENSION, await f.smartLaw.ruleOf(PENSION_ACT), "0x");
    });
  });

  describe("marriage registration", function () {
    const application = async (a: Citizen, b: Citizen, signer = b.wallet) =>
      (await marriageApplication(f, a, b, signer)).data;

    it("approves two consenting adults and records the marriage for both", async function () {
      const [a, b] = [await citizen(30), await citizen(28)];
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, await application(a, b))).to.emit(
        f.serviceDesk,
        "ApplicationApproved",
      );
      const recordOf = async (x: bigint) => f.civilRegistry.getRecord(await f.civilRegistry.latest(MARRIAGE, x));
      expect((await recordOf(a.id)).lawId).to.equal(MARRIAGE_LAW);
      expect((await recordOf(b.id)).subject).to.equal(b.id);
      const c = await citizen(40);
      await expect(f.serviceDesk.connect(c.wallet).submit(MARRIAGE_REGISTRATION, await application(c, a, a.wallet)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(2n, 0n, reason("ALREADY_MARRIED"), "");
    });

    it("rejects a minor, a consent not signed by the partner, the applicant as partner", async function () {
      const [a, minor, b] = [await citizen(30), await citizen(17), await citizen(30)];
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, await application(a, minor)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(1n, 0n, reason("UNDER_AGE"), "");
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, await application(a, b, a.wallet)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(2n, 0n, reason("NO_CONSENT"), "");
      await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, await application(a, a, a.wallet)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(3n, 0n, reason("INVALID_PARTNER"), "");
    });

    describe("a party without a birth record: referred to the department", function () {
      let a: Citizen;
      let b: Citizen;
      let data: string;
      beforeEach(async function () {
        [a, b] = [await citizen(30), await citizen(undefined)];
        data = await application(a, b);
        await expect(f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, data))
          .to.emit(f.serviceDesk, "ApplicationReferred")
          .withArgs(
            1n,
            GENESIS.ministry,
            roleId("CIVIL_AFFAIRS_OFFICER"),
            reason("NO_BIRTH_RECORD"),
            (p: unknown[]) => p.length === 2,
          );
      });

      it("shows the referral as the application's last step while it waits", async function () {
        const history = await f.serviceDesk.history(1n);
        expect(history.map((s) => [s.status, s.by, s.reason])).to.deep.equal([
          [STATUS.Submitted, a.id, ethers.ZeroHash],
          [STATUS.Referred, 0n, reason("NO_BIRTH_RECORD")],
        ]);
      });

      it("refuses a decision once the service's law is repealed", async function () {
        await enact(f, f.legislators, MARRIAGE_LAW, [await call(f.smartLaw, "repeal", [MARRIAGE_LAW])]);
        await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, "0x", "too late"))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskLawNotInForce")
          .withArgs(MARRIAGE_REGISTRATION, MARRIAGE_LAW);
        expect((await f.serviceDesk.application(1n)).status).to.equal(STATUS.Referred);
      });

      it("waits, then a competent official approves and the records are written", async function () {
        expect((await f.serviceDesk.application(1n)).status).to.equal(STATUS.Referred);
        expect(await f.civilRegistry.latest(MARRIAGE, a.id)).to.equal(ethers.ZeroHash);
        const decision = "age checked on the household register";
        const proposed = (await f.serviceDesk.proposal(1n)).map((p) => p.data);
        await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, approval(data), decision))
          .to.emit(f.serviceDesk, "ApplicationApproved")
          .withArgs(1n, GENESIS.officer, ethers.id(decision), decision, (uids: string[]) => uids.length === 2);
        expect((await f.serviceDesk.application(1n)).reason).to.equal(ethers.id(decision));
        // the proposed records stand, as the rule committed them
        expect(await f.civilRegistry.verify(await f.civilRegistry.latest(MARRIAGE, a.id), proposed[0])).to.equal(true);
        // each record is the officer's, under the law of his grant on MARRIAGE, not the ServiceDesk's
        for (const party of [a.id, b.id]) {
          const record = await f.civilRegistry.getRecord(await f.civilRegistry.latest(MARRIAGE, party));
          expect([record.official, record.key, record.lawId]).to.deep.equal([
            GENESIS.officer,
            f.signers.officer.address,
            MARRIAGE_LAW,
          ]);
        }
        const history = await f.serviceDesk.history(1n);
        expect(history.map((s) => [s.status, s.by])).to.deep.equal([
          [STATUS.Submitted, a.id],
          [STATUS.Referred, 0n],
          [STATUS.Approved, GENESIS.officer],
        ]);
        expect(history[1].reason).to.equal(reason("NO_BIRTH_RECORD"));
        await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, approval(data), decision))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskNotReferred")
          .withArgs(1n, STATUS.Approved);
      });

      it("lets the official correct the records' data, one per proposed record, given in clear and written committed", async function () {
        const { documentHash } = await marriageApplication(f, a, b); // a fresh document; the referral's is below
        const [, referredDocument] = coder.decode(
          ["uint256", "bytes32", "bytes", "bytes", "uint256", "uint256", "bytes", "bytes32"],
          data,
        );
        expect(referredDocument).to.not.equal(documentHash);
        const day = await chainDate(0, 5);
        const corrected = [marriageData(b.id, day, referredDocument), marriageData(a.id, day, referredDocument)];
        await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, approval(data, [corrected[0]]), "x"))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskDecisionDataMismatch")
          .withArgs(1n, 2, 1);
        await f.serviceDesk.connect(f.signers.officer).decide(1n, true, approval(data, corrected), "x");
        const uid = await f.civilRegistry.latest(MARRIAGE, a.id);
        const [clear, salt] = coder.decode(["bytes", "bytes32"], corrected[0]);
        const [spouse, date] = coder.decode(["uint256", "uint32", "bytes32"], clear);
        const committed = ethers.keccak256(ethers.concat([salt, coder.encode(["uint256", "uint32"], [spouse, date])]));
        expect(
          await f.civilRegistry.verify(uid, coder.encode(["bytes32", "bytes32"], [referredDocument, committed])),
        ).to.equal(true);
      });

      it("keeps only the hash of the application's data, and refuses an approval without them or with other data", async function () {
        expect(await f.serviceDesk.referralDataHash(1n)).to.equal(ethers.keccak256(data));
        const officer = f.serviceDesk.connect(f.signers.officer);
        for (const given of ["0x", approval(await application(a, b))]) {
          await expect(officer.decide(1n, true, given, "documents seen"))
            .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskApplicationDataMismatch")
            .withArgs(1n);
        }
        // a rejection needs no data
        await expect(officer.decide(1n, false, "0x", "documents seen")).to.emit(f.serviceDesk, "ApplicationRejected");
      });

      it("refuses a decision without a reason, or with one longer than MAX_REASON_LENGTH bytes", async function () {
        const officer = f.serviceDesk.connect(f.signers.officer);
        await expect(officer.decide(1n, false, "0x", ""))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskZeroValue")
          .withArgs("reason");
        await expect(officer.decide(1n, false, "0x", "x".repeat(257)))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskReasonTooLong")
          .withArgs(257, 256);
        await expect(officer.decide(1n, false, "0x", "x".repeat(256))).to.emit(f.serviceDesk, "ApplicationRejected");
      });

      it("lets the official reject, with the reason", async function () {
        await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, false, "0x", "no evidence of age"))
          .to.emit(f.serviceDesk, "ApplicationRejected")
          .withArgs(1n, GENESIS.officer, ethers.id("no evidence of age"), "no evidence of age");
        expect(await f.civilRegistry.latest(MARRIAGE, a.id)).to.equal(ethers.ZeroHash);
      });

      it("refuses anyone but an official granted decide by law, holding the role in the department", async function () {
        const decideSelector = f.serviceDesk.interface.getFunction("decide").selector;
        await expect(f.serviceDesk.connect(f.signers.registrar).decide(1n, true, "0x", "documents seen"))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
          .withArgs(f.signers.registrar.address, await f.serviceDesk.getAddress(), decideSelector);
        await expect(f.serviceDesk.connect(f.signers.outsider).decide(1n, true, "0x", "documents seen"))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
          .withArgs(f.signers.outsider.address, await f.serviceDesk.getAddress(), decideSelector);
        // an officer of another department holds the role the law grants decide to, but not in the service's
        const other = await citizen(40);
        await enact(f, f.legislators, CIVIL_ACT, [
          await call(f.identityRegistry, "appoint", [
            other.id,
            roleId("CIVIL_AFFAIRS_OFFICER"),
            GENESIS.dongchengOffice,
            DONGCHENG,
            BigInt(await time.latest()),
            BigInt(await time.latest()) + 86_400n * 365n,
          ]),
        ]);
        await expect(f.serviceDesk.connect(other.wallet).decide(1n, true, "0x", "documents seen"))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskNotCompetent")
          .withArgs(other.wallet.address, GENESIS.ministry, roleId("CIVIL_AFFAIRS_OFFICER"));
        await expect(f.serviceDesk.connect(f.signers.officer).decide(9n, true, "0x", "documents seen"))
          .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskUnknownApplication")
          .withArgs(9n);
      });
    });

    it("refuses an official outside the subject's jurisdiction", async function () {
      const [a, b] = [await citizen(30, SHANGHAI), await citizen(undefined, SHANGHAI)];
      await f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, await application(a, b));
      await expect(f.serviceDesk.connect(f.signers.officer).decide(await applicationId(), true, "0x", "documents seen"))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.officer.address, SHANGHAI);
    });
  });

  describe("birth registration", function () {
    let parent: Citizen;
    const declaration = (child: bigint, date: number) => birthDeclaration(child, date, [parent.id, 0n]);
    const referredFor = (id: bigint, code: string) =>
      [id, GENESIS.ministry, roleId("CIVIL_AFFAIRS_OFFICER"), reason(code), (p: unknown[]) => p.length === 1] as const;

    it("approves the hospital's timely declaration, refers its late one, rejects a birth in the future", async function () {
      const hospital = f.serviceDesk.connect(f.signers.hospitalRegistrar);
      const child = await enrollPerson(f);
      await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 3)))).to.emit(
        f.serviceDesk,
        "ApplicationApproved",
      );
      expect(await f.civilRegistry.latest(BIRTH, child)).to.not.equal(ethers.ZeroHash);
      const late = await enrollPerson(f);
      await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(late, await chainDate(0, 40))))
        .to.emit(f.serviceDesk, "ApplicationReferred")
        .withArgs(...referredFor(2n, "LATE_DECLARATION"));
      const future = await enrollPerson(f);
      await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(future, 29990101)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(3n, 0n, reason("DATE_IN_FUTURE"), "");
      await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(child, await chainDate(0, 3))))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(4n, 0n, reason("ALREADY_REGISTERED"), "");
      await expect(hospital.submit(BIRTH_REGISTRATION, birthDeclaration(future, 20260230)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(5n, 0n, reason("INVALID_DATE"), "");
    });

    it("refers a parent's declaration (no register proves parentage), and rejects what the registers refuse", async function () {
      parent = await citizen(30);
      const child = await enrollPerson(f);
      await expect(
        f.serviceDesk.connect(parent.wallet).submit(BIRTH_REGISTRATION, declaration(child, await chainDate(0, 3))),
      )
        .to.emit(f.serviceDesk, "ApplicationReferred")
        .withArgs(...referredFor(1n, "PARENTAGE_UNPROVEN"));
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
      const late = await enrollPerson(f);
      await expect(
        f.serviceDesk.connect(parent.wallet).submit(BIRTH_REGISTRATION, declaration(late, await chainDate(0, 40))),
      )
        .to.emit(f.serviceDesk, "ApplicationReferred")
        .withArgs(...referredFor(2n, "PARENTAGE_UNPROVEN"));
      await expect(f.serviceDesk.connect(parent.wallet).submit(BIRTH_REGISTRATION, declaration(child, 29990101)))
        .to.emit(f.serviceDesk, "ApplicationRejected")
        .withArgs(3n, 0n, reason("DATE_IN_FUTURE"), "");
    });

    it("lets the officer approve a parent's declaration, as his own record under the law of his grant", async function () {
      parent = await citizen(30);
      const late = await enrollPerson(f);
      const data = declaration(late, await chainDate(0, 40));
      await f.serviceDesk.connect(parent.wallet).submit(BIRTH_REGISTRATION, data);
      expect(await f.serviceDesk.referralDataHash(1n)).to.equal(ethers.keccak256(data));
      await expect(f.serviceDesk.connect(f.signers.officer).decide(1n, true, approval(data), "hospital letter"))
        .to.emit(f.serviceDesk, "ApplicationApproved")
        .withArgs(
          1n,
          GENESIS.officer,
          ethers.id("hospital letter"),
          "hospital letter",
          (uids: string[]) => uids.length === 1,
        );
      const record = await f.civilRegistry.getRecord(await f.civilRegistry.latest(BIRTH, late));
      expect([record.official, record.key, record.lawId]).to.deep.equal([
        GENESIS.officer,
        f.signers.officer.address,
        BIRTH_REGISTRATION_ACT,
      ]);
    });
  });

  describe("defineService", function () {
    const byLaw = async (args: unknown[]) =>
      enact(f, f.legislators, PENSION_ACT, [await call(f.serviceDesk, "defineService", args)]);
    const refused = async (args: unknown[], error: string, errorArgs: unknown[]) =>
      expect(byLaw(args))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, await f.serviceDesk.getAddress(), f.serviceDesk.interface.encodeErrorResult(error, errorArgs));
    const officer = roleId("CIVIL_AFFAIRS_OFFICER");

    it("defines a service by law, and refuses bad definitions", async function () {
      const id = textId("PENSION_REVIEW");
      await expect(byLaw([id, PENSION_ACT, PENSION_ENROLMENT, GENESIS.ministry, officer]))
        .to.emit(f.serviceDesk, "ServiceDefined")
        .withArgs(id, PENSION_ACT, PENSION_ENROLMENT, GENESIS.ministry, officer);
      const defined = await f.serviceDesk.service(id);
      expect([defined.lawId, defined.registerId, defined.department, defined.role]).to.deep.equal([
        PENSION_ACT,
        PENSION_ENROLMENT,
        GENESIS.ministry,
        officer,
      ]);
      await refused([id, PENSION_ACT, PENSION_ENROLMENT, GENESIS.ministry, officer], "ServiceDeskServiceExists", [id]);
      await refused([ethers.ZeroHash, PENSION_ACT, PENSION_ENROLMENT, 1n, officer], "ServiceDeskZeroValue", [
        "serviceId",
      ]);
      await refused([textId("S"), PENSION_ACT, PENSION_ENROLMENT, 1n, ethers.ZeroHash], "ServiceDeskZeroValue", [
        "role",
      ]);
      await refused([textId("S"), textId("NO_LAW"), PENSION_ENROLMENT, 1n, officer], "ServiceDeskLawNotInForce", [
        textId("S"),
        textId("NO_LAW"),
      ]);
      await refused(
        [textId("S"), PENSION_ACT, PENSION_ENROLMENT, GENESIS.officer, officer],
        "ServiceDeskInvalidDepartment",
        [GENESIS.officer],
      );
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.identityRegistry, "setStatus", [GENESIS.hospital, IDENTITY_STATUS.Dissolved, "closed"]),
      ]);
      await refused(
        [textId("S"), PENSION_ACT, PENSION_ENROLMENT, GENESIS.hospital, officer],
        "ServiceDeskInvalidDepartment",
        [GENESIS.hospital],
      );
      await expect(
        f.serviceDesk
          .connect(f.signers.registrar)
          .defineService(textId("S"), PENSION_ACT, PENSION_ENROLMENT, 1n, officer),
      ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
      await expect(f.serviceDesk.service(textId("S")))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskUnknownService")
        .withArgs(textId("S"));
      await expect(f.serviceDesk.application(1n))
        .to.be.revertedWithCustomError(f.serviceDesk, "ServiceDeskUnknownApplication")
        .withArgs(1n);
    });
  });
});
