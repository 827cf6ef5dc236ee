// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IResourceChecked: which functions of a gated contract SmartLaw is asked about per resource
 * @notice A contract gated by SmartLaw says which of its functions ask SmartLaw with a resource
 * ({ISmartLaw-authorizeOn}): a register, a programme, a service, a role, a kind and status. SmartLaw accepts a
 * grant on one resource ({ISmartLaw-grantOn}) only for such a function, since on any other the grant would be
 * enacted and do nothing.
 */
interface IResourceChecked {
    /**
     * @notice Whether the function with `selector` asks SmartLaw with a resource, so that a grant on one resource
     * of it takes effect.
     * @param selector The function's selector.
     * @return Whether grants on that function may name a resource.
     */
    function isResourceChecked(bytes4 selector) external pure returns (bool);
}
