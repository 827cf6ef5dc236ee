// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title A contract that keeps a copy of some keys' standing and must hear when it lapses
 * @notice The IdentityRegistry calls its observers (registered by law, see {IIdentityRegistry-addObserver}) in
 * the same transaction as the change, so that a copy never outlives the standing it copies. FiatToken keeps,
 * beside each holder's balance, whether the holder is a live key of an active identity; this is how it learns.
 */
interface IIdentityObserver {
    /**
     * @notice `keys` of `identityId` can no longer act: a key was revoked, or the identity is no longer active
     * (suspended, deceased, dissolved). Called by the IdentityRegistry only. A key whose standing comes back (an
     * identity reinstated) is not announced: the observer asks the registry again when it next needs to know.
     */
    function keysDisabled(uint256 identityId, address[] calldata keys) external;
}
