// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

/**
 * @notice A peer, for the benchmark only: OpenZeppelin's AccessManager as it is, whose `canCall` the benchmark traces
 * beside SmartLaw's check of an official, part by part.
 */
contract PeerAccessManagerMock is AccessManager {
    constructor(address initialAdmin) AccessManager(initialAdmin) {}
}
