// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {ILegislature} from "../interfaces/ILegislature.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";

/**
 * @title Legislature
 * @notice See {ILegislature}. The only account that changes SmartLaw, and the first writer of every register.
 */
contract Legislature is ILegislature, EIP712 {
    using BitMaps for BitMaps.BitMap;

    /// @notice The most legislators the Legislature may have (bounds the cost of counting on-chain approvals).
    uint256 public constant MAX_LEGISLATORS = 64;

    bytes32 private constant _CALL_TYPEHASH = keccak256("Call(address target,bytes data)");
    bytes32 private constant _LAW_UPDATE_TYPEHASH = keccak256(
        "LawUpdate(bytes32 lawId,uint32 version,bytes32 textHash,Call[] calls,"
        "uint256 nonce,uint256 epoch,uint256 deadline)"
        "Call(address target,bytes data)"
    );

    /// @dev The SmartLaw that records every law this Legislature enacts.
    ISmartLaw private immutable _smartLaw;

    /// @dev The current legislators.
    address[] private _legislators;

    /// @dev The epoch in which each account last became a legislator: it is one now iff that epoch is current.
    mapping(address account => uint256 epoch) private _memberSince;

    /// @dev How many distinct legislators must sign.
    uint256 private _quorum;

    /// @dev Increases whenever the legislators or the quorum change; signatures name the epoch they are for.
    uint256 private _epoch;

    /// @dev The nonces of enacted law updates.
    BitMaps.BitMap private _usedNonces;

    /// @dev On-chain approvals of law update digests. A digest names its epoch, so approvals die with it.
    mapping(bytes32 digest => mapping(address legislator => bool)) private _approvals;

    /// @dev The law being enacted in this transaction, zero between enactments: SmartLaw records it as the legal
    /// basis of the update's writes, so no other enactment may start (and replace it) before this one ends.
    bytes32 private transient _enacting;

    modifier onlySelf() {
        _checkSelf();
        _;
    }

    constructor(ISmartLaw smartLaw_, address[] memory legislators_, uint256 quorum_) EIP712("Legislature", "1") {
        _smartLaw = smartLaw_;
        _setLegislators(legislators_, quorum_);
    }

    /// @inheritdoc ILegislature
    function enact(LawUpdate calldata update, bytes[] calldata signatures) external {
        _checkNotEnacting(update.lawId);
        if (update.epoch != _epoch) revert LegislatureStaleEpoch(update.epoch, _epoch);
        if (block.timestamp > update.deadline) revert LegislatureExpired(update.deadline, block.timestamp);
        if (_usedNonces.get(update.nonce)) revert LegislatureNonceUsed(update.nonce);
        uint32 expected = _smartLaw.lawVersion(update.lawId) + 1;
        if (update.version != expected) revert LegislatureUnexpectedVersion(update.lawId, expected, update.version);
        _checkCalls(update.calls);

        bytes32 digest = hashLawUpdate(update);
        address[] memory signers = _countSigners(digest, signatures);

        _usedNonces.set(update.nonce);
        _enacting = update.lawId;
        _smartLaw.recordVersion(update.lawId, update.version, update.textHash);
        for (uint256 i = 0; i < update.calls.length; ++i) {
            Call calldata call = update.calls[i];
            if (call.target.code.length == 0) revert LegislatureTargetNotAContract(i, call.target);
            // A law update may call any contract, as the Legislature: that is its purpose. Its revert data is kept.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory reason) = call.target.call(call.data);
            if (!success) revert LegislatureCallFailed(i, call.target, reason);
        }
        // cleared for another enactment later in the same transaction (transient storage lasts the transaction)
        _enacting = bytes32(0);
        emit LawEnacted(update.lawId, update.version, digest, signers);
    }

    /// @inheritdoc ILegislature
    function approve(bytes32 digest) external {
        if (!isLegislator(msg.sender)) revert LegislatureNotLegislator(msg.sender);
        if (_approvals[digest][msg.sender]) revert LegislatureAlreadyApproved(digest, msg.sender);
        _approvals[digest][msg.sender] = true;
        emit LawUpdateApproved(digest, msg.sender);
    }

    /// @inheritdoc ILegislature
    function withdrawApproval(bytes32 digest) external {
        // no membership check: an approval only counts while its author is a legislator of the digest's epoch
        if (!_approvals[digest][msg.sender]) revert LegislatureNotApproved(digest, msg.sender);
        _approvals[digest][msg.sender] = false;
        emit ApprovalWithdrawn(digest, msg.sender);
    }

    /// @inheritdoc ILegislature
    function setLegislators(address[] calldata legislators_, uint256 quorum_) external onlySelf {
        _setLegislators(legislators_, quorum_);
    }

    /// @inheritdoc ILegislature
    function hashLawUpdate(LawUpdate calldata update) public view returns (bytes32) {
        bytes32[] memory callHashes = new bytes32[](update.calls.length);
        for (uint256 i = 0; i < update.calls.length; ++i) {
            callHashes[i] = keccak256(
                abi.encode(_CALL_TYPEHASH, update.calls[i].target, keccak256(update.calls[i].data))
            );
        }
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        _LAW_UPDATE_TYPEHASH,
                        update.lawId,
                        update.version,
                        update.textHash,
                        keccak256(abi.encodePacked(callHashes)),
                        update.nonce,
                        update.epoch,
                        update.deadline
                    )
                )
            );
    }

    /// @inheritdoc ILegislature
    function legislators() external view returns (address[] memory) {
        return _legislators;
    }

    /// @inheritdoc ILegislature
    function isLegislator(address account) public view returns (bool) {
        return _memberSince[account] == _epoch;
    }

    /// @inheritdoc ILegislature
    function quorum() external view returns (uint256) {
        return _quorum;
    }

    /// @inheritdoc ILegislature
    function epoch() external view returns (uint256) {
        return _epoch;
    }

    /// @inheritdoc ILegislature
    function isNonceUsed(uint256 nonce) external view returns (bool) {
        return _usedNonces.get(nonce);
    }

    /// @inheritdoc ILegislature
    function usedNonceWord(uint256 word) external view returns (uint256) {
        return _usedNonces._data[word];
    }

    /// @inheritdoc ILegislature
    function hasApproved(bytes32 digest, address legislator) external view returns (bool) {
        return _approvals[digest][legislator];
    }

    /// @inheritdoc ILegislature
    function smartLaw() external view returns (address) {
        return address(_smartLaw);
    }

    /**
     * @dev The distinct current legislators who signed `digest` or approved it on chain; reverts unless they
     * reach the quorum. Every signature given must be valid and a current legislator's. On-chain approvals are
     * read only when the signatures alone fall short.
     */
    function _countSigners(bytes32 digest, bytes[] calldata signatures) private view returns (address[] memory) {
        uint256 quorum_ = _quorum;
        uint256 epoch_ = _epoch;
        uint256 signed = signatures.length;
        address[] memory signers = new address[](signed > quorum_ ? signed : quorum_);
        for (uint256 i = 0; i < signed; ++i) {
            (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, signatures[i]);
            if (error != ECDSA.RecoverError.NoError) revert LegislatureInvalidSignature(i);
            if (_memberSince[signer] != epoch_) revert LegislatureNotLegislator(signer);
            if (_contains(signers, i, signer)) revert LegislatureDuplicateSigner(signer);
            signers[i] = signer;
        }
        uint256 count = signed;
        for (uint256 i = 0; count < quorum_ && i < _legislators.length; ++i) {
            address legislator = _legislators[i];
            if (_approvals[digest][legislator] && !_contains(signers, count, legislator)) {
                signers[count++] = legislator;
            }
        }
        if (count < quorum_) revert LegislatureQuorumNotReached(count, quorum_);
        return signers;
    }

    function _setLegislators(address[] memory legislators_, uint256 quorum_) private {
        uint256 count = legislators_.length;
        if (count == 0 || count > MAX_LEGISLATORS) revert LegislatureInvalidLegislatorCount(count, MAX_LEGISLATORS);
        if (quorum_ == 0 || quorum_ > count) revert LegislatureInvalidQuorum(quorum_, count);
        uint256 newEpoch = _epoch + 1;
        for (uint256 i = 0; i < count; ++i) {
            address legislator = legislators_[i];
            if (legislator == address(0) || _memberSince[legislator] == newEpoch)
                revert LegislatureInvalidLegislator(legislator);
            _memberSince[legislator] = newEpoch;
        }
        _legislators = legislators_;
        _quorum = quorum_;
        _epoch = newEpoch;
        emit LegislatorsChanged(newEpoch, legislators_, quorum_);
    }

    /// @dev Whether `account` is among the first `length` entries of `accounts`.
    function _contains(address[] memory accounts, uint256 length, address account) private pure returns (bool) {
        for (uint256 i = 0; i < length; ++i) {
            if (accounts[i] == account) return true;
        }
        return false;
    }

    /**
     * @dev Refuses an update that calls SmartLaw's `recordVersion`: the Legislature calls it once, for the law being
     * enacted, and SmartLaw takes that law as the legal basis of the writes that follow; a call by the update would
     * record a version of another law (or a new law) that no `LawEnacted` announces, and make it that basis.
     */
    function _checkCalls(Call[] calldata calls) private view {
        address smartLaw_ = address(_smartLaw);
        for (uint256 i = 0; i < calls.length; ++i) {
            Call calldata call = calls[i];
            // data shorter than a selector are read padded with zeros: they cannot match recordVersion's (0x93059bb3)
            if (call.target == smartLaw_ && bytes4(call.data) == ISmartLaw.recordVersion.selector) {
                revert LegislatureForbiddenCall(i, smartLaw_, ISmartLaw.recordVersion.selector);
            }
        }
    }

    function _checkNotEnacting(bytes32 lawId) private view {
        bytes32 enacting = _enacting;
        if (enacting != bytes32(0)) revert LegislatureNestedEnactment(lawId, enacting);
    }

    function _checkSelf() private view {
        if (msg.sender != address(this)) revert LegislatureOnlySelf(msg.sender);
    }
}
