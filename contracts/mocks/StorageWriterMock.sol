// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/// @notice Test double: writes its first storage slot; run by DELEGATECALL, it writes the caller's slot instead.
contract StorageWriterMock {
    uint256 private _value;

    function write(uint256 value) external {
        _value = value;
    }
}
