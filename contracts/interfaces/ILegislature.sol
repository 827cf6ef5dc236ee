// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title Legislature: the only way law changes
 * @notice A set of legislators and a quorum. A law update (EIP-712 typed data, domain name "Legislature",
 * version "1") is enacted when at least `quorum()` distinct current legislators signed it (offline) or approved
 * its digest (on chain). Enacting records the law's new version in SmartLaw, then runs the update's calls in
 * order, all or nothing.
 *
 * Typed data, exactly:
 * `LawUpdate(bytes32 lawId,uint32 version,bytes32 textHash,Call[] calls,uint256 nonce,uint256 epoch,uint256 deadline)`
 * `Call(address target,bytes data)`
 */
interface ILegislature {
    /// @notice A call that a law update makes, as the Legislature.
    struct Call {
        address target;
        bytes data;
    }

    /// @notice A law update, as the legislators sign it.
    struct LawUpdate {
        bytes32 lawId;
        uint32 version;
        bytes32 textHash;
        Call[] calls;
        uint256 nonce;
        uint256 epoch;
        uint256 deadline;
    }

    /// @notice Emitted when the legislators or the quorum change; `epoch` is the new epoch.
    event LegislatorsChanged(uint256 indexed epoch, address[] legislators, uint256 quorum);

    /// @notice Emitted when a legislator approves a law update's digest on chain.
    event LawUpdateApproved(bytes32 indexed digest, address indexed legislator);

    /// @notice Emitted when a legislator withdraws an on-chain approval of a law update's digest.
    event ApprovalWithdrawn(bytes32 indexed digest, address indexed legislator);

    /// @notice Emitted when a law update is enacted, with the legislators whose signatures or approvals counted.
    event LawEnacted(bytes32 indexed lawId, uint32 version, bytes32 indexed digest, address[] signers);

    /// @notice Only a current legislator may do this.
    error LegislatureNotLegislator(address account);

    /// @notice Only the Legislature itself (through a law update) may do this.
    error LegislatureOnlySelf(address caller);

    /// @notice The update was signed for another epoch: the legislators or the quorum have changed since.
    error LegislatureStaleEpoch(uint256 given, uint256 current);

    /// @notice The update's deadline has passed.
    error LegislatureExpired(uint256 deadline, uint256 timestamp);

    /// @notice The update's nonce was already used.
    error LegislatureNonceUsed(uint256 nonce);

    /// @notice The update's version is not the law's next version.
    error LegislatureUnexpectedVersion(bytes32 lawId, uint32 expected, uint32 given);

    /// @notice A signature is malformed or malleable (high s).
    error LegislatureInvalidSignature(uint256 index);

    /// @notice The same legislator signed (or approved) twice.
    error LegislatureDuplicateSigner(address signer);

    /// @notice Fewer distinct current legislators signed or approved than the quorum.
    error LegislatureQuorumNotReached(uint256 signers, uint256 quorum);

    /// @notice A call of the update failed; the whole update was undone. `reason` is the call's revert data.
    error LegislatureCallFailed(uint256 index, address target, bytes reason);

    /// @notice A call of the update targets an address without code: it would do nothing and succeed.
    error LegislatureTargetNotAContract(uint256 index, address target);

    /// @notice There must be between 1 and `max` legislators, not `count`.
    error LegislatureInvalidLegislatorCount(uint256 count, uint256 max);

    /// @notice A legislator is the zero address or is listed twice.
    error LegislatureInvalidLegislator(address legislator);

    /// @notice The quorum must be between 1 and the number of legislators.
    error LegislatureInvalidQuorum(uint256 quorum, uint256 legislators);

    /// @notice The legislator already approved that digest.
    error LegislatureAlreadyApproved(bytes32 digest, address legislator);

    /// @notice `account` has no on-chain approval of that digest to withdraw.
    error LegislatureNotApproved(bytes32 digest, address account);

    /**
     * @notice A law update of `lawId` was submitted while the update of `enacting` was being enacted (by one of its
     * calls): an enactment cannot run inside another, whose law is the legal basis of the writes it makes.
     */
    error LegislatureNestedEnactment(bytes32 lawId, bytes32 enacting);

    /**
     * @notice Call `index` of the update calls `target` with `selector`, which no law update may call: SmartLaw's
     * `recordVersion`, which the Legislature alone calls for the law it enacts (a call of it by the update would give
     * another law a version that no `LawEnacted` announces, and make that law the legal basis of the later writes).
     */
    error LegislatureForbiddenCall(uint256 index, address target, bytes4 selector);

    /**
     * @notice Enacts a law update. Anyone may submit it, but not from within another enactment. The Legislature
     * records the law's new version, then makes the update's calls; none may call SmartLaw's `recordVersion`
     * ({LegislatureForbiddenCall}, refused before anything runs).
     * @param update The law update.
     * @param signatures EIP-712 signatures of current legislators, in any order (65 bytes each, low s).
     * On-chain approvals of the same digest count as signatures.
     */
    function enact(LawUpdate calldata update, bytes[] calldata signatures) external;

    /// @notice Approves a law update's digest on chain, as the calling legislator's signature.
    function approve(bytes32 digest) external;

    /**
     * @notice Withdraws the caller's on-chain approval of a digest, so that it no longer counts towards the quorum.
     * Before the update is enacted; afterwards it changes nothing (the update's nonce is used, and its
     * `LawEnacted` event names the legislators who counted).
     */
    function withdrawApproval(bytes32 digest) external;

    /**
     * @notice Replaces the legislators and the quorum, and starts a new epoch (pending signatures die with the
     * old one). Only the Legislature itself, through a law update.
     */
    function setLegislators(address[] calldata legislators, uint256 quorum) external;

    /// @notice The EIP-712 digest of a law update: what legislators sign.
    function hashLawUpdate(LawUpdate calldata update) external view returns (bytes32);

    /// @notice The current legislators.
    function legislators() external view returns (address[] memory);

    /// @notice Whether `account` is a current legislator.
    function isLegislator(address account) external view returns (bool);

    /// @notice How many distinct legislators must sign a law update.
    function quorum() external view returns (uint256);

    /// @notice The current epoch (starts at 1; increases whenever the legislators or the quorum change).
    function epoch() external view returns (uint256);

    /// @notice Whether a law update's nonce was used.
    function isNonceUsed(uint256 nonce) external view returns (bool);

    /**
     * @notice The used nonces from `word * 256` to `word * 256 + 255`, bit `n % 256` for nonce `n`: one read for the
     * drafting tool, which picks a free nonce among used ones so that an enactment marks its nonce in a word already
     * written (a few thousand gas) rather than in a fresh one (20,000).
     * @param word The nonce divided by 256.
     * @return bits The word of the nonce bitmap.
     */
    function usedNonceWord(uint256 word) external view returns (uint256 bits);

    /// @notice Whether `legislator` approved `digest` on chain.
    function hasApproved(bytes32 digest, address legislator) external view returns (bool);

    /// @notice The SmartLaw that this Legislature changes.
    function smartLaw() external view returns (address);
}
