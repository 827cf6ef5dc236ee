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
 * documentHash,uint256 deadline)`) with a live key of theirs.
 *
 * Application data: `abi.encode(uint256 partner, bytes32 documentHash, bytes applicantBirth, bytes partnerBirth,
 * uint256 deadline, bytes consent)`: the birth records' data of both parties (as their RecordAdded events carry
 * them; empty for a party without a birth record), and the partner's consent signature.
 * - Rejected: the partner is not another active person (INVALID_PARTNER), no document (NO_DOCUMENT), the consent
 *   has expired (CONSENT_EXPIRED) or is not the partner's (NO_CONSENT), either party is married (ALREADY_MARRIED),
 *   birth data that are not the current birth record's (BIRTH_RECORD_MISMATCH), either party younger than the
 *   law's `MINIMUM_AGE` in whole years (UNDER_AGE).
 * - Referred (NO_BIRTH_RECORD): a party has no birth record; the department checks their age by other evidence.
 * - Approved otherwise: a marriage record `uint256 spouse,uint32 marriageDate,bytes32 documentHash` for each party.
 */
contract MarriageRegistrationRule is RuleBase, EIP712 {
    /// @notice The law's parameter: the minimum age, in whole years, of each party.
    bytes32 public constant MINIMUM_AGE = "MINIMUM_AGE";

    /// @notice The EIP-712 type of the partner's consent.
    bytes32 public constant CONSENT_TYPEHASH = keccak256(
        "MarriageConsent(uint256 applicant,uint256 partner,bytes32 documentHash,uint256 deadline)"
    );

    bytes32 public immutable birthRegister;
    bytes32 public immutable marriageRegister;

    /// @dev What a party's birth record says of their age.
    enum Age {
        Unknown,
        Mismatch,
        Under,
        OfAge
    }

    /// @dev An application's data.
    struct Application {
        uint256 partner;
        bytes32 documentHash;
        bytes applicantBirth;
        bytes partnerBirth;
        uint256 deadline;
        bytes consent;
    }

    constructor(
        ISmartLaw smartLaw_,
        IIdentityRegistry identityRegistry_,
        ICivilRegistry civilRegistry_,
        bytes32 lawId_,
        bytes32 birthRegister_,
        bytes32 marriageRegister_
    ) RuleBase(smartLaw_, identityRegistry_, civilRegistry_, lawId_) EIP712("MarriageRegistrationRule", "1") {
        birthRegister = birthRegister_;
        marriageRegister = marriageRegister_;
    }

    /// @inheritdoc IRule
    function evaluate(uint256 applicant, bytes calldata data) external view returns (Decision memory) {
        Application memory form;
        (form.partner, form.documentHash, form.applicantBirth, form.partnerBirth, form.deadline, form.consent) = abi
            .decode(data, (uint256, bytes32, bytes, bytes, uint256, bytes));
        uint256 partner = form.partner;
        if (partner == applicant || !_isPerson(partner) || !identityRegistry.isActive(partner)) {
            return _reject("INVALID_PARTNER");
        }
        if (form.documentHash == bytes32(0)) return _reject("NO_DOCUMENT");
        if (block.timestamp > form.deadline) return _reject("CONSENT_EXPIRED");
        if (!_consented(applicant, form)) return _reject("NO_CONSENT");
        if (
            civilRegistry.latest(marriageRegister, applicant) != bytes32(0) ||
            civilRegistry.latest(marriageRegister, partner) != bytes32(0)
        ) return _reject("ALREADY_MARRIED");

        uint32 today = _today();
        Entry[] memory records = new Entry[](2);
        records[0] = Entry({subject: applicant, data: abi.encode(partner, today, form.documentHash)});
        records[1] = Entry({subject: partner, data: abi.encode(applicant, today, form.documentHash)});

        uint256 minimum = _param(MINIMUM_AGE);
        Age first = _age(applicant, form.applicantBirth, today, minimum);
        Age second = _age(partner, form.partnerBirth, today, minimum);
        if (first == Age.Mismatch || second == Age.Mismatch) return _reject("BIRTH_RECORD_MISMATCH");
        if (first == Age.Under || second == Age.Under) return _reject("UNDER_AGE");
        if (first == Age.Unknown || second == Age.Unknown) return _refer("NO_BIRTH_RECORD", records);
        return _approve(records);
    }

    /// @notice The EIP-712 digest the partner signs.
    function hashConsent(
        uint256 applicant,
        uint256 partner,
        bytes32 documentHash,
        uint256 deadline
    ) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(CONSENT_TYPEHASH, applicant, partner, documentHash, deadline)));
    }

    /// @dev A party's age by their birth record, checked against the data given.
    function _age(uint256 party, bytes memory birthData, uint32 today, uint256 minimum) private view returns (Age) {
        bytes32 birthRecord = civilRegistry.latest(birthRegister, party);
        if (birthRecord == bytes32(0)) return Age.Unknown;
        if (!civilRegistry.verify(birthRecord, birthData)) return Age.Mismatch;
        return CivilDate.yearsBetween(_birthDate(birthData), today) >= minimum ? Age.OfAge : Age.Under;
    }

    /// @dev Whether a live key of the partner signed the consent.
    function _consented(uint256 applicant, Application memory form) private view returns (bool) {
        bytes32 digest = hashConsent(applicant, form.partner, form.documentHash, form.deadline);
        (address signer, ECDSA.RecoverError error, ) = ECDSA.tryRecover(digest, form.consent);
        return error == ECDSA.RecoverError.NoError && identityRegistry.identityOf(signer) == form.partner;
    }
}
