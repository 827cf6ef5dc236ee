// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Test double: a contract that delegates its calls, as every proxy does; SmartLaw must refuse to pin it.
contract DelegatingMock {
    error DelegatingMockCallFailed();

    address private immutable _implementation;

    constructor(address implementation) {
        _implementation = implementation;
    }

    // solhint-disable-next-line no-complex-fallback
    fallback() external payable {
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, ) = _implementation.delegatecall(msg.data);
        if (!success) revert DelegatingMockCallFailed();
    }
}
