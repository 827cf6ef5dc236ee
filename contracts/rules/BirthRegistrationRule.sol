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
 * @notice Decides the declaration of a birth of a child already enrolled as a person.
 *
 * Application data: `abi.encode(uint256 child, uint32 birthDate, bytes32 placeOfBirth, bytes32 documentHash,
 * uint256 parent1, uint256 parent2)`, the date as yyyymmdd, the place a jurisdiction code, the document the medical
 * birth certificate, and the child's parents (identities; 0 for a parent not named).
 * - Standing: a parent named in the data, or a hospital registrar (an official holding a current appointment to
 *   the role HOSPITAL_REGISTRAR). Anyone else: Rejected (NO_STANDING).
 * - Rejected: the child is not an enrolled person (NOT_A_PERSON), a parent named is not another person
 *   (INVALID_PARENT), the birth is registered already (ALREADY_REGISTERED), the date is not a date (INVALID_DATE),
 *   lies ahead (DATE_IN_FUTURE) or after the day the child was enrolled (ENROLLED_BEFORE_BIRTH: a person enrolled
 *   already cannot be born again), the place is not a jurisdiction (UNKNOWN_PLACE), no document (NO_DOCUMENT).
 * - Referred (LATE_DECLARATION): declared more than the law's `DECLARATION_PERIOD` days after the birth.
 * - Approved otherwise: the birth record `uint32 birthDate,bytes32 placeOfBirth,bytes32 documentHash` of the child.
 *
 * {review}: the same checks, with the birth date, place and document the official decided.
 */
contract BirthRegistrationRule is RuleBase {
    /// @notice The law's parameter: the days after a birth within which its declaration is decided by this rule.
    bytes32 public constant DECLARATION_PERIOD = "DECLARATION_PERIOD";

    /// @notice The role whose officials may declare any birth (the hospital's registrar).
    bytes32 public constant HOSPITAL_REGISTRAR = keccak256("HOSPITAL_REGISTRAR");

    /// @notice The birth register.
    bytes32 public immutable birthRegister;

    /// @dev An application's data.
    struct Declaration {
        uint256 child;
        uint32 birthDate;
        bytes32 placeOfBirth;
        bytes32 documentHash;
        uint256 parent1;
        uint256 parent2;
    }

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
    function evaluate(uint256 applicant, bytes calldata data) external view returns (Decision memory) {
        return _decide(applicant, _read(data));
    }

    /// @inheritdoc IRule
    function review(
        uint256 applicant,
        bytes calldata applicationData,
        Entry[] calldata decided
    ) external view returns (Decision memory) {
        Declaration memory form = _read(applicationData);
        if (decided.length != 1 || decided[0].subject != form.child) return _reject("RECORDS_MISMATCH");
        (form.birthDate, form.placeOfBirth, form.documentHash) = abi.decode(
            decided[0].data,
            (uint32, bytes32, bytes32)
        );
        return _verdict(_decide(applicant, form));
    }

    /// @dev The decision on a declaration.
    function _decide(uint256 applicant, Declaration memory form) private view returns (Decision memory) {
        uint256 child = form.child;
        if (!_hasStanding(applicant, form)) return _reject("NO_STANDING");
        IIdentityRegistry.Identity memory enrolled = identityRegistry.identity(child);
        if (enrolled.kind != IIdentityRegistry.Kind.Person) return _reject("NOT_A_PERSON");
        if (!_isParent(form.parent1, child) || !_isParent(form.parent2, child)) return _reject("INVALID_PARENT");
        if (civilRegistry.latest(birthRegister, child) != bytes32(0)) return _reject("ALREADY_REGISTERED");
        uint32 birthDate = form.birthDate;
        if (!CivilDate.isValid(birthDate)) return _reject("INVALID_DATE");
        uint32 today = _today();
        if (birthDate > today) return _reject("DATE_IN_FUTURE");
        if (birthDate > CivilDate.fromTimestamp(enrolled.enrolledAt)) return _reject("ENROLLED_BEFORE_BIRTH");
        if (!identityRegistry.jurisdiction(form.placeOfBirth).defined) return _reject("UNKNOWN_PLACE");
        if (form.documentHash == bytes32(0)) return _reject("NO_DOCUMENT");

        Entry[] memory records = _one(child, abi.encode(birthDate, form.placeOfBirth, form.documentHash));
        if (CivilDate.daysBetween(birthDate, today) > _param(DECLARATION_PERIOD)) {
            return _refer("LATE_DECLARATION", records);
        }
        return _approve(records);
    }

    /// @dev A parent named in the data, or a hospital registrar in office, may declare the birth.
    function _hasStanding(uint256 applicant, Declaration memory form) private view returns (bool) {
        if (applicant == form.parent1 || applicant == form.parent2) return true;
        return identityRegistry.currentAppointment(applicant, HOSPITAL_REGISTRAR) != 0;
    }

    /// @dev A parent is not named (0), or is a person other than the child.
    function _isParent(uint256 parent, uint256 child) private view returns (bool) {
        return parent == 0 || (parent != child && _isPerson(parent));
    }

    function _read(bytes calldata data) private pure returns (Declaration memory form) {
        (form.child, form.birthDate, form.placeOfBirth, form.documentHash, form.parent1, form.parent2) = abi.decode(
            data,
            (uint256, uint32, bytes32, bytes32, uint256, uint256)
        );
    }
}
