// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";

/**
 * @title AccessLog: the read log of the registers' data service, anchored on chain
 * @notice The data service logs every read of personal data and of records (and every refused attempt) in its own
 * database, then anchors the log here in batches: the Merkle root of each batch's entries, with their sequence
 * numbers and time range. No agency can then erase or change an entry without the root showing it, and anyone
 * holding an entry and its proof checks it with {verifyEntry}.
 *
 * The tree is OpenZeppelin's `StandardMerkleTree` (the npm package openzeppelin merkle-tree) over the entries'
 * values, with the leaf types, in the order of {Entry}'s fields:
 * `["uint64", "uint64", "uint64", "uint8", "uint256", "address", "bytes32", "uint256", "bytes32", "bytes32",
 * "uint256", "bytes32", "bytes32", "bytes32", "bytes4"]`
 * (a static struct encodes as its fields, so {leaf} equals the tree's leaf).
 *
 * Entries are numbered from 1 without gaps across batches; a batch covers the entries
 * `firstSeq .. firstSeq + count - 1`.
 *
 * The contract is also the EIP-712 verifying contract of the data service's signed messages (domain name
 * "GovChainData", version "1", given by ERC-5267's {eip712Domain}). Typed data, exactly:
 * `ReadRequest(bytes32 registerId,uint256 subject,bytes32 purpose,uint256 nonce,uint256 deadline)`,
 * `AccessQuery(uint256 subject,uint256 nonce,uint256 deadline)`,
 * `Upload(bytes32 kind,bytes32 target,bytes32 contentHash,uint256 nonce,uint256 deadline)`.
 */
interface IAccessLog is IERC5267 {
    /// @notice An anchored batch of log entries, in two slots.
    struct Batch {
        /// The Merkle root of the batch's entries.
        bytes32 root;
        /// The sequence number of its first entry.
        uint64 firstSeq;
        /// How many entries it holds.
        uint32 count;
        /// The time of its earliest and latest entries (unix seconds).
        uint40 firstAt;
        uint40 lastAt;
        /// When it was anchored.
        uint40 anchoredAt;
        /// The serial number of the law under which it was anchored (see {ISmartLaw-Law}).
        uint32 lawNumber;
    }

    /// @notice One entry of the read log, as the data service logs it; its leaf is {leaf}.
    struct Entry {
        /// Its sequence number in the log.
        uint64 seq;
        /// When the read happened (unix seconds).
        uint64 at;
        /// When its subject may see it: `at`, or later for a read that a law makes covert.
        uint64 disclosedAt;
        /// 1: read; 2: refused.
        uint8 outcome;
        /// The reader's identity, and the key that signed the request.
        uint256 reader;
        address key;
        /// The role and department under which the reader read (zero when refused without one).
        bytes32 role;
        uint256 department;
        /// The law that allowed the read.
        bytes32 lawId;
        /// The register read; 0 for the subject's personal data.
        bytes32 registerId;
        /// The identity whose data was read.
        uint256 subject;
        /// The record read (zero when none).
        bytes32 recordUid;
        /// The hash of the stated purpose.
        bytes32 purpose;
        /// The EIP-712 digest of the signed request: it holds the reader's nonce, so that nobody confirms another
        /// person's leaf by guessing its fields when a sibling hash is shown.
        bytes32 requestDigest;
        /// The selector of SmartLaw's error for a refused read (zero when read).
        bytes4 refusal;
    }

    /**
     * @notice Emitted when a batch is anchored, with the official and key that anchored it and the law that
     * allowed it.
     */
    event LogAnchored(
        uint256 indexed batchId,
        bytes32 root,
        uint64 firstSeq,
        uint32 count,
        uint40 firstAt,
        uint40 lastAt,
        uint256 official,
        address key,
        bytes32 lawId
    );

    /// @notice The batch is not the next one (`expected`): a batch resent after a crash is never anchored twice.
    error AccessLogUnexpectedBatch(uint256 expected, uint256 given);

    /// @notice The batch does not start right after the previous one: no entry may be left out between batches.
    error AccessLogGap(uint64 expected, uint64 given);

    /// @notice A batch holds at least one entry and has a root.
    error AccessLogEmptyBatch();

    /// @notice A batch's time range must be ordered and not in the future.
    error AccessLogInvalidRange(uint40 firstAt, uint40 lastAt);

    /// @notice The SmartLaw given at deployment is not wired to an IdentityRegistry yet.
    error AccessLogSmartLawNotWired(address smartLaw);

    /**
     * @notice Anchors the next batch of log entries. Gated by SmartLaw: a grant on this function (the data
     * service's operator, by the Data Protection Act).
     * @param batchId The next batch's id: {batchCount} + 1.
     * @param root The Merkle root of the batch's entries (see the leaf types above).
     * @param firstSeq The first entry's sequence number: the previous batch's `firstSeq + count`, or 1.
     * @param count How many entries the batch holds (at least 1).
     * @param firstAt The time of its earliest entry.
     * @param lastAt The time of its latest entry, at least `firstAt`, at most now.
     */
    function anchor(
        uint256 batchId,
        bytes32 root,
        uint64 firstSeq,
        uint32 count,
        uint40 firstAt,
        uint40 lastAt
    ) external;

    /// @notice The SmartLaw that gates {anchor}.
    function smartLaw() external view returns (address);

    /// @notice The IdentityRegistry that names the officials who anchor: SmartLaw's.
    function identityRegistry() external view returns (address);

    /// @notice An anchored batch (all zero for a batch not anchored).
    function batch(uint256 batchId) external view returns (Batch memory);

    /// @notice How many batches are anchored; batches are numbered from 1.
    function batchCount() external view returns (uint256);

    /// @notice The Merkle leaf of an entry: `keccak256(bytes.concat(keccak256(abi.encode(entry))))`.
    function leaf(Entry calldata entry) external pure returns (bytes32);

    /**
     * @notice Whether `entry` is in the anchored batch `batchId`: its proof leads to the batch's root, and its
     * sequence number and time are within the batch's. False for a batch not anchored.
     */
    function verifyEntry(uint256 batchId, Entry calldata entry, bytes32[] calldata proof) external view returns (bool);

    /// @notice The EIP-712 digest of a reader's `ReadRequest` (a register's record, or personal data when 0).
    function hashReadRequest(
        bytes32 registerId,
        uint256 subject,
        bytes32 purpose,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);

    /// @notice The EIP-712 digest of a person's `AccessQuery` (who read my data).
    function hashAccessQuery(uint256 subject, uint256 nonce, uint256 deadline) external view returns (bytes32);

    /// @notice The EIP-712 digest of an official's `Upload` of data behind a hash on chain to the vault.
    function hashUpload(
        bytes32 kind,
        bytes32 target,
        bytes32 contentHash,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32);
}
