/**
 * BirthRegistrationRule, asked directly (its decisions are views): the reasons that the ServiceDesk tests do not
 * reach through the desk, for a declaration by the hospital registrar (who has standing where the child is enrolled).
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { jurisdictionCode } from "../../scripts/lib/common/ids";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { GENESIS, time } from "../helpers/identity";
import { chainDate, enrollPerson } from "../helpers/registry";
import { BIRTH_REGISTRATION_ACT, birthDeclaration, decidedBirth, declaredBirth, reason } from "../helpers/services";
import type { BirthRegistrationRule } from "../../typechain-types";

const OUTCOME = { Approved: 0n, Rejected: 1n, Referred: 2n } as const;

describe("BirthRegistrationRule", function () {
  let f: SystemFixture;
  let rule: BirthRegistrationRule;
  let child: bigint;

  beforeEach(async function () {
    f = await deploySystem();
    rule = await ethers.getContractAt("BirthRegistrationRule", await f.smartLaw.ruleOf(BIRTH_REGISTRATION_ACT));
    child = await enrollPerson(f);
  });

  /** The hospital registrar's declaration, decided by the rule. */
  const byHospital = (data: string) =>
    rule.evaluate(GENESIS.hospitalRegistrar, f.signers.hospitalRegistrar.address, data);
  const expectDecision = async (
    decision: Promise<{ outcome: bigint; reason: string }>,
    outcome: bigint,
    why: string | null,
  ) => {
    const d = await decision;
    expect([d.outcome, d.reason]).to.deep.equal([outcome, why === null ? ethers.ZeroHash : reason(why)]);
  };

  describe("evaluate", function () {
    it("approves the hospital's timely declaration: the record keeps the document's hash and a commitment to the date and place", async function () {
      const date = await chainDate(0, 1);
      const document = ethers.id("certificate");
      const decision = await byHospital(birthDeclaration(child, date, [0n, 0n], document));
      expect([decision.outcome, decision.records.map((r) => [r.subject, r.data])]).to.deep.equal([
        OUTCOME.Approved,
        [[child, declaredBirth(date, document)]],
      ]);
    });

    it("rejects a first parent who is not a person (INVALID_PARENT)", async function () {
      const data = birthDeclaration(child, await chainDate(0, 1), [GENESIS.ministry, 0n]);
      await expectDecision(byHospital(data), OUTCOME.Rejected, "INVALID_PARENT");
    });

    it("rejects a birth after the day the child was enrolled (ENROLLED_BEFORE_BIRTH)", async function () {
      await time.increase(2 * 86_400);
      await expectDecision(
        byHospital(birthDeclaration(child, await chainDate())),
        OUTCOME.Rejected,
        "ENROLLED_BEFORE_BIRTH",
      );
    });

    it("rejects a place of birth that is no jurisdiction (UNKNOWN_PLACE)", async function () {
      const data = birthDeclaration(
        child,
        await chainDate(0, 1),
        [0n, 0n],
        ethers.id("certificate"),
        jurisdictionCode("CN-99"),
      );
      await expectDecision(byHospital(data), OUTCOME.Rejected, "UNKNOWN_PLACE");
    });
  });

  describe("review", function () {
    it("rejects records that are not one record for the child (RECORDS_MISMATCH)", async function () {
      const date = await chainDate(0, 1);
      const data = birthDeclaration(child, date);
      const record = { subject: child, data: decidedBirth(date, ethers.id("certificate")) };
      const review = (decided: { subject: bigint; data: string }[]) =>
        rule.review(GENESIS.hospitalRegistrar, f.signers.hospitalRegistrar.address, data, decided);
      await expectDecision(review([record]), OUTCOME.Approved, null);
      for (const decided of [[{ ...record, subject: child + 1n }], [record, record]]) {
        await expectDecision(review(decided), OUTCOME.Rejected, "RECORDS_MISMATCH");
      }
    });

    it("returns the decided record in its on-chain form, and checks the declaration as submitted when none is decided", async function () {
      const date = await chainDate(0, 2);
      const salt = ethers.id("the officer's salt");
      const decided = decidedBirth(date, ethers.id("hospital letter"), undefined, salt);
      const data = birthDeclaration(child, await chainDate(0, 1));
      const review = (records: { subject: bigint; data: string }[]) =>
        rule.review(GENESIS.hospitalRegistrar, f.signers.hospitalRegistrar.address, data, records);
      const verdict = await review([{ subject: child, data: decided }]);
      expect(verdict.records.map((r) => [r.subject, r.data])).to.deep.equal([
        [child, declaredBirth(date, ethers.id("hospital letter"), undefined, salt)],
      ]);
      const asSubmitted = await review([]);
      expect([asSubmitted.outcome, asSubmitted.records.length]).to.deep.equal([OUTCOME.Approved, 0n]);
    });
  });
});
