// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @dev The pseudo-selector under which a law grants the reading of a register's records ({ISmartLaw-authorizeRead}):
 * target the CivilRegistry, resource the register's id. No contract has such a function, so no grant under it
 * unlocks a write.
 */
bytes4 constant READ_RECORD = bytes4(keccak256("readRecord(bytes32,uint256)"));

/// @dev The pseudo-selector under which a law grants the reading of identities' personal data: target the
/// IdentityRegistry, no resource. Unlocks no write either.
bytes4 constant READ_PERSONAL_DATA = bytes4(keccak256("readPersonalData(uint256)"));

/**
 * @dev The role of the subject himself, for read grants: a live key of the active identity whose data is read holds
 * it. Reserved: never appointed to anyone nor assigned to a service contract.
 */
bytes32 constant SUBJECT_ROLE = keccak256("SUBJECT");

/// @dev The parameter by which the law that grants a read makes it covert: seconds until the subject is shown it.
bytes32 constant COVERT_PERIOD = "COVERT_PERIOD";

/**
 * @title SmartLaw: the authority of GovChain
 * @notice Holds the laws (versions and text hashes), the grants that say which role may call which function
 * of which contract and where, the laws' parameters, the rule contracts bound to laws and the roles held by
 * service contracts. Only the Legislature changes it, through law updates.
 *
 * A caller is allowed to call `selector` on `target` when it is:
 * (a) a live key of an active identity holding a current appointment to a role that a law in force grants for
 *     that function, and, for a grant scoped `Jurisdiction`, the subject's jurisdiction lies in the subtree of
 *     the appointment's jurisdiction; or
 * (b) a service contract assigned such a role by a law in force, whose code hash is still the pinned one; or
 * (c) the Legislature.
 *
 * Reads are granted the same way, under the pseudo-selectors {READ_RECORD} and {READ_PERSONAL_DATA}, and asked
 * about by the data service with {authorizeRead}: only keys of identities read, and the role {SUBJECT_ROLE} stands
 * for the subject himself.
 */
interface ISmartLaw {
    /// @notice Where a grant applies.
    enum Scope {
        /// Anywhere.
        Any,
        /// Only for subjects within the caller's appointment's jurisdiction (its subtree).
        Jurisdiction
    }

    /// @notice A role granted for a function of a target contract, by a law.
    struct Grant {
        bytes32 role;
        bytes32 lawId;
        Scope scope;
    }

    /// @notice A law's record: its current version, whether it was repealed, when it last changed, and its serial
    /// number (given at its first enactment, from 1), by which contracts that keep many records refer to it.
    struct Law {
        uint32 version;
        bool repealed;
        uint64 updatedAt;
        uint32 number;
    }

    /// @notice A contract pinned by code hash under a law (a rule, or a service contract holding a role).
    struct Pinned {
        bytes32 lawId;
        bytes32 codeHash;
    }

    /// @notice Under which law, and as whom, a key may read (see {authorizeRead}).
    struct ReadAuthority {
        /// The law whose grant allows the read: its legal basis.
        bytes32 lawId;
        /// The granted role under which the reader reads ({SUBJECT_ROLE} for his own data).
        bytes32 role;
        /// The reader's identity.
        uint256 reader;
        /// How long the read stays hidden from the subject: the law's {COVERT_PERIOD}, 0 when it sets none.
        uint64 covertPeriod;
    }

    /// @notice Emitted once, when the deployer wires SmartLaw to the Legislature and the IdentityRegistry.
    event SmartLawInitialized(address indexed legislature, address indexed identityRegistry);

    /// @notice Emitted when a version of a law is enacted.
    event LawVersionRecorded(bytes32 indexed lawId, uint32 version, bytes32 textHash);

    /// @notice Emitted when a law is repealed: its grants, parameters, rules and service roles lapse with it.
    event LawRepealed(bytes32 indexed lawId, uint32 version);

    /// @notice Emitted when a law sets a parameter.
    event ParamSet(bytes32 indexed lawId, bytes32 indexed key, uint256 value);

    /**
     * @notice Emitted when a law grants `role` the right to call `selector` on `target`: for every resource when
     * `resource` is zero, or only for that resource (a register of the CivilRegistry, for instance).
     */
    event Granted(
        bytes32 indexed lawId,
        bytes32 indexed role,
        address indexed target,
        bytes4 selector,
        bytes32 resource,
        Scope scope
    );

    /// @notice Emitted when a law revokes a grant.
    event GrantRevoked(
        bytes32 indexed lawId,
        bytes32 indexed role,
        address indexed target,
        bytes4 selector,
        bytes32 resource
    );

    /// @notice Emitted when a rule contract is bound to a law, pinned by its code hash.
    event RuleBound(bytes32 indexed lawId, address indexed rule, bytes32 codeHash);

    /// @notice Emitted when a law assigns a role to a service contract, pinned by its code hash.
    event RoleAssigned(address indexed serviceContract, bytes32 indexed role, bytes32 indexed lawId, bytes32 codeHash);

    /// @notice The caller may not call `selector` on `target`.
    error SmartLawUnauthorized(address caller, address target, bytes4 selector);

    /// @notice The caller holds a role granted for the function, but the subject lies outside its jurisdiction.
    error SmartLawOutsideJurisdiction(address caller, bytes32 subjectJurisdiction);

    /// @notice Only the Legislature may make this change.
    error SmartLawOnlyLegislature(address caller);

    /// @notice Only the deployer may initialize, and only once.
    error SmartLawInitializationRefused(address caller);

    /// @notice The address `field` must be set, and is zero.
    error SmartLawZeroAddress(string field);

    /// @notice The law was never enacted, or was repealed.
    error SmartLawLawNotInForce(bytes32 lawId);

    /// @notice A repealed law stays repealed: a new law needs a new law id.
    error SmartLawLawRepealed(bytes32 lawId);

    /// @notice A law update's version is not the law's next version.
    error SmartLawUnexpectedVersion(bytes32 lawId, uint32 expected, uint32 given);

    /// @notice The id `field` (a law id, role or parameter key) is zero.
    error SmartLawInvalidId(string field);

    /// @notice A scope other than 0 (Any) or 1 (Jurisdiction).
    error SmartLawInvalidScope(uint8 scope);

    /// @notice The role is already granted for that function and resource (by `lawId`).
    error SmartLawAlreadyGranted(bytes32 role, address target, bytes4 selector, bytes32 resource, bytes32 lawId);

    /// @notice There is no such grant by that law.
    error SmartLawGrantNotFound(bytes32 lawId, bytes32 role, address target, bytes4 selector, bytes32 resource);

    /// @notice The law has no such parameter.
    error SmartLawParamNotSet(bytes32 lawId, bytes32 key);

    /// @notice The address holds no code, or its code is a proxy or may change its behaviour (DELEGATECALL,
    /// CALLCODE, SELFDESTRUCT): the algorithm with legal force must be the one enacted.
    error SmartLawCodeNotPinnable(address account);

    /// @notice The contract's code differs from the code hash pinned by law.
    error SmartLawCodeHashMismatch(address account, bytes32 pinned, bytes32 actual);

    /// @notice No rule is bound to the law.
    error SmartLawRuleNotBound(bytes32 lawId);

    /// @notice The function never asks SmartLaw with a resource (see {IResourceChecked}): a grant on one resource of
    /// it would do nothing.
    error SmartLawResourceNotChecked(address target, bytes4 selector);

    /// @notice The role was given to persons by appointment: it cannot be assigned to a service contract as well.
    error SmartLawRoleHeldByPersons(bytes32 role);

    /// @notice The address is a key of an identity (`identityId`): it cannot be a service contract as well.
    error SmartLawServiceContractIsKey(address account, uint256 identityId);

    /// @notice {authorizeRead} was asked about a selector that is neither {READ_RECORD} nor {READ_PERSONAL_DATA}.
    error SmartLawNotAReadSelector(bytes4 selector);

    /// @notice No identity has the id `subject`: there is nothing of it to read.
    error SmartLawUnknownSubject(uint256 subject);

    /// @notice The role is reserved ({SUBJECT_ROLE}): no law may assign it to a service contract.
    error SmartLawReservedRole(bytes32 role);

    /**
     * @notice Wires SmartLaw to the Legislature and the IdentityRegistry. Callable once, by the deployer;
     * afterwards the deployer holds no power.
     */
    function initialize(address legislature, address identityRegistry) external;

    /**
     * @notice Records a new version of a law: called by the Legislature when it enacts a law update, before the
     * update's calls run. The law is (again) in force afterwards.
     * @param lawId The law.
     * @param version Must be the law's next version (1 for a new law).
     * @param textHash The hash of the official legal text of this version.
     */
    function recordVersion(bytes32 lawId, uint32 version, bytes32 textHash) external;

    /// @notice Sets a parameter of a law in force. Only the Legislature.
    function setParam(bytes32 lawId, bytes32 key, uint256 value) external;

    /**
     * @notice Grants `role` the right to call `selector` on `target`, under a law in force. Only the Legislature.
     * @param scope 0 = Any, 1 = Jurisdiction.
     */
    function grant(bytes32 lawId, bytes32 role, address target, bytes4 selector, uint8 scope) external;

    /// @notice Revokes a grant made by `lawId`. Only the Legislature.
    function revokeGrant(bytes32 lawId, bytes32 role, address target, bytes4 selector) external;

    /**
     * @notice Grants `role` the right to call `selector` on `target` for one resource only (a register id, a
     * programme id: what the target names when it asks, see {authorizeOn}). Only the Legislature. Refused unless
     * the target answers that the function asks with a resource ({IResourceChecked-isResourceChecked}): a grant on
     * any other function would be enacted and do nothing.
     * @param scope 0 = Any, 1 = Jurisdiction.
     */
    function grantOn(
        bytes32 lawId,
        bytes32 role,
        address target,
        bytes4 selector,
        bytes32 resource,
        uint8 scope
    ) external;

    /// @notice Revokes a grant for one resource made by `lawId`. Only the Legislature.
    function revokeGrantOn(bytes32 lawId, bytes32 role, address target, bytes4 selector, bytes32 resource) external;

    /// @notice Repeals a law in force: its grants, parameters, rule and service roles lapse. Only the Legislature.
    function repeal(bytes32 lawId) external;

    /// @notice Binds a rule contract to a law in force, pinned by its code hash. Only the Legislature.
    function bindRule(bytes32 lawId, address rule) external;

    /**
     * @notice Assigns `role` to a service contract under a law in force, pinned by its code hash. Only the
     * Legislature. A role is held by persons or by service contracts, never both: a role that any person was ever
     * appointed to is refused, and the role is a service role for ever after (see {isServiceRole}); the contract
     * may not be a key of an identity. The reserved {SUBJECT_ROLE} is refused.
     */
    function assignRole(address serviceContract, bytes32 role, bytes32 lawId) external;

    /**
     * @notice The check that a gated contract makes before a write. `msg.sender` is the target.
     * An official's appointment counts only while its department is active and the law it was made under (the
     * appointer's power) is in force.
     * @param caller Who called the target.
     * @param selector The target's function being called.
     * @param subjectJurisdiction The jurisdiction of the write's subject (for grants scoped `Jurisdiction`).
     * @return lawId The law that authorises the write: its legal basis. For the Legislature, the law being enacted.
     */
    function authorize(
        address caller,
        bytes4 selector,
        bytes32 subjectJurisdiction
    ) external view returns (bytes32 lawId);

    /**
     * @notice {authorize} for a write to one resource of the target (a register, a programme, the role an official
     * is appointed to): the grants made for that resource by {grantOn} apply, and so do the grants on the whole
     * function made by {grant}, which cover every resource.
     * @return lawId The law that authorises the write.
     * @return lawNumber That law's serial number (see {Law}), for compact storage by the target.
     */
    function authorizeOn(
        address caller,
        bytes4 selector,
        bytes32 resource,
        bytes32 subjectJurisdiction
    ) external view returns (bytes32 lawId, uint32 lawNumber);

    /**
     * @notice {authorizeOn} asked for `target` by anyone, rather than by the target itself: whether `caller` may now
     * make that write. For services that act on a target's data off chain (the data service accepts a record's
     * documents only from an official who may write the record).
     * @param target The gated contract.
     * @param caller Who would call it.
     * @param selector The target's function.
     * @param resource The resource (zero for the whole function).
     * @param subjectJurisdiction The jurisdiction of the write's subject.
     * @return lawId The law that would authorise the write. For the Legislature, outside an enactment, zero.
     */
    function authorizeAt(
        address target,
        address caller,
        bytes4 selector,
        bytes32 resource,
        bytes32 subjectJurisdiction
    ) external view returns (bytes32 lawId);

    /**
     * @notice Whether `key` may now read, on `target`, `resource` of `subject` (a register's record: {READ_RECORD} on
     * the CivilRegistry, resource the register's id; personal data: {READ_PERSONAL_DATA} on the IdentityRegistry,
     * resource 0), and under which law. The grants for the resource are tried, then those on the whole pseudo-function,
     * each list in its order; the first that allows wins. A grant to {SUBJECT_ROLE} allows a live key of the active
     * subject himself, whatever its scope; any other grant, as for writes, a key of an official appointed to its role,
     * within the appointment's jurisdiction for a grant scoped `Jurisdiction`. Only keys of identities read: neither
     * the Legislature nor service contracts.
     * @param key The reader's key (the signer of the read request).
     * @param target The contract whose data is read.
     * @param selector {READ_RECORD} or {READ_PERSONAL_DATA}.
     * @param resource The register's id for {READ_RECORD}; 0 for every register's grants only, or personal data.
     * @param subject The identity whose data is read.
     * @return The law, the role, the reader's identity and the law's covert period.
     */
    function authorizeRead(
        address key,
        address target,
        bytes4 selector,
        bytes32 resource,
        uint256 subject
    ) external view returns (ReadAuthority memory);

    /**
     * @notice Whether `caller` may call `selector` on `target` (the shape of OpenZeppelin's `IAuthority`).
     * IMPORTANT: for grants scoped `Jurisdiction` this says whether the caller holds a granted role at all; the
     * subject's jurisdiction is checked by {authorize} when the write happens.
     */
    function canCall(address caller, address target, bytes4 selector) external view returns (bool);

    /// @notice Whether `caller` may call `selector` on `target` for `resource`; see {canCall}.
    function canCallOn(address caller, address target, bytes4 selector, bytes32 resource) external view returns (bool);

    /// @notice A parameter of a law in force. Reverts if the law is not in force or the parameter was never set.
    function param(bytes32 lawId, bytes32 key) external view returns (uint256);

    /// @notice A law's current version (0 = never enacted).
    function lawVersion(bytes32 lawId) external view returns (uint32);

    /// @notice Whether the law was enacted and not repealed.
    function isInForce(bytes32 lawId) external view returns (bool);

    /// @notice A law's record.
    function law(bytes32 lawId) external view returns (Law memory);

    /// @notice The text hash of a version of a law (zero if there is no such version).
    function textHash(bytes32 lawId, uint32 version) external view returns (bytes32);

    /// @notice The grants for a function of a target.
    function grantsFor(address target, bytes4 selector) external view returns (Grant[] memory);

    /// @notice The grants for a function of a target on one resource.
    function grantsOn(address target, bytes4 selector, bytes32 resource) external view returns (Grant[] memory);

    /// @notice The law with a serial number (zero if none has it).
    function lawIdOf(uint32 number) external view returns (bytes32);

    /// @notice The rule bound to a law, checked: reverts unless the law is in force and the code hash matches.
    function ruleOf(bytes32 lawId) external view returns (address rule);

    /// @notice The law and code hash under which a service contract holds a role (zeros if none).
    function serviceRole(address serviceContract, bytes32 role) external view returns (Pinned memory);

    /**
     * @notice Whether a law ever assigned `role` to a service contract, or the role is the reserved {SUBJECT_ROLE}:
     * such a role is never held by a person (the IdentityRegistry refuses to appoint to it).
     */
    function isServiceRole(bytes32 role) external view returns (bool);

    /// @notice Whether the law with serial number `number` (see {Law}) was enacted and not repealed.
    function isLawNumberInForce(uint32 number) external view returns (bool);

    /// @notice The Legislature.
    function legislature() external view returns (address);

    /// @notice The IdentityRegistry that holds identities, keys and appointments.
    function identityRegistry() external view returns (address);
}
