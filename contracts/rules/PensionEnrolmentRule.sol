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
 * Application data: `abi.encode(bytes birthData)`, the data of the applicant's current birth record (as its
 * RecordAdded event carries them), which the rule checks against the register.
 * - Rejected: a death is registered (DECEASED), enrolled already (ALREADY_ENROLLED), no birth record
 *   (NO_BIRTH_RECORD), data that are not the current birth record's (BIRTH_RECORD_MISMATCH), younger than the law's
 *   `RETIREMENT_AGE` in whole years today (UNDER_RETIREMENT_AGE).
 * - Approved otherwise: the enrolment record `uint32 startDate,bytes32 birthRecord` (today, and the birth record's
 *   uid as the evidence).
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
    function evaluate(uint256 applicant, bytes calldata data) external view returns (Decision memory) {
        bytes memory birthData = abi.decode(data, (bytes));
        if (civilRegistry.latest(deathRegister, applicant) != bytes32(0)) return _reject("DECEASED");
        if (civilRegistry.latest(pensionRegister, applicant) != bytes32(0)) return _reject("ALREADY_ENROLLED");
        bytes32 birthRecord = civilRegistry.latest(birthRegister, applicant);
        if (birthRecord == bytes32(0)) return _reject("NO_BIRTH_RECORD");
        if (!civilRegistry.verify(birthRecord, birthData)) return _reject("BIRTH_RECORD_MISMATCH");
        uint32 today = _today();
        if (CivilDate.yearsBetween(_birthDate(birthData), today) < _param(RETIREMENT_AGE)) {
            return _reject("UNDER_RETIREMENT_AGE");
        }
        return _approve(_one(applicant, abi.encode(today, birthRecord)));
    }
}
