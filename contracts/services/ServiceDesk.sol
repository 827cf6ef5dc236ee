// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IResourceChecked} from "../interfaces/IResourceChecked.sol";
import {IRule} from "../interfaces/IRule.sol";
import {IServiceDesk} from "../interfaces/IServiceDesk.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";

/**
 * @title ServiceDesk
 * @notice See {IServiceDesk}. The ServiceDesk writes the records a rule approves as a service contract: a law
 * assigns it a role ({ISmartLaw-assignRole}, pinned by code hash) and grants that role `record` on each service's
 * register, so the records it writes name that law as their legal basis. The records an official approves are
 * written through {ICivilRegistry-recordFor} (which the law also grants that role): they are authorised as if the
 * official had written them, and name him and the law of his grant.
 *
 * An application takes one slot; a referral keeps its reason, proposed records and the hash of the application's
 * data until the decision (referrals are rare: approvals by the rule pay for none of it). The application's data
 * (private facts: a birth date, a birth record's opening) are never kept nor emitted, only their hash: the
 * deciding official gives them again with an approval, checked against that hash.
 */
contract ServiceDesk is IServiceDesk, IResourceChecked {
    /// @notice The selector of `apply(bytes32,bytes)`, the specification's name for {submit}.
    bytes4 public constant APPLY_SELECTOR = bytes4(keccak256("apply(bytes32,bytes)"));

    /// @notice The longest reason an official gives, in bytes: its text is emitted, and an event is paid for by
    /// whoever sends it.
    uint256 public constant MAX_REASON_LENGTH = 256;

    /// @dev A service as stored.
    struct ServiceRecord {
        bytes32 lawId;
        bytes32 registerId;
        bytes32 role;
        uint64 department;
        uint32 number;
    }

    /// @dev An application as stored, in one slot.
    struct ApplicationRecord {
        uint64 applicant;
        uint32 service;
        Status status;
        uint40 submittedAt;
        uint40 decidedAt;
        uint64 decidedBy;
    }

    /// @dev What a referral keeps until the decision: the rule reviews the decided records with the data.
    struct Referral {
        bytes32 reason;
        bytes proposed; // abi.encode(IRule.Entry[])
        bytes32 dataHash; // keccak256 of the application's data, as submitted (the data stay off chain)
        address key; // the key that submitted it: a standing an official holds is his key's (IRule)
    }

    ISmartLaw private immutable _smartLaw;
    IIdentityRegistry private immutable _identityRegistry;
    ICivilRegistry private immutable _civilRegistry;

    mapping(bytes32 serviceId => ServiceRecord) private _services;
    mapping(uint32 number => bytes32 serviceId) private _serviceIds;
    uint32 private _serviceCount;

    mapping(uint256 applicationId => ApplicationRecord) private _applications;
    /// @dev The reason of each decision: the rule's code, or the hash of the official's reason (its text is in the
    /// event).
    mapping(uint256 applicationId => bytes32 reason) private _reasons;
    mapping(uint256 applicationId => Referral) private _referrals;
    uint256 private _applicationCount;

    /// @dev The application that used each signed consent (a consent serves one application only).
    mapping(bytes32 digest => uint256 applicationId) private _consentUsers;

    constructor(ISmartLaw smartLaw_, IIdentityRegistry identityRegistry_, ICivilRegistry civilRegistry_) {
        _smartLaw = smartLaw_;
        _identityRegistry = identityRegistry_;
        _civilRegistry = civilRegistry_;
    }

    /// @notice `apply(bytes32 serviceId, bytes data) returns (uint256)`: the same as {submit}. The fallback
    /// dispatches that one selector (a reserved word cannot name a function) and refuses any other.
    // solhint-disable-next-line no-complex-fallback
    fallback(bytes calldata input) external returns (bytes memory) {
        if (msg.sig != APPLY_SELECTOR) revert ServiceDeskUnknownFunction(msg.sig);
        (bytes32 serviceId, bytes memory data) = abi.decode(input[4:], (bytes32, bytes));
        return abi.encode(_submit(serviceId, data));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Services, by law
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceDesk
    function defineService(
        bytes32 serviceId,
        bytes32 lawId,
        bytes32 registerId,
        uint256 department,
        bytes32 role
    ) external {
        _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        if (serviceId == bytes32(0)) revert ServiceDeskZeroValue("serviceId");
        if (role == bytes32(0)) revert ServiceDeskZeroValue("role");
        if (_services[serviceId].number != 0) revert ServiceDeskServiceExists(serviceId);
        if (!_smartLaw.isInForce(lawId)) revert ServiceDeskLawNotInForce(serviceId, lawId);
        _civilRegistry.register(registerId); // reverts for an unknown register
        IIdentityRegistry.Identity memory unit = _identityRegistry.identity(department);
        if (unit.kind != IIdentityRegistry.Kind.Organisation || unit.status != IIdentityRegistry.Status.Active) {
            revert ServiceDeskInvalidDepartment(department);
        }
        uint32 number = ++_serviceCount;
        _services[serviceId] = ServiceRecord({
            lawId: lawId,
            registerId: registerId,
            role: role,
            department: uint64(department),
            number: number
        });
        _serviceIds[number] = serviceId;
        emit ServiceDefined(serviceId, lawId, registerId, department, role);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Applications
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceDesk
    function submit(bytes32 serviceId, bytes calldata data) external returns (uint256) {
        return _submit(serviceId, data);
    }

    /// @inheritdoc IServiceDesk
    function decide(uint256 applicationId, bool approve, bytes calldata data, string calldata reason) external {
        bytes32 reasonHash = _reasonHash(reason);
        (uint256 official, bytes32[] memory uids) = _decide(applicationId, approve, data);
        _reasons[applicationId] = reasonHash;
        if (approve) emit ApplicationApproved(applicationId, official, reasonHash, reason, uids);
        else emit ApplicationRejected(applicationId, official, reasonHash, reason);
    }

    /**
     * @dev {decide} but its reason and event (apart so that the reason stays off the stack): checks the official and
     * the application, writes the decision and, for an approval, the records. Returns the official and the records'
     * uids (none for a rejection).
     */
    function _decide(
        uint256 applicationId,
        bool approve,
        bytes calldata data
    ) private returns (uint256 official, bytes32[] memory uids) {
        ApplicationRecord storage stored = _applications[applicationId];
        Status status = stored.status;
        if (status == Status.None) revert ServiceDeskUnknownApplication(applicationId);
        if (status != Status.Referred) revert ServiceDeskNotReferred(applicationId, status);
        bytes32 serviceId = _serviceIds[stored.service];
        ServiceRecord storage entry = _services[serviceId];
        if (!_smartLaw.isInForce(entry.lawId)) revert ServiceDeskLawNotInForce(serviceId, entry.lawId);
        IRule.Entry[] memory records = abi.decode(_referrals[applicationId].proposed, (IRule.Entry[]));
        // competence follows the subject (the child, the first party, the pensioner), not the applicant
        uint256 subject = records.length == 0 ? stored.applicant : records[0].subject;
        official = _checkCompetent(serviceId, entry, subject);
        _checkNotOwnCase(applicationId, official, stored.applicant, records);

        stored.decidedAt = uint40(block.timestamp);
        stored.decidedBy = uint64(official);
        if (!approve) {
            stored.status = Status.Rejected;
            return (official, uids);
        }
        records = _review(serviceId, applicationId, records, data);
        stored.status = Status.Approved;
        uids = new bytes32[](records.length);
        for (uint256 i = 0; i < records.length; ++i) {
            uids[i] = _civilRegistry.recordFor(entry.registerId, records[i].subject, records[i].data, msg.sender);
        }
    }

    /// @dev The hash of an official's reason, refused when empty or longer than MAX_REASON_LENGTH.
    function _reasonHash(string calldata reason) private pure returns (bytes32) {
        uint256 length = bytes(reason).length;
        if (length == 0) revert ServiceDeskZeroValue("reason");
        if (length > MAX_REASON_LENGTH) revert ServiceDeskReasonTooLong(length, MAX_REASON_LENGTH);
        return keccak256(bytes(reason));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IServiceDesk
    function service(bytes32 serviceId) external view returns (Service memory) {
        ServiceRecord storage entry = _services[serviceId];
        if (entry.number == 0) revert ServiceDeskUnknownService(serviceId);
        return
            Service({lawId: entry.lawId, registerId: entry.registerId, department: entry.department, role: entry.role});
    }

    /// @inheritdoc IServiceDesk
    function application(uint256 applicationId) external view returns (Application memory) {
        ApplicationRecord storage stored = _existing(applicationId);
        return
            Application({
                serviceId: _serviceIds[stored.service],
                applicant: stored.applicant,
                status: stored.status,
                submittedAt: stored.submittedAt,
                decidedAt: stored.decidedAt,
                decidedBy: stored.decidedBy,
                reason: stored.status == Status.Referred ? _referrals[applicationId].reason : _reasons[applicationId]
            });
    }

    /// @inheritdoc IServiceDesk
    function history(uint256 applicationId) external view returns (Step[] memory steps) {
        ApplicationRecord storage stored = _existing(applicationId);
        Status status = stored.status;
        bool referred = status == Status.Referred || stored.decidedBy != 0;
        steps = new Step[](1 + (referred ? 1 : 0) + (status == Status.Referred ? 0 : 1));
        steps[0] = Step({status: Status.Submitted, at: stored.submittedAt, by: stored.applicant, reason: bytes32(0)});
        if (referred) {
            steps[1] = Step({
                status: Status.Referred,
                at: stored.submittedAt,
                by: 0,
                reason: _referrals[applicationId].reason
            });
        }
        if (status != Status.Referred) {
            steps[steps.length - 1] = Step({
                status: status,
                at: stored.decidedAt,
                by: stored.decidedBy,
                reason: _reasons[applicationId]
            });
        }
    }

    /// @inheritdoc IServiceDesk
    function proposal(uint256 applicationId) external view returns (IRule.Entry[] memory) {
        _existing(applicationId);
        bytes storage proposed = _referrals[applicationId].proposed;
        if (proposed.length == 0) return new IRule.Entry[](0);
        return abi.decode(proposed, (IRule.Entry[]));
    }

    /// @inheritdoc IServiceDesk
    function referralDataHash(uint256 applicationId) external view returns (bytes32) {
        _existing(applicationId);
        return _referrals[applicationId].dataHash;
    }

    /// @inheritdoc IServiceDesk
    function consentUser(bytes32 digest) external view returns (uint256) {
        return _consentUsers[digest];
    }

    /// @inheritdoc IServiceDesk
    function applicationCount() external view returns (uint256) {
        return _applicationCount;
    }

    /// @inheritdoc IResourceChecked
    function isResourceChecked(bytes4 selector) external pure returns (bool) {
        return selector == this.decide.selector; // per service
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev {submit}, from the caller's key.
    function _submit(bytes32 serviceId, bytes memory data) private returns (uint256 applicationId) {
        address key = msg.sender;
        ServiceRecord storage entry = _services[serviceId];
        uint32 number = entry.number;
        if (number == 0) revert ServiceDeskUnknownService(serviceId);
        uint256 applicant = _identityRegistry.identityOf(key);
        if (applicant == 0 || !_identityRegistry.isActive(applicant)) revert ServiceDeskInactiveApplicant(key);

        IRule.Decision memory decision = _evaluate(serviceId, entry.lawId, applicant, key, data);
        applicationId = ++_applicationCount;
        bytes32 dataHash = keccak256(data);
        emit ApplicationSubmitted(applicationId, serviceId, applicant, key, dataHash);
        if (decision.outcome != IRule.Outcome.Rejected) _useConsents(applicationId, decision.consents);

        ApplicationRecord storage stored = _applications[applicationId];
        stored.applicant = uint64(applicant);
        stored.service = number;
        stored.submittedAt = uint40(block.timestamp);
        if (decision.outcome == IRule.Outcome.Referred) {
            stored.status = Status.Referred;
            _referrals[applicationId] = Referral({
                reason: decision.reason,
                proposed: abi.encode(decision.records),
                dataHash: dataHash,
                key: key
            });
            emit ApplicationReferred(applicationId, entry.department, entry.role, decision.reason, decision.records);
            return applicationId;
        }
        stored.decidedAt = uint40(block.timestamp);
        if (decision.reason != bytes32(0)) _reasons[applicationId] = decision.reason;
        if (decision.outcome == IRule.Outcome.Approved) {
            stored.status = Status.Approved;
            bytes32[] memory uids = _write(entry.registerId, decision.records);
            emit ApplicationApproved(applicationId, 0, decision.reason, "", uids);
        } else {
            stored.status = Status.Rejected;
            emit ApplicationRejected(applicationId, 0, decision.reason, "");
        }
    }

    /// @dev Asks the law's rule, pinned by code hash, to decide; a rule that cannot read the data is named.
    function _evaluate(
        bytes32 serviceId,
        bytes32 lawId,
        uint256 applicant,
        address key,
        bytes memory data
    ) private view returns (IRule.Decision memory) {
        if (!_smartLaw.isInForce(lawId)) revert ServiceDeskLawNotInForce(serviceId, lawId);
        address rule = _smartLaw.ruleOf(lawId);
        try IRule(rule).evaluate(applicant, key, data) returns (IRule.Decision memory decision) {
            return decision;
        } catch (bytes memory reason) {
            revert ServiceDeskRuleFailed(serviceId, rule, reason);
        }
    }

    /**
     * @dev Asks the law's rule to review an approval; a Rejected review is refused with the rule's reason: an
     * official fills what the registers lack, never overrides what they prove. `data` is `abi.encode(bytes
     * applicationData, bytes[] decided)`: the application's data, which must hash to what was submitted, and the
     * data of each proposed record as the official decided them (in the form the rule reads), or none to approve
     * the proposed records. The rule is given the applicant, the key that submitted the application and its data,
     * as when it was submitted. Returns the records to write: the proposed ones, or the rule's on-chain form of the
     * decided ones.
     */
    function _review(
        bytes32 serviceId,
        uint256 applicationId,
        IRule.Entry[] memory proposed,
        bytes calldata data
    ) private view returns (IRule.Entry[] memory) {
        if (data.length == 0) revert ServiceDeskApplicationDataMismatch(applicationId);
        (bytes memory applicationData, bytes[] memory corrected) = abi.decode(data, (bytes, bytes[]));
        Referral storage referral = _referrals[applicationId];
        if (keccak256(applicationData) != referral.dataHash) revert ServiceDeskApplicationDataMismatch(applicationId);
        IRule.Entry[] memory decided = _decided(applicationId, proposed, corrected);
        address rule = _smartLaw.ruleOf(_services[serviceId].lawId);
        uint256 applicant = _applications[applicationId].applicant;
        try IRule(rule).review(applicant, referral.key, applicationData, decided) returns (
            IRule.Decision memory verdict
        ) {
            if (verdict.outcome == IRule.Outcome.Rejected) {
                revert ServiceDeskRuleRejected(applicationId, rule, verdict.reason);
            }
            return decided.length == 0 ? proposed : verdict.records;
        } catch (bytes memory reason) {
            revert ServiceDeskRuleFailed(serviceId, rule, reason);
        }
    }

    /// @dev The records the official decided: none (the proposed ones stand), or one data per proposed record.
    function _decided(
        uint256 applicationId,
        IRule.Entry[] memory proposed,
        bytes[] memory corrected
    ) private pure returns (IRule.Entry[] memory decided) {
        if (corrected.length == 0) return decided;
        if (corrected.length != proposed.length) {
            revert ServiceDeskDecisionDataMismatch(applicationId, proposed.length, corrected.length);
        }
        decided = new IRule.Entry[](proposed.length);
        for (uint256 i = 0; i < proposed.length; ++i) {
            decided[i] = IRule.Entry({subject: proposed[i].subject, data: corrected[i]});
        }
    }

    /// @dev Marks the consents a decision relies on as used by the application; refused if one was used before.
    function _useConsents(uint256 applicationId, bytes32[] memory consents) private {
        for (uint256 i = 0; i < consents.length; ++i) {
            bytes32 digest = consents[i];
            uint256 user = _consentUsers[digest];
            if (user != 0) revert ServiceDeskConsentUsed(digest, user);
            _consentUsers[digest] = applicationId;
            emit ConsentUsed(applicationId, digest);
        }
    }

    /// @dev Writes the records to the register, as this service contract.
    function _write(bytes32 registerId, IRule.Entry[] memory records) private returns (bytes32[] memory uids) {
        uids = new bytes32[](records.length);
        for (uint256 i = 0; i < records.length; ++i) {
            uids[i] = _civilRegistry.record(registerId, records[i].subject, records[i].data);
        }
    }

    /**
     * @dev The caller's identity, if a law grants it `decide` on the service within the subject's jurisdiction
     * (SmartLaw refuses otherwise) and it is an official holding the service's role in the service's department.
     */
    function _checkCompetent(
        bytes32 serviceId,
        ServiceRecord storage entry,
        uint256 subject
    ) private view returns (uint256 official) {
        bytes32 jurisdiction = _identityRegistry.jurisdictionOf(subject);
        _smartLaw.authorizeOn(msg.sender, this.decide.selector, serviceId, jurisdiction);
        bytes32 role = entry.role;
        official = _identityRegistry.activeIdentityOf(msg.sender);
        uint256 appointmentId = official == 0 ? 0 : _identityRegistry.currentAppointment(official, role);
        if (appointmentId == 0 || _identityRegistry.appointment(appointmentId).department != entry.department) {
            revert ServiceDeskNotCompetent(msg.sender, entry.department, role);
        }
    }

    /// @dev Nobody decides his own case: the official is neither the applicant nor a subject of the records.
    function _checkNotOwnCase(
        uint256 applicationId,
        uint256 official,
        uint256 applicant,
        IRule.Entry[] memory records
    ) private pure {
        bool own = official == applicant;
        for (uint256 i = 0; i < records.length && !own; ++i) own = records[i].subject == official;
        if (own) revert ServiceDeskOwnCase(applicationId, official);
    }

    function _existing(uint256 applicationId) private view returns (ApplicationRecord storage stored) {
        stored = _applications[applicationId];
        if (stored.status == Status.None) revert ServiceDeskUnknownApplication(applicationId);
    }
}
