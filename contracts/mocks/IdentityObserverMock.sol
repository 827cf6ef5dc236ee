// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IIdentityObserver} from "../interfaces/IIdentityObserver.sol";

/// @notice Test double: an observer that records what the IdentityRegistry tells it, or refuses to listen.
contract IdentityObserverMock is IIdentityObserver {
    event Observed(address caller, uint256 identityId, address[] keys);
    event ObservationStarted(address caller);
    event ObservationStopped(address caller);

    error IdentityObserverMockRefused();

    bool public refuse;

    function setRefuse(bool refuse_) external {
        refuse = refuse_;
    }

    function keysDisabled(uint256 identityId, address[] calldata keys) external {
        if (refuse) revert IdentityObserverMockRefused();
        emit Observed(msg.sender, identityId, keys);
    }

    function observationStarted() external {
        if (refuse) revert IdentityObserverMockRefused();
        emit ObservationStarted(msg.sender);
    }

    function observationStopped() external {
        if (refuse) revert IdentityObserverMockRefused();
        emit ObservationStopped(msg.sender);
    }
}
