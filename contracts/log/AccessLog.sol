// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import {IAccessLog} from "../interfaces/IAccessLog.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";

/**
 * @title AccessLog
 * @notice See {IAccessLog}. It keeps roots, never entries: the entries hold who read whose data, which stays in the
 * data service's database; the chain holds only what proves that the log was not changed since.
 */
contract AccessLog is IAccessLog, EIP712 {
    /// @dev The sequence number of the log's first entry (the data service numbers its entries from 1).
    uint64 private constant FIRST_SEQ = 1;

    bytes32 private constant READ_REQUEST_TYPEHASH = keccak256(
        "ReadRequest(bytes32 registerId,uint256 subject,bytes32 purpose,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant ACCESS_QUERY_TYPEHASH = keccak256(
        "AccessQuery(uint256 subject,uint256 nonce,uint256 deadline)"
    );
    bytes32 private constant UPLOAD_TYPEHASH = keccak256(
        "Upload(bytes32 kind,bytes32 target,bytes32 contentHash,uint256 nonce,uint256 deadline)"
    );

    ISmartLaw private immutable _smartLaw;
    /// @dev To name the official who anchors a batch; SmartLaw's own, which never changes once wired.
    IIdentityRegistry private immutable _identityRegistry;

    /// @dev The anchored batches, from 1.
    mapping(uint256 batchId => Batch) private _batches;
    /// @dev How many batches are anchored: the last batch's id.
    uint256 private _batchCount;

    constructor(ISmartLaw smartLaw_) EIP712("GovChainData", "1") {
        address identityRegistry_ = smartLaw_.identityRegistry();
        if (identityRegistry_ == address(0)) revert AccessLogSmartLawNotWired(address(smartLaw_));
        _smartLaw = smartLaw_;
        _identityRegistry = IIdentityRegistry(identityRegistry_);
    }

    /// @inheritdoc IAccessLog
    function anchor(
        uint256 batchId,
        bytes32 root,
        uint64 firstSeq,
        uint32 count,
        uint40 firstAt,
        uint40 lastAt
    ) external {
        bytes32 lawId = _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        _checkNext(batchId, firstSeq);
        if (count == 0 || root == bytes32(0)) revert AccessLogEmptyBatch();
        if (firstAt > lastAt || lastAt > block.timestamp) revert AccessLogInvalidRange(firstAt, lastAt);
        _batches[batchId] = Batch({
            root: root,
            firstSeq: firstSeq,
            count: count,
            firstAt: firstAt,
            lastAt: lastAt,
            anchoredAt: uint40(block.timestamp),
            lawNumber: _smartLaw.law(lawId).number
        });
        _batchCount = batchId;
        emit LogAnchored(
            batchId,
            root,
            firstSeq,
            count,
            firstAt,
            lastAt,
            _identityRegistry.identityOf(msg.sender),
            msg.sender,
            lawId
        );
    }

    /// @inheritdoc IAccessLog
    function smartLaw() external view returns (address) {
        return address(_smartLaw);
    }

    /// @inheritdoc IAccessLog
    function identityRegistry() external view returns (address) {
        return address(_identityRegistry);
    }

    /// @inheritdoc IAccessLog
    function batch(uint256 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// @inheritdoc IAccessLog
    function batchCount() external view returns (uint256) {
        return _batchCount;
    }

    /// @inheritdoc IAccessLog
    function leaf(Entry calldata entry) external pure returns (bytes32) {
        return _leaf(entry);
    }

    /// @inheritdoc IAccessLog
    function verifyEntry(uint256 batchId, Entry calldata entry, bytes32[] calldata proof) external view returns (bool) {
        Batch storage anchored = _batches[batchId];
        // a batch not anchored has a zero root, which no proof reaches (a root is never zero: see {anchor})
        if (anchored.root == bytes32(0)) return false;
        uint64 firstSeq = anchored.firstSeq;
        if (entry.seq < firstSeq || entry.seq >= firstSeq + anchored.count) return false;
        if (entry.at < anchored.firstAt || entry.at > anchored.lastAt) return false;
        return MerkleProof.verifyCalldata(proof, anchored.root, _leaf(entry));
    }

    /// @inheritdoc IAccessLog
    function hashReadRequest(
        bytes32 registerId,
        uint256 subject,
        bytes32 purpose,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(abi.encode(READ_REQUEST_TYPEHASH, registerId, subject, purpose, nonce, deadline))
            );
    }

    /// @inheritdoc IAccessLog
    function hashAccessQuery(uint256 subject, uint256 nonce, uint256 deadline) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ACCESS_QUERY_TYPEHASH, subject, nonce, deadline)));
    }

    /// @inheritdoc IAccessLog
    function hashUpload(
        bytes32 kind,
        bytes32 target,
        bytes32 contentHash,
        uint256 nonce,
        uint256 deadline
    ) external view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(UPLOAD_TYPEHASH, kind, target, contentHash, nonce, deadline)));
    }

    /// @dev Refuses a batch that is not the next one, or that does not start where the previous one ended.
    function _checkNext(uint256 batchId, uint64 firstSeq) private view {
        uint256 last = _batchCount;
        if (batchId != last + 1) revert AccessLogUnexpectedBatch(last + 1, batchId);
        Batch storage previous = _batches[last];
        uint64 expected = last == 0 ? FIRST_SEQ : previous.firstSeq + previous.count;
        if (firstSeq != expected) revert AccessLogGap(expected, firstSeq);
    }

    /// @dev The tree's leaf: the entry hashed twice (OpenZeppelin's StandardMerkleTree), against second preimages.
    function _leaf(Entry calldata entry) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(entry))));
    }
}
