// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title IRule: the algorithm of a law that decides citizens' applications
 * @notice A rule contract is bound to a law by the Legislature ({ISmartLaw-bindRule}), pinned by its code hash,
 * and called by the ServiceDesk for every application to the law's service. It reads the registers and the law's
 * parameters and decides: Approved (the records it gives are written at once), Rejected (with the reason), or
 * Referred to the competent department (which may approve the records it proposes, or reject).
 *
 * A rule decides only for an applicant with standing (each rule says who: the person, a party, a parent named in
 * the data, the hospital); anyone else's application is Rejected with the reason NO_STANDING. The ServiceDesk gives
 * the rule the applicant's identity and the key that submitted the application: a standing that an official holds
 * (an appointment, within a jurisdiction, in an active department, under a law in force) is asked of the
 * IdentityRegistry for that key ({IIdentityRegistry-standing}), as SmartLaw asks it when the official writes himself.
 *
 * An official fills what the registers lack and never overrides what they prove: before a referred application is
 * approved, the ServiceDesk asks the rule to {review} the records the official decided, and a Rejected review (a
 * death, a marriage, an age the registers prove; data the application does not support) cannot be approved.
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

    /**
     * @notice A rule's decision. `reason` is a short code as bytes32 text ("UNDER_AGE"); `records` are written on
     * approval (for a referral, they are what the department would approve). `consents` are the digests of the
     * signed consents the decision relies on: each serves one application only, and the ServiceDesk refuses an
     * application (Approved or Referred) that relies on a consent another application used.
     */
    struct Decision {
        Outcome outcome;
        bytes32 reason;
        Entry[] records;
        bytes32[] consents;
    }

    /**
     * @notice Decides an application by `applicant` (an active identity), submitted by its key `key`, with the
     * service's `data`.
     */
    function evaluate(uint256 applicant, address key, bytes calldata data) external view returns (Decision memory);

    /**
     * @notice Reviews the records an official decided for a referred application, as they are now: the rule is run
     * again with the decided data against the registers of today. Rejected (with the reason) when the registers
     * prove a fact that forbids them (a death, a current marriage, an age), when the application does not support
     * them (a spouse who is not the consenting party), or when the applicant lacks standing; Referred or Approved
     * otherwise (the official may approve). `records` of the result are the decided records in their on-chain form
     * (the ServiceDesk writes them): a rule whose register keeps private fields reads each decided record's data
     * as `abi.encode(bytes clear, bytes32 salt)` and commits its private part. `consents` are empty. With no decided
     * records, the application is checked as submitted, and the proposed records stand.
     * @param applicant The applicant, as when the application was submitted.
     * @param key The key that submitted the application (its standing is asked again, today).
     * @param applicationData The application's data, as submitted.
     * @param decided The records the official decided: the referral's subjects, in order, with the data decided;
     * or none.
     */
    function review(
        uint256 applicant,
        address key,
        bytes calldata applicationData,
        Entry[] calldata decided
    ) external view returns (Decision memory);
}
