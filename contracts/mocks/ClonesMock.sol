// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";

/// @notice Test double: makes EIP-1167 minimal proxies (clones), which SmartLaw must refuse to pin.
contract ClonesMock {
    event Cloned(address clone);

    function clone(address implementation) external returns (address instance) {
        instance = Clones.clone(implementation);
        emit Cloned(instance);
    }
}
