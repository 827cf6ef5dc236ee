// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {COVERT_PERIOD, ISmartLaw, READ_PERSONAL_DATA, READ_RECORD, SUBJECT_ROLE} from "../interfaces/ISmartLaw.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IResourceChecked} from "../interfaces/IResourceChecked.sol";
import {PinnableCode} from "../libraries/PinnableCode.sol";

/**
 * @title SmartLaw
 * @notice See {ISmartLaw}. Every change comes from the Legislature; the deployer's only act is the one-time
 * {initialize} that wires SmartLaw to the Legislature and the IdentityRegistry.
 */
contract SmartLaw is ISmartLaw {
    /// @dev A parameter's value, and whether it was ever set (a value of 0 is a valid parameter).
    struct Param {
        uint256 value;
        bool set;
    }

    /**
     * @dev A grant as stored. Its third word holds the serial number of its law and its scope and, in a list's first
     * entry only, the number of grants in the list: the check reads that one word where it read the list's length,
     * and tells from the number whether the law is in force (see `_repealedNumbers`) without reading the law's
     * record. A law's number never changes once given.
     */
    struct StoredGrant {
        bytes32 role;
        bytes32 lawId;
        uint32 lawNumber;
        Scope scope;
        uint32 count;
    }

    /**
     * @dev A role assigned to a service contract, as stored: {Pinned} and the serial number of its law, by which the
     * check tells the law in force from the word of repealed numbers it reads already, without reading the law's
     * id or record.
     */
    struct StoredPinned {
        bytes32 lawId;
        bytes32 codeHash;
        uint32 lawNumber;
    }

    /// @dev A rule contract bound to a law, pinned by its code hash.
    struct RuleBinding {
        address rule;
        bytes32 codeHash;
    }

    /// @dev The account that may call {initialize}, once.
    address private immutable _deployer;

    /// @dev The Legislature: the only account that changes SmartLaw, and allowed everywhere.
    address private _legislature;

    /// @dev Where identities, keys and appointments are kept.
    IIdentityRegistry private _identityRegistry;

    /**
     * @dev Whether the laws numbered 1 to 96 were repealed, bit `number - 1`. Kept in the slot of
     * `_identityRegistry`, which every check reads already, so that "is the law an official was appointed under
     * still in force" costs no further cold read; later laws are looked up by number (see {_isRepealedNumber}).
     */
    uint96 private _repealedNumbers;

    /// @dev The most laws whose repeal `_repealedNumbers` holds.
    uint32 private constant _PACKED_REPEALS = 96;

    /// @dev Each law's current version and status.
    mapping(bytes32 lawId => Law) private _laws;

    /// @dev The text hash of each version of each law.
    mapping(bytes32 lawId => mapping(uint32 version => bytes32)) private _textHashes;

    /// @dev The laws' parameters.
    mapping(bytes32 lawId => mapping(bytes32 key => Param)) private _params;

    /**
     * @dev The grants for each function of each target, per resource: keyed by the selector itself for the whole
     * function, by keccak256(selector, resource) for one resource (see {_permission}). Each list is short, its
     * entries at 0, 1, ..., its length in the first entry (see {StoredGrant}).
     */
    mapping(address target => mapping(bytes32 permission => mapping(uint256 index => StoredGrant))) private _grants;

    /// @dev The laws by serial number.
    mapping(uint32 number => bytes32 lawId) private _lawIds;

    /// @dev The number of laws ever enacted; also the last serial number given.
    uint32 private _lawCount;

    /// @dev The rule bound to each law.
    mapping(bytes32 lawId => RuleBinding) private _rules;

    /// @dev The roles that laws assign to service contracts.
    mapping(address serviceContract => mapping(bytes32 role => StoredPinned)) private _serviceRoles;

    /// @dev The roles that a law ever assigned to a service contract: such a role is never held by a person.
    mapping(bytes32 role => bool) private _isServiceRole;

    /// @dev The law that the Legislature is enacting in this transaction: the legal basis of its writes.
    bytes32 private transient _enactingLaw;

    modifier onlyLegislature() {
        _checkLegislature();
        _;
    }

    constructor() {
        _deployer = msg.sender;
    }

    /// @inheritdoc ISmartLaw
    function initialize(address legislature_, address identityRegistry_) external {
        if (msg.sender != _deployer || _legislature != address(0)) revert SmartLawInitializationRefused(msg.sender);
        if (legislature_ == address(0)) revert SmartLawZeroAddress("legislature");
        if (identityRegistry_ == address(0)) revert SmartLawZeroAddress("identityRegistry");
        _legislature = legislature_;
        _identityRegistry = IIdentityRegistry(identityRegistry_);
        emit SmartLawInitialized(legislature_, identityRegistry_);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Changes, by the Legislature
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISmartLaw
    function recordVersion(bytes32 lawId, uint32 version, bytes32 textHash_) external onlyLegislature {
        if (lawId == bytes32(0)) revert SmartLawInvalidId("lawId");
        Law storage record = _laws[lawId];
        if (record.repealed) revert SmartLawLawRepealed(lawId);
        if (version != record.version + 1) revert SmartLawUnexpectedVersion(lawId, record.version + 1, version);
        if (version == 1) {
            uint32 number = ++_lawCount;
            record.number = number;
            _lawIds[number] = lawId;
        }
        record.version = version;
        record.updatedAt = uint64(block.timestamp);
        _textHashes[lawId][version] = textHash_;
        _enactingLaw = lawId;
        emit LawVersionRecorded(lawId, version, textHash_);
    }

    /// @inheritdoc ISmartLaw
    function setParam(bytes32 lawId, bytes32 key, uint256 value) external onlyLegislature {
        _checkInForce(lawId);
        if (key == bytes32(0)) revert SmartLawInvalidId("key");
        _params[lawId][key] = Param({value: value, set: true});
        emit ParamSet(lawId, key, value);
    }

    /// @inheritdoc ISmartLaw
    function grant(bytes32 lawId, bytes32 role, address target, bytes4 selector, uint8 scope) external onlyLegislature {
        _grant(lawId, role, target, selector, bytes32(0), scope);
    }

    /// @inheritdoc ISmartLaw
    function grantOn(
        bytes32 lawId,
        bytes32 role,
        address target,
        bytes4 selector,
        bytes32 resource,
        uint8 scope
    ) external onlyLegislature {
        if (resource == bytes32(0)) revert SmartLawInvalidId("resource");
        if (!_checksResource(target, selector)) revert SmartLawResourceNotChecked(target, selector);
        _grant(lawId, role, target, selector, resource, scope);
    }

    /// @inheritdoc ISmartLaw
    function revokeGrant(bytes32 lawId, bytes32 role, address target, bytes4 selector) external onlyLegislature {
        _revokeGrant(lawId, role, target, selector, bytes32(0));
    }

    /// @inheritdoc ISmartLaw
    function revokeGrantOn(
        bytes32 lawId,
        bytes32 role,
        address target,
        bytes4 selector,
        bytes32 resource
    ) external onlyLegislature {
        if (resource == bytes32(0)) revert SmartLawInvalidId("resource");
        _revokeGrant(lawId, role, target, selector, resource);
    }

    /// @inheritdoc ISmartLaw
    function repeal(bytes32 lawId) external onlyLegislature {
        _checkInForce(lawId);
        Law storage record = _laws[lawId];
        record.repealed = true;
        record.updatedAt = uint64(block.timestamp);
        uint32 number = record.number;
        if (number <= _PACKED_REPEALS) _repealedNumbers |= uint96(1) << (number - 1);
        emit LawRepealed(lawId, record.version);
    }

    /// @inheritdoc ISmartLaw
    function bindRule(bytes32 lawId, address rule) external onlyLegislature {
        _checkInForce(lawId);
        bytes32 codeHash = _pin(rule);
        _rules[lawId] = RuleBinding({rule: rule, codeHash: codeHash});
        emit RuleBound(lawId, rule, codeHash);
    }

    /// @inheritdoc ISmartLaw
    function assignRole(address serviceContract, bytes32 role, bytes32 lawId) external onlyLegislature {
        _checkInForce(lawId);
        if (role == bytes32(0)) revert SmartLawInvalidId("role");
        if (role == SUBJECT_ROLE) revert SmartLawReservedRole(role);
        // a role is held either by persons or by service contracts, never both: a person holding a service's role
        // would act as the service, and the service would be refused where a person stands in its way
        if (_identityRegistry.isAppointedRole(role)) revert SmartLawRoleHeldByPersons(role);
        uint256 holder = _identityRegistry.keyRecord(serviceContract).identityId;
        if (holder != 0) revert SmartLawServiceContractIsKey(serviceContract, holder);
        bytes32 codeHash = _pin(serviceContract);
        _serviceRoles[serviceContract][role] = StoredPinned({
            lawId: lawId,
            codeHash: codeHash,
            lawNumber: _laws[lawId].number
        });
        _isServiceRole[role] = true;
        emit RoleAssigned(serviceContract, role, lawId, codeHash);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Decisions
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISmartLaw
    function authorize(
        address caller,
        bytes4 selector,
        bytes32 subjectJurisdiction
    ) external view returns (bytes32 lawId) {
        (lawId, ) = _authorize(caller, selector, bytes32(0), subjectJurisdiction);
    }

    /// @inheritdoc ISmartLaw
    function authorizeOn(
        address caller,
        bytes4 selector,
        bytes32 resource,
        bytes32 subjectJurisdiction
    ) external view returns (bytes32 lawId, uint32 lawNumber) {
        return _authorize(caller, selector, resource, subjectJurisdiction);
    }

    /// @inheritdoc ISmartLaw
    function authorizeAt(
        address target,
        address caller,
        bytes4 selector,
        bytes32 resource,
        bytes32 subjectJurisdiction
    ) external view returns (bytes32 lawId) {
        // {_authorize}'s decision, in its own copy: given the target as an argument, {_authorize} costs every gated
        // write 23 gas more (measured); test/law/ReadGrants.test.ts holds the two to the same answers
        mapping(bytes32 permission => mapping(uint256 index => StoredGrant)) storage grants = _grants[target];
        bool outside;
        if (resource != bytes32(0)) {
            (lawId, , outside) = _decide(grants[_permission(selector, resource)], caller, subjectJurisdiction, true);
            if (lawId != bytes32(0)) return lawId;
        }
        bool outsideWhole;
        (lawId, , outsideWhole) = _decide(grants[bytes32(selector)], caller, subjectJurisdiction, true);
        if (lawId != bytes32(0)) return lawId;
        if (caller == _legislature) return _enactingLaw;
        if (outside || outsideWhole) revert SmartLawOutsideJurisdiction(caller, subjectJurisdiction);
        revert SmartLawUnauthorized(caller, target, selector);
    }

    /// @inheritdoc ISmartLaw
    function authorizeRead(
        address key,
        address target,
        bytes4 selector,
        bytes32 resource,
        uint256 subject
    ) external view returns (ReadAuthority memory authority) {
        if (selector != READ_RECORD && selector != READ_PERSONAL_DATA) revert SmartLawNotAReadSelector(selector);
        (IIdentityRegistry.Kind kind, bytes32 jurisdiction) = _identityRegistry.subjectOf(subject);
        if (kind == IIdentityRegistry.Kind.None) revert SmartLawUnknownSubject(subject);
        mapping(bytes32 permission => mapping(uint256 index => StoredGrant)) storage grants = _grants[target];
        bool outside;
        if (resource != bytes32(0)) {
            (authority, outside) = _decideRead(grants[_permission(selector, resource)], key, subject, jurisdiction);
            if (authority.lawId != bytes32(0)) return authority;
        }
        bool outsideWhole;
        (authority, outsideWhole) = _decideRead(grants[bytes32(selector)], key, subject, jurisdiction);
        if (authority.lawId != bytes32(0)) return authority;
        if (outside || outsideWhole) revert SmartLawOutsideJurisdiction(key, jurisdiction);
        revert SmartLawUnauthorized(key, target, selector);
    }

    /// @inheritdoc ISmartLaw
    function canCall(address caller, address target, bytes4 selector) external view returns (bool) {
        return _canCall(caller, target, selector, bytes32(0));
    }

    /// @inheritdoc ISmartLaw
    function canCallOn(address caller, address target, bytes4 selector, bytes32 resource) external view returns (bool) {
        return _canCall(caller, target, selector, resource);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ISmartLaw
    function param(bytes32 lawId, bytes32 key) external view returns (uint256) {
        _checkInForce(lawId);
        Param storage entry = _params[lawId][key];
        if (!entry.set) revert SmartLawParamNotSet(lawId, key);
        return entry.value;
    }

    /// @inheritdoc ISmartLaw
    function lawVersion(bytes32 lawId) external view returns (uint32) {
        return _laws[lawId].version;
    }

    /// @inheritdoc ISmartLaw
    function isInForce(bytes32 lawId) public view returns (bool) {
        Law storage record = _laws[lawId];
        return record.version != 0 && !record.repealed;
    }

    /// @inheritdoc ISmartLaw
    function law(bytes32 lawId) external view returns (Law memory) {
        return _laws[lawId];
    }

    /// @inheritdoc ISmartLaw
    function textHash(bytes32 lawId, uint32 version) external view returns (bytes32) {
        return _textHashes[lawId][version];
    }

    /// @inheritdoc ISmartLaw
    function grantsFor(address target, bytes4 selector) external view returns (Grant[] memory) {
        return _grantList(_grants[target][bytes32(selector)]);
    }

    /// @inheritdoc ISmartLaw
    function grantsOn(address target, bytes4 selector, bytes32 resource) external view returns (Grant[] memory) {
        return _grantList(_grants[target][_permission(selector, resource)]);
    }

    /// @inheritdoc ISmartLaw
    function lawIdOf(uint32 number) external view returns (bytes32) {
        return _lawIds[number];
    }

    /// @inheritdoc ISmartLaw
    function ruleOf(bytes32 lawId) external view returns (address rule) {
        _checkInForce(lawId);
        RuleBinding storage binding = _rules[lawId];
        rule = binding.rule;
        if (rule == address(0)) revert SmartLawRuleNotBound(lawId);
        _checkCodeHash(rule, binding.codeHash);
    }

    /// @inheritdoc ISmartLaw
    function serviceRole(address serviceContract, bytes32 role) external view returns (Pinned memory) {
        StoredPinned storage pinned = _serviceRoles[serviceContract][role];
        return Pinned({lawId: pinned.lawId, codeHash: pinned.codeHash});
    }

    /// @inheritdoc ISmartLaw
    function isServiceRole(bytes32 role) external view returns (bool) {
        return role == SUBJECT_ROLE || _isServiceRole[role];
    }

    /// @inheritdoc ISmartLaw
    function isLawNumberInForce(uint32 number) external view returns (bool) {
        return number != 0 && number <= _lawCount && !_isRepealedNumber(number);
    }

    /// @inheritdoc ISmartLaw
    function legislature() external view returns (address) {
        return _legislature;
    }

    /// @inheritdoc ISmartLaw
    function identityRegistry() external view returns (address) {
        return address(_identityRegistry);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    function _grant(
        bytes32 lawId,
        bytes32 role,
        address target,
        bytes4 selector,
        bytes32 resource,
        uint8 scope
    ) private {
        _checkInForce(lawId);
        if (role == bytes32(0)) revert SmartLawInvalidId("role");
        if (target == address(0)) revert SmartLawZeroAddress("target");
        if (scope > uint8(type(Scope).max)) revert SmartLawInvalidScope(scope);
        mapping(uint256 index => StoredGrant) storage grants = _grants[target][_permission(selector, resource)];
        uint32 count = grants[0].count;
        for (uint256 i = 0; i < count; ++i) {
            if (grants[i].role == role)
                revert SmartLawAlreadyGranted(role, target, selector, resource, grants[i].lawId);
        }
        StoredGrant storage entry = grants[count];
        entry.role = role;
        entry.lawId = lawId;
        entry.lawNumber = _laws[lawId].number;
        entry.scope = Scope(scope);
        grants[0].count = count + 1;
        emit Granted(lawId, role, target, selector, resource, Scope(scope));
    }

    function _revokeGrant(bytes32 lawId, bytes32 role, address target, bytes4 selector, bytes32 resource) private {
        mapping(uint256 index => StoredGrant) storage grants = _grants[target][_permission(selector, resource)];
        uint32 count = grants[0].count;
        for (uint256 i = 0; i < count; ++i) {
            if (grants[i].role == role && grants[i].lawId == lawId) {
                _removeGrant(grants, i, count);
                emit GrantRevoked(lawId, role, target, selector, resource);
                return;
            }
        }
        revert SmartLawGrantNotFound(lawId, role, target, selector, resource);
    }

    /**
     * @dev The check behind {authorize} and {authorizeOn}; `msg.sender` is the target. The grants for `resource`
     * are tried first, then those on the whole function, which cover every resource: a law that grants a whole
     * function grants it on all its resources. The Legislature is recognised last, so that officials' writes, the
     * common case, do not pay for reading its address.
     */
    function _authorize(
        address caller,
        bytes4 selector,
        bytes32 resource,
        bytes32 subjectJurisdiction
    ) private view returns (bytes32 lawId, uint32 lawNumber) {
        mapping(bytes32 permission => mapping(uint256 index => StoredGrant)) storage grants = _grants[msg.sender];
        bool outside;
        if (resource != bytes32(0)) {
            (lawId, lawNumber, outside) = _decide(
                grants[_permission(selector, resource)],
                caller,
                subjectJurisdiction,
                true
            );
            if (lawId != bytes32(0)) return (lawId, lawNumber);
        }
        bool outsideWhole;
        (lawId, lawNumber, outsideWhole) = _decide(grants[bytes32(selector)], caller, subjectJurisdiction, true);
        if (lawId != bytes32(0)) return (lawId, lawNumber);
        if (caller == _legislature) {
            lawId = _enactingLaw;
            return (lawId, _laws[lawId].number);
        }
        if (outside || outsideWhole) revert SmartLawOutsideJurisdiction(caller, subjectJurisdiction);
        revert SmartLawUnauthorized(caller, msg.sender, selector);
    }

    /// @dev The check behind {canCall} and {canCallOn}: the grants for `resource`, then those on the whole function.
    function _canCall(address caller, address target, bytes4 selector, bytes32 resource) private view returns (bool) {
        if (caller == _legislature) return true;
        mapping(bytes32 permission => mapping(uint256 index => StoredGrant)) storage grants = _grants[target];
        bytes32 lawId;
        if (resource != bytes32(0)) {
            (lawId, , ) = _decide(grants[_permission(selector, resource)], caller, bytes32(0), false);
            if (lawId != bytes32(0)) return true;
        }
        (lawId, , ) = _decide(grants[bytes32(selector)], caller, bytes32(0), false);
        return lawId != bytes32(0);
    }

    /**
     * @dev Finds a grant among `grants` under which `caller` may act, and returns its law (zero if
     * none). `outside` tells that a grant's role is held but the subject lies outside the appointment's
     * jurisdiction. With `checkScope` false, a held role suffices whatever the jurisdiction (for {canCall}).
     */
    function _decide(
        mapping(uint256 index => StoredGrant) storage grants,
        address caller,
        bytes32 subjectJurisdiction,
        bool checkScope
    ) private view returns (bytes32 lawId, uint32 lawNumber, bool outside) {
        uint256 count = grants[0].count;
        for (uint256 i = 0; i < count; ++i) {
            StoredGrant storage entry = grants[i];
            (bool allowed, bool held) = _evaluate(entry, caller, subjectJurisdiction, checkScope);
            if (!allowed && !held) continue;
            // the grant's law is asked about only for a role the caller holds: a repealed law's grants lapse; its
            // id is read only for a grant that allows
            lawNumber = entry.lawNumber;
            if (lawNumber > _PACKED_REPEALS ? _laws[entry.lawId].repealed : _isRepealedNumber(lawNumber)) continue;
            if (allowed) return (entry.lawId, lawNumber, false);
            outside = true;
        }
        return (bytes32(0), 0, outside);
    }

    /**
     * @dev {_decide} for reads, a loop of its own so that the write path's code and gas stay as they were: the first
     * grant among `grants` under which `key` may read `subject`'s data, with its law's covert period (a zero law id
     * if none). `outside` tells that a granted role is held but the subject lies outside its jurisdiction.
     */
    function _decideRead(
        mapping(uint256 index => StoredGrant) storage grants,
        address key,
        uint256 subject,
        bytes32 subjectJurisdiction
    ) private view returns (ReadAuthority memory authority, bool outside) {
        uint256 count = grants[0].count;
        for (uint256 i = 0; i < count; ++i) {
            StoredGrant storage entry = grants[i];
            (uint256 reader, bool heldOutside) = _evaluateRead(entry, key, subject, subjectJurisdiction);
            if (reader == 0 && !heldOutside) continue;
            // a repealed law's grants lapse, for reads as for writes
            if (_isRepealedNumber(entry.lawNumber)) continue;
            if (reader == 0) {
                outside = true;
                continue;
            }
            bytes32 lawId = entry.lawId;
            return (
                ReadAuthority({lawId: lawId, role: entry.role, reader: reader, covertPeriod: _covertPeriod(lawId)}),
                false
            );
        }
    }

    /**
     * @dev The reader that one grant lets `key` be, its law aside (0 for none). {SUBJECT_ROLE}: the subject himself,
     * by a live key of his, whatever the scope. Any other role: an official appointed to it, as {_evaluate} decides,
     * but never a service contract (a contract signs no read request). `heldOutside` tells that the key's official
     * holds the role but the subject lies outside its jurisdiction.
     */
    function _evaluateRead(
        StoredGrant storage entry,
        address key,
        uint256 subject,
        bytes32 subjectJurisdiction
    ) private view returns (uint256 reader, bool heldOutside) {
        bytes32 role = entry.role;
        if (role == SUBJECT_ROLE) return (_identityRegistry.activeIdentityOf(key) == subject ? subject : 0, false);
        (uint256 official, bool appointed, bool within, uint32 appointingLaw) = _identityRegistry.officialStanding(
            key,
            role,
            subjectJurisdiction
        );
        if (!appointed || appointingLaw == 0 || _isRepealedNumber(appointingLaw)) return (0, false);
        if (within || entry.scope == Scope.Any) return (official, false);
        return (0, true);
    }

    /// @dev The law's {COVERT_PERIOD}, 0 when it sets none; a period past 2^64 s reads as that bound (never shown).
    function _covertPeriod(bytes32 lawId) private view returns (uint64) {
        Param storage period = _params[lawId][COVERT_PERIOD];
        if (!period.set) return 0;
        return period.value > type(uint64).max ? type(uint64).max : uint64(period.value);
    }

    /// @dev Whether the law with serial number `number` (not zero) was repealed.
    function _isRepealedNumber(uint32 number) private view returns (bool) {
        if (number <= _PACKED_REPEALS) return (_repealedNumbers >> (number - 1)) & 1 != 0;
        return _laws[_lawIds[number]].repealed;
    }

    /// @dev The grants of one list, as {grantsFor} and {grantsOn} show them.
    function _grantList(
        mapping(uint256 index => StoredGrant) storage grants
    ) private view returns (Grant[] memory list) {
        list = new Grant[](grants[0].count);
        for (uint256 i = 0; i < list.length; ++i) {
            StoredGrant storage entry = grants[i];
            list[i] = Grant({role: entry.role, lawId: entry.lawId, scope: entry.scope});
        }
    }

    /**
     * @dev Removes the grant at `index` from a list of `count`: the last one takes its place, field by field so that
     * the first entry keeps the list's length, which is then written.
     */
    function _removeGrant(mapping(uint256 index => StoredGrant) storage grants, uint256 index, uint32 count) private {
        StoredGrant storage last = grants[count - 1];
        StoredGrant storage entry = grants[index];
        entry.role = last.role;
        entry.lawId = last.lawId;
        entry.lawNumber = last.lawNumber;
        entry.scope = last.scope;
        delete last.role;
        delete last.lawId;
        delete last.lawNumber;
        delete last.scope;
        grants[0].count = count - 1;
    }

    /**
     * @dev Whether `caller` may act under one grant, its law aside. `heldOutside` tells that the caller holds the
     * grant's role but the subject lies outside its appointment's jurisdiction. An appointment lapses with the law
     * it was made under (its appointer's power) and with its department (see {IIdentityRegistry-officialStanding}).
     */
    function _evaluate(
        StoredGrant storage entry,
        address caller,
        bytes32 subjectJurisdiction,
        bool checkScope
    ) private view returns (bool allowed, bool heldOutside) {
        bytes32 role = entry.role;
        (uint256 official, bool appointed, bool within, uint32 appointingLaw) = _identityRegistry.officialStanding(
            caller,
            role,
            subjectJurisdiction
        );
        if (official == 0) return (_holdsServiceRole(caller, role), false);
        if (!appointed || appointingLaw == 0 || _isRepealedNumber(appointingLaw)) return (false, false);
        // The scope is read only when the subject lies outside: most writes are within and skip that read.
        if (!checkScope || within || entry.scope == Scope.Any) return (true, false);
        return (false, true);
    }

    /**
     * @dev Whether `target` says that its function `selector` asks with a resource. A target without
     * {IResourceChecked-isResourceChecked} (no code, no such function, a revert or an answer that is not true)
     * answers false: called low-level, so that no answer of the target can make the law update itself revert.
     */
    function _checksResource(address target, bytes4 selector) private view returns (bool) {
        (bool ok, bytes memory answer) = target.staticcall(
            abi.encodeCall(IResourceChecked.isResourceChecked, (selector))
        );
        return ok && answer.length == 32 && uint256(bytes32(answer)) == 1;
    }

    /// @dev The key under which grants for `selector` are kept: the selector itself, or with the resource.
    function _permission(bytes4 selector, bytes32 resource) private pure returns (bytes32) {
        if (resource == bytes32(0)) return bytes32(selector);
        return keccak256(abi.encode(selector, resource));
    }

    /// @dev Whether `caller` is a service contract holding `role` under a law in force, with its pinned code.
    function _holdsServiceRole(address caller, bytes32 role) private view returns (bool) {
        StoredPinned storage pinned = _serviceRoles[caller][role];
        uint32 number = pinned.lawNumber;
        if (number == 0) return false;
        if (number > _PACKED_REPEALS ? _laws[pinned.lawId].repealed : _isRepealedNumber(number)) return false;
        _checkCodeHash(caller, pinned.codeHash);
        return true;
    }

    /// @dev Checks that `account`'s behaviour is fixed by its code and returns its code hash.
    function _pin(address account) private view returns (bytes32) {
        if (!PinnableCode.isPinnable(account)) revert SmartLawCodeNotPinnable(account);
        return account.codehash;
    }

    function _checkCodeHash(address account, bytes32 pinned) private view {
        bytes32 actual = account.codehash;
        if (actual != pinned) revert SmartLawCodeHashMismatch(account, pinned, actual);
    }

    function _checkInForce(bytes32 lawId) private view {
        if (!isInForce(lawId)) revert SmartLawLawNotInForce(lawId);
    }

    function _checkLegislature() private view {
        if (msg.sender != _legislature) revert SmartLawOnlyLegislature(msg.sender);
    }
}
