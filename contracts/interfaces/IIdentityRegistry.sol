// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/**
 * @title IdentityRegistry: persons, organisations and officials
 * @notice Identities (natural persons and organisations, government departments among them) with their keys,
 * jurisdictions and status; the jurisdiction tree; officials' appointments. Writes are gated by SmartLaw and
 * scoped by the subject's jurisdiction. Only an identity's own live key adds keys to it; its own key or an
 * official revokes them; a registrar recovers a lost key of a citizen, the Legislature alone an official's.
 *
 * No personal data in clear: an identity carries `attributesHash`, a salted hash of its personal data kept off
 * chain. A key belongs to one identity forever and is never reused; a revoked key keeps its validity window on
 * record so that what it signed stays attributable. {keysOf} lists an identity's live keys (the KeyAdded and
 * KeyRevoked events give the whole history); {keyRecord} answers for any key.
 *
 * A key joins an identity only with its own consent: it sends {consentToIdentity} itself, or signs an EIP-712
 * `KeyConsent(uint256 identityId,address key,uint256 deadline)` (domain "IdentityRegistry", version "1", see
 * {eip712Domain}) that {addKeyBySig} or {recoverKeyBySig} carries. A key is never a contract. An identity's live
 * keys are bounded by law ({setMaxLiveKeys}).
 *
 * A change of status is granted per kind and target status: SmartLaw is asked with {statusResource} as the
 * resource, the bytes32 text "PERSON:ACTIVE", "PERSON:SUSPENDED", "PERSON:DECEASED", "ORGANISATION:ACTIVE",
 * "ORGANISATION:SUSPENDED" or "ORGANISATION:DISSOLVED" (ACTIVE being a reinstatement).
 *
 * The power to appoint and dismiss is granted per role: SmartLaw is asked with the role as the resource. Nobody
 * appoints or dismisses himself; a role that a law assigns to service contracts is never held by a person, and the
 * reverse. An appointment confers power only while its department is active and the law it was made under is in
 * force.
 *
 * Observers, registered by law, are contracts that keep a copy of keys' standing (FiatToken does, beside each
 * balance): the registry tells them, in the same transaction, when keys can no longer act.
 */
interface IIdentityRegistry is IERC5267 {
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
    /// @param by The key or contract that acted (the registrar's key, the Legislature); with lawId, who acted under
    /// which law.
    event IdentityEnrolled(
        uint256 indexed identityId,
        Kind kind,
        bytes32 indexed jurisdiction,
        bytes32 attributesHash,
        address indexed key,
        bytes32 lawId,
        address by
    );

    /// @notice Emitted when a key is added to an identity. `lawId` is zero when the identity's own key added it.
    /// @param by The key or contract that acted (one of the identity's own keys when `lawId` is zero); with lawId,
    /// who acted under which law.
    event KeyAdded(uint256 indexed identityId, address indexed key, bytes32 lawId, address by);

    /// @notice Emitted when a key is revoked. `lawId` is zero when the identity's own key revoked it.
    /// @param by The key or contract that acted (one of the identity's own keys when `lawId` is zero); with lawId,
    /// who acted under which law.
    event KeyRevoked(uint256 indexed identityId, address indexed key, bytes32 lawId, address by);

    /// @notice Emitted when an identity's status changes, with the reason.
    /// @param reasonHash The hash of `reason` (zero when none was given).
    /// @param reason The reason's text.
    /// @param by The key or contract that acted; with lawId, who acted under which law.
    event IdentityStatusChanged(
        uint256 indexed identityId,
        Status from,
        Status to,
        bytes32 reasonHash,
        string reason,
        bytes32 lawId,
        address by
    );

    /// @notice Emitted when an official is appointed.
    /// @param by The key or contract that acted (the appointer's key, the Legislature); with lawId, who acted under
    /// which law.
    event OfficialAppointed(
        uint256 indexed appointmentId,
        uint256 indexed official,
        bytes32 indexed role,
        uint256 department,
        bytes32 jurisdiction,
        uint64 from,
        uint64 until,
        bytes32 lawId,
        address by
    );

    /// @notice Emitted when an official is dismissed from an appointment, with the reason.
    /// @param reasonHash The hash of `reason`, as the appointment's `dismissalReason` keeps it (zero when none).
    /// @param reason The reason's text.
    /// @param by The key or contract that acted; with lawId, who acted under which law.
    event OfficialDismissed(
        uint256 indexed appointmentId,
        uint256 indexed official,
        bytes32 reasonHash,
        string reason,
        bytes32 lawId,
        address by
    );

    /// @notice Emitted when a law registers an observer of keys' standing.
    event ObserverAdded(address indexed observer, bytes32 lawId);

    /// @notice Emitted when a law removes an observer.
    event ObserverRemoved(address indexed observer, bytes32 lawId);

    /// @notice Emitted when a key consents, by a transaction it sent, to join an identity.
    event KeyConsented(address indexed key, uint256 indexed identityId);

    /// @notice Emitted when a law sets the bound on each identity's live keys.
    event MaxLiveKeysSet(uint8 maxLiveKeys, bytes32 lawId);

    /// @notice The kind is neither person (1) nor organisation (2).
    error IdentityRegistryInvalidKind(uint8 kind);

    /// @notice `field` (a key, attributes hash, role or jurisdiction code) is zero where a value is required.
    error IdentityRegistryZeroValue(string field);

    /// @notice A reason is longer than the registry keeps in its events.
    error IdentityRegistryReasonTooLong(uint256 length, uint256 max);

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

    /// @notice Nobody appoints himself (nor extends his own term): the caller's identity is the official.
    error IdentityRegistrySelfAppointment(uint256 official);

    /// @notice Nobody dismisses himself: the caller's identity is the appointment's official.
    error IdentityRegistrySelfDismissal(uint256 appointmentId, uint256 official);

    /// @notice The role is assigned by law to service contracts: no person may hold it.
    error IdentityRegistryServiceRole(bytes32 role);

    /// @notice A key may not be a contract (nor, therefore, a service contract, the Legislature or SmartLaw).
    error IdentityRegistryKeyIsContract(address key);

    /// @notice The key has not consented on chain to join `identityId`, 0 for a new identity (see
    /// {consentToIdentity}).
    error IdentityRegistryNoConsent(address key, uint256 identityId);

    /// @notice Only a key sending its own transaction (an externally owned account) may consent.
    error IdentityRegistryConsentNotFromKey(address sender);

    /// @notice The key's signed consent expired at `deadline`.
    error IdentityRegistryConsentExpired(address key, uint256 deadline);

    /// @notice The signature is not `key`'s consent to join `identityId`.
    error IdentityRegistryInvalidConsent(address key, uint256 identityId);

    /// @notice The identity already has the most live keys the law allows (`max`).
    error IdentityRegistryTooManyKeys(uint256 identityId, uint8 max);

    /// @notice The bound on live keys must lie between 1 and `ceiling`.
    error IdentityRegistryInvalidMaxLiveKeys(uint8 given, uint8 ceiling);

    /// @notice Only a live key of the identity itself (`caller` is not one) may add a key to it.
    error IdentityRegistryNotOwnKey(address caller, uint256 identityId);

    /// @notice The identity holds or held an appointment: its keys are recovered by the Legislature alone.
    error IdentityRegistryOfficialKeyRecovery(uint256 identityId);

    /// @notice The identity holds or held an appointment: only itself or the Legislature may revoke its keys.
    error IdentityRegistryOfficialKeyRevocation(uint256 identityId);

    /// @notice `actual` identities are enrolled, not the `expected` that the caller (a law update) counted on.
    error IdentityRegistryIdentityCountChanged(uint256 expected, uint256 actual);

    /**
     * @notice Defines a jurisdiction in the tree. Gated by law, scoped by the parent's jurisdiction.
     * @param code The new jurisdiction's code (not zero, not yet defined).
     * @param parent Its parent (zero for a root).
     */
    function defineJurisdiction(bytes32 code, bytes32 parent) external;

    /**
     * @notice Enrols an identity with its first key. Gated by law, scoped by `jurisdiction`. The key must have
     * consented on chain to be a new identity's first key ({consentToIdentity} with identity 0), which uses the
     * consent up, unless the Legislature enrols (a law, from offline data); the key may not be a contract.
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

    /**
     * @notice The caller, a key sending its own transaction, consents to join `identityId` (which must exist), or,
     * with 0, to be the first key of a new identity: a later {addKey} or {recoverKey} for that identity, or
     * {enroll}, uses the consent up. A later consent replaces it.
     */
    function consentToIdentity(uint256 identityId) external;

    /**
     * @notice Adds a key to an active identity, by one of that identity's own live keys only (no official may: a
     * key carries the identity's appointments and standing). The key must have consented on chain
     * ({consentToIdentity}), may not be a contract and may not be in use; the identity's live keys stay within
     * {maxLiveKeys}. The KeyAdded event carries a zero law.
     */
    function addKey(uint256 identityId, address key) external;

    /**
     * @notice {addKey} with the key's consent given as an EIP-712 signature of
     * `KeyConsent(identityId, key, deadline)` by the key. Sent by one of the identity's own live keys only.
     * @param deadline The last second at which the consent is valid.
     * @param signature The key's signature (65 bytes, or 64 in EIP-2098 form).
     */
    function addKeyBySig(uint256 identityId, address key, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Revokes a live key: by one of the same identity's live keys (itself included), or gated by law. An
     * official's keys (an identity that holds or ever held an appointment) are revoked by himself or by the
     * Legislature only.
     */
    function revokeKey(address key) external;

    /**
     * @notice A registrar's recovery of a lost key, in person: revokes `lostKey` and adds `newKey` to the same
     * identity, in one step. Gated by law, scoped by the identity's jurisdiction. Refused for an identity that
     * holds or ever held an appointment, whose keys carry powers: the Legislature alone recovers them, by a law.
     * `newKey` must have consented on chain to join that identity ({consentToIdentity}) and may not be a contract.
     * The Legislature may also recover from a key already revoked: an identity left with no live key gets one back.
     */
    function recoverKey(address lostKey, address newKey) external;

    /// @notice {recoverKey} with the new key's consent given as an EIP-712 signature (see {addKeyBySig}). An official
    /// needs the grant of {recoverKey}.
    function recoverKeyBySig(address lostKey, address newKey, uint256 deadline, bytes calldata signature) external;

    /**
     * @notice Sets the bound on each identity's live keys (1 to {MAX_LIVE_KEYS_CEILING}). Gated by law. Identities
     * above a lowered bound keep their keys but add none until below it.
     */
    function setMaxLiveKeys(uint8 max) external;

    /**
     * @notice Changes an identity's status, with a reason (text of at most MAX_REASON_LENGTH bytes, emitted with its
     * hash). Gated by law per kind and target status (SmartLaw is asked with {statusResource} as the resource),
     * scoped by the identity's jurisdiction.
     */
    function setStatus(uint256 identityId, uint8 status, string calldata reason) external;

    /**
     * @notice Appoints an official (an active person) to a role in a department (an active organisation), for a
     * jurisdiction and a term [from, until). Gated by law for that role (SmartLaw is asked with `role` as the
     * resource, see {ISmartLaw-authorizeOn}), scoped by `jurisdiction`. Nobody appoints himself; a role that a law
     * assigned to service contracts is refused. An official holds at most one unexpired appointment per role. The
     * appointment confers power only while the department is active and the law it was made under is in force.
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

    /// @notice Dismisses an official from an appointment, with a reason (text of at most MAX_REASON_LENGTH bytes,
    /// emitted; its hash is kept as the appointment's `dismissalReason`). Gated by law for the appointment's role,
    /// scoped by its jurisdiction; nobody dismisses himself. The appointment stays on record.
    function dismiss(uint256 appointmentId, string calldata reason) external;

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

    /// @notice An identity's live keys, in no particular order (the events give every key it ever had).
    function keysOf(uint256 identityId) external view returns (address[] memory);

    /// @notice The bound on each identity's live keys: set by law, {DEFAULT_MAX_LIVE_KEYS} until then.
    function maxLiveKeys() external view returns (uint8);

    /// @notice The identity a key consented on chain to join and has not joined yet (0 if none, or if the key
    /// consented to be a new identity's first key: see {consentsToEnrolment}).
    function consentOf(address key) external view returns (uint256 identityId);

    /// @notice Whether a key consented on chain to be the first key of a new identity, and was not enrolled yet.
    function consentsToEnrolment(address key) external view returns (bool);

    /**
     * @notice The resource a grant of {setStatus} names to cover changing an identity of `kind` to `status`: the
     * bytes32 text "PERSON:SUSPENDED" and the like (see the contract's notice); zero for a status that kind never
     * takes.
     */
    function statusResource(Kind kind, Status status) external pure returns (bytes32);

    /// @notice Whether any person was ever appointed to `role`: such a role is never assigned to a service contract.
    function isAppointedRole(bytes32 role) external view returns (bool);

    /// @notice The registered observers.
    function observers() external view returns (address[] memory);

    /// @notice An identity's record.
    function identity(uint256 identityId) external view returns (Identity memory);

    /**
     * @notice What a register needs to know of a record's subject: its kind and its jurisdiction, in one read of its
     * record. An unknown identity has kind None and no jurisdiction.
     * @param identityId The subject.
     * @return kind The identity's kind (None if unknown).
     * @return jurisdiction The identity's jurisdiction (zero if unknown).
     */
    function subjectOf(uint256 identityId) external view returns (Kind kind, bytes32 jurisdiction);

    /// @notice The jurisdiction of an identity; reverts for an unknown identity.
    function jurisdictionOf(uint256 identityId) external view returns (bytes32);

    /// @notice Whether the identity exists and is active.
    function isActive(uint256 identityId) external view returns (bool);

    /// @notice A key's record, live or revoked (zeros for an unknown key).
    function keyRecord(address key) external view returns (KeyRecord memory);

    /// @notice The number of identities enrolled (the last id).
    function identityCount() external view returns (uint256);

    /**
     * @notice Reverts unless exactly `expected` identities are enrolled. A law update that enrols identities calls
     * it first: the ids its later calls give those identities (to appoint them, add their keys, grant to them) are
     * counted from `expected`, which the legislators' signatures then cover, so that an enrolment by anyone between
     * signing and enactment makes the whole update fail instead of acting on the wrong identities.
     * @param expected The identity count the update was drafted on.
     */
    function requireIdentityCount(uint256 expected) external view;

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
     * @notice Whether `key` is a live key of an active identity that holds a current appointment to `role`, in an
     * active department and under a law in force, and whether `subjectJurisdiction` lies within that appointment's
     * jurisdiction.
     * @return official The key's identity (0 for an unknown or revoked key).
     * @return appointed Whether that identity is active and holds a current appointment to `role`.
     * @return within Whether, further, `subjectJurisdiction` lies within the appointment's jurisdiction.
     */
    function standing(
        address key,
        bytes32 role,
        bytes32 subjectJurisdiction
    ) external view returns (uint256 official, bool appointed, bool within);

    /**
     * @notice {standing} as SmartLaw asks it on every check: the law the appointment was made under is returned, by
     * its serial number, for SmartLaw to check, rather than checked here.
     * @return official The key's identity (0 for an unknown or revoked key).
     * @return appointed Whether that identity is active and holds a current appointment to `role` in an active
     * department (the appointing law aside).
     * @return within Whether, further, `subjectJurisdiction` lies within the appointment's jurisdiction.
     * @return lawNumber The serial number of the law the appointment was made under (0 when not appointed).
     */
    function officialStanding(
        address key,
        bytes32 role,
        bytes32 subjectJurisdiction
    ) external view returns (uint256 official, bool appointed, bool within, uint32 lawNumber);
}
