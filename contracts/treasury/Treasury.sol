// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IFiatToken} from "../interfaces/IFiatToken.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";
import {IResourceChecked} from "../interfaces/IResourceChecked.sol";
import {ITreasury} from "../interfaces/ITreasury.sol";

/**
 * @title Treasury
 * @notice See {ITreasury}. The Treasury holds its tokens as a service account of the FiatToken (enabled by law),
 * and holds a role under law for {IFiatToken-clawback}, with which it reverses payments made in tokens.
 *
 * What is allocated is the sum of the accounts' and programmes' balances, summed when a law allocates (their
 * lists are short, and laws are rare), so that payments, which are many, write nothing but the balance they draw
 * on. Who was paid by a programme in a period is a bitmap: a payout of many beneficiaries with neighbouring ids
 * writes one word for 256 of them.
 *
 * A payout marks and budgets the beneficiaries it selects before the token pays them; those the token passes over
 * (a key that cannot receive) are unmarked and their share goes back to the budget in the same transaction, so
 * that a rerun pays them once they can receive.
 */
contract Treasury is ITreasury, IResourceChecked {
    using BitMaps for BitMaps.BitMap;
    using SafeCast for uint256;

    /// @dev An organisation's account as stored.
    struct AccountRecord {
        uint128 balance;
        bool open;
        bytes32 officerRole;
    }

    /// @dev A programme as stored: what the law fixed, then the state each payment reads and writes (slot 5).
    struct ProgrammeRecord {
        bytes32 lawId;
        bytes32 amountKey;
        bytes32 periodKey;
        bytes32 enrolmentRegister;
        bytes32 stopRegister;
        uint96 budget;
        uint64 amount;
        uint32 period;
        uint64 periodEnd;
        uint64 periodStart;
    }

    /// @dev A payment as stored, in three slots.
    struct PaymentRecord {
        uint64 fromOrganisation;
        uint64 toOrganisation;
        uint40 madeAt;
        bool reversed;
        address to;
        uint128 amount;
        bytes32 purpose;
        bytes32 lawId;
    }

    /// @dev A period as {_periodNow} finds it. Its `start` and `end` are set only for a period that opens now (what
    /// {_openPeriod} writes): a payment in an open period reads nothing of the record beyond slot 5.
    struct PeriodView {
        uint256 period;
        uint256 start;
        uint256 end;
        uint256 amount;
        bool opens;
    }

    ISmartLaw private immutable _smartLaw;
    IIdentityRegistry private immutable _identityRegistry;
    ICivilRegistry private immutable _civilRegistry;
    IFiatToken private immutable _token;

    mapping(uint256 organisation => AccountRecord) private _accounts;
    mapping(bytes32 programmeId => ProgrammeRecord) private _programmes;
    /// @dev Per programme, bit (period << 64 | beneficiary) is set once the beneficiary is paid for the period.
    mapping(bytes32 programmeId => BitMaps.BitMap) private _paid;
    mapping(uint256 paymentId => PaymentRecord) private _payments;
    uint256 private _paymentCount;
    /// @dev The organisations with an account, and the programmes, in the order they were opened.
    uint256[] private _organisations;
    bytes32[] private _programmeIds;

    constructor(
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_,
        ICivilRegistry civilRegistry_,
        IFiatToken token_
    ) {
        _smartLaw = smartLaw_;
        _identityRegistry = identityRegistry_;
        _civilRegistry = civilRegistry_;
        _token = token_;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Accounts and budgets, by law
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITreasury
    function openAccount(uint256 organisation, bytes32 role) external {
        bytes32 lawId = _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        if (role == bytes32(0)) revert TreasuryZeroValue("role");
        IIdentityRegistry.Identity memory unit = _identityRegistry.identity(organisation);
        if (unit.kind != IIdentityRegistry.Kind.Organisation || unit.status != IIdentityRegistry.Status.Active) {
            revert TreasuryInvalidOrganisation(organisation);
        }
        AccountRecord storage record = _accounts[organisation];
        if (record.open) revert TreasuryAccountExists(organisation);
        // An account closed and opened again is listed once: `allocated` sums the list. Its role was never zero.
        if (record.officerRole == bytes32(0)) _organisations.push(organisation);
        record.open = true;
        record.officerRole = role;
        emit AccountOpened(organisation, role, lawId);
    }

    /// @inheritdoc ITreasury
    function closeAccount(uint256 organisation) external {
        AccountRecord storage record = _openAccount(organisation);
        bytes32 lawId;
        // A dissolved organisation's budget would otherwise be stranded: anyone may return it. Else, by law.
        if (_identityRegistry.identity(organisation).status != IIdentityRegistry.Status.Dissolved) {
            lawId = _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        }
        uint256 returned = record.balance;
        record.balance = 0;
        record.open = false;
        emit AccountClosed(organisation, returned, lawId);
    }

    /// @inheritdoc ITreasury
    function reallocate(
        uint256 fromOrganisation,
        bytes32 fromProgramme,
        uint256 toOrganisation,
        bytes32 toProgramme,
        uint256 amount
    ) external {
        bytes32 lawId = _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        if (amount == 0) revert TreasuryZeroValue("amount");
        if (fromOrganisation == toOrganisation && fromProgramme == toProgramme) {
            revert TreasuryInvalidBudget(toOrganisation, toProgramme);
        }
        _takeBudget(fromOrganisation, fromProgramme, amount);
        _giveBudget(toOrganisation, toProgramme, amount);
        emit BudgetReallocated(fromOrganisation, fromProgramme, toOrganisation, toProgramme, amount, lawId);
    }

    /// @inheritdoc ITreasury
    function releaseProgrammeBudget(bytes32 programmeId) external {
        ProgrammeRecord storage record = _existingProgramme(programmeId);
        bytes32 lawId = record.lawId;
        // The law decides: once repealed, its programme pays nothing, and what it was given is the reserve's again.
        if (_smartLaw.isInForce(lawId)) revert TreasuryLawInForce(programmeId, lawId);
        uint256 released = record.budget;
        if (released == 0) revert TreasuryZeroValue("budget");
        record.budget = 0;
        emit ProgrammeBudgetReleased(programmeId, released, lawId);
    }

    /// @inheritdoc ITreasury
    function allocate(uint256 organisation, uint256 amount) external {
        bytes32 lawId = _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        AccountRecord storage record = _openAccount(organisation);
        _checkReserve(amount);
        record.balance += amount.toUint128();
        emit BudgetAllocated(organisation, amount, lawId);
    }

    /// @inheritdoc ITreasury
    function defineProgramme(
        bytes32 programmeId,
        bytes32 lawId,
        bytes32 amountKey,
        bytes32 periodKey,
        bytes32 enrolmentRegister,
        bytes32 stopRegister,
        uint64 start
    ) external {
        _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        if (programmeId == bytes32(0)) revert TreasuryZeroValue("programmeId");
        if (_programmes[programmeId].lawId != bytes32(0)) revert TreasuryProgrammeExists(programmeId);
        if (!_smartLaw.isInForce(lawId)) revert TreasuryLawNotInForce(programmeId, lawId);
        _smartLaw.param(lawId, amountKey); // each reverts when the law does not set the parameter
        if (_smartLaw.param(lawId, periodKey) == 0) revert TreasuryInvalidPeriodLength(programmeId, 0);
        _civilRegistry.register(enrolmentRegister); // each reverts for an unknown register
        _civilRegistry.register(stopRegister);
        uint64 firstStart = start == 0 ? uint64(block.timestamp) : start;
        ProgrammeRecord storage record = _programmes[programmeId];
        record.lawId = lawId;
        record.amountKey = amountKey;
        record.periodKey = periodKey;
        record.enrolmentRegister = enrolmentRegister;
        record.stopRegister = stopRegister;
        record.periodEnd = firstStart; // period 0 "ends" when the first one starts
        _programmeIds.push(programmeId);
        emit ProgrammeDefined(programmeId, lawId, amountKey, periodKey, enrolmentRegister, stopRegister, firstStart);
    }

    /// @inheritdoc ITreasury
    function fundProgramme(bytes32 programmeId, uint256 amount) external {
        bytes32 lawId = _smartLaw.authorize(msg.sender, msg.sig, bytes32(0));
        ProgrammeRecord storage record = _existingProgramme(programmeId);
        _checkReserve(amount);
        record.budget += amount.toUint96();
        emit ProgrammeFunded(programmeId, amount, lawId);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Payments, by officers
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITreasury
    function pay(
        uint256 fromOrganisation,
        address to,
        uint256 amount,
        bytes32 purpose
    ) external returns (uint256 paymentId) {
        if (to == address(0)) revert TreasuryZeroValue("to");
        bytes32 lawId = _checkOfficer(fromOrganisation);
        _spend(fromOrganisation, amount);
        paymentId = _recordPayment(fromOrganisation, 0, to, amount, purpose, lawId);
        _token.transfer(to, amount);
    }

    /// @inheritdoc ITreasury
    function transferBudget(
        uint256 fromOrganisation,
        uint256 toOrganisation,
        uint256 amount,
        bytes32 purpose
    ) external returns (uint256 paymentId) {
        bytes32 lawId = _checkOfficer(fromOrganisation);
        AccountRecord storage receiving = _openAccount(toOrganisation);
        if (toOrganisation == fromOrganisation) revert TreasuryInvalidOrganisation(toOrganisation);
        _spend(fromOrganisation, amount);
        receiving.balance += uint128(amount);
        paymentId = _recordPayment(fromOrganisation, toOrganisation, address(0), amount, purpose, lawId);
    }

    /// @inheritdoc ITreasury
    function reverse(uint256 paymentId, bytes32 reason) external {
        PaymentRecord storage record = _payments[paymentId];
        uint256 fromOrganisation = record.fromOrganisation;
        if (fromOrganisation == 0) revert TreasuryUnknownPayment(paymentId);
        bytes32 lawId = _checkOfficer(fromOrganisation);
        if (record.reversed) revert TreasuryPaymentAlreadyReversed(paymentId);
        record.reversed = true;
        uint128 amount = record.amount;
        uint256 toOrganisation = record.toOrganisation;
        if (toOrganisation != 0) {
            _spend(toOrganisation, amount);
        } else {
            _token.clawback(record.to, amount, reason);
        }
        _accounts[fromOrganisation].balance += amount;
        emit PaymentReversed(paymentId, amount, reason, lawId, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Benefits
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITreasury
    function claim(bytes32 programmeId) external returns (uint256 amount) {
        ProgrammeRecord storage record = _existingProgramme(programmeId);
        bytes32 lawId = _checkInForce(record, programmeId);
        uint256 period;
        (period, amount) = _openPeriod(record, programmeId);
        uint256 beneficiary = _claimant();
        (SkipReason reason, bytes32 stopRecord) = _skipReason(record, programmeId, period, beneficiary);
        if (reason == SkipReason.AlreadyPaid) revert TreasuryAlreadyPaid(programmeId, period, beneficiary);
        if (reason == SkipReason.NotEnrolled) revert TreasuryNotEnrolled(programmeId, beneficiary);
        if (reason == SkipReason.Stopped) revert TreasuryBeneficiaryStopped(programmeId, beneficiary, stopRecord);
        _setPaid(programmeId, period, beneficiary);
        _spendBudget(record, programmeId, amount);
        _token.transfer(msg.sender, amount);
        emit BenefitClaimed(programmeId, period, beneficiary, msg.sender, amount, lawId);
    }

    /// @inheritdoc ITreasury
    function payout(
        bytes32 programmeId,
        uint256 period,
        uint256[] calldata beneficiaries,
        address[] calldata keys
    ) external {
        (bytes32 lawId, ) = _smartLaw.authorizeOn(msg.sender, msg.sig, programmeId, bytes32(0));
        uint256 count = beneficiaries.length;
        if (keys.length != count) revert TreasuryLengthMismatch(count, keys.length);
        ProgrammeRecord storage record = _existingProgramme(programmeId);
        _checkInForce(record, programmeId);
        (uint256 current, uint256 amount) = _openPeriod(record, programmeId);
        if (period != current) revert TreasuryWrongPeriod(programmeId, current, period);

        (uint256[] memory paidIds, address[] memory paidKeys) = _selectPayees(
            record,
            programmeId,
            period,
            beneficiaries,
            keys
        );
        if (paidIds.length == 0) return;
        uint256 paid = _disburse(record, programmeId, period, amount, paidIds, paidKeys);
        if (paid != 0) emit PayoutMade(programmeId, period, amount, paid, lawId, msg.sender);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Views
    // ---------------------------------------------------------------------------------------------------------

    /// @inheritdoc ITreasury
    function account(uint256 organisation) external view returns (OrganisationAccount memory) {
        AccountRecord storage record = _accounts[organisation];
        return OrganisationAccount({balance: record.balance, officerRole: record.officerRole, open: record.open});
    }

    /// @inheritdoc ITreasury
    function programme(bytes32 programmeId) external view returns (Programme memory) {
        ProgrammeRecord storage record = _programmes[programmeId];
        return
            Programme({
                lawId: record.lawId,
                amountKey: record.amountKey,
                periodKey: record.periodKey,
                enrolmentRegister: record.enrolmentRegister,
                stopRegister: record.stopRegister,
                budget: record.budget,
                period: record.period,
                periodStart: record.periodStart,
                periodEnd: record.periodEnd,
                amount: record.amount
            });
    }

    /// @inheritdoc ITreasury
    function payment(uint256 paymentId) external view returns (Payment memory) {
        PaymentRecord storage record = _payments[paymentId];
        return
            Payment({
                fromOrganisation: record.fromOrganisation,
                toOrganisation: record.toOrganisation,
                to: record.to,
                amount: record.amount,
                purpose: record.purpose,
                lawId: record.lawId,
                madeAt: record.madeAt,
                reversed: record.reversed
            });
    }

    /// @inheritdoc ITreasury
    function paymentCount() external view returns (uint256) {
        return _paymentCount;
    }

    /// @inheritdoc ITreasury
    function currentPeriod(bytes32 programmeId) external view returns (uint256 period, uint256 amount) {
        ProgrammeRecord storage record = _existingProgramme(programmeId);
        _checkInForce(record, programmeId);
        PeriodView memory found = _periodNow(record, programmeId);
        return (found.period, found.amount);
    }

    /// @inheritdoc ITreasury
    function isPaid(bytes32 programmeId, uint256 period, uint256 beneficiary) external view returns (bool) {
        return beneficiary <= type(uint64).max && _paid[programmeId].get(_paidIndex(period, beneficiary));
    }

    /// @inheritdoc ITreasury
    function eligibility(bytes32 programmeId, uint256 beneficiary) external view returns (SkipReason reason) {
        ProgrammeRecord storage record = _existingProgramme(programmeId);
        _checkInForce(record, programmeId);
        (reason, ) = _skipReason(record, programmeId, _periodNow(record, programmeId).period, beneficiary);
    }

    /// @inheritdoc ITreasury
    function reserve() public view returns (uint256) {
        uint256 held = _token.balanceOf(address(this));
        uint256 committed = allocated();
        return held > committed ? held - committed : 0;
    }

    /// @inheritdoc ITreasury
    function allocated() public view returns (uint256 total) {
        uint256 count = _organisations.length;
        for (uint256 i = 0; i < count; ++i) total += _accounts[_organisations[i]].balance;
        count = _programmeIds.length;
        for (uint256 i = 0; i < count; ++i) total += _programmes[_programmeIds[i]].budget;
    }

    /// @inheritdoc ITreasury
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IResourceChecked
    function isResourceChecked(bytes4 selector) external pure returns (bool) {
        return selector == this.payout.selector; // per programme
    }

    // ---------------------------------------------------------------------------------------------------------
    // Internal
    // ---------------------------------------------------------------------------------------------------------

    /// @dev The period now: the stored one, or the one that opens now (reading the law's parameters).
    function _periodNow(
        ProgrammeRecord storage record,
        bytes32 programmeId
    ) private view returns (PeriodView memory found) {
        uint256 end = record.periodEnd;
        uint256 period = record.period;
        if (block.timestamp < end) {
            if (period == 0) revert TreasuryProgrammeNotStarted(programmeId, end);
            // periodStart lies in a slot of its own (slot 6): no payment needs it, so none pays its cold read
            return PeriodView(period, 0, 0, record.amount, false);
        }
        bytes32 lawId = record.lawId;
        uint256 length = _smartLaw.param(lawId, record.periodKey);
        if (length == 0) revert TreasuryInvalidPeriodLength(programmeId, 0);
        uint256 skipped = (block.timestamp - end) / length;
        uint256 start = end + skipped * length;
        return PeriodView(period + skipped + 1, start, start + length, _smartLaw.param(lawId, record.amountKey), true);
    }

    /// @dev The current period and its amount, opening the period if it is due.
    function _openPeriod(
        ProgrammeRecord storage record,
        bytes32 programmeId
    ) private returns (uint256 period, uint256 amount) {
        PeriodView memory found = _periodNow(record, programmeId);
        if (found.opens) {
            record.period = found.period.toUint32();
            record.periodStart = found.start.toUint64();
            record.periodEnd = found.end.toUint64();
            record.amount = found.amount.toUint64();
            emit PeriodOpened(programmeId, found.period, found.start, found.end, found.amount);
        }
        return (found.period, found.amount);
    }

    /// @dev Why the beneficiary would not be paid for the period (None if it would), and the stopping record.
    function _skipReason(
        ProgrammeRecord storage record,
        bytes32 programmeId,
        uint256 period,
        uint256 beneficiary
    ) private view returns (SkipReason, bytes32 stopRecord) {
        bytes32 enrolment = _civilRegistry.latest(record.enrolmentRegister, beneficiary);
        stopRecord = _civilRegistry.latest(record.stopRegister, beneficiary);
        return (_reasonOf(_paid[programmeId], period, beneficiary, enrolment, stopRecord), stopRecord);
    }

    /// @dev What {_selectPayees} works with: the records read, the bitmap word in hand, those to be paid.
    struct Selection {
        uint256[] enrolled;
        uint256[] stopped;
        uint256 base;
        uint256 bucket;
        uint256 word;
        uint256[] ids;
        address[] keys;
        uint256 paid;
    }

    /**
     * @dev Marks the beneficiaries to be paid for the period, passing over the others; returns those paid. The
     * bitmap word of the ids in hand is kept in memory and written once when the ids move on to another word.
     */
    function _selectPayees(
        ProgrammeRecord storage record,
        bytes32 programmeId,
        uint256 period,
        uint256[] calldata beneficiaries,
        address[] calldata keys
    ) private returns (uint256[] memory, address[] memory) {
        uint256 count = beneficiaries.length;
        Selection memory selection = Selection({
            enrolled: _civilRegistry.currentOf(record.enrolmentRegister, beneficiaries),
            stopped: _civilRegistry.currentOf(record.stopRegister, beneficiaries),
            base: period << 64,
            bucket: type(uint256).max,
            word: 0,
            ids: new uint256[](count),
            keys: new address[](count),
            paid: 0
        });
        mapping(uint256 bucket => uint256) storage words = _paid[programmeId]._data;
        for (uint256 i = 0; i < count;) {
            SkipReason reason = _consider(words, selection, i, beneficiaries[i]);
            if (reason == SkipReason.None) {
                selection.keys[selection.paid++] = keys[i];
            } else {
                emit BenefitSkipped(programmeId, period, beneficiaries[i], reason);
            }
            unchecked {
                ++i;
            }
        }
        if (selection.bucket != type(uint256).max) words[selection.bucket] = selection.word;
        (uint256[] memory paidIds, address[] memory paidKeys, uint256 paid) = (
            selection.ids,
            selection.keys,
            selection.paid
        );
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mstore(paidIds, paid)
            mstore(paidKeys, paid)
        }
        return (paidIds, paidKeys);
    }

    /// @dev Whether the i-th beneficiary is to be paid (marking it in the word in hand) or why not.
    function _consider(
        mapping(uint256 bucket => uint256) storage words,
        Selection memory selection,
        uint256 i,
        uint256 beneficiary
    ) private returns (SkipReason) {
        uint256 bit = 1 << (i & 0xff);
        if (selection.enrolled[i >> 8] & bit == 0) return SkipReason.NotEnrolled; // also any id beyond 64 bits
        if (selection.stopped[i >> 8] & bit != 0) return SkipReason.Stopped;
        uint256 index = selection.base | beneficiary;
        uint256 bucket = index >> 8;
        if (bucket != selection.bucket) {
            if (selection.bucket != type(uint256).max) words[selection.bucket] = selection.word;
            selection.bucket = bucket;
            selection.word = words[bucket];
        }
        uint256 mask = 1 << (index & 0xff);
        if (selection.word & mask != 0) return SkipReason.AlreadyPaid;
        selection.word |= mask;
        selection.ids[selection.paid] = beneficiary;
        return SkipReason.None;
    }

    /// @dev Why a beneficiary would not be paid for the period, from its current records (None if it would).
    function _reasonOf(
        BitMaps.BitMap storage marks,
        uint256 period,
        uint256 beneficiary,
        bytes32 enrolment,
        bytes32 stop
    ) private view returns (SkipReason) {
        if (enrolment == bytes32(0)) return SkipReason.NotEnrolled; // also any id beyond 64 bits
        if (stop != bytes32(0)) return SkipReason.Stopped;
        if (marks.get(_paidIndex(period, beneficiary))) return SkipReason.AlreadyPaid;
        return SkipReason.None;
    }

    /// @dev Pays the selected beneficiaries from the programme's budget; returns how many the token paid.
    function _disburse(
        ProgrammeRecord storage record,
        bytes32 programmeId,
        uint256 period,
        uint256 amount,
        uint256[] memory paidIds,
        address[] memory paidKeys
    ) private returns (uint256) {
        _spendBudget(record, programmeId, amount * paidIds.length);
        IFiatToken.RefusedPayee[] memory refused = _token.disburse(paidKeys, paidIds, amount);
        if (refused.length != 0) _giveBackRefused(record, programmeId, period, amount, paidIds, refused);
        return paidIds.length - refused.length;
    }

    /**
     * @dev Gives back what the token could not pay: each refused beneficiary's mark for the period (so that a rerun
     * pays it once it can receive) and its share of the budget, with the reason.
     */
    function _giveBackRefused(
        ProgrammeRecord storage record,
        bytes32 programmeId,
        uint256 period,
        uint256 amount,
        uint256[] memory paidIds,
        IFiatToken.RefusedPayee[] memory refused
    ) private {
        BitMaps.BitMap storage marks = _paid[programmeId];
        uint256 count = refused.length;
        for (uint256 i = 0; i < count; ++i) {
            uint256 beneficiary = paidIds[refused[i].index];
            marks.unset(_paidIndex(period, beneficiary));
            emit BenefitSkipped(programmeId, period, beneficiary, _skipReasonOf(refused[i].reason));
        }
        record.budget += uint96(amount * count); // no overflow: taken from the budget in this transaction
    }

    /// @dev The reason a payout gives for a payee the token refused.
    function _skipReasonOf(IFiatToken.PayeeRefusal refusal) private pure returns (SkipReason) {
        if (refusal == IFiatToken.PayeeRefusal.AccountFrozen) return SkipReason.KeyFrozen;
        if (refusal == IFiatToken.PayeeRefusal.KeyRevoked) return SkipReason.KeyRevoked;
        if (refusal == IFiatToken.PayeeRefusal.IdentityNotActive) return SkipReason.IdentityNotActive;
        return SkipReason.KeyNotOfIdentity;
    }

    /// @dev Takes `amount` from a budget, by law: an organisation's account or a programme's, exactly one named.
    function _takeBudget(uint256 organisation, bytes32 programmeId, uint256 amount) private {
        if ((organisation == 0) == (programmeId == bytes32(0))) revert TreasuryInvalidBudget(organisation, programmeId);
        if (organisation != 0) {
            _openAccount(organisation);
            _spend(organisation, amount);
        } else {
            _spendBudget(_existingProgramme(programmeId), programmeId, amount);
        }
    }

    /// @dev Gives `amount` to a budget: an open account, a programme whose law is in force, or, neither named, the
    /// reserve (what is allocated nowhere).
    function _giveBudget(uint256 organisation, bytes32 programmeId, uint256 amount) private {
        if (organisation != 0 && programmeId != bytes32(0)) revert TreasuryInvalidBudget(organisation, programmeId);
        if (organisation != 0) {
            _openAccount(organisation).balance += amount.toUint128();
        } else if (programmeId != bytes32(0)) {
            ProgrammeRecord storage record = _existingProgramme(programmeId);
            _checkInForce(record, programmeId);
            record.budget += amount.toUint96();
        }
    }

    /// @dev Marks the beneficiary paid for the period, reading and writing its bitmap word once; false if it was.
    function _setPaid(bytes32 programmeId, uint256 period, uint256 beneficiary) private returns (bool) {
        uint256 index = _paidIndex(period, beneficiary);
        mapping(uint256 bucket => uint256) storage words = _paid[programmeId]._data;
        uint256 mask = 1 << (index & 0xff);
        uint256 word = words[index >> 8];
        if (word & mask != 0) return false;
        words[index >> 8] = word | mask;
        return true;
    }

    function _paidIndex(uint256 period, uint256 beneficiary) private pure returns (uint256) {
        return (period << 64) | beneficiary;
    }

    function _spendBudget(ProgrammeRecord storage record, bytes32 programmeId, uint256 amount) private {
        uint256 budget = record.budget;
        if (amount > budget) revert TreasuryProgrammeBudgetExceeded(programmeId, budget, amount);
        record.budget = uint96(budget - amount);
    }

    /// @dev Takes `amount` from an organisation's account.
    function _spend(uint256 organisation, uint256 amount) private {
        if (amount == 0) revert TreasuryZeroValue("amount");
        AccountRecord storage record = _accounts[organisation];
        uint256 balance = record.balance;
        if (amount > balance) revert TreasuryInsufficientBudget(organisation, balance, amount);
        record.balance = uint128(balance - amount);
    }

    /// @dev Checks that the reserve covers an allocation of `amount`.
    function _checkReserve(uint256 amount) private view {
        if (amount == 0) revert TreasuryZeroValue("amount");
        uint256 available = reserve();
        if (amount > available) revert TreasuryInsufficientReserve(available, amount);
    }

    function _recordPayment(
        uint256 fromOrganisation,
        uint256 toOrganisation,
        address to,
        uint256 amount,
        bytes32 purpose,
        bytes32 lawId
    ) private returns (uint256 paymentId) {
        paymentId = ++_paymentCount;
        _payments[paymentId] = PaymentRecord({
            fromOrganisation: uint64(fromOrganisation),
            toOrganisation: uint64(toOrganisation),
            madeAt: uint40(block.timestamp),
            reversed: false,
            to: to,
            amount: uint128(amount),
            purpose: purpose,
            lawId: lawId
        });
        emit PaymentMade(paymentId, fromOrganisation, toOrganisation, to, amount, purpose, lawId, msg.sender);
    }

    /**
     * @dev Authorises an officer to pay from an organisation's account: a grant of the function by a law in force,
     * within the organisation's jurisdiction, and a current appointment to the account's role in that organisation.
     */
    function _checkOfficer(uint256 organisation) private view returns (bytes32 lawId) {
        AccountRecord storage record = _openAccount(organisation);
        lawId = _smartLaw.authorize(msg.sender, msg.sig, _identityRegistry.jurisdictionOf(organisation));
        bytes32 role = record.officerRole;
        uint256 appointmentId = _identityRegistry.currentAppointment(_identityRegistry.identityOf(msg.sender), role);
        if (appointmentId == 0 || _identityRegistry.appointment(appointmentId).department != organisation) {
            revert TreasuryNotCompetent(msg.sender, organisation, role);
        }
    }

    /**
     * @dev The identity whose live key is claiming. The token's word of the key holds it when it shows the key
     * admitted in the current observation period (a live key of an active identity, as the IdentityRegistry said, its
     * lapses told to the token since): then the registry is not asked, and the transfer that pays the claim finds the
     * token's account and words warm. Otherwise the registry answers, as it would have for an admitted key.
     */
    function _claimant() private view returns (uint256 identityId) {
        IFiatToken.Account memory held = _token.account(msg.sender);
        identityId = held.admitted ? held.identityId : _identityRegistry.identityOf(msg.sender);
        if (identityId == 0) revert TreasuryUnknownClaimant(msg.sender);
    }

    function _openAccount(uint256 organisation) private view returns (AccountRecord storage record) {
        record = _accounts[organisation];
        if (!record.open) revert TreasuryUnknownAccount(organisation);
    }

    function _existingProgramme(bytes32 programmeId) private view returns (ProgrammeRecord storage record) {
        record = _programmes[programmeId];
        if (record.lawId == bytes32(0)) revert TreasuryUnknownProgramme(programmeId);
    }

    function _checkInForce(ProgrammeRecord storage record, bytes32 programmeId) private view returns (bytes32 lawId) {
        lawId = record.lawId;
        if (!_smartLaw.isInForce(lawId)) revert TreasuryLawNotInForce(programmeId, lawId);
    }
}
