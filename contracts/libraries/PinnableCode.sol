// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title PinnableCode
 * @notice Tells whether a contract's behaviour is fixed by its code, so that pinning its code hash pins the
 * algorithm: the code must exist and contain no DELEGATECALL, CALLCODE or SELFDESTRUCT opcode. This refuses
 * proxies of every kind (EIP-1167 clones, ERC-1967 and beacon proxies all delegate) and contracts that could
 * run code other than their own.
 *
 * The scan walks the opcodes, skipping PUSH data, and stops before the Solidity metadata that the compiler
 * appends (its length is in the code's last two bytes). Bytes that are data rather than code (unreachable after
 * INVALID) may still read as a forbidden opcode: the scan then refuses, which errs on the safe side.
 */
library PinnableCode {
    uint8 private constant _PUSH1 = 0x60;
    uint8 private constant _PUSH32 = 0x7f;
    uint8 private constant _CALLCODE = 0xf2;
    uint8 private constant _DELEGATECALL = 0xf4;
    uint8 private constant _SELFDESTRUCT = 0xff;

    /// @notice Whether `account` holds code whose behaviour cannot change by running other code.
    function isPinnable(address account) internal view returns (bool) {
        bytes memory code = account.code;
        uint256 end = _executableLength(code);
        if (end == 0) return false;
        for (uint256 i = 0; i < end; ++i) {
            uint8 op = uint8(code[i]);
            if (op == _DELEGATECALL || op == _CALLCODE || op == _SELFDESTRUCT) return false;
            if (op >= _PUSH1 && op <= _PUSH32) i += op - _PUSH1 + 1;
        }
        return true;
    }

    /// @dev The length of the code before the CBOR metadata, or the whole length when there is none.
    function _executableLength(bytes memory code) private pure returns (uint256) {
        uint256 length = code.length;
        if (length < 2) return length;
        uint256 metadataLength = (uint256(uint8(code[length - 2])) << 8) | uint8(code[length - 1]);
        // Solidity's metadata is a CBOR map (first byte 0xa1..0xb7) followed by its two-byte length.
        if (metadataLength + 2 > length) return length;
        uint8 first = uint8(code[length - 2 - metadataLength]);
        return first >= 0xa1 && first <= 0xb7 ? length - 2 - metadataLength : length;
    }
}
