/**
 * Reads under law, as SmartLaw knows them (contracts/interfaces/ISmartLaw.sol): a law grants a role the reading of a
 * register's records or of identities' personal data the way it grants a write, under a pseudo-selector that no
 * contract has as a function, so that a read grant never unlocks a write.
 */
import { id as keccakOfText } from "ethers";

import { paramKey, roleId } from "./ids";

/** Reading a register's records: target the CivilRegistry, resource the register. */
export const READ_RECORD = keccakOfText("readRecord(bytes32,uint256)").slice(0, 10);
/** Reading identities' personal data: target the IdentityRegistry, no resource. */
export const READ_PERSONAL_DATA = keccakOfText("readPersonalData(uint256)").slice(0, 10);
/** The reserved role of the subject himself (a live key of his own identity); never appointed. */
export const SUBJECT = "SUBJECT";
export const SUBJECT_ROLE = roleId(SUBJECT);
/** The parameter of the granting law that hides its reads from the subject for that many seconds. */
export const COVERT_PERIOD = paramKey("COVERT_PERIOD");

/** The reads a law file may grant, by contract and by the name written in its `functions`. */
const READS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  CivilRegistry: { readRecord: READ_RECORD },
  IdentityRegistry: { readPersonalData: READ_PERSONAL_DATA },
};

/** The pseudo-selector of a read named in a law file (`CivilRegistry`, `readRecord`); undefined for any other name. */
export function readSelector(contract: string, name: string): string | undefined {
  return Object.hasOwn(READS, contract) && Object.hasOwn(READS[contract], name) ? READS[contract][name] : undefined;
}

/** The name of the read that `selector` stands for on `contract`; undefined when it is not a read's. */
export function readName(contract: string, selector: string): string | undefined {
  const reads = Object.hasOwn(READS, contract) ? READS[contract] : {};
  return Object.keys(reads).find((name) => reads[name] === selector.toLowerCase());
}

/** The reads that `contract` has, by name (for messages that list what a law file may name). */
export function readsOf(contract: string): string[] {
  return Object.hasOwn(READS, contract) ? Object.keys(READS[contract]) : [];
}
