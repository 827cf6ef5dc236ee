// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";
import {CivilDate} from "../libraries/CivilDate.sol";
import {IRule} from "../interfaces/IRule.sol";
import {RuleBase} from "./RuleBase.sol";

/**
 * @title PensionEnrolmentRule
 * @notice Decides an application for enrolment in the pension, by the person to be enrolled.
 *
 * Standing: the person himself only: the applicant is the record's subject, so nobody applies for another. An
 * organisation has no birth record (the register holds persons) and is Rejected (NO_BIRTH_RECORD). A guardian does
 * not apply here: no guardianship is on the registers, so an incapable person is enrolled by the registrar.
 *
 * Application data: `abi.encode(bytes32 documentHash, bytes opening)`: the document hash of the applicant's current
 * birth record and the opening of its private part (`abi.encode(bytes privatePart, bytes32 salt)`, the private part
 * `abi.encode(uint32 birthDate, bytes32 placeOfBirth)`), which the rule checks against the record's commitment; empty
 * for an applicant without a birth record.
 * - Rejected: a death is registered (DECEASED), enrolled already (ALREADY_ENROLLED), no birth record
 *   (NO_BIRTH_RECORD), a document hash or opening that are not the current birth record's (BIRTH_RECORD_MISMATCH),
 *   younger than the law's `RETIREMENT_AGE` in whole years today (UNDER_RETIREMENT_AGE).
 * - Approved otherwise: the enrolment record `uint32 startDate,bytes32 birthRecord` (today, and the birth record's
 *   uid as the evidence).
 *
 * {review}: the same checks, today; the official may set the start date (a date, not ahead: INVALID_DATE,
 * DATE_IN_FUTURE), and the evidence must be the current birth record (BIRTH_RECORD_MISMATCH). The enrolment register
 * is public: the decided record is written as given.
 */
contract PensionEnrolmentRule is RuleBase {
    /// @notice The law's parameter: the age, in whole years, from which a person may be enrolled.
    bytes32 public constant RETIREMENT_AGE = "RETIREMENT_AGE";

    bytes32 public immutable birthRegister;
    bytes32 public immutable deathRegister;
    bytes32 public immutable pensionRegister;

    constructor(
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_,
        ICivilRegistry civilRegistry_,
        bytes32 lawId_,
        bytes32 birthRegister_,
        bytes32 deathRegister_,
        bytes32 pensionRegister_
    ) RuleBase(smartLaw_, identityRegistry_, civilRegistry_, lawId_) {
        birthRegister = birthRegister_;
        deathRegister = deathRegister_;
        pensionRegister = pensionRegister_;
    }

    /// @inheritdoc IRule
    function evaluate(uint256 applicant, address, bytes calldata data) external view returns (Decision memory) {
        return _decide(applicant, data);
    }

    /// @inheritdoc IRule
    function review(
        uint256 applicant,
        address,
        bytes calldata applicationData,
        Entry[] calldata decided
    ) external view returns (Decision memory) {
        if (decided.length != 1 || decided[0].subject != applicant) return _reject("RECORDS_MISMATCH");
        Decision memory decision = _decide(applicant, applicationData);
        if (decision.outcome == Outcome.Rejected) return decision;
        (uint32 startDate, bytes32 evidence) = abi.decode(decided[0].data, (uint32, bytes32));
        if (evidence != civilRegistry.latest(birthRegister, applicant)) return _reject("BIRTH_RECORD_MISMATCH");
        if (!CivilDate.isValid(startDate)) return _reject("INVALID_DATE");
        if (startDate > _today()) return _reject("DATE_IN_FUTURE");
        return _verdict(decision, decided);
    }

    /// @dev The decision on an application with the opening of the applicant's birth record.
    function _decide(uint256 applicant, bytes calldata data) private view returns (Decision memory) {
        if (civilRegistry.latest(deathRegister, applicant) != bytes32(0)) return _reject("DECEASED");
        if (civilRegistry.latest(pensionRegister, applicant) != bytes32(0)) return _reject("ALREADY_ENROLLED");
        bytes32 documentHash;
        bytes memory opening;
        if (data.length != 0) (documentHash, opening) = abi.decode(data, (bytes32, bytes));
        (bytes32 birthRecord, bool matches, uint32 birthDate) = _openBirth(
            birthRegister,
            applicant,
            documentHash,
            opening
        );
        if (birthRecord == bytes32(0)) return _reject("NO_BIRTH_RECORD");
        if (!matches) return _reject("BIRTH_RECORD_MISMATCH");
        uint32 today = _today();
        if (CivilDate.yearsBetween(birthDate, today) < _param(RETIREMENT_AGE)) {
            return _reject("UNDER_RETIREMENT_AGE");
        }
        return _approve(_one(applicant, abi.encode(today, birthRecord)));
    }
}
