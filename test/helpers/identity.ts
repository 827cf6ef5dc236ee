/** Identities, jurisdictions and time in tests. */
import { ethers } from "hardhat";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import type { Signer } from "ethers";

import type { IdentityRegistry } from "../../typechain-types";

import { jurisdictionCode } from "../../scripts/lib/common/ids";

export const PERSON = 1;
export const ORGANISATION = 2;
export const STATUS = { None: 0, Active: 1, Suspended: 2, Deceased: 3, Dissolved: 4 } as const;
export const KIND = { None: 0, Person: 1, Organisation: 2 } as const;

export const CN = jurisdictionCode("CN");
export const BEIJING = jurisdictionCode("CN-11");
export const DONGCHENG = jurisdictionCode("CN-11-01");
export const XICHENG = jurisdictionCode("CN-11-02");
export const SHANGHAI = jurisdictionCode("CN-31");
export const HUANGPU = jurisdictionCode("CN-31-01");

/** The genesis identities, by their order in genesis.yaml. */
export const GENESIS = {
  ministry: 1n,
  dongchengOffice: 2n,
  shanghaiBureau: 3n,
  director: 4n,
  registrar: 5n,
  registrar2: 6n,
  hospital: 7n,
  hospitalRegistrar: 8n,
  officer: 9n,
  centralBank: 10n,
  centralBanker: 11n,
  court: 12n,
  judge: 13n,
  guardian: 14n,
  financeOfficer: 15n,
  dataAdministration: 16n,
  dataService: 17n,
};
export const GENESIS_APPOINTMENTS = {
  director: 1n,
  registrar: 2n,
  registrar2: 3n,
  hospitalRegistrar: 4n,
  officer: 5n,
  centralBanker: 6n,
  guardian: 7n,
  judge: 8n,
  financeOfficer: 9n,
  dataService: 10n,
};
/** The id the first identity enrolled after the genesis gets, and the first appointment's. */
export const FIRST_NEW_IDENTITY = 18n;
export const FIRST_NEW_APPOINTMENT = 11n;

let counter = 0;
/** A fresh commitment to made-up personal data. */
export function attributes(): string {
  return ethers.id(`person ${++counter}`);
}

/** A fresh key that no one enrolled. */
export function freshKey(): string {
  return ethers.Wallet.createRandom().address;
}

/** The EIP-712 type of a key's consent to join an identity. */
export const KEY_CONSENT_TYPES = {
  KeyConsent: [
    { name: "identityId", type: "uint256" },
    { name: "key", type: "address" },
    { name: "deadline", type: "uint256" },
  ],
};

/** `key`'s signed consent to join `identityId` until `deadline`, for addKeyBySig and recoverKeyBySig. */
export async function signKeyConsent(
  registry: IdentityRegistry,
  key: Signer,
  identityId: bigint,
  deadline: bigint,
): Promise<string> {
  const d = await registry.eip712Domain();
  const domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
  return key.signTypedData(domain, KEY_CONSENT_TYPES, { identityId, key: await key.getAddress(), deadline });
}

/** A fresh key that consented on chain, by its own transaction, to join `identityId`. */
export async function consentedKey(registry: IdentityRegistry, identityId: bigint): Promise<string> {
  const wallet = ethers.Wallet.createRandom(ethers.provider);
  await ethers.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
  await registry.connect(wallet).consentToIdentity(identityId);
  return wallet.address;
}

/** The identity a key names when it consents to be the first key of a new identity, at its enrolment. */
export const NEW_IDENTITY = 0n;

/** A fresh key that consented on chain, by its own transaction, to be a new identity's first key (for enroll). */
export function enrollableKey(registry: IdentityRegistry): Promise<string> {
  return consentedKey(registry, NEW_IDENTITY);
}

/** Each key consents, by its own transaction, to be a new identity's first key (for enroll). */
export async function consentToEnrol(registry: IdentityRegistry, ...keys: Signer[]): Promise<void> {
  for (const key of keys) await registry.connect(key).consentToIdentity(NEW_IDENTITY);
}

export { time };
