// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ILegislature} from "../interfaces/ILegislature.sol";

/**
 * @notice Test double: submits law updates to the Legislature one after the other, in one transaction. Called
 * directly it shows that enactments may follow each other; called by a law update it tries to start an enactment
 * inside another, which the Legislature refuses (the refusal is passed on as is).
 */
contract EnactmentRelayMock {
    function enactAll(
        ILegislature legislature,
        ILegislature.LawUpdate[] calldata updates,
        bytes[][] calldata signatures
    ) external {
        for (uint256 i = 0; i < updates.length; ++i) legislature.enact(updates[i], signatures[i]);
    }
}
