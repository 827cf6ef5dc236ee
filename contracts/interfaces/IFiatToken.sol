// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @title FiatToken: the legal tender of GovChain, with two decimals
 * @notice An ERC-20 token with EIP-2612 permit whose holders are the live keys of active identities and the
 * service contracts that a law enables (the Treasury). Central bank officials mint and burn under law, each
 * minter within an allowance set by law; courts freeze accounts and order forced transfers; a guardian pauses.
 *
 * A key that is revoked, or whose identity is suspended, deceased or dissolved, can neither send nor receive.
 * The token keeps that standing beside each balance, in the same storage word, so that a transfer between known
 * holders reads nothing more than a plain ERC-20 transfer does (USDC v2.2 keeps its blacklist bit in the same
 * place for the same reason). The IdentityRegistry tells the token, in the same transaction, when a key's
 * standing lapses (see {IIdentityObserver}); a key the token has not seen yet is checked with the registry on
 * its first transfer. This copy is a cache of the registry, whose events record every change of standing.
 *
 * The copy is trusted only while the registry tells the token of lapses, that is while the token is its observer
 * (the Currency Act registers it), and only for admissions made since the token last became one (an observation
 * period): lapses before went unheard. While it is not an observer (during the genesis, or after a law removes
 * it) the token asks the registry about every key at every movement, and mints nothing.
 *
 * Whoever moves tokens has standing: the holder, the spender of an allowance ({transferFrom}) and the owner who
 * gives one ({approve}, {permit}) alike; a key of no identity can neither hold nor use an allowance.
 */
interface IFiatToken is IERC20 {
    /// @notice Why {disburse} passed over a payee.
    enum PayeeRefusal {
        None,
        /// The account is frozen by a court.
        AccountFrozen,
        /// The key is not a key of the identity named beside it (nor of any identity, or a service account).
        KeyNotOfIdentity,
        /// The key was revoked.
        KeyRevoked,
        /// The identity is suspended, deceased or dissolved.
        IdentityNotActive
    }

    /// @notice A payee {disburse} passed over: its place in the lists, and why.
    struct RefusedPayee {
        uint256 index;
        PayeeRefusal reason;
    }

    /// @notice An account as the token keeps it.
    struct Account {
        uint256 balance;
        /// The identity whose key this is, as last checked with the IdentityRegistry (0 if never, or a service).
        uint256 identityId;
        /// Whether the key's standing was checked in the current observation period and has not lapsed since.
        bool admitted;
        /// Whether a law enabled this account as a service contract's.
        bool service;
        bool frozen;
    }

    /// @notice Emitted when a law sets a minter's allowance (what it may still mint).
    event MinterConfigured(address indexed minter, uint256 allowance, bytes32 lawId);

    /// @notice Emitted when a law removes a minter.
    event MinterRemoved(address indexed minter, bytes32 lawId);

    /// @notice Emitted beside Transfer when a minter mints, naming the law it acts under.
    event Minted(address indexed minter, address indexed to, uint256 amount, bytes32 lawId);

    /// @notice Emitted beside Transfer when a minter burns from its own balance, naming the law.
    event Burned(address indexed burner, uint256 amount, bytes32 lawId);

    /// @notice Emitted when a court freezes an account, with the reason (the hash of the order).
    /// @param by The key or contract that acted (the judge's key); with lawId, who acted under which law.
    event AccountFrozen(address indexed account, bytes32 reason, bytes32 lawId, address by);

    /// @notice Emitted when a court unfreezes an account, with the reason.
    /// @param by The key or contract that acted (the judge's key); with lawId, who acted under which law.
    event AccountUnfrozen(address indexed account, bytes32 reason, bytes32 lawId, address by);

    /// @notice Emitted beside Transfer when a court orders a frozen balance moved.
    /// @param by The key or contract that acted (the judge's key); with lawId, who acted under which law.
    event ForcedTransfer(
        address indexed from,
        address indexed to,
        uint256 amount,
        bytes32 reason,
        bytes32 lawId,
        address by
    );

    /// @notice Emitted beside Transfer when a service contract takes back a mistaken payment under law.
    event ClawedBack(address indexed from, address indexed to, uint256 amount, bytes32 reason, bytes32 lawId);

    /// @notice Emitted when a law lets a service contract hold and move tokens.
    event ServiceAccountEnabled(address indexed account, bytes32 lawId);

    /// @notice Emitted when a law withdraws that permission.
    event ServiceAccountDisabled(address indexed account, bytes32 lawId);

    /// @notice Emitted when the IdentityRegistry starts telling the token of lapsed keys (the token became its
    /// observer): observation period `period` begins, and admissions from earlier periods will be checked again.
    event StandingObservationStarted(uint256 period);

    /// @notice Emitted when the IdentityRegistry stops telling the token of lapsed keys (a law removed it as an
    /// observer): until the next period, every key is asked of the registry at every movement.
    event StandingObservationStopped(uint256 period);

    /// @notice Emitted for each payee {disburse} passed over, and why; nothing was paid to it.
    event DisbursementRefused(
        address indexed payer,
        address indexed key,
        uint256 indexed identityId,
        PayeeRefusal reason
    );

    /// @notice The account is neither a live key of an active identity nor an enabled service account: it cannot
    /// send, receive, give an allowance or spend one.
    error FiatTokenAccountNotAdmitted(address account);

    /// @notice The account is frozen: it can neither send nor receive.
    error FiatTokenAccountFrozen(address account);

    /// @notice The account is not frozen (to unfreeze it, or move its balance by court order).
    error FiatTokenAccountNotFrozen(address account);

    /// @notice The account is neither an identity's key (live or revoked) nor a service account.
    error FiatTokenUnknownAccount(address account);

    /// @notice The account is not a minter.
    error FiatTokenNotMinter(address account);

    /// @notice The mint exceeds what the minter may still mint.
    error FiatTokenMinterAllowanceExceeded(address minter, uint256 allowance, uint256 amount);

    /// @notice The total supply may not exceed `cap`: balances are kept in 128 bits.
    error FiatTokenSupplyCapExceeded(uint256 supply, uint256 amount, uint256 cap);

    /// @notice An amount of zero, where it means nothing.
    error FiatTokenZeroAmount();

    /// @notice The address `field` must be set, and is zero.
    error FiatTokenZeroAddress(string field);

    /// @notice The lists must be of the same length.
    error FiatTokenLengthMismatch(uint256 keys, uint256 identityIds);

    /// @notice A service account must hold code whose behaviour cannot change (no proxy, see PinnableCode).
    error FiatTokenNotPinnable(address account);

    /// @notice The account is already an enabled service account.
    error FiatTokenServiceAccountExists(address account);

    /// @notice The account is not an enabled service account.
    error FiatTokenNotServiceAccount(address account);

    /// @notice Only the IdentityRegistry tells the token of lapsed keys, and of its observation starting or stopping.
    error FiatTokenOnlyIdentityRegistry(address caller);

    /// @notice The token has started as many observation periods as it can count (2^32 - 1).
    error FiatTokenObservationPeriodsExhausted();

    /// @notice The token must be an observer of the IdentityRegistry before anything is minted: its copy of
    /// holders' standing would otherwise go stale.
    error FiatTokenNotObserving(address identityRegistry);

    /// @notice Sets what `minter` may still mint. Gated by law (a law update).
    function configureMinter(address minter, uint256 allowance) external;

    /// @notice Removes a minter. Gated by law.
    function removeMinter(address minter) external;

    /// @notice Mints `amount` to `to`, within the caller's allowance. Gated by law (the central bank's role).
    function mint(address to, uint256 amount) external;

    /// @notice Burns `amount` from the caller's own balance. The caller must be a minter. Gated by law.
    function burn(uint256 amount) external;

    /// @notice Freezes an account, with a reason. Gated by law (a court's role), scoped by the holder's
    /// jurisdiction.
    function freeze(address account, bytes32 reason) external;

    /// @notice Unfreezes an account, with a reason. Gated by law, scoped like {freeze}.
    function unfreeze(address account, bytes32 reason) external;

    /// @notice Moves `amount` from a frozen account to `to` by court order. Gated by law, scoped by the frozen
    /// holder's jurisdiction. The account stays frozen.
    function forcedTransfer(address from, address to, uint256 amount, bytes32 reason) external;

    /// @notice Takes `amount` back from `from` to the caller (a service contract correcting a mistaken payment),
    /// with a reason. Gated by law. `from` may have lapsed, but not be frozen: a frozen balance is the court's.
    function clawback(address from, uint256 amount, bytes32 reason) external;

    /// @notice Pauses every movement of tokens. Gated by law (a guardian's role).
    function pause() external;

    /// @notice Ends a pause. Gated by law.
    function unpause() external;

    /// @notice Lets a service contract hold and move tokens. Gated by law.
    function enableServiceAccount(address account) external;

    /// @notice Withdraws that permission; the balance stays, but cannot move. Gated by law.
    function disableServiceAccount(address account) external;

    /**
     * @notice Pays `amount` from the caller to each key that is a live key of the identity given beside it and may
     * receive: how the Treasury pays a benefit to many beneficiaries in one transaction. One Transfer event per key
     * paid. A key that cannot receive (frozen, revoked, of an identity no longer active, not that identity's) is
     * passed over with {DisbursementRefused} and returned, never blocking the others; the caller pays only for
     * those paid.
     * @return refused The payees passed over, in the order given.
     */
    function disburse(
        address[] calldata keys,
        uint256[] calldata identityIds,
        uint256 amount
    ) external returns (RefusedPayee[] memory refused);

    /// @notice An account's balance and standing as the token holds them.
    function account(address holder) external view returns (Account memory);

    /// @notice Whether `holder` may send and receive now: not frozen, and an enabled service account or a live
    /// key of an active identity (asked of the IdentityRegistry).
    function canHold(address holder) external view returns (bool);

    /// @notice Whether the IdentityRegistry tells the token of lapsed keys now, and the number of the current (or
    /// last) observation period.
    function observation() external view returns (bool observed, uint256 period);

    /// @notice What a minter may still mint (0 for an account that is not a minter).
    function minterAllowance(address minter) external view returns (uint256);

    /// @notice Whether the account is a minter.
    function isMinter(address account) external view returns (bool);

    /// @notice The SmartLaw that gates the token.
    function smartLaw() external view returns (address);

    /// @notice The IdentityRegistry whose keys hold the token.
    function identityRegistry() external view returns (address);
}
