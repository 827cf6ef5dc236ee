// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {IFiatToken} from "../interfaces/IFiatToken.sol";
import {IIdentityObserver} from "../interfaces/IIdentityObserver.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";
import {PinnableCode} from "../libraries/PinnableCode.sol";

/**
 * @title FiatToken
 * @notice See {IFiatToken}. Built on OpenZeppelin's ERC20, ERC20Permit and Pausable: allowances, permit, nonces,
 * the EIP-712 domain and the ERC-6093 errors are theirs. Balances are not kept in ERC20's mapping but in one word
 * per account with the account's standing (see `_accounts`), through ERC20's `_update` hook, so that the checks
 * a transfer needs ride on the reads it makes anyway.
 *
 * Movements are refused with the ERC-6093 errors for what any ERC-20 refuses (a balance too low, an allowance
 * too small, the zero address) and with OpenZeppelin's `EnforcedPause` while paused. Pausable's events, errors and
 * functions are kept, but its flag lives in `_gate`, beside the observation period, so that a transfer reads both
 * in the one slot it read for the pause alone.
 */
contract FiatToken is ERC20Permit, Pausable, IFiatToken, IIdentityObserver {
    /// @notice The most that may ever be in circulation: balances are kept in 128 bits.
    uint256 public constant SUPPLY_CAP = type(uint128).max;

    /// @dev An account's word: its balance in bits 0-127, the identity of the key in bits 128-191 (as last
    /// checked), three flags, then the observation period in which the key was admitted (bits 195-226).
    uint256 private constant _BALANCE_MASK = type(uint128).max;
    uint256 private constant _IDENTITY_SHIFT = 128;
    uint256 private constant _IDENTITY_MASK = uint256(type(uint64).max) << _IDENTITY_SHIFT;
    /// @dev The key is a live key of an active identity, checked with the registry, and has not lapsed since.
    uint256 private constant _ADMITTED = 1 << 192;
    /// @dev A law enabled the account as a service contract's.
    uint256 private constant _SERVICE = 1 << 193;
    uint256 private constant _FROZEN = 1 << 194;
    /// @dev The observation period (see `_gate`), at the same place in an account's word and in the gate.
    uint256 private constant _OBSERVATION_SHIFT = 195;
    uint256 private constant _OBSERVATION_MASK = uint256(type(uint32).max) << _OBSERVATION_SHIFT;
    /// @dev An admission is the flag and the period it was made in: it counts only in the current period.
    uint256 private constant _STANDING_MASK = _ADMITTED | _OBSERVATION_MASK;
    /// @dev What a movement compares each party's word with, under this mask, to pass it without asking anyone.
    uint256 private constant _FAST_MASK = _FROZEN | _SERVICE | _STANDING_MASK;
    /// @dev A value that no word under `_FAST_MASK` equals (bit 0 lies outside it): while the token is not told of
    /// lapses, every party is asked of the registry.
    uint256 private constant _UNOBSERVED = 1;

    /// @dev The gate's flags; its bits 195-226 hold the number of the current or last observation period.
    uint256 private constant _PAUSED = 1 << 0;
    uint256 private constant _OBSERVED = 1 << 1;

    /// @dev The payees {disburse} passed over so far, how many, and how many it was given.
    struct Refusals {
        RefusedPayee[] list;
        uint256 count;
        uint256 capacity;
    }

    /// @dev A minter, in one slot.
    struct Minter {
        uint128 allowance;
        bool configured;
    }

    ISmartLaw private immutable _smartLaw;
    IIdentityRegistry private immutable _identityRegistry;

    /// @dev Each account's balance and standing, in one word (see the masks above).
    mapping(address account => uint256 word) private _accounts;

    /**
     * @dev What every movement reads first, in one word: the pause, whether the IdentityRegistry tells the token of
     * lapsed keys now (it is its observer), and the observation period. A period starts each time the token becomes
     * an observer: admissions noted in an earlier one are checked again, since lapses in between went unheard.
     */
    uint256 private _gate;

    uint256 private _supply;

    mapping(address minter => Minter) private _minters;

    constructor(
        string memory name_,
        string memory symbol_,
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_
    ) ERC20(name_, symbol_) ERC20Permit(name_) {
        if (address(smartLaw_) == address(0)) revert FiatTokenZeroAddress("smartLaw");
        if (address(identityRegistry_) == address(0)) revert FiatTokenZeroAddress("identityRegistry");
        _smartLaw = smartLaw_;
        _identityRegistry = identityRegistry_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Minting and burning, by the central bank
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFiatToken
    function configureMinter(address minter, uint256 allowance) external {
        bytes32 lawId = _authorize(bytes32(0));
        if (minter == address(0)) revert FiatTokenZeroAddress("minter");
        if (allowance > SUPPLY_CAP) revert FiatTokenSupplyCapExceeded(0, allowance, SUPPLY_CAP);
        _minters[minter] = Minter({allowance: uint128(allowance), configured: true});
        emit MinterConfigured(minter, allowance, lawId);
    }

    /// @inheritdoc IFiatToken
    function removeMinter(address minter) external {
        bytes32 lawId = _authorize(bytes32(0));
        if (!_minters[minter].configured) revert FiatTokenNotMinter(minter);
        delete _minters[minter];
        emit MinterRemoved(minter, lawId);
    }

    /// @inheritdoc IFiatToken
    function mint(address to, uint256 amount) external {
        bytes32 lawId = _authorize(bytes32(0));
        Minter storage minter = _minters[msg.sender];
        if (!minter.configured) revert FiatTokenNotMinter(msg.sender);
        if (amount == 0) revert FiatTokenZeroAmount();
        uint256 allowance = minter.allowance;
        if (amount > allowance) revert FiatTokenMinterAllowanceExceeded(msg.sender, allowance, amount);
        if (_gate & _OBSERVED == 0) revert FiatTokenNotObserving(address(_identityRegistry));
        minter.allowance = uint128(allowance - amount);
        _mint(to, amount);
        emit Minted(msg.sender, to, amount, lawId);
    }

    /// @inheritdoc IFiatToken
    function burn(uint256 amount) external {
        bytes32 lawId = _authorize(bytes32(0));
        if (!_minters[msg.sender].configured) revert FiatTokenNotMinter(msg.sender);
        if (amount == 0) revert FiatTokenZeroAmount();
        _burn(msg.sender, amount);
        emit Burned(msg.sender, amount, lawId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Courts and the guardian
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFiatToken
    function freeze(address holder, bytes32 reason) external {
        bytes32 lawId = _authorize(_jurisdictionOfHolder(holder));
        uint256 word = _accounts[holder];
        if (word & _FROZEN != 0) revert FiatTokenAccountFrozen(holder);
        _accounts[holder] = word | _FROZEN;
        emit AccountFrozen(holder, reason, lawId, msg.sender);
    }

    /// @inheritdoc IFiatToken
    function unfreeze(address holder, bytes32 reason) external {
        bytes32 lawId = _authorize(_jurisdictionOfHolder(holder));
        uint256 word = _accounts[holder];
        if (word & _FROZEN == 0) revert FiatTokenAccountNotFrozen(holder);
        _accounts[holder] = word & ~_FROZEN;
        emit AccountUnfrozen(holder, reason, lawId, msg.sender);
    }

    /// @inheritdoc IFiatToken
    function forcedTransfer(address from, address to, uint256 amount, bytes32 reason) external {
        bytes32 lawId = _authorize(_jurisdictionOfHolder(from));
        if (_accounts[from] & _FROZEN == 0) revert FiatTokenAccountNotFrozen(from);
        _moveOrdered(from, to, amount);
        emit ForcedTransfer(from, to, amount, reason, lawId, msg.sender);
    }

    /// @inheritdoc IFiatToken
    function clawback(address from, uint256 amount, bytes32 reason) external {
        bytes32 lawId = _authorize(_jurisdictionOfHolder(from));
        if (_accounts[from] & _FROZEN != 0) revert FiatTokenAccountFrozen(from);
        _moveOrdered(from, msg.sender, amount);
        emit ClawedBack(from, msg.sender, amount, reason, lawId);
    }

    /// @inheritdoc IFiatToken
    function pause() external {
        _authorize(bytes32(0));
        _pause();
    }

    /// @inheritdoc IFiatToken
    function unpause() external {
        _authorize(bytes32(0));
        _unpause();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Service accounts, by law
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFiatToken
    function enableServiceAccount(address holder) external {
        bytes32 lawId = _authorize(bytes32(0));
        if (!PinnableCode.isPinnable(holder)) revert FiatTokenNotPinnable(holder);
        uint256 word = _accounts[holder];
        if (word & _SERVICE != 0) revert FiatTokenServiceAccountExists(holder);
        _accounts[holder] = word | _SERVICE;
        emit ServiceAccountEnabled(holder, lawId);
    }

    /// @inheritdoc IFiatToken
    function disableServiceAccount(address holder) external {
        bytes32 lawId = _authorize(bytes32(0));
        uint256 word = _accounts[holder];
        if (word & _SERVICE == 0) revert FiatTokenNotServiceAccount(holder);
        _accounts[holder] = word & ~_SERVICE;
        emit ServiceAccountDisabled(holder, lawId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Standing, told by the IdentityRegistry
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IIdentityObserver
    function keysDisabled(uint256, address[] calldata keys) external {
        _checkIdentityRegistry();
        for (uint256 i = 0; i < keys.length; ++i) {
            uint256 word = _accounts[keys[i]];
            if (word & _ADMITTED != 0) _accounts[keys[i]] = word & ~_STANDING_MASK;
        }
    }

    /// @inheritdoc IIdentityObserver
    function observationStarted() external {
        _checkIdentityRegistry();
        uint256 gate = _gate;
        uint256 period = ((gate & _OBSERVATION_MASK) >> _OBSERVATION_SHIFT) + 1;
        if (period > type(uint32).max) revert FiatTokenObservationPeriodsExhausted();
        _gate = (gate & ~_OBSERVATION_MASK) | _OBSERVED | (period << _OBSERVATION_SHIFT);
        emit StandingObservationStarted(period);
    }

    /// @inheritdoc IIdentityObserver
    function observationStopped() external {
        _checkIdentityRegistry();
        uint256 gate = _gate;
        _gate = gate & ~_OBSERVED;
        emit StandingObservationStopped((gate & _OBSERVATION_MASK) >> _OBSERVATION_SHIFT);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Disbursement
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFiatToken
    function disburse(
        address[] calldata keys,
        uint256[] calldata identityIds,
        uint256 amount
    ) external returns (RefusedPayee[] memory) {
        uint256 count = keys.length;
        if (identityIds.length != count) revert FiatTokenLengthMismatch(count, identityIds.length);
        if (amount == 0) revert FiatTokenZeroAmount();
        uint256 tag = _standingTag();
        Refusals memory refusals;
        refusals.capacity = count;
        for (uint256 i = 0; i < count;) {
            address key = keys[i];
            uint256 word = _accounts[key];
            // The common case, a key admitted in this period and noted as the identity's, reads nothing more.
            if (word & _FAST_MASK != tag || (word & _IDENTITY_MASK) >> _IDENTITY_SHIFT != identityIds[i]) {
                bool payable_;
                (word, payable_) = _payee(key, word, identityIds[i], tag, i, refusals);
                if (!payable_) {
                    // One payee who cannot receive never stops the others: it is passed over, and returned.
                    unchecked {
                        ++i;
                    }
                    continue;
                }
            }
            // No lasting overflow: the payer's debit below reverts all unless it holds `amount` for each paid, and
            // balances sum to the supply, within 128 bits.
            _accounts[key] = word + amount;
            emit Transfer(msg.sender, key, amount);
            unchecked {
                ++i;
            }
        }
        uint256 refused = refusals.count;
        _debit(msg.sender, amount * (count - refused), tag);
        RefusedPayee[] memory list = refusals.list;
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(list, refused) // the refused payees only (an empty array when there were none)
        }
        return list;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @notice The token's amounts have two decimals (fen).
    function decimals() public pure override returns (uint8) {
        return 2;
    }

    /// @inheritdoc ERC20
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        return _supply;
    }

    /// @inheritdoc ERC20
    function balanceOf(address holder) public view override(ERC20, IERC20) returns (uint256) {
        return _accounts[holder] & _BALANCE_MASK;
    }

    /// @inheritdoc IFiatToken
    function account(address holder) external view returns (Account memory) {
        uint256 word = _accounts[holder];
        return
            Account({
                balance: word & _BALANCE_MASK,
                identityId: (word & _IDENTITY_MASK) >> _IDENTITY_SHIFT,
                admitted: word & _STANDING_MASK == _standingTag(_gate),
                service: word & _SERVICE != 0,
                frozen: word & _FROZEN != 0
            });
    }

    /// @inheritdoc IFiatToken
    function canHold(address holder) external view returns (bool) {
        uint256 word = _accounts[holder];
        if (word & _FROZEN != 0) return false;
        return word & _SERVICE != 0 || _identityRegistry.activeIdentityOf(holder) != 0;
    }

    /// @inheritdoc IFiatToken
    function observation() external view returns (bool observed, uint256 period) {
        uint256 gate = _gate;
        return (gate & _OBSERVED != 0, (gate & _OBSERVATION_MASK) >> _OBSERVATION_SHIFT);
    }

    /// @inheritdoc Pausable
    function paused() public view override returns (bool) {
        return _gate & _PAUSED != 0;
    }

    /// @inheritdoc IFiatToken
    function minterAllowance(address minter) external view returns (uint256) {
        return _minters[minter].allowance;
    }

    /// @inheritdoc IFiatToken
    function isMinter(address holder) external view returns (bool) {
        return _minters[holder].configured;
    }

    /// @inheritdoc IFiatToken
    function smartLaw() external view returns (address) {
        return address(_smartLaw);
    }

    /// @inheritdoc IFiatToken
    function identityRegistry() external view returns (address) {
        return address(_identityRegistry);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /**
     * @dev Every movement (transfer, transferFrom, mint, burn) comes here. Each side's word is read once: it
     * holds the balance, the frozen flag and the cached standing; the registry is asked only about an account
     * whose standing the token does not hold.
     */
    function _update(address from, address to, uint256 value) internal override {
        uint256 tag = _standingTag();
        if (from == address(0)) {
            uint256 supply = _supply;
            if (value > SUPPLY_CAP - supply) revert FiatTokenSupplyCapExceeded(supply, value, SUPPLY_CAP);
            _supply = supply + value;
        } else {
            _debit(from, value, tag);
        }
        if (to == address(0)) {
            _supply -= value;
        } else {
            _credit(to, value, tag);
        }
        emit Transfer(from, to, value);
    }

    /**
     * @dev The spender of an allowance must have standing, as a holder must: a revoked key, a key of an identity no
     * longer active, a frozen account or a key of no identity cannot use what it was allowed.
     */
    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        _checkStanding(spender, _standingTag(_gate)); // the pause is the movement's to check
        super._spendAllowance(owner, spender, value);
    }

    /**
     * @dev `approve` and `permit` (which emit Approval; the update of an allowance being spent does not): the owner
     * must have standing, and so must the spender of anything more than nothing (an allowance can always be
     * withdrawn). Allowances move no tokens: they may be given and withdrawn during a pause, as before.
     */
    function _approve(address owner, address spender, uint256 value, bool emitEvent) internal override {
        super._approve(owner, spender, value, emitEvent);
        if (emitEvent) {
            uint256 tag = _standingTag(_gate);
            _checkStanding(owner, tag);
            if (value != 0) _checkStanding(spender, tag);
        }
    }

    /// @dev Takes `value` from an account that must be able to send.
    function _debit(address from, uint256 value, uint256 tag) private {
        uint256 word = _accounts[from];
        if (word & _FAST_MASK != tag) word = _admit(from, word, tag);
        uint256 balance = word & _BALANCE_MASK;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        _accounts[from] = word - value;
    }

    /// @dev Gives `value` to an account that must be able to receive.
    function _credit(address to, uint256 value, uint256 tag) private {
        uint256 word = _accounts[to];
        if (word & _FAST_MASK != tag) word = _admit(to, word, tag);
        _accounts[to] = word + value; // no overflow: the sum of balances is the supply, within 128 bits
    }

    /// @dev A movement ordered under law (a court's, a clawback): the sender's standing is not asked, the
    /// receiver's is.
    function _moveOrdered(address from, address to, uint256 value) private {
        uint256 tag = _standingTag();
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        if (value == 0) revert FiatTokenZeroAmount();
        uint256 word = _accounts[from];
        uint256 balance = word & _BALANCE_MASK;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        _accounts[from] = word - value;
        _credit(to, value, tag);
        emit Transfer(from, to, value);
    }

    /**
     * @dev The word of an account whose word does not show it admitted in this period: a frozen account is
     * refused, a service account passes, and a key is asked of the registry (a live key of an active identity).
     * The admission is noted for the period only while the registry tells the token of lapses: otherwise the key
     * is asked again at each movement.
     */
    function _admit(address holder, uint256 word, uint256 tag) private view returns (uint256) {
        if (word & _FROZEN != 0) revert FiatTokenAccountFrozen(holder);
        if (word & _SERVICE != 0) return word;
        uint256 identityId = _identityRegistry.activeIdentityOf(holder);
        if (identityId == 0) revert FiatTokenAccountNotAdmitted(holder);
        word = (word & ~(_IDENTITY_MASK | _STANDING_MASK)) | (identityId << _IDENTITY_SHIFT);
        return tag == _UNOBSERVED ? word : word | tag;
    }

    /// @dev Reverts unless `holder` may send and receive now, as {_admit} decides; writes nothing.
    function _checkStanding(address holder, uint256 tag) private view {
        uint256 word = _accounts[holder];
        if (word & _FAST_MASK != tag) _admit(holder, word, tag);
    }

    /**
     * @dev The word of a payee of {disburse} whose word does not show it admitted in this period as the identity's
     * key, and whether it can be paid. One that cannot (frozen, not that identity's key, revoked, of an identity no
     * longer active) is passed over: noted in `refusals` with the reason, and announced. Asks the registry whose key
     * it is and whether it was revoked only for a key that is not admitted.
     */
    function _payee(
        address key,
        uint256 word,
        uint256 identityId,
        uint256 tag,
        uint256 index,
        Refusals memory refusals
    ) private returns (uint256, bool) {
        PayeeRefusal reason;
        if (word & _FROZEN != 0) {
            reason = PayeeRefusal.AccountFrozen;
        } else {
            uint256 active = _identityRegistry.activeIdentityOf(key);
            if (active != 0 && active == identityId) {
                word = (word & ~(_IDENTITY_MASK | _STANDING_MASK)) | (active << _IDENTITY_SHIFT);
                return (tag == _UNOBSERVED ? word : word | tag, true);
            }
            IIdentityRegistry.KeyRecord memory record = _identityRegistry.keyRecord(key);
            if (record.identityId == 0 || record.identityId != identityId) reason = PayeeRefusal.KeyNotOfIdentity;
            else if (record.revokedAt != 0) reason = PayeeRefusal.KeyRevoked;
            else reason = PayeeRefusal.IdentityNotActive;
        }
        // The list is made on the first refusal, as long as the lists given: a payout with none allocates nothing.
        if (refusals.count == 0) refusals.list = new RefusedPayee[](refusals.capacity);
        refusals.list[refusals.count++] = RefusedPayee({index: index, reason: reason});
        emit DisbursementRefused(msg.sender, key, identityId, reason);
        return (word, false);
    }

    /**
     * @dev What a party's word must show under `_FAST_MASK` to pass without asking anyone: admitted in the current
     * observation period, neither frozen nor a service account. Reverts while the token is paused (the gate holds
     * both, in the one slot a movement reads for them).
     */
    function _standingTag() private view returns (uint256) {
        uint256 gate = _gate;
        if (gate & _PAUSED != 0) revert EnforcedPause();
        return _standingTag(gate);
    }

    function _standingTag(uint256 gate) private pure returns (uint256) {
        return gate & _OBSERVED != 0 ? _ADMITTED | (gate & _OBSERVATION_MASK) : _UNOBSERVED;
    }

    /// @dev The jurisdiction of the identity whose key `holder` is (live or revoked); zero for a service account.
    function _jurisdictionOfHolder(address holder) private view returns (bytes32) {
        uint256 identityId = _identityRegistry.keyRecord(holder).identityId;
        if (identityId != 0) return _identityRegistry.jurisdictionOf(identityId);
        if (_accounts[holder] & _SERVICE == 0) revert FiatTokenUnknownAccount(holder);
        return bytes32(0);
    }

    function _checkIdentityRegistry() private view {
        if (msg.sender != address(_identityRegistry)) revert FiatTokenOnlyIdentityRegistry(msg.sender);
    }

    /// @dev Pausable's checks and changes, on the gate's flag.
    function _requireNotPaused() internal view override {
        if (_gate & _PAUSED != 0) revert EnforcedPause();
    }

    function _requirePaused() internal view override {
        if (_gate & _PAUSED == 0) revert ExpectedPause();
    }

    function _pause() internal override {
        _requireNotPaused();
        _gate |= _PAUSED;
        emit Paused(_msgSender());
    }

    function _unpause() internal override {
        _requirePaused();
        _gate &= ~_PAUSED;
        emit Unpaused(_msgSender());
    }

    function _authorize(bytes32 subjectJurisdiction) private view returns (bytes32 lawId) {
        return _smartLaw.authorize(msg.sender, msg.sig, subjectJurisdiction);
    }
}
