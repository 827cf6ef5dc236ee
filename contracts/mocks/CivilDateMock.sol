// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {CivilDate} from "../libraries/CivilDate.sol";

/// @notice Test double: exposes {CivilDate}, to test the calendar on dates no register holds.
contract CivilDateMock {
    function fromTimestamp(uint256 timestamp) external pure returns (uint32) {
        return CivilDate.fromTimestamp(timestamp);
    }

    function isValid(uint32 date) external pure returns (bool) {
        return CivilDate.isValid(date);
    }

    function yearsBetween(uint32 birthDate, uint32 date) external pure returns (uint256) {
        return CivilDate.yearsBetween(birthDate, date);
    }

    function daysBetween(uint32 from, uint32 to) external pure returns (uint256) {
        return CivilDate.daysBetween(from, to);
    }
}
