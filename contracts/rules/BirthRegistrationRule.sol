// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";
import {CivilDate} from "../libraries/CivilDate.sol";
import {IRule} from "../interfaces/IRule.sol";
import {RuleBase} from "./RuleBase.sol";

/**
 * @title BirthRegistrationRule
 * @notice Decides the declaration of a birth, by any active person (a parent, as a rule), of a child already
 * enrolled as a person.
 *
 * Application data: `abi.encode(uint256 child, uint32 birthDate, bytes32 placeOfBirth, bytes32 documentHash)`,
 * the date as yyyymmdd and the place a jurisdiction code; the document is the medical birth certificate.
 * - Rejected: the child is not an enrolled person (NOT_A_PERSON), its birth is registered already
 *   (ALREADY_REGISTERED), the date is not a date (INVALID_DATE) or lies ahead (DATE_IN_FUTURE), the place is not a
 *   jurisdiction (UNKNOWN_PLACE), no document (NO_DOCUMENT).
 * - Referred (LATE_DECLARATION): declared more than the law's `DECLARATION_PERIOD` days after the birth.
 * - Approved otherwise: the birth record `uint32 birthDate,bytes32 placeOfBirth,bytes32 documentHash` of the child.
 */
contract BirthRegistrationRule is RuleBase {
    /// @notice The law's parameter: the days after a birth within which its declaration is decided by this rule.
    bytes32 public constant DECLARATION_PERIOD = "DECLARATION_PERIOD";

    /// @notice The birth register.
    bytes32 public immutable birthRegister;

    constructor(
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_,
        ICivilRegistry civilRegistry_,
        bytes32 lawId_,
        bytes32 birthRegister_
    ) RuleBase(smartLaw_, identityRegistry_, civilRegistry_, lawId_) {
        birthRegister = birthRegister_;
    }

    /// @inheritdoc IRule
    function evaluate(uint256, bytes calldata data) external view returns (Decision memory) {
        (uint256 child, uint32 birthDate, bytes32 placeOfBirth, bytes32 documentHash) = abi.decode(
            data,
            (uint256, uint32, bytes32, bytes32)
        );
        if (!_isPerson(child)) return _reject("NOT_A_PERSON");
        if (civilRegistry.latest(birthRegister, child) != bytes32(0)) return _reject("ALREADY_REGISTERED");
        if (!CivilDate.isValid(birthDate)) return _reject("INVALID_DATE");
        uint32 today = _today();
        if (birthDate > today) return _reject("DATE_IN_FUTURE");
        if (!identityRegistry.jurisdiction(placeOfBirth).defined) return _reject("UNKNOWN_PLACE");
        if (documentHash == bytes32(0)) return _reject("NO_DOCUMENT");

        Entry[] memory records = _one(child, abi.encode(birthDate, placeOfBirth, documentHash));
        if (CivilDate.daysBetween(birthDate, today) > _param(DECLARATION_PERIOD)) {
            return _refer("LATE_DECLARATION", records);
        }
        return _approve(records);
    }
}
