// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IResourceChecked} from "../interfaces/IResourceChecked.sol";
import {ISmartLaw, READ_RECORD} from "../interfaces/ISmartLaw.sol";
import {RecordSchema} from "../libraries/RecordSchema.sol";

/**
 * @title CivilRegistry
 * @notice See {ICivilRegistry}. Every write asks SmartLaw first ({ISmartLaw-authorizeOn}, with the register as the
 * resource and the subject's jurisdiction), and records the law that authorised it.
 *
 * Each register holds subjects of one kind (persons or organisations), checked on every write with the subject's
 * jurisdiction, from the same read of its identity.
 *
 * Storage is laid out for the cost of a record: a register's header, subject kind and layout fit one slot, and a
 * record takes
 * two (its data hash; then its key, time, law number and status). The first version of each register and subject
 * also holds the number of the last version, so that {latest} needs no slot of its own.
 */
contract CivilRegistry is ICivilRegistry, IResourceChecked, EIP712 {
    using BitMaps for BitMaps.BitMap;

    /// @notice The most head words a register's records may have on chain (the private hash's word included).
    uint256 public constant MAX_FIELDS = RecordSchema.MAX_WORDS;

    /// @notice The longest reason, in bytes: its text is emitted, and an event is paid for by whoever sends it.
    uint256 public constant MAX_REASON_LENGTH = 256;

    /// @notice The EIP-712 type of a record signed by an official for {recordBySig}.
    bytes32 public constant RECORD_TYPEHASH = keccak256(
        "Record(bytes32 registerId,uint256 subject,bytes32 dataHash,uint256 nonce,uint256 deadline)"
    );

    /// @dev A register's header and layout, in one slot: every write reads it. The governing law's number takes 24
    /// bits (16 million laws) so that the subject kind fits beside it.
    struct RegisterHeader {
        uint32 number;
        uint24 lawNumber;
        IIdentityRegistry.Kind subjectKind;
        RecordSchema.Layout layout;
    }

    /// @dev A register's names, read by people and tools, not by writes.
    struct RegisterText {
        string name;
        string schema;
    }

    /// @dev Where {_statusWord} finds `status` and `lastVersion` in an entry's second slot (after the key's 160
    /// bits, recordedAt's 40 and lawNumber's 32).
    uint256 private constant _STATUS_SHIFT = 232;
    uint256 private constant _LAST_VERSION_SHIFT = 240;

    /// @dev A record as stored: two slots. `lastVersion` is kept in the first version only.
    struct Entry {
        bytes32 dataHash;
        address key;
        uint40 recordedAt;
        uint32 lawNumber;
        Status status;
        uint16 lastVersion;
    }

    /// @dev What a batch has checked so far: the last jurisdiction SmartLaw allowed, and under which law.
    struct Authorization {
        bytes32 jurisdiction;
        bytes32 lawId;
        uint32 lawNumber;
        uint256 official;
    }

    /// @dev The authority that decides every write.
    ISmartLaw private immutable _smartLaw;

    /// @dev Where subjects and officials are.
    IIdentityRegistry private immutable _identityRegistry;

    /// @dev The registers.
    mapping(bytes32 registerId => RegisterHeader) private _registers;

    /// @dev The registers' names and schemas.
    mapping(bytes32 registerId => RegisterText) private _texts;

    /// @dev The registers by number.
    mapping(uint32 number => bytes32 registerId) private _registerIds;

    /// @dev The number of registers; also the last number given.
    uint32 private _registerCount;

    /// @dev Every record, by uid.
    mapping(uint256 uid => Entry) private _entries;

    /// @dev The nonces each signer has used for {recordBySig}.
    mapping(address signer => BitMaps.BitMap) private _usedNonces;

    /// @dev The hash of the reason each superseded or revoked record gives (its text is in the event).
    mapping(bytes32 uid => bytes32 reasonHash) private _reasonHashes;

    constructor(ISmartLaw smartLaw_, IIdentityRegistry identityRegistry_) EIP712("CivilRegistry", "1") {
        _smartLaw = smartLaw_;
        _identityRegistry = identityRegistry_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Registers
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICivilRegistry
    function createRegister(bytes32 registerId, string calldata name, string calldata schema, bytes32 lawId) external {
        _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        _createRegister(registerId, name, schema, lawId, IIdentityRegistry.Kind.Person);
    }

    /// @inheritdoc ICivilRegistry
    function createRegisterOfKind(
        bytes32 registerId,
        string calldata name,
        string calldata schema,
        bytes32 lawId,
        uint8 subjectKind
    ) external {
        _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        if (subjectKind == 0 || subjectKind > uint8(type(IIdentityRegistry.Kind).max)) {
            revert CivilRegistryInvalidSubjectKind(subjectKind);
        }
        _createRegister(registerId, name, schema, lawId, IIdentityRegistry.Kind(subjectKind));
    }

    /// @dev {createRegisterOfKind}, once the caller is authorised and the kind checked.
    function _createRegister(
        bytes32 registerId,
        string calldata name,
        string calldata schema,
        bytes32 lawId,
        IIdentityRegistry.Kind subjectKind
    ) private {
        if (registerId == bytes32(0)) revert CivilRegistryZeroValue("registerId");
        if (bytes(name).length == 0) revert CivilRegistryZeroValue("name");
        if (_registers[registerId].number != 0) revert CivilRegistryRegisterExists(registerId);
        ISmartLaw.Law memory governing = _smartLaw.law(lawId);
        if (governing.version == 0 || governing.repealed) revert CivilRegistryLawNotInForce(lawId);
        uint32 lawNumber = governing.number;
        if (lawNumber > type(uint24).max) revert CivilRegistryOutOfRange("lawNumber", lawNumber);
        (RecordSchema.Layout memory layout, bool ok, uint256 position) = RecordSchema.parse(schema);
        if (!ok) revert CivilRegistryInvalidSchema(schema, position);

        uint32 number = ++_registerCount;
        _registers[registerId] = RegisterHeader({
            number: number,
            lawNumber: uint24(lawNumber),
            subjectKind: subjectKind,
            layout: layout
        });
        _texts[registerId] = RegisterText({name: name, schema: schema});
        _registerIds[number] = registerId;
        emit RegisterCreated(registerId, number, name, schema, lawId, uint8(subjectKind));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Records
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICivilRegistry
    function record(bytes32 registerId, uint256 subject, bytes calldata data) external returns (bytes32) {
        return _record(registerId, subject, data, msg.sender);
    }

    /// @inheritdoc ICivilRegistry
    function recordBatch(
        bytes32 registerId,
        uint256[] calldata subjects,
        bytes[] calldata data
    ) external returns (bytes32[] memory uids) {
        uint256 count = subjects.length;
        if (count == 0 || count != data.length) revert CivilRegistryInvalidBatch(count, data.length);
        RegisterHeader memory header = _header(registerId);
        uids = new bytes32[](count);
        Authorization memory checked;
        checked.official = _identityRegistry.identityOf(msg.sender);
        for (uint256 i = 0; i < count; ++i) {
            uids[i] = _recordInBatch(registerId, header, subjects[i], data[i], checked);
        }
    }

    /// @inheritdoc ICivilRegistry
    function recordBySig(
        bytes32 registerId,
        uint256 subject,
        bytes calldata data,
        uint256 nonce,
        uint256 deadline,
        bytes calldata signature
    ) external returns (bytes32) {
        if (block.timestamp > deadline) revert CivilRegistryExpiredSignature(deadline);
        bytes32 digest = hashRecord(registerId, subject, keccak256(data), nonce, deadline);
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, signature);
        if (error != ECDSA.RecoverError.NoError) revert CivilRegistryInvalidSignature();
        BitMaps.BitMap storage nonces = _usedNonces[signer];
        if (nonces.get(nonce)) revert CivilRegistryNonceUsed(signer, nonce);
        nonces.set(nonce);
        return _record(registerId, subject, data, signer);
    }

    /// @inheritdoc ICivilRegistry
    function recordFor(
        bytes32 registerId,
        uint256 subject,
        bytes calldata data,
        address officialKey
    ) external returns (bytes32) {
        return _record(registerId, subject, data, officialKey);
    }

    /// @inheritdoc ICivilRegistry
    function amend(bytes32 uid, bytes calldata data, string calldata reason) external returns (bytes32 newUid) {
        bytes32 reasonHash = _reasonHash(reason);
        (Entry storage entry, bytes32 registerId, uint256 subject) = _current(uid);
        entry.status = Status.Superseded; // so that the new version may follow it
        newUid = _record(registerId, subject, data, msg.sender);
        _reasonHashes[uid] = reasonHash;
        emit RecordAmended(uid, newUid, reasonHash, reason);
    }

    /// @inheritdoc ICivilRegistry
    function revoke(bytes32 uid, string calldata reason) external {
        bytes32 reasonHash = _reasonHash(reason);
        (Entry storage entry, bytes32 registerId, uint256 subject) = _current(uid);
        (bytes32 lawId, ) = _smartLaw.authorizeOn(
            msg.sender,
            msg.sig,
            registerId,
            _identityRegistry.jurisdictionOf(subject)
        );
        entry.status = Status.Revoked;
        _reasonHashes[uid] = reasonHash;
        emit RecordRevoked(uid, reasonHash, reason, _identityRegistry.identityOf(msg.sender), msg.sender, lawId);
    }

    /// @dev The hash of a reason, refused when empty or longer than MAX_REASON_LENGTH.
    function _reasonHash(string calldata reason) private pure returns (bytes32) {
        uint256 length = bytes(reason).length;
        if (length == 0) revert CivilRegistryZeroValue("reason");
        if (length > MAX_REASON_LENGTH) revert CivilRegistryReasonTooLong(length, MAX_REASON_LENGTH);
        return keccak256(bytes(reason));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ICivilRegistry
    function reasonHashOf(bytes32 uid) external view returns (bytes32) {
        return _reasonHashes[uid];
    }

    /// @inheritdoc ICivilRegistry
    function getRecord(bytes32 uid) external view returns (Record memory) {
        Entry storage entry = _entries[uint256(uid)];
        if (entry.status == Status.None) revert CivilRegistryUnknownRecord(uid);
        (uint32 number, uint256 subject, uint32 version) = _split(uid);
        return
            Record({
                uid: uid,
                registerId: _registerIds[number],
                subject: subject,
                version: version,
                status: entry.status,
                dataHash: entry.dataHash,
                official: _identityRegistry.keyRecord(entry.key).identityId,
                key: entry.key,
                lawId: _smartLaw.lawIdOf(entry.lawNumber),
                recordedAt: entry.recordedAt
            });
    }

    /// @inheritdoc ICivilRegistry
    function latest(bytes32 registerId, uint256 subject) public view returns (bytes32) {
        return _latest(_registers[registerId].number, subject);
    }

    /**
     * @inheritdoc ICivilRegistry
     * @dev The same reads as {latest}, in assembly: a payout reads hundreds of subjects in two registers, and the
     * loop's bookkeeping would otherwise cost a third of each read. The tests hold it equal to {latest}.
     */
    function currentOf(bytes32 registerId, uint256[] calldata subjects) external view returns (uint256[] memory bits) {
        uint256 registerNumber = _registers[registerId].number;
        uint256 count = subjects.length;
        bits = new uint256[]((count + 255) >> 8);
        if (registerNumber == 0) return bits;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let out := add(bits, 0x20)
            for {
                let i := 0
            } lt(i, count) {
                i := add(i, 1)
            } {
                let subject := calldataload(add(subjects.offset, shl(5, i)))
                if iszero(gt(subject, 0xffffffffffffffff)) {
                    let uid := or(or(shl(96, registerNumber), shl(32, subject)), 1)
                    mstore(0x00, uid)
                    mstore(0x20, _entries.slot)
                    let word := sload(add(keccak256(0x00, 0x40), 1))
                    let last := shr(_LAST_VERSION_SHIFT, word)
                    if gt(last, 1) {
                        mstore(0x00, add(uid, sub(last, 1)))
                        word := sload(add(keccak256(0x00, 0x40), 1))
                    }
                    // Status.Current is 1
                    if and(iszero(iszero(last)), eq(and(shr(_STATUS_SHIFT, word), 0xff), 1)) {
                        let at := add(out, shl(5, shr(8, i)))
                        mstore(at, or(mload(at), shl(and(i, 0xff), 1)))
                    }
                }
            }
        }
    }

    /// @dev The subject's current record in the register with `number` (zero for none). Most subjects have one
    /// version, whose second slot holds both the chain's head and the status: one read.
    function _latest(uint32 number, uint256 subject) private view returns (bytes32) {
        if (number == 0 || subject > type(uint64).max) return bytes32(0);
        uint256 uid = _uid(number, subject, 1);
        uint256 packed = _statusWord(uid);
        uint256 last = packed >> _LAST_VERSION_SHIFT;
        if (last == 0) return bytes32(0);
        if (last != 1) {
            uid += last - 1;
            packed = _statusWord(uid);
        }
        return uint8(packed >> _STATUS_SHIFT) == uint8(Status.Current) ? bytes32(uid) : bytes32(0);
    }

    /**
     * @dev The second slot of an entry (key, recordedAt, lawNumber, status, lastVersion), read as one word: a
     * payout reads it for hundreds of subjects, and Solidity would read it once per field.
     */
    function _statusWord(uint256 uid) private view returns (uint256 word) {
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(0x00, uid)
            mstore(0x20, _entries.slot)
            word := sload(add(keccak256(0x00, 0x40), 1))
        }
    }

    /// @inheritdoc ICivilRegistry
    function verify(bytes32 uid, bytes calldata data) external view returns (bool) {
        Entry storage entry = _entries[uint256(uid)];
        return entry.status == Status.Current && entry.dataHash == keccak256(data);
    }

    /// @inheritdoc ICivilRegistry
    function register(bytes32 registerId) external view returns (Register memory) {
        RegisterHeader memory header = _header(registerId);
        RegisterText storage text = _texts[registerId];
        return
            Register({
                number: header.number,
                lawId: _smartLaw.lawIdOf(header.lawNumber),
                name: text.name,
                schema: text.schema,
                words: header.layout.words,
                dynamic: header.layout.dynamic,
                subjectKind: uint8(header.subjectKind)
            });
    }

    /// @inheritdoc ICivilRegistry
    function registerIdOf(uint32 number) external view returns (bytes32) {
        return _registerIds[number];
    }

    /// @inheritdoc ICivilRegistry
    function hashRecord(
        bytes32 registerId,
        uint256 subject,
        bytes32 dataHash,
        uint256 nonce,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(RECORD_TYPEHASH, registerId, subject, dataHash, nonce, deadline)));
    }

    /// @inheritdoc ICivilRegistry
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return _usedNonces[signer].get(nonce);
    }

    /// @inheritdoc IResourceChecked
    function isResourceChecked(bytes4 selector) external pure returns (bool) {
        // every write is checked per register; recordBySig and the batch are checked as record; reads of records are
        // granted per register too (the data service asks with the register, see ISmartLaw.authorizeRead)
        return
            selector == this.record.selector ||
            selector == this.recordFor.selector ||
            selector == this.amend.selector ||
            selector == this.revoke.selector ||
            selector == READ_RECORD;
    }

    /// @notice The authority that decides every write.
    function smartLaw() external view returns (address) {
        return address(_smartLaw);
    }

    /// @notice Where subjects and officials are.
    function identityRegistry() external view returns (address) {
        return address(_identityRegistry);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @dev {record} on behalf of `issuer`: the caller, the signer of {recordBySig}, or the official named to
     * {recordFor} (whose caller is asked first for its own grant of `recordFor` on the register). The issuer is
     * authorised for `amend` when amending, else for `record`.
     */
    function _record(
        bytes32 registerId,
        uint256 subject,
        bytes calldata data,
        address issuer
    ) private returns (bytes32 uid) {
        RegisterHeader memory header = _header(registerId);
        _checkData(registerId, header.layout, data);
        bytes32 jurisdiction = _subjectJurisdiction(registerId, header.subjectKind, subject);
        bytes4 selector = msg.sig;
        if (selector == this.recordFor.selector) {
            _smartLaw.authorizeOn(msg.sender, selector, registerId, jurisdiction);
            // the Legislature and service contracts, which SmartLaw would allow, are no official to write for
            if (_identityRegistry.identityOf(issuer) == 0) revert CivilRegistryNotAnOfficial(issuer);
        }
        if (selector != this.amend.selector) selector = this.record.selector;
        (bytes32 lawId, uint32 lawNumber) = _smartLaw.authorizeOn(issuer, selector, registerId, jurisdiction);
        uid = _append(header.number, registerId, subject, keccak256(data), issuer, lawNumber);
        emit RecordAdded(uid, registerId, subject, _identityRegistry.identityOf(issuer), issuer, lawId, data);
    }

    /**
     * @dev One record of a batch. SmartLaw is asked once per jurisdiction in a row: an official's standing does
     * not change within a transaction.
     */
    function _recordInBatch(
        bytes32 registerId,
        RegisterHeader memory header,
        uint256 subject,
        bytes calldata data,
        Authorization memory checked
    ) private returns (bytes32 uid) {
        _checkData(registerId, header.layout, data);
        bytes32 jurisdiction = _subjectJurisdiction(registerId, header.subjectKind, subject);
        if (checked.lawNumber == 0 || jurisdiction != checked.jurisdiction) {
            (checked.lawId, checked.lawNumber) = _smartLaw.authorizeOn(
                msg.sender,
                this.record.selector,
                registerId,
                jurisdiction
            );
            checked.jurisdiction = jurisdiction;
        }
        uid = _append(header.number, registerId, subject, keccak256(data), msg.sender, checked.lawNumber);
        emit RecordAdded(uid, registerId, subject, checked.official, msg.sender, checked.lawId, data);
    }

    /// @dev The subject's jurisdiction, once its identity is found of the kind the register holds.
    function _subjectJurisdiction(
        bytes32 registerId,
        IIdentityRegistry.Kind expected,
        uint256 subject
    ) private view returns (bytes32 jurisdiction) {
        IIdentityRegistry.Kind kind;
        (kind, jurisdiction) = _identityRegistry.subjectOf(subject);
        if (kind != expected) revert CivilRegistryWrongSubjectKind(registerId, subject, expected, kind);
    }

    /// @dev Writes the next version for the register and subject; refused while a version is current.
    function _append(
        uint32 number,
        bytes32 registerId,
        uint256 subject,
        bytes32 dataHash,
        address issuer,
        uint32 lawNumber
    ) private returns (bytes32) {
        if (subject > type(uint64).max) revert CivilRegistryOutOfRange("subject", subject);
        Entry storage first = _entries[_uid(number, subject, 1)];
        uint16 last = first.lastVersion;
        if (last == type(uint16).max) revert CivilRegistryOutOfRange("version", uint256(last) + 1);
        if (last != 0) {
            // amend marks the last version superseded before it appends; record finds it current
            uint256 lastUid = _uid(number, subject, last);
            if (_entries[lastUid].status == Status.Current) {
                revert CivilRegistryRecordExists(registerId, subject, bytes32(lastUid));
            }
        }
        uint16 version = last + 1;
        first.lastVersion = version;
        uint256 uid = _uid(number, subject, version);
        Entry storage entry = _entries[uid];
        entry.dataHash = dataHash;
        entry.key = issuer;
        entry.recordedAt = uint40(block.timestamp);
        entry.lawNumber = lawNumber;
        entry.status = Status.Current;
        return bytes32(uid);
    }

    /// @dev A current record, with its register and subject.
    function _current(bytes32 uid) private view returns (Entry storage entry, bytes32 registerId, uint256 subject) {
        entry = _entries[uint256(uid)];
        Status status = entry.status;
        if (status == Status.None) revert CivilRegistryUnknownRecord(uid);
        if (status != Status.Current) revert CivilRegistryNotCurrent(uid, status);
        uint32 number;
        (number, subject, ) = _split(uid);
        registerId = _registerIds[number];
    }

    function _header(bytes32 registerId) private view returns (RegisterHeader memory header) {
        header = _registers[registerId];
        if (header.number == 0) revert CivilRegistryUnknownRegister(registerId);
    }

    function _checkData(bytes32 registerId, RecordSchema.Layout memory layout, bytes calldata data) private pure {
        (bool ok, uint256 word, uint256 expected) = RecordSchema.check(layout, data);
        if (ok) return;
        if (word == type(uint256).max) revert CivilRegistryDataLength(registerId, expected, data.length);
        revert CivilRegistryDataMismatch(registerId, word);
    }

    function _uid(uint32 number, uint256 subject, uint32 version) private pure returns (uint256) {
        return (uint256(number) << 96) | (subject << 32) | version;
    }

    function _split(bytes32 uid) private pure returns (uint32 number, uint256 subject, uint32 version) {
        uint256 value = uint256(uid);
        return (uint32(value >> 96), uint64(value >> 32), uint32(value));
    }
}
