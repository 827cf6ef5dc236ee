/** Helpers for the civil registers' tests: register ids, record data, people to record about. */
import { ethers } from "hardhat";

import { textId } from "../../scripts/lib/common/ids";
import { readSchema, sealValues } from "../../scripts/lib/registry/schema";
import type { SystemFixture } from "./fixtures";
import { DONGCHENG, PERSON, attributes, enrollableKey } from "./identity";

export const coder = ethers.AbiCoder.defaultAbiCoder();
export const BIRTH = textId("BIRTH");
export const DEATH = textId("DEATH");
export const MARRIAGE = textId("MARRIAGE");
export const PENSION_ENROLMENT = textId("PENSION_ENROLMENT");
export const CIVIL_REGISTRATION_ACT = textId("CIVIL_REGISTRATION_ACT");
export const RECORD_STATUS = { None: 0n, Current: 1n, Superseded: 2n, Revoked: 3n } as const;

let documents = 0;
/** A fresh document hash. */
export function documentHash(): string {
  return ethers.id(`document ${++documents}`);
}

/** The genesis registers' schemas (genesis/genesis.yaml, CIVIL_REGISTRATION_ACT), read. */
export const BIRTH_SCHEMA = readSchema("uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash");
export const DEATH_SCHEMA = readSchema("uint32 deathDate private,bytes32 placeOfDeath private,bytes32 documentHash");
export const MARRIAGE_SCHEMA = readSchema("uint256 spouse private,uint32 marriageDate private,bytes32 documentHash");

/** A record with private fields: its clear form, salt, on-chain form and opening. */
export interface SealedRecord {
  clear: string;
  salt: string;
  onChain: string;
  opening: string;
}

/** Seals clear values (schema order) with a salt, as an official's tool does. */
export const seal: (schema: ReturnType<typeof readSchema>, values: unknown[], salt?: string) => SealedRecord =
  sealValues;

/**
 * A birth record: its on-chain data and, as `proof`, what an applicant gives a rule to open it:
 * `abi.encode(bytes32 documentHash, bytes opening)`.
 */
export function birthRecord(
  birthDate: number,
  place: string = DONGCHENG,
  document = documentHash(),
): SealedRecord & { proof: string } {
  const sealed = seal(BIRTH_SCHEMA, [birthDate, place, document]);
  return { ...sealed, proof: coder.encode(["bytes32", "bytes"], [document, sealed.opening]) };
}

/** A birth record's on-chain data (`uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash`). */
export function birthData(birthDate: number, place: string = DONGCHENG, document = documentHash()): string {
  return birthRecord(birthDate, place, document).onChain;
}

/** A death record's on-chain data. */
export function deathData(deathDate: number, place: string = DONGCHENG): string {
  return seal(DEATH_SCHEMA, [deathDate, place, documentHash()]).onChain;
}

/** uid = registerNumber << 96 | subject << 32 | version. */
export function uidOf(registerNumber: bigint, subject: bigint, version: bigint): string {
  return ethers.toBeHex((registerNumber << 96n) | (subject << 32n) | version, 32);
}

/**
 * Enrols a person in `jurisdiction` by the registrar who covers it; returns the id. `key`, when given, must have
 * consented to its enrolment (see consentToEnrol); by default a fresh key that did.
 */
export async function enrollPerson(f: SystemFixture, jurisdiction: string = DONGCHENG, key?: string): Promise<bigint> {
  const registrar = jurisdiction === DONGCHENG ? f.signers.registrar : f.signers.registrar2;
  const first = key ?? (await enrollableKey(f.identityRegistry));
  await f.identityRegistry.connect(registrar).enroll(PERSON, jurisdiction, attributes(), first);
  return f.identityRegistry.identityCount();
}

/** Today's date (yyyymmdd, UTC) on the chain, and a date `years` before it. */
export async function chainDate(yearsAgo = 0, daysAgo = 0): Promise<number> {
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  return dateOf(now - daysAgo * 86_400, yearsAgo);
}

/** The UTC date (YYYYMMDD) of a unix time, `yearsAgo` years before. */
export function dateOf(seconds: number, yearsAgo = 0): number {
  const d = new Date(seconds * 1000);
  return (d.getUTCFullYear() - yearsAgo) * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}
