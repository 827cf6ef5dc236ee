// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @notice A peer, for the benchmark only: OpenZeppelin's ERC20 with permit, minted by its owner, compiled at
 * 1,000,000 runs as the FiatToken is: the token of `OZ ERC20 (1M runs)` in ../shared/anchors. The benchmark traces
 * its transfers beside the FiatToken's, part by part.
 */
contract PeerERC20Mock is ERC20, ERC20Permit, Ownable {
    constructor() ERC20("Peer", "PEER") ERC20Permit("Peer") Ownable(msg.sender) {}

    function mint(address to, uint256 value) external onlyOwner {
        _mint(to, value);
    }
}
