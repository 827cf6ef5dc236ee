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
 * uint256 parent1, uint256 parent2, bytes32 salt)`, the date as yyyymmdd, the place a jurisdiction code, the
 * document the medical birth certificate, the child's parents (identities; 0 for a parent not named), and the salt
 * that commits the record's private part (the birth date and place stay off chain).
 *
 * The rule approves only what the registers prove; officials fill the gaps:
 * - Standing: a hospital registrar for the child (the applicant's key has standing as HOSPITAL_REGISTRAR within the
 *   child's jurisdiction: {IIdentityRegistry-standing}, which also requires an active hospital and an appointing law
 *   in force), or a parent named in the data. Anyone else: Rejected (NO_STANDING).
 * - Rejected: the child is not an enrolled person (NOT_A_PERSON), a parent named is not another person
 *   (INVALID_PARENT), the birth is registered already (ALREADY_REGISTERED), the date is not a date (INVALID_DATE),
 *   lies ahead (DATE_IN_FUTURE) or after the day the child was enrolled (ENROLLED_BEFORE_BIRTH: a person enrolled
 *   already cannot be born again), the place is not a jurisdiction (UNKNOWN_PLACE), no document (NO_DOCUMENT).
 * - Referred (PARENTAGE_UNPROVEN): declared by a parent named in the data. No register proves parentage (anyone can
 *   name himself a parent), so the civil affairs officer checks it in person and decides.
 * - Referred (LATE_DECLARATION): declared by the hospital more than the law's `DECLARATION_PERIOD` days after the
 *   birth.
 * - Approved otherwise (a timely declaration by the hospital): the child's birth record
 *   `uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash`, on chain
 *   `abi.encode(documentHash, keccak256(abi.encodePacked(salt, abi.encode(birthDate, placeOfBirth))))`.
 *
 * {review}: the same checks, with the birth date, place and document the official decided (the record's clear form
 * with its salt, `abi.encode(bytes clear, bytes32 salt)`; none to check the declaration as submitted), and the
 * standing of the key that submitted the declaration as it is today. The records it returns are the decided ones in
 * their on-chain form.
 */
contract BirthRegistrationRule is RuleBase {
    /// @notice The law's parameter: the days after a birth within which its declaration is decided by this rule.
    bytes32 public constant DECLARATION_PERIOD = "DECLARATION_PERIOD";

    /// @notice The role whose officials declare the births within their jurisdiction (the hospital's registrar).
    bytes32 public constant HOSPITAL_REGISTRAR = keccak256("HOSPITAL_REGISTRAR");

    /// @notice The birth register.
    bytes32 public immutable birthRegister;

    /// @dev Who declares a birth: nobody with standing, a parent named in the data, or the hospital.
    enum Declarant {
        None,
        Parent,
        Hospital
    }

    /// @dev An application's data.
    struct Declaration {
        uint256 child;
        uint32 birthDate;
        bytes32 placeOfBirth;
        bytes32 documentHash;
        uint256 parent1;
        uint256 parent2;
        bytes32 salt;
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
    function evaluate(uint256 applicant, address key, bytes calldata data) external view returns (Decision memory) {
        return _decide(applicant, key, _read(data));
    }

    /// @inheritdoc IRule
    function review(
        uint256 applicant,
        address key,
        bytes calldata applicationData,
        Entry[] calldata decided
    ) external view returns (Decision memory) {
        Declaration memory form = _read(applicationData);
        if (decided.length == 0) return _verdict(_decide(applicant, key, form), new Entry[](0));
        if (decided.length != 1 || decided[0].subject != form.child) return _reject("RECORDS_MISMATCH");
        bytes memory clear;
        (clear, form.salt) = abi.decode(decided[0].data, (bytes, bytes32));
        (form.birthDate, form.placeOfBirth, form.documentHash) = abi.decode(clear, (uint32, bytes32, bytes32));
        Decision memory decision = _decide(applicant, key, form);
        return _verdict(decision, decision.records);
    }

    /// @dev The decision on a declaration by `applicant`, submitted by its key `key`.
    function _decide(uint256 applicant, address key, Declaration memory form) private view returns (Decision memory) {
        uint256 child = form.child;
        IIdentityRegistry.Identity memory enrolled = identityRegistry.identity(child);
        Declarant declarant = _declarant(applicant, key, form, enrolled.jurisdiction);
        if (declarant == Declarant.None) return _reject("NO_STANDING");
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

        bytes32 privateHash = _commit(abi.encode(birthDate, form.placeOfBirth), form.salt);
        Entry[] memory records = _one(child, abi.encode(form.documentHash, privateHash));
        // a parent is only named by the applicant: the officer checks the parentage in person
        if (declarant == Declarant.Parent) return _refer("PARENTAGE_UNPROVEN", records);
        if (CivilDate.daysBetween(birthDate, today) > _param(DECLARATION_PERIOD)) {
            return _refer("LATE_DECLARATION", records);
        }
        return _approve(records);
    }

    /**
     * @dev Who the applicant is to the child: the hospital when the key that applied has standing as a hospital
     * registrar where the child is enrolled (asked as SmartLaw asks it when he records himself: a current
     * appointment, within its jurisdiction, in an active department, under a law in force); else a parent when
     * named in the data; else nobody with standing.
     */
    function _declarant(
        uint256 applicant,
        address key,
        Declaration memory form,
        bytes32 childJurisdiction
    ) private view returns (Declarant) {
        (uint256 official, , bool within) = identityRegistry.standing(key, HOSPITAL_REGISTRAR, childJurisdiction);
        if (within && official == applicant) return Declarant.Hospital;
        if (applicant == form.parent1 || applicant == form.parent2) return Declarant.Parent;
        return Declarant.None;
    }

    /// @dev A parent is not named (0), or is a person other than the child.
    function _isParent(uint256 parent, uint256 child) private view returns (bool) {
        return parent == 0 || (parent != child && _isPerson(parent));
    }

    function _read(bytes calldata data) private pure returns (Declaration memory form) {
        (form.child, form.birthDate, form.placeOfBirth, form.documentHash, form.parent1, form.parent2, form.salt) = abi
            .decode(data, (uint256, uint32, bytes32, bytes32, uint256, uint256, bytes32));
    }
}
