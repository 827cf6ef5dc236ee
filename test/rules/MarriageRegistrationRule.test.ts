/**
 * MarriageRegistrationRule, asked directly (its decisions are views): each reason it gives, in the order it checks
 * them, for evaluate (an application) and review (the records an official decided for a referred one). The
 * ServiceDesk tests cover the same rule through the desk, with the records written.
 */
import { expect } from "chai";
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { GENESIS, STATUS } from "../helpers/identity";
import { DEATH, birthRecord, chainDate, coder, deathData } from "../helpers/registry";
import {
  MARRIAGE_LAW,
  MARRIAGE_REGISTRATION,
  citizen,
  marriageApplication,
  marriageData,
  marriageRecord,
  reason,
  type Citizen,
} from "../helpers/services";
import type { MarriageRegistrationRule } from "../../typechain-types";

const OUTCOME = { Approved: 0n, Rejected: 1n, Referred: 2n } as const;

describe("MarriageRegistrationRule", function () {
  let f: SystemFixture;
  let rule: MarriageRegistrationRule;
  let a: Citizen;
  let b: Citizen;

  beforeEach(async function () {
    f = await deploySystem();
    rule = await ethers.getContractAt("MarriageRegistrationRule", await f.smartLaw.ruleOf(MARRIAGE_LAW));
    [a, b] = [await citizen(f, 30), await citizen(f, 28)];
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);
  const evaluate = async (applicant: Citizen, data: string) =>
    rule.evaluate(applicant.id, applicant.wallet.address, data);
  const expectDecision = async (
    decision: Promise<{ outcome: bigint; reason: string }>,
    outcome: bigint,
    why: string | null,
  ) => {
    const d = await decision;
    expect([d.outcome, d.reason]).to.deep.equal([outcome, why === null ? ethers.ZeroHash : reason(why)]);
  };

  describe("evaluate", function () {
    it("approves two consenting adults, with a record for each and the consent it relies on", async function () {
      const { data, digest, documentHash, salt } = await marriageApplication(f, a, b);
      const decision = await evaluate(a, data);
      expect(decision.outcome).to.equal(OUTCOME.Approved);
      // each record keeps the document's hash and a commitment to the spouse and date, salted per party
      const today = await chainDate();
      expect(decision.records.map((r) => [r.subject, r.data])).to.deep.equal([
        [a.id, marriageRecord(a.id, b.id, today, documentHash, salt)],
        [b.id, marriageRecord(b.id, a.id, today, documentHash, salt)],
      ]);
      expect(decision.consents).to.deep.equal([digest]);
    });

    it("rejects a partner who is not an active person (INVALID_PARTNER)", async function () {
      const { data } = await marriageApplication(f, a, b);
      await asRegistrar().setStatus(b.id, STATUS.Suspended, "inquiry");
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "INVALID_PARTNER");
    });

    it("rejects an application without a document (NO_DOCUMENT)", async function () {
      const { data } = await marriageApplication(f, a, b, b.wallet, { documentHash: ethers.ZeroHash });
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "NO_DOCUMENT");
    });

    it("rejects a consent past its deadline (CONSENT_EXPIRED)", async function () {
      const { data } = await marriageApplication(f, a, b);
      await time.increase(3601);
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "CONSENT_EXPIRED");
    });

    it("rejects an applicant with a registered death (DECEASED)", async function () {
      const { data } = await marriageApplication(f, a, b);
      await f.civilRegistry.connect(f.signers.registrar).record(DEATH, a.id, deathData(await chainDate()));
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "DECEASED");
    });

    it("rejects an applicant who is suspended (INACTIVE_PARTY)", async function () {
      const { data } = await marriageApplication(f, a, b);
      await asRegistrar().setStatus(a.id, STATUS.Suspended, "inquiry");
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "INACTIVE_PARTY");
    });

    it("rejects an applicant who is married (ALREADY_MARRIED)", async function () {
      const c = await citizen(f, 40);
      await expect(
        f.serviceDesk.connect(a.wallet).submit(MARRIAGE_REGISTRATION, (await marriageApplication(f, a, c)).data),
      ).to.emit(f.serviceDesk, "ApplicationApproved");
      const { data } = await marriageApplication(f, a, b);
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "ALREADY_MARRIED");
    });

    it("rejects the applicant's birth data when they are not his birth record's (BIRTH_RECORD_MISMATCH)", async function () {
      const forged = { ...a, birth: birthRecord(await chainDate(40)).proof };
      const { data } = await marriageApplication(f, forged, b);
      await expectDecision(evaluate(a, data), OUTCOME.Rejected, "BIRTH_RECORD_MISMATCH");
    });

    it("rejects the opening of the right record with a wrong salt, or none for a party with a record (BIRTH_RECORD_MISMATCH)", async function () {
      const [document, opened] = coder.decode(["bytes32", "bytes"], b.birth);
      const [part] = coder.decode(["bytes", "bytes32"], opened);
      const wrongSalt = coder.encode(
        ["bytes32", "bytes"],
        [document, coder.encode(["bytes", "bytes32"], [part, ethers.id("a guess")])],
      );
      for (const birth of [wrongSalt, "0x"]) {
        const { data } = await marriageApplication(f, a, { ...b, birth });
        await expectDecision(evaluate(a, data), OUTCOME.Rejected, "BIRTH_RECORD_MISMATCH");
      }
    });

    it("rejects an applicant under the minimum age (UNDER_AGE)", async function () {
      const minor = await citizen(f, 17);
      const { data } = await marriageApplication(f, minor, b);
      await expectDecision(evaluate(minor, data), OUTCOME.Rejected, "UNDER_AGE");
    });

    it("refers an applicant without a birth record to the department (NO_BIRTH_RECORD)", async function () {
      const unborn = await citizen(f, undefined);
      const { data } = await marriageApplication(f, unborn, b);
      const decision = await evaluate(unborn, data);
      expect([decision.outcome, decision.reason]).to.deep.equal([OUTCOME.Referred, reason("NO_BIRTH_RECORD")]);
      expect(decision.records.map((r) => r.subject)).to.deep.equal([unborn.id, b.id]);
    });
  });

  describe("review", function () {
    let unborn: Citizen;
    let data: string;
    let document: string;

    beforeEach(async function () {
      unborn = await citizen(f, undefined);
      ({ data, documentHash: document } = await marriageApplication(f, unborn, b));
    });

    const record = (spouse: bigint, date: number, doc = document) => marriageData(spouse, date, doc);
    const review = (decided: { subject: bigint; data: string }[], applicant = unborn) =>
      rule.review(applicant.id, applicant.wallet.address, data, decided);
    const decided = async (date?: number) => {
      const day = date ?? (await chainDate(0, 10));
      return [
        { subject: unborn.id, data: record(b.id, day) },
        { subject: b.id, data: record(unborn.id, day) },
      ];
    };

    it("lets the official decide a past date: still referred for the missing birth record, the records on chain committed", async function () {
      const day = await chainDate(0, 10);
      const verdict = await review(await decided(day));
      expect([verdict.outcome, verdict.reason]).to.deep.equal([OUTCOME.Referred, reason("NO_BIRTH_RECORD")]);
      const salt = ethers.id("marriage salt"); // marriageData's
      expect(verdict.records.map((r) => r.subject)).to.deep.equal([unborn.id, b.id]);
      expect(verdict.records.map((r) => r.data)).to.deep.equal([
        coder.encode(
          ["bytes32", "bytes32"],
          [document, ethers.keccak256(ethers.concat([salt, coder.encode(["uint256", "uint32"], [b.id, day])]))],
        ),
        coder.encode(
          ["bytes32", "bytes32"],
          [document, ethers.keccak256(ethers.concat([salt, coder.encode(["uint256", "uint32"], [unborn.id, day])]))],
        ),
      ]);
      expect(verdict.consents.length).to.equal(0);
    });

    it("checks the application as submitted when the official decides no records (the proposed ones stand)", async function () {
      const verdict = await review([]);
      expect([verdict.outcome, verdict.reason, verdict.records.length]).to.deep.equal([
        OUTCOME.Referred,
        reason("NO_BIRTH_RECORD"),
        0n,
      ]);
    });

    it("rejects an applicant who is not a person (NO_STANDING)", async function () {
      const ministry = await rule.review(GENESIS.ministry, f.signers.outsider.address, data, await decided());
      expect([ministry.outcome, ministry.reason]).to.deep.equal([OUTCOME.Rejected, reason("NO_STANDING")]);
    });

    it("rejects records that are not one for the applicant and one for the partner, in that order (RECORDS_MISMATCH)", async function () {
      const [first, second] = await decided();
      for (const records of [[first], [second, first], [first, { ...second, subject: a.id }]]) {
        await expectDecision(review(records), OUTCOME.Rejected, "RECORDS_MISMATCH");
      }
    });

    it("rejects a spouse who is not the consenting partner, on either record (SPOUSE_NOT_CONSENTING)", async function () {
      const day = await chainDate(0, 10);
      await expectDecision(
        review([
          { subject: unborn.id, data: record(a.id, day) },
          { subject: b.id, data: record(unborn.id, day) },
        ]),
        OUTCOME.Rejected,
        "SPOUSE_NOT_CONSENTING",
      );
      await expectDecision(
        review([
          { subject: unborn.id, data: record(b.id, day) },
          { subject: b.id, data: record(a.id, day) },
        ]),
        OUTCOME.Rejected,
        "SPOUSE_NOT_CONSENTING",
      );
    });

    it("rejects records of different dates or of another document (RECORDS_MISMATCH)", async function () {
      const [day, other] = [await chainDate(0, 10), await chainDate(0, 11)];
      const other_ = ethers.id("another certificate");
      for (const [d0, d1, doc0, doc1] of [
        [day, other, document, document],
        [day, day, other_, document],
        [day, day, document, other_],
      ] as const) {
        await expectDecision(
          review([
            { subject: unborn.id, data: record(b.id, d0, doc0) },
            { subject: b.id, data: record(unborn.id, d1, doc1) },
          ]),
          OUTCOME.Rejected,
          "RECORDS_MISMATCH",
        );
      }
    });

    it("rejects a date that is no date (INVALID_DATE) or is ahead of today (DATE_IN_FUTURE)", async function () {
      await expectDecision(review(await decided(20230229)), OUTCOME.Rejected, "INVALID_DATE");
      await expectDecision(review(await decided(await chainDate(-1))), OUTCOME.Rejected, "DATE_IN_FUTURE");
    });

    it("rejects what the registers forbid today: a partner no longer active (INACTIVE_PARTY)", async function () {
      await asRegistrar().setStatus(b.id, STATUS.Suspended, "inquiry");
      await expectDecision(review(await decided()), OUTCOME.Rejected, "INACTIVE_PARTY");
    });
  });
});
