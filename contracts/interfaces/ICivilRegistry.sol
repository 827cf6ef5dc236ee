// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IIdentityRegistry} from "./IIdentityRegistry.sol";

/**
 * @title CivilRegistry: the civil registers
 * @notice Registers (birth, death, marriage, residence, …) created by law, each with a schema: the ABI type list
 * of its records' fields, each public or `private`, and the kind of subject it holds (persons, or organisations):
 * a record about an identity of another kind is refused. A record is written about a subject (an identity) by an
 * official, a service contract or the Legislature, as SmartLaw allows for that register and the subject's
 * jurisdiction; it names the issuing key and the law that authorised it.
 *
 * Append-only: a record is never changed or deleted. An amendment is a new version that supersedes the current
 * one; a revocation states its reason. A subject has at most one current record per register, its `latest`.
 * Storage keeps each record's data hash; its data travel in the RecordAdded event, from which the registers can
 * be rebuilt, and {verify} checks a document's data against the hash.
 *
 * A record's data are its on-chain form: the public fields in schema order, then, when the schema marks any field
 * `private`, one `bytes32 privateHash = keccak256(abi.encodePacked(bytes32 salt, abi.encode(private fields in
 * order)))`. Private values never reach the chain in clear (neither storage nor events); whoever holds them and
 * the salt (an opening) proves them against the record with {verify}. IMPORTANT: the calldata of a transaction is
 * seen by every node: private values must not travel in it either, only their hash.
 *
 * A record's uid is its address in the registers, readable as numbers:
 * `uid = registerNumber << 96 | subject << 32 | version` (versions count from 1 per register and subject).
 */
interface ICivilRegistry {
    /// @notice Where a record stands.
    enum Status {
        None,
        Current,
        Superseded,
        Revoked
    }

    /// @notice A register. `subjectKind` is the kind of identity its records are about (1 person, 2 organisation,
    /// as {IIdentityRegistry-Kind}).
    struct Register {
        uint32 number;
        bytes32 lawId;
        string name;
        string schema;
        uint8 words;
        bool dynamic;
        uint8 subjectKind;
    }

    /**
     * @notice A record. `official` is the identity of `key` (0 when the Legislature or a service contract wrote
     * it); `lawId` is its legal basis.
     */
    struct Record {
        bytes32 uid;
        bytes32 registerId;
        uint256 subject;
        uint32 version;
        Status status;
        bytes32 dataHash;
        uint256 official;
        address key;
        bytes32 lawId;
        uint64 recordedAt;
    }

    /// @notice Emitted when a law creates a register, for subjects of `subjectKind` (1 person, 2 organisation).
    event RegisterCreated(
        bytes32 indexed registerId,
        uint32 number,
        string name,
        string schema,
        bytes32 lawId,
        uint8 subjectKind
    );

    /// @notice Emitted for every record written (amendments included), with its data.
    event RecordAdded(
        bytes32 indexed uid,
        bytes32 indexed registerId,
        uint256 indexed subject,
        uint256 official,
        address key,
        bytes32 lawId,
        bytes data
    );

    /// @notice Emitted when a record is amended: `newUid`, added in the same transaction, supersedes `uid`.
    /// @param reasonHash The hash of `reason`, as {reasonHashOf} keeps it.
    /// @param reason The reason's text, readable by anyone who reads the record's history.
    event RecordAmended(bytes32 indexed uid, bytes32 indexed newUid, bytes32 reasonHash, string reason);

    /// @notice Emitted when a record is revoked.
    /// @param reasonHash The hash of `reason`, as {reasonHashOf} keeps it.
    /// @param reason The reason's text, readable by anyone who reads the record's history.
    event RecordRevoked(
        bytes32 indexed uid,
        bytes32 reasonHash,
        string reason,
        uint256 official,
        address key,
        bytes32 lawId
    );

    /// @notice The value `field` must be set, and is zero or empty.
    error CivilRegistryZeroValue(string field);

    /// @notice A register with that id exists already.
    error CivilRegistryRegisterExists(bytes32 registerId);

    /// @notice No register has that id.
    error CivilRegistryUnknownRegister(bytes32 registerId);

    /// @notice The law is not in force.
    error CivilRegistryLawNotInForce(bytes32 lawId);

    /**
     * @notice The schema is not a list of named fields of elementary ABI types (`uint<M>`, `int<M>`, `address`,
     * `bool`, `bytes<M>`, `bytes`, `string`, and one-dimensional arrays of the static ones), each perhaps followed
     * by the word `private`, or names more than 32 fields, or has more than {MAX_FIELDS} words on chain (the
     * private hash's word included); `position` is the byte at which reading stopped.
     */
    error CivilRegistryInvalidSchema(string schema, uint256 position);

    /// @notice The data are not as long as the register's schema requires.
    error CivilRegistryDataLength(bytes32 registerId, uint256 expected, uint256 actual);

    /// @notice Word `word` of the data does not fit the register's schema (out of range, or a bad offset).
    error CivilRegistryDataMismatch(bytes32 registerId, uint256 word);

    /// @notice The subject already has a current record in the register: amend it, or revoke it first.
    error CivilRegistryRecordExists(bytes32 registerId, uint256 subject, bytes32 uid);

    /// @notice A reason is longer than the registry keeps in its events.
    error CivilRegistryReasonTooLong(uint256 length, uint256 max);

    /// @notice No record has that uid.
    error CivilRegistryUnknownRecord(bytes32 uid);

    /// @notice Only a current record may be amended or revoked.
    error CivilRegistryNotCurrent(bytes32 uid, Status status);

    /// @notice The subjects and the data of a batch differ in number, or the batch is empty.
    error CivilRegistryInvalidBatch(uint256 subjects, uint256 data);

    /// @notice The signature is past its deadline.
    error CivilRegistryExpiredSignature(uint256 deadline);

    /// @notice The signature cannot be read.
    error CivilRegistryInvalidSignature();

    /// @notice The signer has used that nonce already.
    error CivilRegistryNonceUsed(address signer, uint256 nonce);

    /// @notice A register holds subjects of one kind: 1 (person) or 2 (organisation), not `subjectKind`.
    error CivilRegistryInvalidSubjectKind(uint8 subjectKind);

    /// @notice The register holds subjects of kind `expected`; `subject` is of kind `actual` (0: no such identity).
    error CivilRegistryWrongSubjectKind(
        bytes32 registerId,
        uint256 subject,
        IIdentityRegistry.Kind expected,
        IIdentityRegistry.Kind actual
    );

    /// @notice {recordFor} names a key of no identity (the Legislature, a service contract): it writes only for an
    /// official.
    error CivilRegistryNotAnOfficial(address officialKey);

    /// @notice The register's id must fit the uid: at most 2^32 - 1 registers, subjects below 2^64.
    error CivilRegistryOutOfRange(string field, uint256 value);

    /**
     * @notice Creates a register of persons, by law. The Legislature may always; a law may grant it to a role.
     * Civil registers are about persons: {createRegisterOfKind} creates one about organisations.
     * @param registerId The register's id (its name as bytes32 text, e.g. "BIRTH").
     * @param name A name for people.
     * @param schema The fields of its records, as an ABI type list, private ones marked:
     * `"uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash"`.
     * @param lawId The law that governs the register (in force).
     */
    function createRegister(bytes32 registerId, string calldata name, string calldata schema, bytes32 lawId) external;

    /**
     * @notice Creates a register whose subjects are of `subjectKind`, by law (as {createRegister}, which a grant of
     * this function does not cover).
     * @param subjectKind 1 = persons, 2 = organisations (as {IIdentityRegistry-Kind}).
     */
    function createRegisterOfKind(
        bytes32 registerId,
        string calldata name,
        string calldata schema,
        bytes32 lawId,
        uint8 subjectKind
    ) external;

    /**
     * @notice Writes a record about `subject` in a register, as SmartLaw allows for that register and the subject's
     * jurisdiction. Refused when the subject has a current record there (amend it instead).
     * @param data The record's on-chain form: its public fields, then its private hash if the schema has private
     * fields, ABI-encoded (canonically).
     * @return uid The new record.
     */
    function record(bytes32 registerId, uint256 subject, bytes calldata data) external returns (bytes32 uid);

    /**
     * @notice Many records in one register, all or nothing: the form for migrating a legacy database. Each is
     * authorised as a {record} by the caller.
     */
    function recordBatch(
        bytes32 registerId,
        uint256[] calldata subjects,
        bytes[] calldata data
    ) external returns (bytes32[] memory uids);

    /**
     * @notice A record signed by an official's key (EIP-712, domain "CivilRegistry" version "1",
     * `Record(bytes32 registerId,uint256 subject,bytes32 dataHash,uint256 nonce,uint256 deadline)`) and submitted by
     * anyone. The signer is authorised exactly as if it had called {record}. Nonces are the signer's, in any order.
     */
    function recordBySig(
        bytes32 registerId,
        uint256 subject,
        bytes calldata data,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32 uid);

    /**
     * @notice A record written by a service contract on an official's behalf: a referred application's records,
     * which the deciding official approved at the ServiceDesk. The caller needs a grant of this function on the
     * register; `officialKey` is then authorised exactly as if it had called {record} (its grant on the register,
     * within the subject's jurisdiction), and the record names the official, that key, and the law of the
     * official's grant as its issuer and legal basis.
     * WARNING: a service contract granted this function speaks for the officials it names; a law grants it only to
     * service contracts pinned by code hash that name the official who sent the transaction.
     */
    function recordFor(
        bytes32 registerId,
        uint256 subject,
        bytes calldata data,
        address officialKey
    ) external returns (bytes32 uid);

    /**
     * @notice A new version of a current record, which supersedes it; the old one stays readable. The reason (not
     * empty, at most MAX_REASON_LENGTH bytes) is given as text: its text goes in the event, its hash is kept.
     */
    function amend(bytes32 uid, bytes calldata data, string calldata reason) external returns (bytes32 newUid);

    /**
     * @notice Revokes a current record, with the reason (not empty, at most MAX_REASON_LENGTH bytes): its text
     * goes in the event, its hash is kept.
     */
    function revoke(bytes32 uid, string calldata reason) external;

    /// @notice The hash of the reason a record was amended (superseded) or revoked for; zero while it is current.
    function reasonHashOf(bytes32 uid) external view returns (bytes32);

    /// @notice A record; reverts for an unknown uid.
    function getRecord(bytes32 uid) external view returns (Record memory);

    /// @notice The subject's current record in the register: zero if none, or if the last was revoked.
    function latest(bytes32 registerId, uint256 subject) external view returns (bytes32 uid);

    /**
     * @notice Which of many subjects have a current record in the register (what a payout of many beneficiaries
     * reads): bit `i % 256` of word `i / 256` is set when `subjects[i]` has one, as {latest} would answer.
     */
    function currentOf(bytes32 registerId, uint256[] calldata subjects) external view returns (uint256[] memory bits);

    /// @notice Whether the record is current and `data` is what it recorded, in its on-chain form (how a document
    /// is checked; private values are checked by rebuilding the form from an opening).
    function verify(bytes32 uid, bytes calldata data) external view returns (bool);

    /// @notice A register; reverts for an unknown register.
    function register(bytes32 registerId) external view returns (Register memory);

    /// @notice The register with a number (zero if none).
    function registerIdOf(uint32 number) external view returns (bytes32);

    /// @notice The EIP-712 digest that an official signs for {recordBySig}.
    function hashRecord(
        bytes32 registerId,
        uint256 subject,
        bytes32 dataHash,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);

    /// @notice Whether the signer has used the nonce for {recordBySig}.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool);
}
