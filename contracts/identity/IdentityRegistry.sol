// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IIdentityObserver} from "../interfaces/IIdentityObserver.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IResourceChecked} from "../interfaces/IResourceChecked.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";

/**
 * @title IdentityRegistry
 * @notice See {IIdentityRegistry}. Every gated write asks SmartLaw first, with the subject's jurisdiction, and
 * records in its event the law that authorised it.
 *
 * Storage is laid out for SmartLaw's check ({standing}), which runs before every gated write in GovChain: a key
 * record, an identity's first slot, an official's current post per role and a jurisdiction's path each fit in
 * one slot. An identity takes two slots (its jurisdiction held by index, its first live key beside it) and a key
 * one: enrolling writes three. Further live keys are listed apart, which costs adding a key one slot more; a key
 * knows its place in that list, so that revoking one is a swap with the last, and a change of status walks only
 * the live keys, at most {MAX_LIVE_KEYS_CEILING}.
 */
contract IdentityRegistry is IIdentityRegistry, IResourceChecked, EIP712 {
    using SafeCast for uint256;

    /// @notice The deepest a jurisdiction may lie (roots are at depth 0): seven levels in all.
    uint8 public constant MAX_JURISDICTION_DEPTH = 6;

    /// @notice The most observers that may be registered.
    uint256 public constant MAX_OBSERVERS = 4;

    /// @notice The highest bound on an identity's live keys that a law may set: a status change walks them all.
    uint8 public constant MAX_LIVE_KEYS_CEILING = 16;

    /// @notice The bound on an identity's live keys until a law sets one.
    uint8 public constant DEFAULT_MAX_LIVE_KEYS = 4;

    /// @notice The longest reason, in bytes: its text is emitted, and an event is paid for by whoever sends it.
    uint256 public constant MAX_REASON_LENGTH = 256;

    /// @notice The EIP-712 type of a key's consent to join an identity.
    bytes32 public constant KEY_CONSENT_TYPEHASH = keccak256(
        "KeyConsent(uint256 identityId,address key,uint256 deadline)"
    );

    /// @dev An identity as stored: two slots, its jurisdiction by index (see `_paths`), its first live key in the
    /// first slot so that listing its keys costs enrolment nothing (zero once every key is revoked).
    struct IdentityRecord {
        Kind kind;
        Status status;
        uint40 enrolledAt;
        uint32 jurisdictionIndex;
        address firstLiveKey;
        bytes32 attributesHash;
    }

    /**
     * @dev A key as stored, in one slot, with its identity's standing copied beside it (kept in step by
     * {setStatus}), so that "may this key act" is one read; `position` is its place among its identity's live keys
     * (0: `firstLiveKey`, p > 0: `_otherLiveKeys[p - 1]`). Before the key joins an identity, the slot holds its
     * on-chain consent (`consented`, to `consentedTo`, 0 for a new identity): the write that records the key then
     * changes a slot already written, which costs less than a fresh one, and uses the consent up.
     */
    struct KeySlot {
        uint64 identityId;
        uint64 addedAt;
        uint64 revokedAt;
        bool identityInactive;
        uint8 position;
        bool consented;
        uint40 consentedTo;
    }

    /// @dev An official's current appointment to a role, packed in one slot for the check: its term, its
    /// jurisdiction, its department and the serial number of the law it was made under, both of which it lapses
    /// with.
    struct Post {
        uint64 appointmentId;
        uint40 from;
        uint40 until;
        uint32 jurisdictionIndex;
        uint8 jurisdictionDepth;
        uint32 lawNumber;
        uint40 department;
    }

    /// @dev The authority that decides every gated write.
    ISmartLaw private immutable _smartLaw;

    /// @dev The number of identities enrolled; also the last id given.
    uint256 private _identityCount;

    /// @dev The identities. Their keys are listed by the IdentityEnrolled, KeyAdded and KeyRevoked events.
    mapping(uint256 identityId => IdentityRecord) private _identities;

    /// @dev Every key ever enrolled, live or revoked: a key is never reused.
    mapping(address key => KeySlot) private _keys;

    /**
     * @dev The jurisdiction tree. A jurisdiction's path packs, in one word, its depth (bits 0-7) and the index of
     * its ancestor at each depth d, itself included (bits 8 + 32d to 39 + 32d), so that "does X lie within Y" is
     * one read. A defined jurisdiction's path is never zero (indices start at 1).
     */
    mapping(bytes32 code => uint256 path) private _paths;

    /// @dev Each jurisdiction's code by its index.
    mapping(uint32 index => bytes32 code) private _codes;

    /// @dev The number of jurisdictions defined; also the last index given.
    uint32 private _jurisdictionCount;

    /// @dev The number of appointments made; also the last id given.
    uint256 private _appointmentCount;

    /// @dev Every appointment ever made.
    mapping(uint256 appointmentId => Appointment) private _appointments;

    /// @dev Each official's appointments, in order.
    mapping(uint256 official => uint256[]) private _appointmentsOf;

    /// @dev Each official's unexpired appointment per role.
    mapping(uint256 official => mapping(bytes32 role => Post)) private _posts;

    /// @dev Each identity's live keys after its first live key, in no particular order.
    mapping(uint256 identityId => address[]) private _otherLiveKeys;

    /// @dev The bound on an identity's live keys set by law (zero: {DEFAULT_MAX_LIVE_KEYS}).
    uint8 private _maxLiveKeys;

    /// @dev The roles any person was ever appointed to: such a role is never assigned to a service contract.
    mapping(bytes32 role => bool) private _appointedRoles;

    /// @dev The contracts told when keys can no longer act.
    address[] private _observers;

    constructor(ISmartLaw smartLaw_) EIP712("IdentityRegistry", "1") {
        _smartLaw = smartLaw_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Jurisdictions
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityRegistry
    function defineJurisdiction(bytes32 code, bytes32 parent) external {
        bytes32 lawId = _authorize(parent);
        if (code == bytes32(0)) revert IdentityRegistryZeroValue("code");
        if (_paths[code] != 0) revert IdentityRegistryJurisdictionExists(code);
        uint256 path;
        uint8 depth;
        if (parent != bytes32(0)) {
            uint256 parentPath = _pathOf(parent);
            uint8 parentDepth = uint8(parentPath);
            if (parentDepth == MAX_JURISDICTION_DEPTH)
                revert IdentityRegistryJurisdictionTooDeep(code, MAX_JURISDICTION_DEPTH);
            depth = parentDepth + 1;
            path = parentPath & ~uint256(type(uint8).max); // the parent's ancestors, without its depth
        }
        uint32 index = ++_jurisdictionCount;
        path |= (uint256(index) << _indexShift(depth)) | depth;
        _paths[code] = path;
        _codes[index] = code;
        emit JurisdictionDefined(code, parent, depth, lawId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Identities and keys
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityRegistry
    function enroll(
        uint8 kind,
        bytes32 jurisdiction_,
        bytes32 attributesHash,
        address key
    ) external returns (uint256 identityId) {
        uint256 path = _pathOf(jurisdiction_); // the subject's jurisdiction must exist before anyone acts on it
        bytes32 lawId = _authorize(jurisdiction_);
        if (kind != uint8(Kind.Person) && kind != uint8(Kind.Organisation)) revert IdentityRegistryInvalidKind(kind);
        if (attributesHash == bytes32(0)) revert IdentityRegistryZeroValue("attributesHash");
        KeySlot storage firstKey = _keys[key];
        bool consented = firstKey.consented && firstKey.consentedTo == 0; // read before the key is recorded
        identityId = ++_identityCount;
        _identities[identityId] = IdentityRecord({
            kind: Kind(kind),
            status: Status.Active,
            enrolledAt: uint40(block.timestamp),
            jurisdictionIndex: _indexAt(path, uint8(path)),
            firstLiveKey: key,
            attributesHash: attributesHash
        });
        _recordKey(identityId, key, 0); // refuses a zero key, a key in use and a contract first
        if (!consented) _checkEnrolmentWithoutConsent(key);
        emit IdentityEnrolled(identityId, Kind(kind), jurisdiction_, attributesHash, key, lawId, msg.sender);
    }

    /// @inheritdoc IIdentityRegistry
    function consentToIdentity(uint256 identityId) external {
        // only the key itself, in a transaction it signed: a contract cannot consent, nor be made to
        // solhint-disable-next-line avoid-tx-origin
        if (msg.sender != tx.origin) revert IdentityRegistryConsentNotFromKey(msg.sender);
        if (identityId != 0) _existingIdentity(identityId); // 0: the first key of an identity to be enrolled
        KeySlot storage record = _keys[msg.sender];
        uint256 holder = record.identityId;
        if (holder != 0) revert IdentityRegistryKeyInUse(msg.sender, holder);
        record.consented = true;
        record.consentedTo = identityId.toUint40();
        emit KeyConsented(msg.sender, identityId);
    }

    /// @inheritdoc IIdentityRegistry
    function addKey(uint256 identityId, address key) external {
        IdentityRecord storage subject = _checkAddKey(identityId);
        _checkConsent(identityId, key);
        _appendLiveKey(identityId, subject, key);
        emit KeyAdded(identityId, key, bytes32(0), msg.sender);
    }

    /// @inheritdoc IIdentityRegistry
    function addKeyBySig(uint256 identityId, address key, uint256 deadline, bytes calldata signature) external {
        IdentityRecord storage subject = _checkAddKey(identityId);
        _checkConsentSignature(identityId, key, deadline, signature);
        _appendLiveKey(identityId, subject, key);
        emit KeyAdded(identityId, key, bytes32(0), msg.sender);
    }

    /// @inheritdoc IIdentityRegistry
    function revokeKey(address key) external {
        uint256 identityId = _liveKey(key);
        bytes32 lawId;
        if (!_isOwnKey(msg.sender, identityId)) {
            lawId = _authorize(_codes[_identities[identityId].jurisdictionIndex]);
            // an official's keys carry his powers: no registrar may take them away, as none may hand them out
            if (_appointmentsOf[identityId].length != 0 && msg.sender != _smartLaw.legislature()) {
                revert IdentityRegistryOfficialKeyRevocation(identityId);
            }
        }
        _revokeKey(identityId, key, lawId);
    }

    /// @inheritdoc IIdentityRegistry
    function recoverKey(address lostKey, address newKey) external {
        (uint256 identityId, bool live) = _recoverableKey(lostKey);
        bytes32 lawId = _checkRecoverKey(identityId);
        _checkConsent(identityId, newKey);
        _recoverKey(identityId, lostKey, live, newKey, lawId);
    }

    /// @inheritdoc IIdentityRegistry
    function recoverKeyBySig(address lostKey, address newKey, uint256 deadline, bytes calldata signature) external {
        (uint256 identityId, bool live) = _recoverableKey(lostKey);
        bytes32 lawId = _checkRecoverKey(identityId);
        _checkConsentSignature(identityId, newKey, deadline, signature);
        _recoverKey(identityId, lostKey, live, newKey, lawId);
    }

    /// @inheritdoc IIdentityRegistry
    function setMaxLiveKeys(uint8 max) external {
        bytes32 lawId = _authorize(bytes32(0));
        if (max == 0 || max > MAX_LIVE_KEYS_CEILING)
            revert IdentityRegistryInvalidMaxLiveKeys(max, MAX_LIVE_KEYS_CEILING);
        _maxLiveKeys = max;
        emit MaxLiveKeysSet(max, lawId);
    }

    /// @inheritdoc IIdentityRegistry
    function setStatus(uint256 identityId, uint8 status, string calldata reason) external {
        bytes32 reasonHash = _reasonHash(reason);
        IdentityRecord storage subject = _existingIdentity(identityId);
        // the power over status is granted per kind and status: suspending a person is not dissolving a ministry
        (bytes32 lawId, ) = _smartLaw.authorizeOn(
            msg.sender,
            msg.sig,
            _statusResource(subject.kind, status),
            _codes[subject.jurisdictionIndex]
        );
        Status from = subject.status;
        if (!_isAllowedChange(subject.kind, from, status)) {
            revert IdentityRegistryInvalidStatusChange(identityId, from, _asStatus(status));
        }
        subject.status = Status(status);
        emit IdentityStatusChanged(identityId, from, Status(status), reasonHash, reason, lawId, msg.sender);
        bool active = status == uint8(Status.Active);
        if (from != Status.Active && !active) return; // suspended to deceased or dissolved: keys already inactive
        address[] memory keys = _liveKeys(identityId, subject.firstLiveKey);
        for (uint256 i = 0; i < keys.length; ++i) _keys[keys[i]].identityInactive = !active;
        if (!active) _notifyObservers(identityId, keys);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Observers
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityRegistry
    function addObserver(address observer) external {
        bytes32 lawId = _authorize(bytes32(0));
        if (observer.code.length == 0) revert IdentityRegistryObserverNotAContract(observer);
        uint256 count = _observers.length;
        for (uint256 i = 0; i < count; ++i) {
            if (_observers[i] == observer) revert IdentityRegistryObserverExists(observer);
        }
        if (count == MAX_OBSERVERS) revert IdentityRegistryTooManyObservers(MAX_OBSERVERS);
        _observers.push(observer);
        emit ObserverAdded(observer, lawId);
        // What the observer copied before now may be stale: it learns that it is told of lapses from here on.
        IIdentityObserver(observer).observationStarted();
    }

    /// @inheritdoc IIdentityRegistry
    function removeObserver(address observer) external {
        bytes32 lawId = _authorize(bytes32(0));
        uint256 count = _observers.length;
        for (uint256 i = 0; i < count; ++i) {
            if (_observers[i] == observer) {
                _observers[i] = _observers[count - 1];
                _observers.pop();
                emit ObserverRemoved(observer, lawId);
                // Not caught: an observer that were not told would go on trusting a copy nobody keeps current.
                IIdentityObserver(observer).observationStopped();
                return;
            }
        }
        revert IdentityRegistryUnknownObserver(observer);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Officials
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityRegistry
    function appoint(
        uint256 official,
        bytes32 role,
        uint256 department,
        bytes32 jurisdiction_,
        uint64 from,
        uint64 until
    ) external returns (uint256 appointmentId) {
        if (role == bytes32(0)) revert IdentityRegistryZeroValue("role");
        uint256 path = _pathOf(jurisdiction_);
        // the power to appoint is granted per role: the role is the resource the appointer's grant must cover
        (bytes32 lawId, uint32 lawNumber) = _smartLaw.authorizeOn(msg.sender, msg.sig, role, jurisdiction_);
        _checkAppointment(official, role, department, from, until);

        appointmentId = ++_appointmentCount;
        _appointments[appointmentId] = Appointment({
            official: official.toUint64(),
            department: department.toUint64(),
            from: from,
            until: until,
            role: role,
            jurisdiction: jurisdiction_,
            dismissedAt: 0,
            dismissalReason: bytes32(0)
        });
        _appointmentsOf[official].push(appointmentId);
        if (!_appointedRoles[role]) _appointedRoles[role] = true;
        uint8 depth = uint8(path);
        _posts[official][role] = Post({
            appointmentId: appointmentId.toUint64(),
            from: _toTime(from),
            until: _toTime(until),
            jurisdictionIndex: _indexAt(path, depth),
            jurisdictionDepth: depth,
            lawNumber: lawNumber,
            department: department.toUint40()
        });
        emit OfficialAppointed(
            appointmentId,
            official,
            role,
            department,
            jurisdiction_,
            from,
            until,
            lawId,
            msg.sender
        );
    }

    /// @inheritdoc IIdentityRegistry
    function dismiss(uint256 appointmentId, string calldata reason) external {
        bytes32 reasonHash = _reasonHash(reason);
        Appointment storage record = _appointments[appointmentId];
        uint256 official = record.official;
        if (official == 0) revert IdentityRegistryUnknownAppointment(appointmentId);
        bytes32 role = record.role;
        (bytes32 lawId, ) = _smartLaw.authorizeOn(msg.sender, msg.sig, role, record.jurisdiction);
        if (_keys[msg.sender].identityId == official) revert IdentityRegistrySelfDismissal(appointmentId, official);
        if (record.dismissedAt != 0 || record.until <= block.timestamp) {
            revert IdentityRegistryAppointmentClosed(appointmentId);
        }
        record.dismissedAt = uint64(block.timestamp);
        record.dismissalReason = reasonHash;
        mapping(bytes32 role => Post) storage posts = _posts[official];
        if (posts[role].appointmentId == appointmentId) delete posts[role];
        emit OfficialDismissed(appointmentId, official, reasonHash, reason, lawId, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityRegistry
    function identityOf(address key) external view returns (uint256) {
        KeySlot storage record = _keys[key];
        return record.revokedAt == 0 ? record.identityId : 0;
    }

    /// @inheritdoc IIdentityRegistry
    function activeIdentityOf(address key) external view returns (uint256 identityId) {
        KeySlot storage record = _keys[key];
        if (record.revokedAt != 0 || record.identityInactive) return 0;
        return record.identityId;
    }

    /// @inheritdoc IIdentityRegistry
    function keysOf(uint256 identityId) external view returns (address[] memory keys) {
        return _liveKeys(identityId, _identities[identityId].firstLiveKey);
    }

    /// @inheritdoc IIdentityRegistry
    function maxLiveKeys() public view returns (uint8) {
        uint8 max = _maxLiveKeys;
        return max == 0 ? DEFAULT_MAX_LIVE_KEYS : max;
    }

    /// @inheritdoc IIdentityRegistry
    function consentOf(address key) external view returns (uint256) {
        return _keys[key].consentedTo;
    }

    /// @inheritdoc IIdentityRegistry
    function consentsToEnrolment(address key) external view returns (bool) {
        KeySlot storage record = _keys[key];
        return record.consented && record.consentedTo == 0;
    }

    /// @inheritdoc IIdentityRegistry
    function statusResource(Kind kind, Status status) external pure returns (bytes32) {
        return _statusResource(kind, uint8(status));
    }

    /// @inheritdoc IResourceChecked
    function isResourceChecked(bytes4 selector) external pure returns (bool) {
        // appoint and dismiss per role, setStatus per kind and status
        return
            selector == this.appoint.selector ||
            selector == this.dismiss.selector ||
            selector == this.setStatus.selector;
    }

    /// @inheritdoc IIdentityRegistry
    function isAppointedRole(bytes32 role) external view returns (bool) {
        return _appointedRoles[role];
    }

    /// @inheritdoc IIdentityRegistry
    function observers() external view returns (address[] memory) {
        return _observers;
    }

    /// @inheritdoc IIdentityRegistry
    function identity(uint256 identityId) external view returns (Identity memory) {
        IdentityRecord storage record = _identities[identityId];
        return
            Identity({
                kind: record.kind,
                status: record.status,
                enrolledAt: record.enrolledAt,
                jurisdiction: _codes[record.jurisdictionIndex],
                attributesHash: record.attributesHash
            });
    }

    /// @inheritdoc IIdentityRegistry
    function subjectOf(uint256 identityId) external view returns (Kind kind, bytes32 jurisdiction) {
        IdentityRecord storage record = _identities[identityId];
        kind = record.kind;
        if (kind != Kind.None) jurisdiction = _codes[record.jurisdictionIndex];
    }

    /// @inheritdoc IIdentityRegistry
    function jurisdictionOf(uint256 identityId) external view returns (bytes32) {
        return _codes[_existingIdentity(identityId).jurisdictionIndex];
    }

    /// @inheritdoc IIdentityRegistry
    function isActive(uint256 identityId) external view returns (bool) {
        return _identities[identityId].status == Status.Active;
    }

    /// @inheritdoc IIdentityRegistry
    function keyRecord(address key) external view returns (KeyRecord memory) {
        KeySlot storage record = _keys[key];
        return KeyRecord({identityId: record.identityId, addedAt: record.addedAt, revokedAt: record.revokedAt});
    }

    /// @inheritdoc IIdentityRegistry
    function identityCount() external view returns (uint256) {
        return _identityCount;
    }

    /// @inheritdoc IIdentityRegistry
    /// @dev A view, called by the Legislature as any other call of an update: its revert reaches the enactment as
    /// `LegislatureCallFailed(index, IdentityRegistry, IdentityRegistryIdentityCountChanged(...))`, so no change to
    /// the Legislature and no law gate are needed (reading the count grants nothing).
    function requireIdentityCount(uint256 expected) external view {
        uint256 actual = _identityCount;
        if (actual != expected) revert IdentityRegistryIdentityCountChanged(expected, actual);
    }

    /// @inheritdoc IIdentityRegistry
    function appointment(uint256 appointmentId) external view returns (Appointment memory) {
        return _appointments[appointmentId];
    }

    /// @inheritdoc IIdentityRegistry
    function appointmentsOf(uint256 official) external view returns (uint256[] memory) {
        return _appointmentsOf[official];
    }

    /// @inheritdoc IIdentityRegistry
    function currentAppointment(uint256 official, bytes32 role) external view returns (uint256) {
        Post storage post = _posts[official][role];
        if (block.timestamp < post.from || block.timestamp >= post.until) return 0;
        return post.appointmentId;
    }

    /// @inheritdoc IIdentityRegistry
    function jurisdiction(bytes32 code) external view returns (Jurisdiction memory) {
        uint256 path = _paths[code];
        uint8 depth = uint8(path);
        bytes32 parent = depth == 0 ? bytes32(0) : _codes[_indexAt(path, depth - 1)];
        return Jurisdiction({parent: parent, depth: depth, defined: path != 0});
    }

    /// @inheritdoc IIdentityRegistry
    function isWithin(bytes32 code, bytes32 ancestor) external view returns (bool) {
        uint256 ancestorPath = _paths[ancestor];
        if (ancestorPath == 0) return false;
        uint8 depth = uint8(ancestorPath);
        return _pathContains(_paths[code], _indexAt(ancestorPath, depth), depth);
    }

    /// @inheritdoc IIdentityRegistry
    function smartLaw() external view returns (address) {
        return address(_smartLaw);
    }

    /// @inheritdoc IIdentityRegistry
    function standing(
        address key,
        bytes32 role,
        bytes32 subjectJurisdiction
    ) external view returns (uint256 official, bool appointed, bool within) {
        uint32 lawNumber;
        (official, appointed, within, lawNumber) = _standing(key, role, subjectJurisdiction);
        if (appointed && !_smartLaw.isLawNumberInForce(lawNumber)) return (official, false, false);
    }

    /// @inheritdoc IIdentityRegistry
    function officialStanding(
        address key,
        bytes32 role,
        bytes32 subjectJurisdiction
    ) external view returns (uint256 official, bool appointed, bool within, uint32 lawNumber) {
        return _standing(key, role, subjectJurisdiction);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev Asks SmartLaw whether the caller may make this call on a subject in `subjectJurisdiction`.
    function _authorize(bytes32 subjectJurisdiction) private view returns (bytes32 lawId) {
        return _smartLaw.authorize(msg.sender, msg.sig, subjectJurisdiction);
    }

    /**
     * @dev Who may add a key to `identityId`: one of its own live keys only, whichever way the key's consent comes.
     * No official may: a key carries its identity's appointments and standing, and the new key's consent says
     * nothing of the identity's. Returns the identity, which must be active.
     */
    function _checkAddKey(uint256 identityId) private view returns (IdentityRecord storage subject) {
        subject = _activeIdentity(identityId);
        if (!_isOwnKey(msg.sender, identityId)) revert IdentityRegistryNotOwnKey(msg.sender, identityId);
    }

    /**
     * @dev Who may recover a key of `identityId`: an official granted {recoverKey}, whichever way the new key's
     * consent comes, for an identity that never held an appointment; the Legislature alone for one that did (an
     * official's key carries powers that no registrar may hand to a key of his choosing). The identity must be
     * active.
     */
    function _checkRecoverKey(uint256 identityId) private view returns (bytes32 lawId) {
        IdentityRecord storage subject = _activeIdentity(identityId);
        lawId = _smartLaw.authorize(msg.sender, this.recoverKey.selector, _codes[subject.jurisdictionIndex]);
        // read last: most recoveries are of citizens, and only an official's pays for asking the Legislature
        if (_appointmentsOf[identityId].length != 0 && msg.sender != _smartLaw.legislature()) {
            revert IdentityRegistryOfficialKeyRecovery(identityId);
        }
    }

    /**
     * @dev The resource SmartLaw is asked about for a change of status (see {statusResource}): the kind and the
     * target status, as the bytes32 text "KIND:STATUS"; zero for a status that kind never takes (the change is then
     * refused as invalid, once the caller is known to hold a grant on the whole function or to be the
     * Legislature).
     */
    function _statusResource(Kind kind, uint8 status) private pure returns (bytes32) {
        if (kind == Kind.Person) {
            if (status == uint8(Status.Active)) return "PERSON:ACTIVE";
            if (status == uint8(Status.Suspended)) return "PERSON:SUSPENDED";
            if (status == uint8(Status.Deceased)) return "PERSON:DECEASED";
        } else {
            if (status == uint8(Status.Active)) return "ORGANISATION:ACTIVE";
            if (status == uint8(Status.Suspended)) return "ORGANISATION:SUSPENDED";
            if (status == uint8(Status.Dissolved)) return "ORGANISATION:DISSOLVED";
        }
        return bytes32(0);
    }

    /// @dev Checks `key`'s on-chain consent to join `identityId`; reverts without it. Recording the key (see
    /// {_recordKey}) uses it up.
    function _checkConsent(uint256 identityId, address key) private view {
        KeySlot storage record = _keys[key];
        if (!record.consented || record.consentedTo != identityId) revert IdentityRegistryNoConsent(key, identityId);
    }

    /**
     * @dev Checks, for a key that did not consent on chain to be a new identity's first key (identity 0), that the
     * Legislature enrols: a law enrols from offline data, where the key's holder consented on paper. Asking
     * SmartLaw who the Legislature is costs only enrolments without consent.
     */
    function _checkEnrolmentWithoutConsent(address key) private view {
        if (msg.sender != _smartLaw.legislature()) revert IdentityRegistryNoConsent(key, 0);
    }

    /**
     * @dev Checks an appointment the caller's grant allows: an active person (not the caller himself) to an active
     * organisation, in a role laws never give a service contract, for a term not yet over, to a post not held.
     */
    function _checkAppointment(
        uint256 official,
        bytes32 role,
        uint256 department,
        uint64 from,
        uint64 until
    ) private view {
        _checkActiveKind(official, Kind.Person);
        if (_keys[msg.sender].identityId == official) revert IdentityRegistrySelfAppointment(official);
        _checkActiveKind(department, Kind.Organisation);
        if (_smartLaw.isServiceRole(role)) revert IdentityRegistryServiceRole(role);
        if (from >= until || until <= block.timestamp) revert IdentityRegistryInvalidTerm(from, until);
        Post storage current = _posts[official][role];
        if (current.appointmentId != 0 && current.until > block.timestamp) {
            revert IdentityRegistryAlreadyAppointed(official, role, current.appointmentId);
        }
    }

    /**
     * @dev Checks `key`'s EIP-712 consent to join `identityId` until `deadline`. A consent cannot be replayed: a
     * key joins an identity once, and is never reused.
     */
    function _checkConsentSignature(
        uint256 identityId,
        address key,
        uint256 deadline,
        bytes calldata signature
    ) private view {
        if (block.timestamp > deadline) revert IdentityRegistryConsentExpired(key, deadline);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(KEY_CONSENT_TYPEHASH, identityId, key, deadline)));
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, signature);
        if (error != ECDSA.RecoverError.NoError || signer != key)
            revert IdentityRegistryInvalidConsent(key, identityId);
    }

    function _recoverKey(uint256 identityId, address lostKey, bool live, address newKey, bytes32 lawId) private {
        if (live) _revokeKey(identityId, lostKey, lawId);
        _appendLiveKey(identityId, _identities[identityId], newKey);
        emit KeyAdded(identityId, newKey, lawId, msg.sender);
    }

    /// @dev Puts a new key in the first free place among an identity's live keys.
    function _appendLiveKey(uint256 identityId, IdentityRecord storage subject, address key) private {
        address[] storage others = _otherLiveKeys[identityId];
        uint256 count = others.length;
        if (subject.firstLiveKey == address(0)) {
            // no live key at all: the others are empty too (a revoked key's place is taken by the last one)
            _recordKey(identityId, key, 0);
            subject.firstLiveKey = key;
            return;
        }
        uint8 max = maxLiveKeys();
        if (count + 1 >= max) revert IdentityRegistryTooManyKeys(identityId, max);
        _recordKey(identityId, key, uint8(count + 1));
        others.push(key);
    }

    /**
     * @dev Records a new key for an identity at `position` among its live keys. The key must never have been used,
     * and may not be a contract: service contracts, the Legislature, SmartLaw and this registry all have code (and
     * pinned code cannot destroy itself), so none of them can stand as a person's or an organisation's key. An
     * address with no code yet (a contract to be deployed there) is kept out by the key's consent, which only the
     * holder of its private key can give; registrars enrol first keys in person.
     */
    function _recordKey(uint256 identityId, address key, uint8 position) private {
        if (key == address(0)) revert IdentityRegistryZeroValue("key");
        uint256 holder = _keys[key].identityId;
        if (holder != 0) revert IdentityRegistryKeyInUse(key, holder);
        if (key.code.length != 0) revert IdentityRegistryKeyIsContract(key);
        _keys[key] = KeySlot({
            identityId: identityId.toUint64(),
            addedAt: uint64(block.timestamp),
            revokedAt: 0,
            identityInactive: false,
            position: position,
            consented: false, // used up
            consentedTo: 0
        });
    }

    function _revokeKey(uint256 identityId, address key, bytes32 lawId) private {
        KeySlot storage record = _keys[key];
        record.revokedAt = uint64(block.timestamp);
        _removeLiveKey(identityId, record.position);
        emit KeyRevoked(identityId, key, lawId, msg.sender);
        address[] memory keys = new address[](1);
        keys[0] = key;
        _notifyObservers(identityId, keys);
    }

    /// @dev Takes the live key at `position` out of its identity's list: the last live key takes its place.
    function _removeLiveKey(uint256 identityId, uint256 position) private {
        address[] storage others = _otherLiveKeys[identityId];
        uint256 last = others.length; // the last live key's position
        if (last == 0) {
            _identities[identityId].firstLiveKey = address(0);
            return;
        }
        address moved = others[last - 1];
        others.pop();
        if (position == last) return;
        if (position == 0) _identities[identityId].firstLiveKey = moved;
        else others[position - 1] = moved;
        _keys[moved].position = uint8(position);
    }

    /// @dev An identity's live keys: `first`, its first live key, and the others.
    function _liveKeys(uint256 identityId, address first) private view returns (address[] memory keys) {
        if (first == address(0)) return keys;
        address[] storage others = _otherLiveKeys[identityId];
        uint256 count = others.length;
        keys = new address[](count + 1);
        keys[0] = first;
        for (uint256 i = 0; i < count; ++i) keys[i + 1] = others[i];
    }

    /**
     * @dev The check behind {standing}: the key's identity, and whether it holds a current appointment to `role` in
     * a department that is still active, with the number of the law the appointment was made under.
     */
    function _standing(
        address key,
        bytes32 role,
        bytes32 subjectJurisdiction
    ) private view returns (uint256 official, bool appointed, bool within, uint32 lawNumber) {
        KeySlot storage record = _keys[key];
        if (record.revokedAt != 0) return (0, false, false, 0);
        official = record.identityId;
        if (official == 0 || record.identityInactive) return (official, false, false, 0);
        Post memory post = _posts[official][role];
        if (post.appointmentId == 0 || block.timestamp < post.from || block.timestamp >= post.until) {
            return (official, false, false, 0);
        }
        // an appointment lapses with its department: suspended or dissolved, it confers no power
        if (_identities[post.department].status != Status.Active) return (official, false, false, 0);
        within = _pathContains(_paths[subjectJurisdiction], post.jurisdictionIndex, post.jurisdictionDepth);
        return (official, true, within, post.lawNumber);
    }

    /// @dev A time as stored in a post: times past 2^40 s (year 36812) read as that bound, "never" in effect.
    function _toTime(uint64 time) private pure returns (uint40) {
        return time > type(uint40).max ? type(uint40).max : uint40(time);
    }

    /// @dev Tells every observer that `keys` of `identityId` can no longer act.
    function _notifyObservers(uint256 identityId, address[] memory keys) private {
        uint256 count = _observers.length;
        if (count == 0 || keys.length == 0) return;
        for (uint256 i = 0; i < count; ++i) {
            IIdentityObserver(_observers[i]).keysDisabled(identityId, keys);
        }
    }

    /// @dev Whether `caller` is a live key of `identityId`.
    function _isOwnKey(address caller, uint256 identityId) private view returns (bool) {
        KeySlot storage record = _keys[caller];
        return record.identityId == identityId && record.revokedAt == 0;
    }

    /// @dev The identity of a live key; reverts for an unknown or revoked key.
    function _liveKey(address key) private view returns (uint256 identityId) {
        KeySlot storage record = _keys[key];
        identityId = record.identityId;
        if (identityId == 0) revert IdentityRegistryUnknownKey(key);
        if (record.revokedAt != 0) revert IdentityRegistryKeyRevoked(key);
    }

    /**
     * @dev The identity of a key to recover, and whether the key is still live. A lost key must be live, except for
     * the Legislature: an identity whose every key was revoked has no key left to recover from, and only a law can
     * then give it one.
     */
    function _recoverableKey(address key) private view returns (uint256 identityId, bool live) {
        KeySlot storage record = _keys[key];
        identityId = record.identityId;
        if (identityId == 0) revert IdentityRegistryUnknownKey(key);
        live = record.revokedAt == 0;
        if (!live && msg.sender != _smartLaw.legislature()) revert IdentityRegistryKeyRevoked(key);
    }

    /// @dev The hash of a reason (zero for none), refused when longer than MAX_REASON_LENGTH.
    function _reasonHash(string calldata reason) private pure returns (bytes32) {
        uint256 length = bytes(reason).length;
        if (length == 0) return bytes32(0);
        if (length > MAX_REASON_LENGTH) revert IdentityRegistryReasonTooLong(length, MAX_REASON_LENGTH);
        return keccak256(bytes(reason));
    }

    function _existingIdentity(uint256 identityId) private view returns (IdentityRecord storage subject) {
        subject = _identities[identityId];
        if (subject.kind == Kind.None) revert IdentityRegistryUnknownIdentity(identityId);
    }

    function _activeIdentity(uint256 identityId) private view returns (IdentityRecord storage subject) {
        subject = _existingIdentity(identityId);
        if (subject.status != Status.Active) revert IdentityRegistryInactiveIdentity(identityId, subject.status);
    }

    function _checkActiveKind(uint256 identityId, Kind kind) private view {
        if (_activeIdentity(identityId).kind != kind) revert IdentityRegistryWrongKind(identityId, kind);
    }

    /// @dev Suspension and reinstatement for all; death for persons, dissolution for organisations, both final.
    function _isAllowedChange(Kind kind, Status from, uint8 to) private pure returns (bool) {
        if (from != Status.Active && from != Status.Suspended) return false;
        if (to == uint8(Status.Deceased)) return kind == Kind.Person;
        if (to == uint8(Status.Dissolved)) return kind == Kind.Organisation;
        return to == uint8(from == Status.Active ? Status.Suspended : Status.Active);
    }

    /// @dev `status` as a Status for an error message; out-of-range values read as None.
    function _asStatus(uint8 status) private pure returns (Status) {
        return status > uint8(type(Status).max) ? Status.None : Status(status);
    }

    /// @dev A defined jurisdiction's path; reverts for an unknown one.
    function _pathOf(bytes32 code) private view returns (uint256 path) {
        path = _paths[code];
        if (path == 0) revert IdentityRegistryUnknownJurisdiction(code);
    }

    /// @dev Whether the jurisdiction with `path` lies within the one with `index` at `depth`.
    function _pathContains(uint256 path, uint32 index, uint8 depth) private pure returns (bool) {
        return path != 0 && uint8(path) >= depth && _indexAt(path, depth) == index;
    }

    function _indexAt(uint256 path, uint8 depth) private pure returns (uint32) {
        return uint32(path >> _indexShift(depth));
    }

    function _indexShift(uint8 depth) private pure returns (uint256) {
        return 8 + 32 * uint256(depth);
    }
}
