// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IRule} from "../interfaces/IRule.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";
import {CivilDate} from "../libraries/CivilDate.sol";

/**
 * @title RuleBase
 * @notice What GovChain's rules share: the registries they read and the law whose parameters they apply, fixed at
 * deployment (immutables are part of the code, so they are part of the code hash that the law pins).
 */
abstract contract RuleBase is IRule {
    /// @notice The authority, which holds the law's parameters.
    ISmartLaw public immutable smartLaw;

    /// @notice Identities and their status.
    IIdentityRegistry public immutable identityRegistry;

    /// @notice The registers the rule reads.
    ICivilRegistry public immutable civilRegistry;

    /// @notice The law the rule applies.
    bytes32 public immutable lawId;

    constructor(
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_,
        ICivilRegistry civilRegistry_,
        bytes32 lawId_
    ) {
        smartLaw = smartLaw_;
        identityRegistry = identityRegistry_;
        civilRegistry = civilRegistry_;
        lawId = lawId_;
    }

    /// @dev A parameter of the rule's law, as in force now.
    function _param(bytes32 key) internal view returns (uint256) {
        return smartLaw.param(lawId, key);
    }

    /// @dev Today's date (yyyymmdd, UTC).
    function _today() internal view returns (uint32) {
        return CivilDate.fromTimestamp(block.timestamp);
    }

    /// @dev Whether the identity is a person (of any status).
    function _isPerson(uint256 identityId) internal view returns (bool) {
        return identityRegistry.identity(identityId).kind == IIdentityRegistry.Kind.Person;
    }

    /**
     * @dev Opens a subject's current birth record (`uint32 birthDate private,bytes32 placeOfBirth private,bytes32
     * documentHash`, kept on chain as `abi.encode(documentHash, privateHash)`) with the document hash and the opening
     * `abi.encode(bytes privatePart, bytes32 salt)` the applicant gives. Returns the record's uid (0 when none),
     * whether the opening matches it, and the birth date it opens (0 unless it matches). An empty opening matches
     * nothing.
     */
    function _openBirth(
        bytes32 birthRegister,
        uint256 subject,
        bytes32 documentHash,
        bytes memory opening
    ) internal view returns (bytes32 birthRecord, bool matches, uint32 birthDate) {
        birthRecord = civilRegistry.latest(birthRegister, subject);
        if (birthRecord == bytes32(0) || opening.length == 0) return (birthRecord, false, 0);
        (bytes memory privatePart, bytes32 salt) = abi.decode(opening, (bytes, bytes32));
        if (!civilRegistry.verify(birthRecord, abi.encode(documentHash, _commit(privatePart, salt)))) {
            return (birthRecord, false, 0);
        }
        (birthDate, ) = abi.decode(privatePart, (uint32, bytes32));
        matches = true;
    }

    /// @dev The commitment to a record's private part: `keccak256(abi.encodePacked(salt, privatePart))`.
    function _commit(bytes memory privatePart, bytes32 salt) internal pure returns (bytes32) {
        return keccak256(abi.encodePacked(salt, privatePart));
    }

    /// @dev Whether the identity is an active person (not suspended, not deceased).
    function _isActivePerson(uint256 identityId) internal view returns (bool) {
        IIdentityRegistry.Identity memory found = identityRegistry.identity(identityId);
        return found.kind == IIdentityRegistry.Kind.Person && found.status == IIdentityRegistry.Status.Active;
    }

    /// @dev A review's verdict: the decision's outcome and reason, with the records to write, without consents.
    function _verdict(
        Decision memory decision,
        Entry[] memory records
    ) internal pure returns (Decision memory verdict) {
        verdict.outcome = decision.outcome;
        verdict.reason = decision.reason;
        if (decision.outcome != Outcome.Rejected) verdict.records = records;
    }

    function _one(uint256 subject, bytes memory data) internal pure returns (Entry[] memory records) {
        records = new Entry[](1);
        records[0] = Entry({subject: subject, data: data});
    }

    function _approve(Entry[] memory records) internal pure returns (Decision memory) {
        return Decision({outcome: Outcome.Approved, reason: bytes32(0), records: records, consents: new bytes32[](0)});
    }

    function _reject(bytes32 reason) internal pure returns (Decision memory decision) {
        decision.outcome = Outcome.Rejected;
        decision.reason = reason;
    }

    function _refer(bytes32 reason, Entry[] memory records) internal pure returns (Decision memory) {
        return Decision({outcome: Outcome.Referred, reason: reason, records: records, consents: new bytes32[](0)});
    }
}
