// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/// @notice Test double: a service contract that enrols identities, to exercise roles held by service contracts.
contract ServiceCallerMock {
    IIdentityRegistry private immutable _registry;

    constructor(IIdentityRegistry registry) {
        _registry = registry;
    }

    function enroll(bytes32 jurisdiction, bytes32 attributesHash, address key) external returns (uint256) {
        return _registry.enroll(1, jurisdiction, attributesHash, key);
    }

    /// @notice Tries to consent, as a contract, to join an identity (which the registry refuses).
    function consentToIdentity(uint256 identityId) external {
        _registry.consentToIdentity(identityId);
    }
}
