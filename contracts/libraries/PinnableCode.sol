// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title PinnableCode
 * @notice Tells whether a contract's behaviour is fixed by its code, so that pinning its code hash pins the
 * algorithm: the code must exist and no DELEGATECALL, CALLCODE or SELFDESTRUCT opcode in it may ever run. This
 * refuses proxies of every kind (EIP-1167 clones, ERC-1967 and beacon proxies all delegate) and contracts that
 * could run code other than their own.
 *
 * Execution enters code only at byte 0 or at a JUMPDEST, and the EVM finds the JUMPDESTs by one linear sweep that
 * skips PUSH data. The scan is that same sweep over the whole code (the compiler's metadata included: nothing
 * about the last bytes is trusted): a byte is reachable from byte 0, or from a JUMPDEST, until an opcode that
 * never falls through (STOP, JUMP, RETURN, REVERT, INVALID); a forbidden opcode at a reachable byte refuses the
 * code. Bytes after a terminator and before the next JUMPDEST can never run, whatever they hold (the metadata,
 * data), so they are not held against the code. Undefined opcodes are assumed to fall through: a later fork may
 * define them. Code that starts with 0xef (an EIP-7702 delegation, EOF) is refused.
 */
library PinnableCode {
    /// @dev One bit per opcode that must never run: CALLCODE (0xf2), DELEGATECALL (0xf4), SELFDESTRUCT (0xff).
    uint256 private constant _FORBIDDEN = (1 << 0xf2) | (1 << 0xf4) | (1 << 0xff);

    /// @dev One bit per opcode after which the next byte runs only if it is a JUMPDEST: STOP, JUMP, RETURN,
    /// REVERT, INVALID.
    uint256 private constant _HALTS = (1 << 0x00) | (1 << 0x56) | (1 << 0xf3) | (1 << 0xfd) | (1 << 0xfe);

    /// @dev {_FORBIDDEN}, {_HALTS} and JUMPDEST (0x5b): the opcodes the sweep looks at, PUSH aside. Spelled out, as
    /// inline assembly takes only literal constants.
    uint256 private constant _NOTABLE =
        (1 << 0xf2) |
            (1 << 0xf4) |
            (1 << 0xff) |
            (1 << 0x00) |
            (1 << 0x56) |
            (1 << 0xf3) |
            (1 << 0xfd) |
            (1 << 0xfe) |
            (1 << 0x5b);

    uint256 private constant _JUMPDEST = 0x5b;
    uint256 private constant _PUSH1 = 0x60;
    bytes1 private constant _EF = 0xef;

    /// @notice Whether `account` holds code whose behaviour cannot change by running other code.
    function isPinnable(address account) internal view returns (bool pinnable) {
        bytes memory code = account.code;
        // Code that starts with 0xef cannot be deployed (EIP-3541): it is an EIP-7702 delegation designator (an
        // account whose calls run another address's code) or a later format, never code that this scan can judge.
        if (code.length == 0 || code[0] == _EF) return false;
        // The sweep in assembly: the Solidity loop (with a bounds check and a conversion per byte) cost 3.6 million
        // gas for the Treasury's 14 kB, which the law that makes it a service account pays twice; this one, over
        // the whole code, 1.3 million.
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            let position := add(code, 0x20)
            let end := add(position, mload(code))
            let reachable := 1
            pinnable := 1
            for {} lt(position, end) {} {
                let op := byte(0, mload(position))
                position := add(position, 1)
                // PUSH1..PUSH32 (op - PUSH1 < 32) skip their data: it is never code, not even a JUMPDEST
                if lt(sub(op, _PUSH1), 32) {
                    position := add(position, sub(op, sub(_PUSH1, 1)))
                    continue
                }
                // most opcodes change nothing: one test for the few that do
                if and(shr(op, _NOTABLE), 1) {
                    if eq(op, _JUMPDEST) {
                        reachable := 1
                        continue
                    }
                    if reachable {
                        if and(shr(op, _FORBIDDEN), 1) {
                            pinnable := 0
                            break
                        }
                        reachable := 0 // the opcode halts
                    }
                }
            }
        }
    }
}
