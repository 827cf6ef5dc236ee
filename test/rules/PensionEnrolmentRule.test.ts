/**
 * PensionEnrolmentRule.review, asked directly: the ServiceDesk never refers a pension application (the rule approves
 * or rejects at once), so no official reviews one through the desk; the rule's review still answers as IRule says,
 * for a law that binds it to a service whose applications were referred under an earlier rule.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { PENSION_ACT } from "../helpers/law";
import { BIRTH, DEATH, chainDate, coder, deathData } from "../helpers/registry";
import { citizen, reason, type Citizen } from "../helpers/services";
import type { PensionEnrolmentRule } from "../../typechain-types";

const OUTCOME = { Approved: 0n, Rejected: 1n, Referred: 2n } as const;

describe("PensionEnrolmentRule", function () {
  let f: SystemFixture;
  let rule: PensionEnrolmentRule;
  let person: Citizen;

  // the application is the opening of the birth record as it is: abi.encode(bytes32 documentHash, bytes opening)
  const application = (birth: string) => birth;
  const enrolment = (startDate: number, evidence: string) => coder.encode(["uint32", "bytes32"], [startDate, evidence]);
  const review = (decided: { subject: bigint; data: string }[], birth = person.birth) =>
    rule.review(person.id, person.wallet.address, application(birth), decided);

  beforeEach(async function () {
    f = await deploySystem();
    rule = await ethers.getContractAt("PensionEnrolmentRule", await f.smartLaw.ruleOf(PENSION_ACT));
    person = await citizen(f, 66);
  });

  describe("review", function () {
    it("lets the official approve an enrolment from a past date with the current birth record as evidence", async function () {
      const evidence = await f.civilRegistry.latest(BIRTH, person.id);
      const data = enrolment(20200101, evidence);
      const verdict = await review([{ subject: person.id, data }]);
      expect([verdict.outcome, verdict.reason, verdict.consents.length]).to.deep.equal([
        OUTCOME.Approved,
        ethers.ZeroHash,
        0n,
      ]);
      // the enrolment register is public: the decided record is written as given
      expect(verdict.records.map((r) => [r.subject, r.data])).to.deep.equal([[person.id, data]]);
      // today is not ahead either
      const today = await review([{ subject: person.id, data: enrolment(await chainDate(), evidence) }]);
      expect(today.outcome).to.equal(OUTCOME.Approved);
    });

    it("rejects records that are not one record for the applicant (RECORDS_MISMATCH)", async function () {
      const evidence = await f.civilRegistry.latest(BIRTH, person.id);
      const data = enrolment(20200101, evidence);
      for (const decided of [
        [],
        [{ subject: person.id + 1n, data }],
        [
          { subject: person.id, data },
          { subject: person.id, data },
        ],
      ]) {
        const verdict = await review(decided);
        expect([verdict.outcome, verdict.reason]).to.deep.equal([OUTCOME.Rejected, reason("RECORDS_MISMATCH")]);
      }
    });

    it("rejects what the registers forbid today, as the application itself would be (UNDER_RETIREMENT_AGE, DECEASED)", async function () {
      const young = await citizen(f, 30);
      const evidence = await f.civilRegistry.latest(BIRTH, young.id);
      const underAge = await rule.review(young.id, young.wallet.address, application(young.birth), [
        { subject: young.id, data: enrolment(20200101, evidence) },
      ]);
      expect([underAge.outcome, underAge.reason]).to.deep.equal([OUTCOME.Rejected, reason("UNDER_RETIREMENT_AGE")]);

      await f.civilRegistry.connect(f.signers.registrar).record(DEATH, person.id, deathData(await chainDate()));
      const own = await f.civilRegistry.latest(BIRTH, person.id);
      const deceased = await review([{ subject: person.id, data: enrolment(20200101, own) }]);
      expect([deceased.outcome, deceased.reason]).to.deep.equal([OUTCOME.Rejected, reason("DECEASED")]);
    });

    it("rejects an opening of the birth record with a wrong salt or date (BIRTH_RECORD_MISMATCH)", async function () {
      const evidence = await f.civilRegistry.latest(BIRTH, person.id);
      const [document, opened] = coder.decode(["bytes32", "bytes"], person.birth);
      const [part] = coder.decode(["bytes", "bytes32"], opened);
      const wrongSalt = coder.encode(
        ["bytes32", "bytes"],
        [document, coder.encode(["bytes", "bytes32"], [part, ethers.id("other")])],
      );
      const [, place] = coder.decode(["uint32", "bytes32"], part);
      const otherDate = coder.encode(["uint32", "bytes32"], [19000101, place]);
      const [, salt] = coder.decode(["bytes", "bytes32"], opened);
      const wrongDate = coder.encode(
        ["bytes32", "bytes"],
        [document, coder.encode(["bytes", "bytes32"], [otherDate, salt])],
      );
      for (const birth of [wrongSalt, wrongDate, coder.encode(["bytes32", "bytes"], [ethers.id("other"), opened])]) {
        const verdict = await review([{ subject: person.id, data: enrolment(20200101, evidence) }], birth);
        expect([verdict.outcome, verdict.reason]).to.deep.equal([OUTCOME.Rejected, reason("BIRTH_RECORD_MISMATCH")]);
      }
    });

    it("rejects evidence that is not the current birth record (BIRTH_RECORD_MISMATCH)", async function () {
      const verdict = await review([{ subject: person.id, data: enrolment(20200101, ethers.id("another record")) }]);
      expect([verdict.outcome, verdict.reason]).to.deep.equal([OUTCOME.Rejected, reason("BIRTH_RECORD_MISMATCH")]);
    });

    it("rejects a start date that is no date (INVALID_DATE) or is ahead of today (DATE_IN_FUTURE)", async function () {
      const evidence = await f.civilRegistry.latest(BIRTH, person.id);
      const invalid = await review([{ subject: person.id, data: enrolment(20230229, evidence) }]);
      expect([invalid.outcome, invalid.reason]).to.deep.equal([OUTCOME.Rejected, reason("INVALID_DATE")]);
      const nextYear = await chainDate(-1);
      const ahead = await review([{ subject: person.id, data: enrolment(nextYear, evidence) }]);
      expect([ahead.outcome, ahead.reason]).to.deep.equal([OUTCOME.Rejected, reason("DATE_IN_FUTURE")]);
    });
  });
});
