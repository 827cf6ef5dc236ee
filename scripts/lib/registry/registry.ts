/**
 * The agencies' library for the civil registers: record data given by field name and checked against the
 * register's schema before any transaction, records, amendments and revocations, document verification, a
 * subject's history rebuilt from events, and the resumable import of a CSV file.
 *
 * Registers with private fields are written in their on-chain form (see ./schema.ts): the tools take the clear
 * values, commit to the private ones with a fresh salt, and keep the opening in a file (./openings.ts) before
 * anything is sent; history and verification read the on-chain form and show private fields as committed.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { AbiCoder, ParamType, ZeroHash, decodeBytes32String, isHexString, keccak256, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { CivilRegistry } from "../../../typechain-types";
import { queryEvents } from "../common/events";
import { eventText, readableId, textId } from "../common/ids";
import { getServices, getSystem } from "../common/system";
import { explain, sendChecked } from "../common/tx";
import { noteRecordUid, sealRecord } from "./openings";
import { decodeOnChain, readSchema, type RecordSchema } from "./schema";

/** Where the tools keep the openings of the records they write with private fields, unless told otherwise. */
export const OPENINGS_DIR = "records";

/** How a private field reads in a record's history: its value is not on chain, only committed to. */
export const PRIVATE_VALUE = "private (committed)";

const coder = AbiCoder.defaultAbiCoder();
export const STATUS = ["none", "current", "superseded", "revoked"] as const;
export type RecordStatus = (typeof STATUS)[number];

/** A register as the tools use it: its id, number, name and fields. */
export interface RegisterInfo {
  id: string;
  name: string;
  number: number;
  lawId: string;
  schema: string;
  /** Every field, in schema order: the values a record is given by. */
  fields: ParamType[];
  /** The schema read: which fields are private, and the on-chain form's types. */
  layout: RecordSchema;
  /** The kind of identity its records are about. */
  subject: "person" | "organisation";
}

/** The fields of a schema (`"uint32 birthDate private,bytes32 documentHash"`), each named, in order. */
export function parseSchema(schema: string): ParamType[] {
  return readSchema(schema).fields;
}

/** The names of the registers that exist, in the order they were created. */
export async function registerNames(registry: CivilRegistry): Promise<string[]> {
  const names: string[] = [];
  for (let number = 1; ; number++) {
    const id = await registry.registerIdOf(number);
    if (id === ZeroHash) return names;
    names.push(readableId(id));
  }
}

export async function registerInfo(registry: CivilRegistry, register: string): Promise<RegisterInfo> {
  let id: string;
  let info;
  try {
    id = textId(register);
    info = await registry.register(id);
  } catch {
    const known = await registerNames(registry);
    throw new Error(`no register "${register}": the registers are ${known.join(", ") || "none yet"}`);
  }
  const layout = readSchema(info.schema);
  return {
    id,
    name: info.name,
    number: Number(info.number),
    lawId: info.lawId,
    schema: info.schema,
    fields: layout.fields,
    layout,
    subject: info.subjectKind === 2n ? "organisation" : "person",
  };
}

/**
 * Encodes a record's data from values given by field name, checking each against its type. Dates (`uint32`
 * fields named …Date or …date) may be given as "YYYY-MM-DD"; `bytes32` values as 0x-hex or as text (a code,
 * stored as bytes32 text); a `bytes32` field named …Hash may be given as "@path" to hash that file.
 */
export function encodeRecord(
  fields: ParamType[],
  values: Record<string, unknown>,
  where = "the data",
  baseDir = ".",
): string {
  const known = new Set(fields.map((f) => f.name));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) throw new Error(`${where}: unknown field "${key}" (fields: ${[...known].join(", ")})`);
  }
  const encoded = fields.map((field) => {
    const raw = values[field.name];
    if (raw === undefined || raw === "") throw new Error(`${where}: field "${field.name}" (${field.type}) is missing`);
    return fieldValue(field, raw, `${where}: field "${field.name}"`, baseDir);
  });
  return coder.encode(fields, encoded);
}

/** Decodes a record's data into values by field name, readable (dates as YYYY-MM-DD, codes as text). */
export function decodeRecord(fields: ParamType[], data: string): Record<string, string> {
  const values = coder.decode(fields, data);
  return Object.fromEntries(fields.map((f, i) => [f.name, readableValue(f, values[i])]));
}

/**
 * Decodes a record's on-chain data (RecordAdded's) into readable values by field name, in schema order: each
 * private field as {PRIVATE_VALUE}, then the private hash when there is one.
 */
export function decodeOnChainRecord(layout: RecordSchema, data: string): Record<string, string> {
  const { values, privateHash } = decodeOnChain(layout, data);
  const readable = Object.fromEntries(
    layout.fields.map((f, i) => [f.name, layout.isPrivate[i] ? PRIVATE_VALUE : readableValue(f, values[f.name])]),
  );
  return privateHash === undefined ? readable : { ...readable, privateHash };
}

function fieldValue(field: ParamType, raw: unknown, where: string, baseDir: string): unknown {
  const type = field.type;
  if (field.baseType === "array") {
    if (!Array.isArray(raw)) throw new Error(`${where} must be a list`);
    return raw.map((item, i) => fieldValue(field.arrayChildren!, item, `${where}[${i}]`, baseDir));
  }
  if (type.startsWith("uint") || type.startsWith("int")) {
    let value: bigint | undefined;
    if (typeof raw === "number" && Number.isSafeInteger(raw)) value = BigInt(raw);
    else if (typeof raw === "bigint") value = raw;
    else if (typeof raw === "string" && /^-?\d+$/.test(raw.trim())) value = BigInt(raw.trim());
    else if (typeof raw === "string" && isDateField(field) && /^\d{4}-\d{2}-\d{2}$/.test(raw.trim())) {
      value = BigInt(raw.trim().replaceAll("-", ""));
    }
    if (value === undefined) throw new Error(`${where} must be a whole number, not ${JSON.stringify(raw)}`);
    const bits = BigInt(type.replace(/^u?int/, "") || 256);
    const signed = type.startsWith("int");
    const min = signed ? -(1n << (bits - 1n)) : 0n;
    const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
    if (value < min || value > max) throw new Error(`${where} is out of range for ${type}: ${value}`);
    if (isDateField(field) && !isCivilDate(value)) throw new Error(`${where} is not a date (yyyymmdd): ${value}`);
    return value;
  }
  if (type === "bool") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "false") return raw === "true";
    throw new Error(`${where} must be true or false`);
  }
  if (type === "address") {
    if (typeof raw !== "string" || !isHexString(raw, 20)) throw new Error(`${where} must be an address`);
    return raw;
  }
  if (type === "bytes32") {
    if (typeof raw !== "string") throw new Error(`${where} must be 0x-prefixed 32-byte hex or text`);
    if (raw.startsWith("@")) return keccak256(readDocument(resolve(baseDir, raw.slice(1)), where));
    if (isHexString(raw, 32)) return raw;
    if (raw.startsWith("0x")) throw new Error(`${where} must be 32 bytes of hex, not ${raw}`);
    return textId(raw);
  }
  if (/^bytes\d+$/.test(type) || type === "bytes") {
    const size = type === "bytes" ? undefined : Number(type.slice(5));
    if (typeof raw !== "string" || !isHexString(raw, size)) throw new Error(`${where} must be 0x-prefixed hex`);
    return raw;
  }
  if (type === "string") {
    if (typeof raw !== "string") throw new Error(`${where} must be text`);
    return raw;
  }
  throw new Error(`${where}: type ${type} is not supported by the tools`);
}

/** A file whose hash a record keeps, with a plain message when it cannot be read. */
function readDocument(path: string, where: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new Error(`${where}: cannot read the file ${path}`);
  }
}

function readableValue(field: ParamType, value: unknown): string {
  if (field.type === "bytes32") {
    try {
      const text = decodeBytes32String(value as string);
      if (/^[\x20-\x7e]+$/.test(text)) return text;
    } catch {
      // not text: the hex is the value
    }
    return value as string;
  }
  if (isDateField(field)) {
    const s = (value as bigint).toString().padStart(8, "0");
    return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}`;
  }
  if (Array.isArray(value)) return `[${value.map(String).join(", ")}]`;
  return String(value);
}

function isDateField(field: ParamType): boolean {
  return field.type === "uint32" && /date$/i.test(field.name);
}

function isCivilDate(value: bigint): boolean {
  const year = Number(value / 10000n);
  const month = Number((value / 100n) % 100n);
  const day = Number(value % 100n);
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** A uid's parts: `uid = registerNumber << 96 | subject << 32 | version`. */
export function splitUid(uid: string): { registerNumber: number; subject: bigint; version: number } {
  const value = BigInt(uid);
  return {
    registerNumber: Number(value >> 96n),
    subject: (value >> 32n) & ((1n << 64n) - 1n),
    version: Number(value & 0xffffffffn),
  };
}

function uidFromReceipt(registry: CivilRegistry, logs: readonly { topics: readonly string[]; data: string }[]) {
  const uids: string[] = [];
  for (const log of logs) {
    const parsed = registry.interface.parseLog(log);
    if (parsed?.name === "RecordAdded") uids.push(parsed.args.uid);
  }
  return uids;
}

/**
 * Writes a record as `signer`, its data given by field name. A register with private fields gets the on-chain form,
 * its opening saved in `openingsDir` before the transaction is sent. Returns the new uid.
 */
export async function recordByName(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  register: string,
  subject: bigint,
  values: Record<string, unknown>,
  baseDir = ".",
  openingsDir = OPENINGS_DIR,
): Promise<string> {
  const { civilRegistry } = await getServices(hre, signer);
  const info = await registerInfo(civilRegistry, register);
  const data = sealRecord(openingsDir, info, subject, encodeRecord(info.fields, values, `${register} record`, baseDir));
  const receipt = await sendChecked(hre, civilRegistry, "record", [info.id, subject, data]);
  const uid = uidFromReceipt(civilRegistry, receipt.logs)[0];
  noteRecordUid(openingsDir, info.id, subject, data, uid);
  return uid;
}

/**
 * Amends a current record with new data (by field name) and the reason (text), sealed as {recordByName} seals a
 * record. Returns the new uid.
 */
export async function amendByName(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  uid: string,
  values: Record<string, unknown>,
  reason: string,
  baseDir = ".",
  openingsDir = OPENINGS_DIR,
): Promise<string> {
  const { civilRegistry } = await getServices(hre, signer);
  const record = await getRecordOrThrow(civilRegistry, uid);
  const info = await registerInfo(civilRegistry, readableId(record.registerId));
  const clear = encodeRecord(info.fields, values, `${info.name} record`, baseDir);
  const data = sealRecord(openingsDir, info, record.subject, clear);
  const receipt = await sendChecked(hre, civilRegistry, "amend", [uid, data, reason]);
  const newUid = uidFromReceipt(civilRegistry, receipt.logs)[0];
  noteRecordUid(openingsDir, info.id, record.subject, data, newUid);
  return newUid;
}

/** Revokes a current record, with the reason (text). */
export async function revokeRecord(hre: HardhatRuntimeEnvironment, signer: Signer, uid: string, reason: string) {
  const { civilRegistry } = await getServices(hre, signer);
  await getRecordOrThrow(civilRegistry, uid);
  await sendChecked(hre, civilRegistry, "revoke", [uid, reason]);
}

async function getRecordOrThrow(registry: CivilRegistry, uid: string) {
  if (!isHexString(uid, 32)) throw new Error(`"${uid}" is not a record id (0x-prefixed 32-byte hex)`);
  try {
    return await registry.getRecord(uid);
  } catch {
    throw new Error(`no record ${uid}`);
  }
}

/** A record as people read it. */
export interface RecordView {
  uid: string;
  register: string;
  subject: bigint;
  version: number;
  status: RecordStatus;
  official: bigint;
  key: string;
  law: string;
  recordedAt: Date;
  data: string;
  values: Record<string, string>;
  /** For a superseded record: the version that superseded it, with the reason. */
  supersededBy?: { uid: string; reason: string };
  /** For a revoked record: the reason. */
  revocationReason?: string;
}

/** A record's data, from its RecordAdded event. */
async function recordData(
  hre: HardhatRuntimeEnvironment,
  registry: CivilRegistry,
  uid: string,
): Promise<string | undefined> {
  const events = await queryEvents(hre, registry, registry.filters.RecordAdded(uid));
  return events[0]?.args.data;
}

async function viewOf(
  hre: HardhatRuntimeEnvironment,
  registry: CivilRegistry,
  uid: string,
  info: RegisterInfo,
): Promise<RecordView> {
  const record = await registry.getRecord(uid);
  const data = (await recordData(hre, registry, uid)) ?? "0x";
  const view: RecordView = {
    uid,
    register: readableId(info.id),
    subject: record.subject,
    version: Number(record.version),
    status: STATUS[Number(record.status)],
    official: record.official,
    key: record.key,
    law: readableId(record.lawId),
    recordedAt: new Date(Number(record.recordedAt) * 1000),
    data,
    values: decodeOnChainRecord(info.layout, data),
  };
  if (view.status === "superseded") {
    const [amended] = await queryEvents(hre, registry, registry.filters.RecordAmended(uid));
    if (amended) view.supersededBy = { uid: amended.args.newUid, reason: eventText(amended, "reason") };
  }
  if (view.status === "revoked") {
    const [revoked] = await queryEvents(hre, registry, registry.filters.RecordRevoked(uid));
    if (revoked) view.revocationReason = eventText(revoked, "reason");
  }
  return view;
}

export type Verdict = "valid" | "superseded" | "revoked" | "unknown" | "mismatch";

/**
 * Checks a document against a record: `valid` when the record is current and the document is the one it
 * recorded. The document is a file (whose hash must be the record's `documentHash` field) or the record's data.
 */
export async function verifyDocument(
  hre: HardhatRuntimeEnvironment,
  uid: string,
  document: { file?: Buffer; data?: string },
): Promise<{ verdict: Verdict; record?: RecordView; explanation: string }> {
  const { civilRegistry } = await getServices(hre);
  if (!isHexString(uid, 32)) throw new Error(`"${uid}" is not a record id (0x-prefixed 32-byte hex)`);
  let record;
  try {
    record = await civilRegistry.getRecord(uid);
  } catch {
    return { verdict: "unknown", explanation: `no record ${uid} exists` };
  }
  const info = await registerInfo(civilRegistry, readableId(record.registerId));
  const view = await viewOf(hre, civilRegistry, uid, info);
  let data = document.data;
  if (document.file) {
    const field = info.fields.findIndex((f) => f.name === "documentHash");
    if (field < 0) throw new Error(`the ${info.name} register records no document hash: give the record's data`);
    if (info.layout.isPrivate[field])
      throw new Error(`the ${info.name} register keeps the document hash private: give the record's data`);
    const recorded = decodeOnChain(info.layout, view.data).values.documentHash as string;
    if (recorded !== keccak256(document.file)) {
      return {
        verdict: "mismatch",
        record: view,
        explanation: `the document's hash ${keccak256(document.file)} is not the recorded ${recorded}`,
      };
    }
    data = view.data;
  }
  if (data === undefined) throw new Error("give the document file or the record's data");
  const matches = keccak256(data) === record.dataHash;
  const on = await civilRegistry.verify(uid, data);
  const subject = `${info.name} record of identity ${view.subject}, version ${view.version}`;
  if (!matches) return { verdict: "mismatch", record: view, explanation: `the data are not those of the ${subject}` };
  if (view.status === "superseded") {
    return {
      verdict: "superseded",
      record: view,
      explanation: `the ${subject} was superseded by ${view.supersededBy?.uid ?? "a later version"}`,
    };
  }
  if (view.status === "revoked") {
    return {
      verdict: "revoked",
      record: view,
      explanation: `the ${subject} was revoked (reason: ${view.revocationReason})`,
    };
  }
  if (!on) throw new Error(`the registry does not confirm ${uid}: the chain and its events disagree`);
  return {
    verdict: "valid",
    record: view,
    explanation:
      `valid: the ${subject}, recorded ${view.recordedAt.toISOString()} by ` +
      `${view.official === 0n ? `${view.key} (by law)` : `official ${view.official} (key ${view.key})`} under ${view.law}`,
  };
}

/**
 * A subject's records in a register, oldest first, rebuilt from the registry's events alone, then checked
 * against its views (status, data hash, latest); a disagreement is an error.
 */
export async function recordHistory(
  hre: HardhatRuntimeEnvironment,
  register: string,
  subject: bigint,
): Promise<RecordView[]> {
  const { civilRegistry } = await getServices(hre);
  const info = await registerInfo(civilRegistry, register);
  const added = await queryEvents(hre, civilRegistry, civilRegistry.filters.RecordAdded(undefined, info.id, subject));
  const uids = added.map((e) => e.args.uid as string);
  const status = new Map<string, RecordStatus>(uids.map((u) => [u, "current"]));
  const amended = await queryEvents(hre, civilRegistry, civilRegistry.filters.RecordAmended());
  const revoked = await queryEvents(hre, civilRegistry, civilRegistry.filters.RecordRevoked());
  for (const e of amended) if (status.has(e.args.uid)) status.set(e.args.uid, "superseded");
  for (const e of revoked) if (status.has(e.args.uid)) status.set(e.args.uid, "revoked");

  const views = await Promise.all(uids.map((uid) => viewOf(hre, civilRegistry, uid, info)));
  for (const [i, view] of views.entries()) {
    if (view.status !== status.get(view.uid))
      throw new Error(`${view.uid}: the events say ${status.get(view.uid)}, the registry says ${view.status}`);
    if (keccak256(added[i].args.data) !== (await civilRegistry.getRecord(view.uid)).dataHash)
      throw new Error(`${view.uid}: the event's data do not match the recorded hash`);
  }
  const current = views.filter((v) => v.status === "current").map((v) => v.uid);
  const latest = await civilRegistry.latest(info.id, subject);
  if ((current[0] ?? ZeroHash) !== latest || current.length > 1)
    throw new Error(`the events' current record ${current[0] ?? "none"} is not the registry's latest ${latest}`);
  return views;
}

/** A history as text. */
export function formatHistory(views: RecordView[]): string {
  if (views.length === 0) return "no records";
  return views
    .map((v) => {
      const values = Object.entries(v.values)
        .map(([k, x]) => `${k}=${x}`)
        .join(" ");
      const by = v.official === 0n ? `${v.key} (by law)` : `official ${v.official}`;
      const tail =
        v.status === "superseded"
          ? ` → superseded by ${v.supersededBy?.uid} (reason: ${v.supersededBy?.reason})`
          : v.status === "revoked"
            ? ` → revoked (reason: ${v.revocationReason})`
            : "";
      return `v${v.version} ${v.status.padEnd(10)} ${v.recordedAt.toISOString()} ${values} (by ${by}, under ${v.law})${tail}\n   uid ${v.uid}`;
    })
    .join("\n");
}

// -------------------------------------------------------------------------------------------------------------
// Import
// -------------------------------------------------------------------------------------------------------------

/** A row of an import file that was not written, with why. */
export interface RowProblem {
  line: number;
  subject?: string;
  problem: string;
}

export interface ImportSummary {
  rows: number;
  written: number;
  /** Rows whose record was already there, with the same data (an earlier run wrote them). */
  alreadyThere: number;
  problems: RowProblem[];
  transactions: number;
  gasUsed: bigint;
  seconds: number;
}

export interface ImportOptions {
  batchSize?: number;
  /** Called after each batch with the rows settled so far and the total. */
  onProgress?: (settled: number, total: number) => void;
  baseDir?: string;
  /** Where the openings of a register with private fields are kept ({OPENINGS_DIR} by default). */
  openingsDir?: string;
}

/**
 * A CSV file's header and rows, each row with its line number. Each line is read on its own (one record per line:
 * a quoted value does not span lines), so that a line the parser cannot read (a stray quote) is reported by its
 * number and the others are read on.
 */
function readCsv(file: string): {
  header: string[];
  records: { line: number; values: string[] }[];
  unreadable: RowProblem[];
} {
  const unreadable: RowProblem[] = [];
  const records: { line: number; values: string[] }[] = [];
  let header: string[] | undefined;
  readFileSync(file, "utf8")
    .split(/\r?\n/)
    .forEach((text, i) => {
      if (text.trim() === "") return;
      let values: string[];
      try {
        [values] = parseCsv(text, { trim: true }) as string[][];
      } catch (error) {
        unreadable.push({
          line: i + 1,
          problem: `not a CSV line: ${(error as Error).message.replace(/ at line \d+/, "")}`,
        });
        return;
      }
      if (header) records.push({ line: i + 1, values });
      else header = values;
    });
  if (!header) throw new Error(`${file} is empty: it needs a header line with subject and the register's fields`);
  return { header, records, unreadable };
}

interface Row {
  line: number;
  subject: bigint;
  data: string;
}

/**
 * Imports a CSV file into a register: a header line with `subject` and the register's field names, then one
 * record per line. Every row is checked first; a bad row is reported with its line number and the others go on.
 * Rows already recorded with the same data are skipped, so that a rerun after an interruption writes nothing twice
 * (for a register with private fields, the rerun reuses the saved openings' salts, hence the same data).
 * The rest is written with recordBatch, in batches; a batch that the registry refuses is retried row by row, and
 * the rows it refuses are reported.
 */
export async function importCsv(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  file: string,
  register: string,
  options: ImportOptions = {},
): Promise<ImportSummary> {
  const started = Date.now();
  const batchSize = options.batchSize ?? 100;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`the batch size must be a whole number ≥ 1`);
  if (!existsSync(file)) throw new Error(`no file ${file}`);
  const { civilRegistry } = await getServices(hre, signer);
  const { identityRegistry } = await getSystem(hre);
  const info = await registerInfo(civilRegistry, register);

  const { header, records, unreadable } = readCsv(file);
  if (!header.includes("subject")) throw new Error(`${file}: the header line names no "subject" column`);

  const summary: ImportSummary = {
    rows: records.length + unreadable.length,
    written: 0,
    alreadyThere: 0,
    problems: [...unreadable],
    transactions: 0,
    gasUsed: 0n,
    seconds: 0,
  };
  const rows: Row[] = [];
  const seen = new Map<bigint, number>();
  for (const { line, values: raw } of records) {
    try {
      if (raw.length !== header.length)
        throw new Error(`the row has ${raw.length} values, the header names ${header.length} (${header.join(", ")})`);
      const { subject: subjectText, ...values } = Object.fromEntries(header.map((name, i) => [name, raw[i]]));
      if (!/^\d+$/.test(subjectText ?? "")) throw new Error(`subject must be an identity id, not "${subjectText}"`);
      const subject = BigInt(subjectText);
      const earlier = seen.get(subject);
      if (earlier !== undefined) throw new Error(`subject ${subject} already has a row, line ${earlier}`);
      seen.set(subject, line);
      const clear = encodeRecord(info.fields, values, "row", options.baseDir);
      // the opening is saved now, before any batch is sent; a rerun finds it and writes the same data
      rows.push({ line, subject, data: sealRecord(options.openingsDir ?? OPENINGS_DIR, info, subject, clear) });
    } catch (error) {
      const problem = (error as Error).message.replace(/^row: /, "");
      summary.problems.push({ line, subject: raw[header.indexOf("subject")], problem });
    }
  }

  // What landed already: the subject's current record with the same data.
  const pending: Row[] = [];
  const identityCount = await identityRegistry.identityCount();
  for (let i = 0; i < rows.length; i += 50) {
    const slice = rows.slice(i, i + 50);
    const states = await Promise.all(
      slice.map(async (row) => {
        if (row.subject === 0n || row.subject > identityCount) return { row, problem: `no identity ${row.subject}` };
        const uid = await civilRegistry.latest(info.id, row.subject);
        if (uid === ZeroHash) return { row };
        const { dataHash } = await civilRegistry.getRecord(uid);
        if (dataHash === keccak256(row.data)) return { row, there: true };
        return { row, problem: `identity ${row.subject} already has a different current record ${uid}` };
      }),
    );
    for (const state of states) {
      if (state.problem)
        summary.problems.push({ line: state.row.line, subject: String(state.row.subject), problem: state.problem });
      else if (state.there) summary.alreadyThere++;
      else pending.push(state.row);
    }
  }
  const total = rows.length;
  let settled = total - pending.length;
  options.onProgress?.(settled, total);

  const write = async (batch: Row[]) => {
    const receipt = await sendChecked(hre, civilRegistry, "recordBatch", [
      info.id,
      batch.map((r) => r.subject),
      batch.map((r) => r.data),
    ]);
    summary.transactions++;
    summary.gasUsed += receipt.gasUsed;
    summary.written += batch.length;
  };
  for (let i = 0; i < pending.length; i += batchSize) {
    const batch = pending.slice(i, i + batchSize);
    try {
      await civilRegistry.recordBatch.staticCall(
        info.id,
        batch.map((r) => r.subject),
        batch.map((r) => r.data),
      );
    } catch {
      // find the rows the registry refuses, report them, and write the others
      const good: Row[] = [];
      for (const row of batch) {
        try {
          await civilRegistry.recordBatch.staticCall(info.id, [row.subject], [row.data]);
          good.push(row);
        } catch (error) {
          summary.problems.push({
            line: row.line,
            subject: String(row.subject),
            problem: await explain(hre, error),
          });
        }
      }
      if (good.length > 0) await write(good);
      settled += batch.length;
      options.onProgress?.(settled, total);
      continue;
    }
    await write(batch);
    settled += batch.length;
    options.onProgress?.(settled, total);
  }
  summary.problems.sort((a, b) => a.line - b.line);
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

/** An import's summary as text. */
export function formatImportSummary(summary: ImportSummary, register: string): string {
  const lines = [
    `${register}: ${summary.rows} rows — ${summary.written} written, ${summary.alreadyThere} already there, ` +
      `${summary.problems.length} not written; ${summary.transactions} transactions, gas ${summary.gasUsed}, ` +
      `${summary.seconds.toFixed(1)} s`,
    ...summary.problems.map((p) => `  line ${p.line}${p.subject ? ` (subject ${p.subject})` : ""}: ${p.problem}`),
  ];
  return lines.join("\n");
}
