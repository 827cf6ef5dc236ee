// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

/**
 * @title Treasury: public money, by law
 * @notice Holds FiatToken for the state. Laws allocate its reserve (what it holds beyond what is allocated) to
 * organisations' accounts (agency budgets) and to benefit programmes. Officers of an organisation pay from its
 * account, to persons or to other organisations, each payment with its purpose and legal basis; a mistaken
 * payment is reversed by a new transaction, never edited.
 *
 * A benefit programme is bound to a law: the amount and the period are that law's parameters, eligibility is read
 * from the civil registers (a current record in the enrolment register, none in the stop register: deaths). Each
 * eligible beneficiary is paid at most once per period, by `claim` or by an officer's `payout` for many at once,
 * and never beyond the programme's budget. The amount of a period is fixed when the period opens (the first
 * claim or payout in it): a change of the law's amount takes effect from the next period, with no redeployment.
 * A beneficiary who cannot receive (its key frozen or revoked, its identity no longer active, a key not its own) is
 * passed over by a payout with the reason, never blocking the others, and paid by a later run once it can.
 *
 * Budgets can be taken back: a law moves a budget between accounts and programmes, or back to the reserve
 * ({reallocate}); a repealed programme's budget returns to the reserve ({releaseProgrammeBudget}, by anyone); a
 * dissolved organisation's account is closed and its budget returned to the reserve ({closeAccount}, by anyone;
 * by law for an organisation still active).
 */
interface ITreasury {
    /// @notice Why a payout passed over a beneficiary.
    enum SkipReason {
        None,
        AlreadyPaid,
        NotEnrolled,
        Stopped,
        /// The key given is frozen by a court.
        KeyFrozen,
        /// The key given is not a key of the beneficiary.
        KeyNotOfIdentity,
        /// The key given was revoked.
        KeyRevoked,
        /// The beneficiary's identity is suspended, deceased or dissolved.
        IdentityNotActive
    }

    /// @notice An organisation's account.
    struct OrganisationAccount {
        uint256 balance;
        /// The role whose holders, appointed in this organisation, pay from the account.
        bytes32 officerRole;
        bool open;
    }

    /// @notice A benefit programme.
    struct Programme {
        bytes32 lawId;
        bytes32 amountKey;
        bytes32 periodKey;
        bytes32 enrolmentRegister;
        bytes32 stopRegister;
        uint256 budget;
        /// The current period's number (0 before the first opened), its bounds and its amount.
        uint256 period;
        uint256 periodStart;
        uint256 periodEnd;
        uint256 amount;
    }

    /// @notice A payment from an organisation's account.
    struct Payment {
        uint256 fromOrganisation;
        /// The organisation paid, for a payment between accounts (0 for a payment in tokens to `to`).
        uint256 toOrganisation;
        address to;
        uint256 amount;
        bytes32 purpose;
        bytes32 lawId;
        uint256 madeAt;
        bool reversed;
    }

    /// @notice Emitted when a law opens an organisation's account, naming the role of those who pay from it.
    event AccountOpened(uint256 indexed organisation, bytes32 officerRole, bytes32 lawId);

    /// @notice Emitted when a law allocates part of the reserve to an organisation's account.
    event BudgetAllocated(uint256 indexed organisation, uint256 amount, bytes32 lawId);

    /// @notice Emitted when an account is closed and its balance `returned` to the reserve: by law (`lawId`), or by
    /// anyone once the organisation is dissolved (`lawId` zero).
    event AccountClosed(uint256 indexed organisation, uint256 returned, bytes32 lawId);

    /**
     * @notice Emitted when a law moves `amount` from one budget to another: each side is an organisation's account
     * or a programme (the other id zero); a destination with both zero is the reserve.
     */
    event BudgetReallocated(
        uint256 indexed fromOrganisation,
        bytes32 indexed fromProgramme,
        uint256 toOrganisation,
        bytes32 toProgramme,
        uint256 amount,
        bytes32 lawId
    );

    /// @notice Emitted when a repealed programme's budget returns to the reserve, naming the repealed law.
    event ProgrammeBudgetReleased(bytes32 indexed programmeId, uint256 amount, bytes32 lawId);

    /// @notice Emitted when a law defines a benefit programme.
    event ProgrammeDefined(
        bytes32 indexed programmeId,
        bytes32 indexed lawId,
        bytes32 amountKey,
        bytes32 periodKey,
        bytes32 enrolmentRegister,
        bytes32 stopRegister,
        uint256 start
    );

    /// @notice Emitted when a law allocates part of the reserve to a programme's budget.
    event ProgrammeFunded(bytes32 indexed programmeId, uint256 amount, bytes32 lawId);

    /// @notice Emitted when a programme's period opens, with the amount the law sets for it.
    event PeriodOpened(bytes32 indexed programmeId, uint256 indexed period, uint256 start, uint256 end, uint256 amount);

    /// @notice Emitted for a payment: `toOrganisation` for one between accounts, else `to` received tokens.
    event PaymentMade(
        uint256 indexed paymentId,
        uint256 indexed fromOrganisation,
        uint256 indexed toOrganisation,
        address to,
        uint256 amount,
        bytes32 purpose,
        bytes32 lawId,
        address officer
    );

    /// @notice Emitted when a payment is reversed: its amount is back in the paying account.
    event PaymentReversed(uint256 indexed paymentId, uint256 amount, bytes32 reason, bytes32 lawId, address officer);

    /// @notice Emitted when a beneficiary claims a period's benefit, at the key that claimed.
    event BenefitClaimed(
        bytes32 indexed programmeId,
        uint256 indexed period,
        uint256 indexed beneficiary,
        address key,
        uint256 amount,
        bytes32 lawId
    );

    /**
     * @notice Emitted for a payout: `amount` to each of `count` beneficiaries. Each is paid at the key given for it,
     * and the FiatToken's Transfer events of the same transaction name those keys (a key belongs to one identity
     * forever: {IIdentityRegistry-keyRecord}); {isPaid} answers for any beneficiary and period.
     */
    event PayoutMade(
        bytes32 indexed programmeId,
        uint256 indexed period,
        uint256 amount,
        uint256 count,
        bytes32 lawId,
        address officer
    );

    /// @notice Emitted for each beneficiary a payout passed over, and why.
    event BenefitSkipped(
        bytes32 indexed programmeId,
        uint256 indexed period,
        uint256 indexed beneficiary,
        SkipReason reason
    );

    /// @notice `field` is zero where a value is required.
    error TreasuryZeroValue(string field);
    /// @notice Not an active organisation, or the same organisation on both sides of a payment.
    error TreasuryInvalidOrganisation(uint256 organisation);
    /// @notice The organisation's account is already open.
    error TreasuryAccountExists(uint256 organisation);
    /// @notice The organisation has no account.
    error TreasuryUnknownAccount(uint256 organisation);
    /// @notice A law would allocate more than the reserve (what the Treasury holds beyond what is allocated).
    error TreasuryInsufficientReserve(uint256 reserve, uint256 amount);
    /// @notice The account holds less than the payment.
    error TreasuryInsufficientBudget(uint256 organisation, uint256 balance, uint256 amount);
    /// @notice The officer holds no current appointment to the account's role in the paying organisation.
    error TreasuryNotCompetent(address officer, uint256 organisation, bytes32 role);
    /// @notice No payment has this id.
    error TreasuryUnknownPayment(uint256 paymentId);
    /// @notice The payment was reversed already.
    error TreasuryPaymentAlreadyReversed(uint256 paymentId);
    /// @notice A programme with this id exists.
    error TreasuryProgrammeExists(bytes32 programmeId);
    /// @notice No programme has this id.
    error TreasuryUnknownProgramme(bytes32 programmeId);
    /// @notice The programme's law was never enacted, or was repealed: the programme pays nothing.
    error TreasuryLawNotInForce(bytes32 programmeId, bytes32 lawId);
    /// @notice The programme's law is in force: its budget is released only once the law is repealed.
    error TreasuryLawInForce(bytes32 programmeId, bytes32 lawId);
    /// @notice A budget is an organisation's account or a programme: exactly one of the two ids must be given (a
    /// destination may give neither: the reserve), and a reallocation must change budget.
    error TreasuryInvalidBudget(uint256 organisation, bytes32 programmeId);
    /// @notice The programme's first period starts at `start`.
    error TreasuryProgrammeNotStarted(bytes32 programmeId, uint256 start);
    /// @notice The law sets a period of zero seconds.
    error TreasuryInvalidPeriodLength(bytes32 programmeId, uint256 length);
    /// @notice The programme's budget is less than what it would pay.
    error TreasuryProgrammeBudgetExceeded(bytes32 programmeId, uint256 budget, uint256 amount);
    /// @notice The claiming key is no live key of any identity.
    error TreasuryUnknownClaimant(address key);
    /// @notice The claimant has no current record in the programme's enrolment register.
    error TreasuryNotEnrolled(bytes32 programmeId, uint256 beneficiary);
    /// @notice The claimant has a current record in the programme's stop register (a death): `stopRecord`.
    error TreasuryBeneficiaryStopped(bytes32 programmeId, uint256 beneficiary, bytes32 stopRecord);
    /// @notice The beneficiary was paid for this period.
    error TreasuryAlreadyPaid(bytes32 programmeId, uint256 period, uint256 beneficiary);
    /// @notice A payout names a period that is not the current one.
    error TreasuryWrongPeriod(bytes32 programmeId, uint256 current, uint256 given);
    /// @notice The lists of beneficiaries and keys differ in length.
    error TreasuryLengthMismatch(uint256 beneficiaries, uint256 keys);

    /// @notice Opens an organisation's account, naming the role of the officers who pay from it. Gated by law.
    function openAccount(uint256 organisation, bytes32 role) external;

    /// @notice Allocates `amount` of the reserve to an organisation's account. Gated by law.
    function allocate(uint256 organisation, uint256 amount) external;

    /**
     * @notice Closes an organisation's account and returns its balance to the reserve. By anyone once the
     * organisation is dissolved; gated by law before. Payments from the account can no longer be made or
     * reversed; a law may open it again (empty) for an active organisation.
     */
    function closeAccount(uint256 organisation) external;

    /**
     * @notice Moves `amount` of a budget, within what it holds, to another budget or to the reserve. Gated by law.
     * @param fromOrganisation, fromProgramme The budget taken from: an open account or a programme (exactly one).
     * @param toOrganisation, toProgramme The budget given to: an open account, a programme whose law is in force,
     * or, both zero, the reserve.
     */
    function reallocate(
        uint256 fromOrganisation,
        bytes32 fromProgramme,
        uint256 toOrganisation,
        bytes32 toProgramme,
        uint256 amount
    ) external;

    /// @notice Returns a programme's budget to the reserve once its law is no longer in force (repealed). By anyone:
    /// the repeal is what decides.
    function releaseProgrammeBudget(bytes32 programmeId) external;

    /**
     * @notice Defines a benefit programme bound to `lawId`. Gated by law.
     * @param amountKey, periodKey The law's parameters: the amount paid each period, and the period in seconds.
     * @param enrolmentRegister A beneficiary must have a current record here.
     * @param stopRegister A current record here stops payments (deaths).
     * @param start When the first period starts (0: now).
     */
    function defineProgramme(
        bytes32 programmeId,
        bytes32 lawId,
        bytes32 amountKey,
        bytes32 periodKey,
        bytes32 enrolmentRegister,
        bytes32 stopRegister,
        uint64 start
    ) external;

    /// @notice Allocates `amount` of the reserve to a programme's budget. Gated by law.
    function fundProgramme(bytes32 programmeId, uint256 amount) external;

    /**
     * @notice Pays `amount` in tokens from an organisation's account to `to` (a person's or an organisation's key,
     * or a service contract), with its purpose. By an officer of that organisation holding its account's role,
     * gated by law within the organisation's jurisdiction.
     */
    function pay(uint256 fromOrganisation, address to, uint256 amount, bytes32 purpose) external returns (uint256);

    /// @notice Moves `amount` from one organisation's account to another's, with its purpose. As {pay}.
    function transferBudget(
        uint256 fromOrganisation,
        uint256 toOrganisation,
        uint256 amount,
        bytes32 purpose
    ) external returns (uint256);

    /**
     * @notice Reverses a payment, with the reason, by an officer of the paying organisation: the amount comes back
     * from the organisation paid, or in tokens from the key paid ({IFiatToken-clawback}). The payment stays on
     * record, marked reversed.
     */
    function reverse(uint256 paymentId, bytes32 reason) external;

    /// @notice Pays the caller's identity this period's benefit, if it is eligible and unpaid.
    function claim(bytes32 programmeId) external returns (uint256 amount);

    /**
     * @notice Pays this period's benefit to each eligible, unpaid beneficiary, at the key given beside it; passes
     * over the others ({BenefitSkipped}), so that a rerun pays no one twice. A beneficiary whose key cannot receive
     * (frozen, revoked, of an identity no longer active, not its own) is passed over too, with the reason, left
     * unpaid and its share kept in the budget: one beneficiary never blocks the others. By an officer granted
     * `payout` for this programme. `period` must be the current one.
     */
    function payout(
        bytes32 programmeId,
        uint256 period,
        uint256[] calldata beneficiaries,
        address[] calldata keys
    ) external;

    /// @notice An organisation's account.
    function account(uint256 organisation) external view returns (OrganisationAccount memory);

    /// @notice A programme, with its current period as last opened.
    function programme(bytes32 programmeId) external view returns (Programme memory);

    /// @notice A payment, reversed or not.
    function payment(uint256 paymentId) external view returns (Payment memory);

    /// @notice The number of payments made; also the last id.
    function paymentCount() external view returns (uint256);

    /// @notice The programme's period now (opening it if due, as the next claim would), and its amount.
    function currentPeriod(bytes32 programmeId) external view returns (uint256 period, uint256 amount);

    /// @notice Whether the beneficiary was paid by the programme for the period.
    function isPaid(bytes32 programmeId, uint256 period, uint256 beneficiary) external view returns (bool);

    /// @notice Whether the beneficiary would be paid now, or why not.
    function eligibility(bytes32 programmeId, uint256 beneficiary) external view returns (SkipReason);

    /// @notice What the Treasury holds beyond what laws have allocated.
    function reserve() external view returns (uint256);

    /// @notice The total allocated to accounts and programmes and not yet paid.
    function allocated() external view returns (uint256);

    /// @notice The FiatToken the Treasury holds.
    function token() external view returns (address);
}
