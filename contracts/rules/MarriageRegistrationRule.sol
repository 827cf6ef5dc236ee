// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

import {ICivilRegistry} from "../interfaces/ICivilRegistry.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {ISmartLaw} from "../interfaces/ISmartLaw.sol";
import {CivilDate} from "../libraries/CivilDate.sol";
import {IRule} from "../interfaces/IRule.sol";
import {RuleBase} from "./RuleBase.sol";

/**
 * @title MarriageRegistrationRule
 * @notice Decides an application for marriage, by one party; the other party consents by signing (EIP-712, domain
 * "MarriageRegistrationRule" version "1": `MarriageConsent(uint256 applicant,uint256 partner,bytes32
 * documentHash,uint256 nonce,uint256 deadline)`) with a live key of theirs. A consent serves one application: the
 * decision names its digest ({IRule-Decision}) and the ServiceDesk refuses it for any other application, so that an
 * old consent cannot marry the couple again after a divorce. The nonce is the partner's choice (any unused value).
 *
 * Application data: `abi.encode(uint256 partner, bytes32 documentHash, bytes applicantBirth, bytes partnerBirth,
 * uint256 nonce, uint256 deadline, bytes consent, bytes32 salt)`: each party's birth record opened,
 * `abi.encode(bytes32 documentHash, bytes opening)` (the record's document hash and `abi.encode(bytes privatePart,
 * bytes32 salt)`; empty for a party without a birth record), the partner's consent, and the salt from which each
 * party's marriage record is committed (`keccak256(abi.encode(salt, party))`: one salt per record).
 * - Standing: the applicant is one of the two parties, so must be a person (NO_STANDING otherwise).
 * - Rejected: the partner is not another active person (INVALID_PARTNER), no document (NO_DOCUMENT), the consent
 *   has expired (CONSENT_EXPIRED) or is not the partner's (NO_CONSENT), a death is registered for either party
 *   (DECEASED), a party is no longer active (INACTIVE_PARTY), either party is married (ALREADY_MARRIED), birth
 *   openings that are not the current birth record's (BIRTH_RECORD_MISMATCH), either party younger than the law's
 *   `MINIMUM_AGE` in whole years (UNDER_AGE).
 * - Referred (NO_BIRTH_RECORD): a party has no birth record; the department checks their age by other evidence.
 * - Approved otherwise: a marriage record `uint256 spouse private,uint32 marriageDate private,bytes32 documentHash`
 *   for each party, on chain `abi.encode(documentHash, keccak256(abi.encodePacked(partySalt, abi.encode(spouse,
 *   marriageDate))))`: that the party is married is public, to whom is not.
 *
 * {review}: the decided records are given in clear with their salts (`abi.encode(bytes clear, bytes32 salt)`; none
 * to check the application as submitted, on today's date) and returned in their on-chain form. The official may
 * set the marriage date (a date, not ahead); each record's spouse must be the other
 * party who applied or consented (SPOUSE_NOT_CONSENTING), both records the same date and the application's
 * document (RECORDS_MISMATCH); then the facts are checked again as they stand on the registers (both parties alive
 * and active, neither married, of age on the marriage date). The consent, checked and used at submission, is not
 * checked again.
 */
contract MarriageRegistrationRule is RuleBase, EIP712 {
    /// @notice The law's parameter: the minimum age, in whole years, of each party.
    bytes32 public constant MINIMUM_AGE = "MINIMUM_AGE";

    /// @notice The EIP-712 type of the partner's consent.
    bytes32 public constant CONSENT_TYPEHASH = keccak256(
        "MarriageConsent(uint256 applicant,uint256 partner,bytes32 documentHash,uint256 nonce,uint256 deadline)"
    );

    bytes32 public immutable birthRegister;
    bytes32 public immutable deathRegister;
    bytes32 public immutable marriageRegister;

    /// @dev What a party's birth record says of their age.
    enum Age {
        Unknown,
        Mismatch,
        Under,
        OfAge
    }

    /// @dev A marriage record decided by an official, in clear, with its salt.
    struct Record {
        uint256 spouse;
        uint32 date;
        bytes32 documentHash;
        bytes32 salt;
    }

    /// @dev An application's data.
    struct Application {
        uint256 partner;
        bytes32 documentHash;
        bytes applicantBirth;
        bytes partnerBirth;
        uint256 nonce;
        uint256 deadline;
        bytes consent;
        bytes32 salt;
    }

    constructor(
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_,
        ICivilRegistry civilRegistry_,
        bytes32 lawId_,
        bytes32 birthRegister_,
        bytes32 deathRegister_,
        bytes32 marriageRegister_
    ) RuleBase(smartLaw_, identityRegistry_, civilRegistry_, lawId_) EIP712("MarriageRegistrationRule", "1") {
        birthRegister = birthRegister_;
        deathRegister = deathRegister_;
        marriageRegister = marriageRegister_;
    }

    /// @inheritdoc IRule
    function evaluate(
        uint256 applicant,
        address,
        bytes calldata data
    ) external view returns (Decision memory decision) {
        Application memory form = _read(data);
        uint256 partner = form.partner;
        if (!_isPerson(applicant)) return _reject("NO_STANDING");
        if (partner == applicant || !_isActivePerson(partner)) return _reject("INVALID_PARTNER");
        if (form.documentHash == bytes32(0)) return _reject("NO_DOCUMENT");
        if (block.timestamp > form.deadline) return _reject("CONSENT_EXPIRED");
        bytes32 digest = hashConsent(applicant, partner, form.documentHash, form.nonce, form.deadline);
        if (!_consented(digest, partner, form.consent)) return _reject("NO_CONSENT");

        uint32 today = _today();
        Entry[] memory records = new Entry[](2);
        records[0] = Entry({subject: applicant, data: _record(applicant, partner, today, form)});
        records[1] = Entry({subject: partner, data: _record(partner, applicant, today, form)});
        decision = _facts(applicant, form, today, records);
        if (decision.outcome != Outcome.Rejected) {
            decision.consents = new bytes32[](1);
            decision.consents[0] = digest;
        }
    }

    /// @inheritdoc IRule
    function review(
        uint256 applicant,
        address,
        bytes calldata applicationData,
        Entry[] calldata decided
    ) external view returns (Decision memory) {
        Application memory form = _read(applicationData);
        if (!_isPerson(applicant)) return _reject("NO_STANDING");
        if (decided.length == 0) return _verdict(_facts(applicant, form, _today(), new Entry[](0)), new Entry[](0));
        if (decided.length != 2 || decided[0].subject != applicant || decided[1].subject != form.partner) {
            return _reject("RECORDS_MISMATCH");
        }
        (Record memory first, Record memory second) = (_clear(decided[0].data), _clear(decided[1].data));
        if (first.spouse != form.partner || second.spouse != applicant) return _reject("SPOUSE_NOT_CONSENTING");
        uint32 date = first.date;
        bytes32 document = form.documentHash;
        if (date != second.date || first.documentHash != document || second.documentHash != document) {
            return _reject("RECORDS_MISMATCH");
        }
        if (!CivilDate.isValid(date)) return _reject("INVALID_DATE");
        if (date > _today()) return _reject("DATE_IN_FUTURE");
        Entry[] memory records = new Entry[](2);
        records[0] = Entry({subject: applicant, data: _onChain(first)});
        records[1] = Entry({subject: form.partner, data: _onChain(second)});
        return _verdict(_facts(applicant, form, date, records), records);
    }

    /// @notice The EIP-712 digest the partner signs.
    function hashConsent(
        uint256 applicant,
        uint256 partner,
        bytes32 documentHash,
        uint256 nonce,
        uint256 deadline
    ) public view returns (bytes32) {
        return
            _hashTypedDataV4(
                keccak256(abi.encode(CONSENT_TYPEHASH, applicant, partner, documentHash, nonce, deadline))
            );
    }

    /// @dev What the registers say of the parties on `date`: alive, unmarried, of age (or a birth record missing).
    function _facts(
        uint256 applicant,
        Application memory form,
        uint32 date,
        Entry[] memory records
    ) private view returns (Decision memory) {
        uint256 partner = form.partner;
        if (
            civilRegistry.latest(deathRegister, applicant) != bytes32(0) ||
            civilRegistry.latest(deathRegister, partner) != bytes32(0)
        ) return _reject("DECEASED");
        if (!identityRegistry.isActive(applicant) || !identityRegistry.isActive(partner)) {
            return _reject("INACTIVE_PARTY");
        }
        if (
            civilRegistry.latest(marriageRegister, applicant) != bytes32(0) ||
            civilRegistry.latest(marriageRegister, partner) != bytes32(0)
        ) return _reject("ALREADY_MARRIED");

        uint256 minimum = _param(MINIMUM_AGE);
        Age first = _age(applicant, form.applicantBirth, date, minimum);
        Age second = _age(partner, form.partnerBirth, date, minimum);
        if (first == Age.Mismatch || second == Age.Mismatch) return _reject("BIRTH_RECORD_MISMATCH");
        if (first == Age.Under || second == Age.Under) return _reject("UNDER_AGE");
        if (first == Age.Unknown || second == Age.Unknown) return _refer("NO_BIRTH_RECORD", records);
        return _approve(records);
    }

    /// @dev A party's age by their birth record, opened with the document hash and opening given.
    function _age(uint256 party, bytes memory birth, uint32 date, uint256 minimum) private view returns (Age) {
        bytes32 documentHash;
        bytes memory opening;
        if (birth.length != 0) (documentHash, opening) = abi.decode(birth, (bytes32, bytes));
        (bytes32 birthRecord, bool matches, uint32 birthDate) = _openBirth(birthRegister, party, documentHash, opening);
        if (birthRecord == bytes32(0)) return Age.Unknown;
        if (!matches) return Age.Mismatch;
        return CivilDate.yearsBetween(birthDate, date) >= minimum ? Age.OfAge : Age.Under;
    }

    /// @dev A party's marriage record on chain: the document's hash, and the spouse and date committed with the
    /// party's salt (derived from the application's salt, so that the two records' commitments differ).
    function _record(
        uint256 party,
        uint256 spouse,
        uint32 date,
        Application memory form
    ) private pure returns (bytes memory) {
        bytes32 salt = keccak256(abi.encode(form.salt, party));
        return _onChain(Record({spouse: spouse, date: date, documentHash: form.documentHash, salt: salt}));
    }

    /// @dev A marriage record's on-chain form: `abi.encode(documentHash, privateHash)`.
    function _onChain(Record memory record) private pure returns (bytes memory) {
        return abi.encode(record.documentHash, _commit(abi.encode(record.spouse, record.date), record.salt));
    }

    /// @dev A decided record: `abi.encode(bytes clear, bytes32 salt)`, clear as the schema orders its fields.
    function _clear(bytes calldata data) private pure returns (Record memory record) {
        bytes memory clear;
        (clear, record.salt) = abi.decode(data, (bytes, bytes32));
        (record.spouse, record.date, record.documentHash) = abi.decode(clear, (uint256, uint32, bytes32));
    }

    /// @dev Whether a live key of the partner signed the consent.
    function _consented(bytes32 digest, uint256 partner, bytes memory consent) private view returns (bool) {
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, consent);
        return error == ECDSA.RecoverError.NoError && identityRegistry.identityOf(signer) == partner;
    }

    function _read(bytes calldata data) private pure returns (Application memory form) {
        (
            form.partner,
            form.documentHash,
            form.applicantBirth,
            form.partnerBirth,
            form.nonce,
            form.deadline,
            form.consent,
            form.salt
        ) = abi.decode(data, (uint256, bytes32, bytes, bytes, uint256, uint256, bytes, bytes32));
    }
}
