// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IdentityRegistry: persons, organisations and officials
 * @notice Identities (natural persons and organisations, government departments among them) with their keys,
 * jurisdictions and status; the jurisdiction tree; officials' appointments. Writes are gated by SmartLaw and
 * scoped by the subject's jurisdiction; an identity's own live key may also add and revoke that identity's keys.
 *
 * No personal data in clear: an identity carries `attributesHash`, a salted hash of its personal data kept off
 * chain. A key belongs to one identity forever and is never reused; a revoked key keeps its validity window on
 * record so that what it signed stays attributable. {keysOf} lists an identity's keys; {keyRecord} answers for any
 * key.
 *
 * Observers, registered by law, are contracts that keep a copy of keys' standing (FiatToken does, beside each
 * balance): the registry tells them, in the same transaction, when keys can no longer act.
 */
interface IIdentityRegistry {
    /// @notice What an identity is.
    enum Kind {
        None,
        Person,
        Organisation
    }

    /// @notice An identity's standing. Deceased (persons) and Dissolved (organisations) are final.
    enum Status {
        None,
        Active,
        Suspended,
        Deceased,
        Dissolved
    }

    /// @notice An identity.
    struct Identity {
        Kind kind;
        Status status;
        uint64 enrolledAt;
        bytes32 jurisdiction;
        bytes32 attributesHash;
    }

    /// @notice A key's record: whose it is and when it was valid (revokedAt 0 = still live).
    struct KeyRecord {
        uint64 identityId;
        uint64 addedAt;
        uint64 revokedAt;
    }

    /// @notice An official's appointment to a role in a department, for a jurisdiction and a term.
    struct Appointment {
        uint64 official;
        uint64 department;
        uint64 from;
        uint64 until;
        bytes32 role;
        bytes32 jurisdiction;
        uint64 dismissedAt;
        bytes32 dismissalReason;
    }

    /// @notice A node of the jurisdiction tree.
    struct Jurisdiction {
        bytes32 parent;
        uint8 depth;
        bool defined;
    }

    /// @notice Emitted when a jurisdiction is defined (`parent` zero for a root).
    event JurisdictionDefined(bytes32 indexed code, bytes32 indexed parent, uint8 depth, bytes32 lawId);

    /// @notice Emitted when an identity is enrolled with its first key.
    event IdentityEnrolled(
        uint256 indexed identityId,
        Kind kind,
        bytes32 indexed jurisdiction,
        bytes32 attributesHash,
        address indexed key,
        bytes32 lawId
    );

    /// @notice Emitted when a key is added to an identity. `lawId` is zero when the identity's own key added it.
    event KeyAdded(uint256 indexed identityId, address indexed key, bytes32 lawId);

    /// @notice Emitted when a key is revoked. `lawId` is zero when the identity's own key revoked it.
    event KeyRevoked(uint256 indexed identityId, address indexed key, bytes32 lawId);

    /// @notice Emitted when an identity's status changes, with the reason.
    event IdentityStatusChanged(uint256 indexed identityId, Status from, Status to, bytes32 reason, bytes32 lawId);

    /// @notice Emitted when an official is appointed.
    event OfficialAppointed(
        uint256 indexed appointmentId,
        uint256 indexed official,
        bytes32 indexed role,
        uint256 department,
        bytes32 jurisdiction,
        uint64 from,
        uint64 until,
        bytes32 lawId
    );

    /// @notice Emitted when an official is dismissed from an appointment, with the reason.
    event OfficialDismissed(uint256 indexed appointmentId, uint256 indexed official, bytes32 reason, bytes32 lawId);

    /// @notice Emitted when a law registers an observer of keys' standing.
    event ObserverAdded(address indexed observer, bytes32 lawId);

    /// @notice Emitted when a law removes an observer.
    event ObserverRemoved(address indexed observer, bytes32 lawId);

    /// @notice The kind is neither person (1) nor organisation (2).
    error IdentityRegistryInvalidKind(uint8 kind);

    /// @notice `field` (a key, attributes hash, role or jurisdiction code) is zero where a value is required.
    error IdentityRegistryZeroValue(string field);

    /// @notice The key already belongs to an identity (keys are never reused, even once revoked).
    error IdentityRegistryKeyInUse(address key, uint256 identityId);

    /// @notice No identity has this key.
    error IdentityRegistryUnknownKey(address key);

    /// @notice The key was revoked.
    error IdentityRegistryKeyRevoked(address key);

    /// @notice No identity has this id.
    error IdentityRegistryUnknownIdentity(uint256 identityId);

    /// @notice The identity is not active.
    error IdentityRegistryInactiveIdentity(uint256 identityId, Status status);

    /// @notice The identity is not of the kind required (`expected`).
    error IdentityRegistryWrongKind(uint256 identityId, Kind expected);

    /// @notice That status change is not allowed (a final status, the same status, or one for another kind).
    error IdentityRegistryInvalidStatusChange(uint256 identityId, Status from, Status to);

    /// @notice The jurisdiction was never defined.
    error IdentityRegistryUnknownJurisdiction(bytes32 code);

    /// @notice The jurisdiction is already defined.
    error IdentityRegistryJurisdictionExists(bytes32 code);

    /// @notice The jurisdiction would lie deeper than the tree allows.
    error IdentityRegistryJurisdictionTooDeep(bytes32 code, uint8 maxDepth);

    /// @notice A term must start before it ends, and end in the future.
    error IdentityRegistryInvalidTerm(uint64 from, uint64 until);

    /// @notice The official already holds an appointment to that role that has not ended.
    error IdentityRegistryAlreadyAppointed(uint256 official, bytes32 role, uint256 appointmentId);

    /// @notice The observer is already registered.
    error IdentityRegistryObserverExists(address observer);

    /// @notice The address is not a registered observer.
    error IdentityRegistryUnknownObserver(address observer);

    /// @notice An observer must be a contract.
    error IdentityRegistryObserverNotAContract(address observer);

    /// @notice No more than `max` observers may be registered: each one is called on every change of standing.
    error IdentityRegistryTooManyObservers(uint256 max);

    /// @notice No appointment has this id.
    error IdentityRegistryUnknownAppointment(uint256 appointmentId);

    /// @notice The appointment was already dismissed, or its term has ended.
    error IdentityRegistryAppointmentClosed(uint256 appointmentId);

    /**
     * @notice Defines a jurisdiction in the tree. Gated by law, scoped by the parent's jurisdiction.
     * @param code The new jurisdiction's code (not zero, not yet defined).
     * @param parent Its parent (zero for a root).
     */
    function defineJurisdiction(bytes32 code, bytes32 parent) external;

    /**
     * @notice Enrols an identity with its first key. Gated by law, scoped by `jurisdiction`.
     * @param kind 1 = person, 2 = organisation.
     * @param jurisdiction Where the identity belongs (a defined jurisdiction).
     * @param attributesHash The salted hash of its personal data (kept off chain).
     * @param key Its first key (never used before).
     * @return identityId The new identity's id (from 1).
     */
    function enroll(
        uint8 kind,
        bytes32 jurisdiction,
        bytes32 attributesHash,
        address key
    ) external returns (uint256 identityId);

    /// @notice Adds a key to an active identity: by one of its own live keys, or gated by law.
    function addKey(uint256 identityId, address key) external;

    /// @notice Revokes a live key: by one of the same identity's live keys (itself included), or gated by law.
    function revokeKey(address key) external;

    /**
     * @notice A registrar's recovery of a lost key: revokes `lostKey` and adds `newKey` to the same identity,
     * in one step. Gated by law, scoped by the identity's jurisdiction.
     */
    function recoverKey(address lostKey, address newKey) external;

    /// @notice Changes an identity's status, with a reason. Gated by law, scoped by the identity's jurisdiction.
    function setStatus(uint256 identityId, uint8 status, bytes32 reason) external;

    /**
     * @notice Appoints an official (an active person) to a role in a department (an active organisation), for a
     * jurisdiction and a term [from, until). Gated by law, scoped by `jurisdiction`.
     * An official holds at most one unexpired appointment per role.
     * @return appointmentId The new appointment's id (from 1).
     */
    function appoint(
        uint256 official,
        bytes32 role,
        uint256 department,
        bytes32 jurisdiction,
        uint64 from,
        uint64 until
    ) external returns (uint256 appointmentId);

    /// @notice Dismisses an official from an appointment, with a reason. Gated by law, scoped by the appointment's
    /// jurisdiction. The appointment stays on record.
    function dismiss(uint256 appointmentId, bytes32 reason) external;

    /**
     * @notice Registers an observer (see {IIdentityObserver}), called whenever keys can no longer act. Gated by
     * law.
     */
    function addObserver(address observer) external;

    /// @notice Removes an observer. Gated by law.
    function removeObserver(address observer) external;

    /// @notice The identity of a live key (0 for an unknown or revoked key).
    function identityOf(address key) external view returns (uint256);

    /// @notice The identity of a live key if that identity is active, else 0: whether the key may act at all.
    function activeIdentityOf(address key) external view returns (uint256);

    /// @notice Every key an identity ever had, live or revoked, in the order they were added.
    function keysOf(uint256 identityId) external view returns (address[] memory);

    /// @notice The registered observers.
    function observers() external view returns (address[] memory);

    /// @notice An identity's record.
    function identity(uint256 identityId) external view returns (Identity memory);

    /// @notice The jurisdiction of an identity; reverts for an unknown identity.
    function jurisdictionOf(uint256 identityId) external view returns (bytes32);

    /// @notice Whether the identity exists and is active.
    function isActive(uint256 identityId) external view returns (bool);

    /// @notice A key's record, live or revoked (zeros for an unknown key).
    function keyRecord(address key) external view returns (KeyRecord memory);

    /// @notice The number of identities enrolled (the last id).
    function identityCount() external view returns (uint256);

    /// @notice An appointment's record.
    function appointment(uint256 appointmentId) external view returns (Appointment memory);

    /// @notice All appointments an official ever held, in order.
    function appointmentsOf(uint256 official) external view returns (uint256[] memory);

    /**
     * @notice The official's appointment to `role` that is in its term now and not dismissed (0 if none). It says
     * nothing of the official's status: see {standing} for the whole check.
     */
    function currentAppointment(uint256 official, bytes32 role) external view returns (uint256 appointmentId);

    /// @notice A jurisdiction's node.
    function jurisdiction(bytes32 code) external view returns (Jurisdiction memory);

    /// @notice Whether `code` is `ancestor` or lies below it.
    function isWithin(bytes32 code, bytes32 ancestor) external view returns (bool);

    /// @notice The SmartLaw that gates this registry's writes.
    function smartLaw() external view returns (address);

    /**
     * @notice What SmartLaw asks about a caller: whether `key` is a live key of an active identity that holds a
     * current appointment to `role`, and whether `subjectJurisdiction` lies within that appointment's jurisdiction.
     * @return official The key's identity (0 for an unknown or revoked key).
     * @return appointed Whether that identity is active and holds a current appointment to `role`.
     * @return within Whether, further, `subjectJurisdiction` lies within the appointment's jurisdiction.
     */
    function standing(
        address key,
        bytes32 role,
        bytes32 subjectJurisdiction
    ) external view returns (uint256 official, bool appointed, bool within);
}
