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
 * too small, the zero address) and with OpenZeppelin's `EnforcedPause` while paused.
 */
contract FiatToken is ERC20Permit, Pausable, IFiatToken, IIdentityObserver {
    /// @notice The most that may ever be in circulation: balances are kept in 128 bits.
    uint256 public constant SUPPLY_CAP = type(uint128).max;

    /// @dev An account's word: its balance in bits 0-127, the identity of the key in bits 128-191 (as last
    /// checked), then three flags.
    uint256 private constant _BALANCE_MASK = type(uint128).max;
    uint256 private constant _IDENTITY_SHIFT = 128;
    uint256 private constant _IDENTITY_MASK = uint256(type(uint64).max) << _IDENTITY_SHIFT;
    /// @dev The key is a live key of an active identity, checked with the registry, and has not lapsed since.
    uint256 private constant _ADMITTED = 1 << 192;
    /// @dev A law enabled the account as a service contract's.
    uint256 private constant _SERVICE = 1 << 193;
    uint256 private constant _FROZEN = 1 << 194;

    /// @dev A minter, in one slot.
    struct Minter {
        uint128 allowance;
        bool configured;
    }

    ISmartLaw private immutable _smartLaw;
    IIdentityRegistry private immutable _identityRegistry;

    /// @dev Each account's balance and standing, in one word (see the masks above).
    mapping(address account => uint256 word) private _accounts;

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
        _checkObserving();
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
        emit AccountFrozen(holder, reason, lawId);
    }

    /// @inheritdoc IFiatToken
    function unfreeze(address holder, bytes32 reason) external {
        bytes32 lawId = _authorize(_jurisdictionOfHolder(holder));
        uint256 word = _accounts[holder];
        if (word & _FROZEN == 0) revert FiatTokenAccountNotFrozen(holder);
        _accounts[holder] = word & ~_FROZEN;
        emit AccountUnfrozen(holder, reason, lawId);
    }

    /// @inheritdoc IFiatToken
    function forcedTransfer(address from, address to, uint256 amount, bytes32 reason) external {
        bytes32 lawId = _authorize(_jurisdictionOfHolder(from));
        if (_accounts[from] & _FROZEN == 0) revert FiatTokenAccountNotFrozen(from);
        _moveOrdered(from, to, amount);
        emit ForcedTransfer(from, to, amount, reason, lawId);
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
        if (msg.sender != address(_identityRegistry)) revert FiatTokenOnlyIdentityRegistry(msg.sender);
        for (uint256 i = 0; i < keys.length; ++i) {
            uint256 word = _accounts[keys[i]];
            if (word & _ADMITTED != 0) _accounts[keys[i]] = word & ~_ADMITTED;
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Disbursement
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc IFiatToken
    function disburse(address[] calldata keys, uint256[] calldata identityIds, uint256 amount) external {
        uint256 count = keys.length;
        if (identityIds.length != count) revert FiatTokenLengthMismatch(count, identityIds.length);
        if (amount == 0) revert FiatTokenZeroAmount();
        _requireNotPaused();
        _debit(msg.sender, amount * count);
        for (uint256 i = 0; i < count;) {
            address key = keys[i];
            uint256 word = _accounts[key];
            if (word & (_FROZEN | _ADMITTED) != _ADMITTED) {
                if (word & _FROZEN != 0) revert FiatTokenAccountFrozen(key);
                word = _admit(key, word);
            }
            if ((word & _IDENTITY_MASK) >> _IDENTITY_SHIFT != identityIds[i]) {
                revert FiatTokenKeyNotOfIdentity(key, identityIds[i]);
            }
            _accounts[key] = word + amount; // no overflow: the sum of balances is the supply, within 128 bits
            emit Transfer(msg.sender, key, amount);
            unchecked {
                ++i;
            }
        }
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
                admitted: word & _ADMITTED != 0,
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
        _requireNotPaused();
        if (from == address(0)) {
            uint256 supply = _supply;
            if (value > SUPPLY_CAP - supply) revert FiatTokenSupplyCapExceeded(supply, value, SUPPLY_CAP);
            _supply = supply + value;
        } else {
            _debit(from, value);
        }
        if (to == address(0)) {
            _supply -= value;
        } else {
            _credit(to, value);
        }
        emit Transfer(from, to, value);
    }

    /// @dev Takes `value` from an account that must be able to send.
    function _debit(address from, uint256 value) private {
        uint256 word = _accounts[from];
        if (word & _FROZEN != 0) revert FiatTokenAccountFrozen(from);
        if (word & (_ADMITTED | _SERVICE) == 0) word = _admit(from, word);
        uint256 balance = word & _BALANCE_MASK;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        _accounts[from] = word - value;
    }

    /// @dev Gives `value` to an account that must be able to receive.
    function _credit(address to, uint256 value) private {
        uint256 word = _accounts[to];
        if (word & _FROZEN != 0) revert FiatTokenAccountFrozen(to);
        if (word & (_ADMITTED | _SERVICE) == 0) word = _admit(to, word);
        _accounts[to] = word + value; // no overflow: the sum of balances is the supply, within 128 bits
    }

    /// @dev A movement ordered under law (a court's, a clawback): the sender's standing is not asked, the
    /// receiver's is.
    function _moveOrdered(address from, address to, uint256 value) private {
        _requireNotPaused();
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        if (value == 0) revert FiatTokenZeroAmount();
        uint256 word = _accounts[from];
        uint256 balance = word & _BALANCE_MASK;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        _accounts[from] = word - value;
        _credit(to, value);
        emit Transfer(from, to, value);
    }

    /// @dev Asks the registry whether `holder` is a live key of an active identity, and notes it in its word.
    function _admit(address holder, uint256 word) private view returns (uint256) {
        uint256 identityId = _identityRegistry.activeIdentityOf(holder);
        if (identityId == 0) revert FiatTokenAccountNotAdmitted(holder);
        return (word & ~_IDENTITY_MASK) | (identityId << _IDENTITY_SHIFT) | _ADMITTED;
    }

    /// @dev The jurisdiction of the identity whose key `holder` is (live or revoked); zero for a service account.
    function _jurisdictionOfHolder(address holder) private view returns (bytes32) {
        uint256 identityId = _identityRegistry.keyRecord(holder).identityId;
        if (identityId != 0) return _identityRegistry.jurisdictionOf(identityId);
        if (_accounts[holder] & _SERVICE == 0) revert FiatTokenUnknownAccount(holder);
        return bytes32(0);
    }

    function _checkObserving() private view {
        address[] memory observers = _identityRegistry.observers();
        for (uint256 i = 0; i < observers.length; ++i) {
            if (observers[i] == address(this)) return;
        }
        revert FiatTokenNotObserving(address(_identityRegistry));
    }

    function _authorize(bytes32 subjectJurisdiction) private view returns (bytes32 lawId) {
        return _smartLaw.authorize(msg.sender, msg.sig, subjectJurisdiction);
    }
}
