// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {PinnableCode} from "../libraries/PinnableCode.sol";

/// @notice Test double: exposes {PinnableCode}, to test the scan on raw code and to measure what it costs.
contract PinnableCodeMock {
    /// @notice Whether `account`'s code is pinnable.
    function isPinnable(address account) external view returns (bool) {
        return PinnableCode.isPinnable(account);
    }

    /// @notice Whether `account`'s code is pinnable, and the gas the scan took (reading the code included).
    function measure(address account) external view returns (bool pinnable, uint256 gasUsed) {
        uint256 start = gasleft();
        pinnable = PinnableCode.isPinnable(account);
        gasUsed = start - gasleft();
    }
}
