// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title A contract that keeps a copy of some keys' standing and must hear when it lapses
 * @notice The IdentityRegistry calls its observers (registered by law, see {IIdentityRegistry-addObserver}) in
 * the same transaction as the change, so that a copy never outlives the standing it copies. FiatToken keeps,
 * beside each holder's balance, whether the holder is a live key of an active identity; this is how it learns.
 *
 * An observer hears nothing while it is not registered: the registry tells it when its observation starts and
 * when it stops, so that it never trusts a copy made while nobody told it of lapses.
 */
interface IIdentityObserver {
    /**
     * @notice `keys` of `identityId` can no longer act: a key was revoked, or the identity is no longer active
     * (suspended, deceased, dissolved). Called by the IdentityRegistry only. A key whose standing comes back (an
     * identity reinstated) is not announced: the observer asks the registry again when it next needs to know.
     */
    function keysDisabled(uint256 identityId, address[] calldata keys) external;

    /**
     * @notice The observer has just been registered: from now on it is told of every lapse, until
     * {observationStopped}. What it copied before may be stale. Called by the IdentityRegistry only, in
     * {IIdentityRegistry-addObserver}; a revert refuses the registration.
     */
    function observationStarted() external;

    /**
     * @notice The observer has just been removed: from now on it is told of nothing. Called by the
     * IdentityRegistry only, in {IIdentityRegistry-removeObserver}; a revert refuses the removal.
     */
    function observationStopped() external;
}
