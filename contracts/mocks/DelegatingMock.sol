// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Test double: a contract that delegates its calls, as every proxy does; SmartLaw must refuse to pin it.
contract DelegatingMock {
    address private immutable _implementation;

    constructor(address implementation) {
        _implementation = implementation;
    }

    fallback() external payable {
        (bool success, ) = _implementation.delegatecall(msg.data);
        require(success);
    }
}
