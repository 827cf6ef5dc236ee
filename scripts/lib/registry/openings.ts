/**
 * The openings of records with private fields, kept in files by the official who writes them: the clear values and
 * the salt are nowhere else until the data service holds them, so each file is written BEFORE its transaction is
 * sent (a failed send never loses the only copy), and a file is never overwritten with other data.
 *
 * `<dir>/<registerId>-<subject>.opening.json`, readable by its owner only. A record written again with the same
 * clear values (a retry, an import resumed) reuses the file's salt, so that its on-chain form, and hash, are the
 * same; other values for the same subject (an amendment) move the older file aside first, named by its data hash.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { keccak256 } from "ethers";

import { readableId } from "../common/ids";
import { hasPrivateFields, newSalt, onChainForm, opening, privateHash, privatePart, type RecordSchema } from "./schema";

/** What an opening file holds. */
export interface OpeningFile {
  register: string;
  registerId: string;
  subject: string;
  schema: string;
  /** Every field, in schema order (`abi.encode`): private data. */
  clear: string;
  salt: string;
  privatePart: string;
  privateHash: string;
  /** `abi.encode(bytes privatePart, bytes32 salt)`. */
  opening: string;
  /** The record's data as the registry keeps them, and their hash. */
  onChain: string;
  dataHash: string;
  /** The record, once written. */
  uid?: string;
}

/** Where the opening of a subject's record in a register is kept. */
export function openingPath(dir: string, registerId: string, subject: bigint): string {
  return join(dir, `${readableId(registerId)}-${subject}.opening.json`);
}

/** A register as {sealRecord} needs it. */
export interface SealedRegister {
  id: string;
  schema: string;
  layout: RecordSchema;
}

/**
 * The on-chain form of a record given in clear, its opening saved in `dir` first. A register without private
 * fields has nothing to keep: its on-chain form is the clear form, and no file is written.
 */
export function sealRecord(dir: string, register: SealedRegister, subject: bigint, clear: string): string {
  if (!hasPrivateFields(register.layout)) return clear;
  const path = openingPath(dir, register.id, subject);
  const earlier = existsSync(path) ? readOpeningFile(path) : undefined;
  if (earlier && earlier.clear === clear && earlier.schema === register.schema) return earlier.onChain;
  if (earlier) renameSync(path, path.replace(/\.opening\.json$/, `.${earlier.dataHash.slice(2, 14)}.opening.json`));
  const salt = newSalt();
  const part = privatePart(register.layout, clear);
  const onChain = onChainForm(register.layout, clear, salt);
  writeOpeningFile(path, {
    register: readableId(register.id),
    registerId: register.id,
    subject: subject.toString(),
    schema: register.schema,
    clear,
    salt,
    privatePart: part,
    privateHash: privateHash(part, salt),
    opening: opening(part, salt),
    onChain,
    dataHash: keccak256(onChain),
  });
  return onChain;
}

/** Notes in a subject's opening file the uid of the record written with it (when the file is that record's). */
export function noteRecordUid(dir: string, registerId: string, subject: bigint, onChain: string, uid: string) {
  const path = openingPath(dir, registerId, subject);
  if (!existsSync(path)) return;
  const file = readOpeningFile(path);
  if (file.onChain === onChain) writeOpeningFile(path, { ...file, uid });
}

export function readOpeningFile(path: string): OpeningFile {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as OpeningFile;
  } catch (error) {
    throw new Error(`cannot read the opening ${path}: ${(error as Error).message}`);
  }
}

/** Written whole under another name, then renamed: a crash leaves the old file or the new one, never half. */
function writeOpeningFile(path: string, file: OpeningFile) {
  mkdirSync(join(path, ".."), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial`;
  writeFileSync(partial, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}
