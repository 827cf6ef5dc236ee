// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IRule: the algorithm of a law that decides citizens' applications
 * @notice A rule contract is bound to a law by the Legislature ({ISmartLaw-bindRule}), pinned by its code hash,
 * and called by the ServiceDesk for every application to the law's service. It reads the registers and the law's
 * parameters and decides: Approved (the records it gives are written at once), Rejected (with the reason), or
 * Referred to the competent department (which may approve the records it proposes, or reject).
 *
 * A rule decides; it writes nothing. It reverts only when the application's data cannot be read.
 */
interface IRule {
    /// @notice What a rule decides.
    enum Outcome {
        Approved,
        Rejected,
        Referred
    }

    /// @notice A record to write: its subject and its data, ABI-encoded per the register's schema.
    struct Entry {
        uint256 subject;
        bytes data;
    }

    /// @notice A rule's decision. `reason` is a short code as bytes32 text ("UNDER_AGE"); `records` are written on
    /// approval (for a referral, they are what the department would approve).
    struct Decision {
        Outcome outcome;
        bytes32 reason;
        Entry[] records;
    }

    /// @notice Decides an application by `applicant` (an active identity) with the service's `data`.
    function evaluate(uint256 applicant, bytes calldata data) external view returns (Decision memory);
}
