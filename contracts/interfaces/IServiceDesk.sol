// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IRule} from "./IRule.sol";

/**
 * @title ServiceDesk: citizens' applications
 * @notice Services are defined by law: a service id, the law (whose bound rule decides, pinned by code hash), the
 * register that receives the result, and the competent department and role. An applicant's key submits an
 * application; the rule approves it (the records are written at once), rejects it with a reason, or refers it to
 * the department, where an official decides: one whom a law grants {decide} on the service within the subject's
 * jurisdiction, holding the service's role in its department. Before an approval the rule reviews the records the
 * official decided ({IRule-review}): a Rejected review cannot be approved. Each record a decision writes is
 * authorised and attributed as if the official had written it ({ICivilRegistry-recordFor}), and a decision writes
 * only the records the application proposed (same register and subjects; only their data may change). A signed
 * consent an application relies on serves that application only. Every step is an event, and {application} and
 * {history} tell where an application stands.
 *
 * `apply` is a reserved word in Solidity: the function is {submit}, and the contract also answers to the selector
 * of `apply(bytes32,bytes)` (the name in GovChain's specification), with the same effect and result.
 */
interface IServiceDesk {
    /// @notice Where an application stands (Submitted only as the first step of its history: the rule decides at
    /// once).
    enum Status {
        None,
        Submitted,
        Approved,
        Rejected,
        Referred
    }

    /// @notice A service.
    struct Service {
        bytes32 lawId;
        bytes32 registerId;
        uint256 department;
        bytes32 role;
    }

    /// @notice An application. `decidedBy` is the deciding official (0 when the rule decided).
    struct Application {
        bytes32 serviceId;
        uint256 applicant;
        Status status;
        uint64 submittedAt;
        uint64 decidedAt;
        uint256 decidedBy;
        bytes32 reason;
    }

    /// @notice A step of an application's history.
    struct Step {
        Status status;
        uint64 at;
        uint256 by;
        bytes32 reason;
    }

    /// @notice Emitted when a law defines a service.
    event ServiceDefined(
        bytes32 indexed serviceId,
        bytes32 indexed lawId,
        bytes32 indexed registerId,
        uint256 department,
        bytes32 role
    );

    /// @notice Emitted when an application is submitted, with the hash of its data (the data may hold private facts:
    /// they stay with the applicant and the data service).
    event ApplicationSubmitted(
        uint256 indexed applicationId,
        bytes32 indexed serviceId,
        uint256 indexed applicant,
        address key,
        bytes32 dataHash
    );

    /// @notice Emitted when an application is approved (by the rule when `official` is 0), with the records written.
    /// @param reason The rule's reason code, or the hash of the official's reason, as {application} keeps it.
    /// @param reasonText The official's reason, readable by anyone who reads the application's history (empty when
    /// the rule decided).
    event ApplicationApproved(
        uint256 indexed applicationId,
        uint256 indexed official,
        bytes32 reason,
        string reasonText,
        bytes32[] uids
    );

    /// @notice Emitted when an application is rejected (by the rule when `official` is 0).
    /// @param reason The rule's reason code, or the hash of the official's reason, as {application} keeps it.
    /// @param reasonText The official's reason (empty when the rule decided).
    event ApplicationRejected(
        uint256 indexed applicationId,
        uint256 indexed official,
        bytes32 reason,
        string reasonText
    );

    /// @notice Emitted when the rule refers an application to the department, with the records it proposes.
    event ApplicationReferred(
        uint256 indexed applicationId,
        uint256 indexed department,
        bytes32 role,
        bytes32 reason,
        IRule.Entry[] proposed
    );

    /// @notice Emitted when an application (approved or referred) uses a signed consent, which serves no other.
    event ConsentUsed(uint256 indexed applicationId, bytes32 indexed digest);

    /// @notice The value `field` must be set, and is zero.
    error ServiceDeskZeroValue(string field);

    /// @notice An official's reason is longer than the ServiceDesk keeps in its events.
    error ServiceDeskReasonTooLong(uint256 length, uint256 max);

    /// @notice A service with that id exists already.
    error ServiceDeskServiceExists(bytes32 serviceId);

    /// @notice No service has that id.
    error ServiceDeskUnknownService(bytes32 serviceId);

    /// @notice The department is not an active organisation.
    error ServiceDeskInvalidDepartment(uint256 department);

    /// @notice The service's law is not in force.
    error ServiceDeskLawNotInForce(bytes32 serviceId, bytes32 lawId);

    /// @notice The key is not a live key of an active identity.
    error ServiceDeskInactiveApplicant(address key);

    /// @notice The rule could not read the application; `reason` is its revert data.
    error ServiceDeskRuleFailed(bytes32 serviceId, address rule, bytes reason);

    /// @notice No application has that id.
    error ServiceDeskUnknownApplication(uint256 applicationId);

    /// @notice Only a referred application waits for a decision.
    error ServiceDeskNotReferred(uint256 applicationId, Status status);

    /// @notice The caller is not an active official holding the service's role in its department.
    error ServiceDeskNotCompetent(address caller, uint256 department, bytes32 role);

    /// @notice The official is the application's applicant or a subject of its records: nobody decides his own case.
    error ServiceDeskOwnCase(uint256 applicationId, uint256 official);

    /// @notice The rule's review of the decided records is Rejected, for `reason`: the registers prove a fact that
    /// forbids them, or the application does not support them. The official may reject the application.
    error ServiceDeskRuleRejected(uint256 applicationId, address rule, bytes32 reason);

    /// @notice The signed consent (its EIP-712 digest) was used by application `usedBy`: it serves one application.
    error ServiceDeskConsentUsed(bytes32 digest, uint256 usedBy);

    /// @notice A decision's data give one record data per proposed record: `expected` of them, not `given`.
    error ServiceDeskDecisionDataMismatch(uint256 applicationId, uint256 expected, uint256 given);

    /// @notice An approval's application data are missing, or do not hash to the data the application was
    /// submitted with.
    error ServiceDeskApplicationDataMismatch(uint256 applicationId);

    /// @notice A function the contract does not have.
    error ServiceDeskUnknownFunction(bytes4 selector);

    /**
     * @notice Defines a service, by law. The Legislature may always; a law may grant it to a role.
     * @param lawId The law whose bound rule decides the applications (in force).
     * @param registerId The register that receives the records.
     * @param department The competent department (an active organisation).
     * @param role The role its officials need to decide referred applications.
     */
    function defineService(
        bytes32 serviceId,
        bytes32 lawId,
        bytes32 registerId,
        uint256 department,
        bytes32 role
    ) external;

    /**
     * @notice Applies for a service, from the applicant's key (`apply` in the specification; see above).
     * @param data What the service's rule reads (see the rule's documentation).
     * @return applicationId The application.
     */
    function submit(bytes32 serviceId, bytes calldata data) external returns (uint256 applicationId);

    /**
     * @notice Decides a referred application, by an official whom a law grants this function on the service
     * (SmartLaw's `grantOn` with the service id as the resource) within the jurisdiction of the application's
     * first subject (the child, the applying party, the pensioner), holding the service's role in its department.
     * An approval is reviewed by the rule first (refused with {ServiceDeskRuleRejected}), and each record is written
     * by {ICivilRegistry-recordFor} in the official's name: his own grant of `record` on the register, within the
     * record's subject's jurisdiction, is required. Nobody decides his own case: the official may be neither the
     * applicant nor a subject of the proposed records ({ServiceDeskOwnCase}).
     * @param approve Approve (the proposed records, or the decided ones, are written) or reject.
     * @param data For an approval, `abi.encode(bytes applicationData, bytes[] decided)`: the data the application
     * was submitted with (its hash is kept: {ServiceDeskApplicationDataMismatch} otherwise), and either no record
     * data (the proposed records are written as they are) or the data of each proposed record, in order, as the
     * official decided them in the form the rule's {IRule-review} reads (for a register with private fields, the
     * clear form with its salt); the rule returns them in their on-chain form, which is written. Ignored for a
     * rejection.
     * @param reason The official's reason (not empty, at most MAX_REASON_LENGTH bytes): its text goes in the event,
     * its hash is kept ({application}'s `reason`).
     */
    function decide(uint256 applicationId, bool approve, bytes calldata data, string calldata reason) external;

    /// @notice A service; reverts for an unknown service.
    function service(bytes32 serviceId) external view returns (Service memory);

    /// @notice An application; reverts for an unknown application.
    function application(uint256 applicationId) external view returns (Application memory);

    /// @notice An application's steps: submitted, then referred, approved or rejected.
    function history(uint256 applicationId) external view returns (Step[] memory);

    /// @notice The records a referred application proposes.
    function proposal(uint256 applicationId) external view returns (IRule.Entry[] memory);

    /// @notice The hash of the data a referred application was submitted with (0 for an application the rule
    /// decided).
    function referralDataHash(uint256 applicationId) external view returns (bytes32);

    /// @notice The application that used a signed consent (its EIP-712 digest); 0 if none.
    function consentUser(bytes32 digest) external view returns (uint256);

    /// @notice The number of applications; also the last id given.
    function applicationCount() external view returns (uint256);
}
