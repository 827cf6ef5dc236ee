/**
 * The agencies' tools for the civil registers, as Hardhat tasks over scripts/lib/registry.ts.
 *   registry:record   a record, its data by field name (JSON), checked against the register's schema first
 *   registry:amend    a new version of a current record, with the reason
 *   registry:revoke   a revocation, with the reason
 *   registry:import   a CSV file into a register, in batches, resumable
 *   registry:verify   a document (or a record's data) against a record id
 *   registry:history  a subject's records in a register, rebuilt from events
 * Writes are sent from `--from`: a named account or an address whose key the network holds.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { fail, signerFor } from "./common";

/** The record's values: inline JSON, or a JSON file given as @path (document paths are then relative to it). */
function readValues(data: string): { values: Record<string, unknown>; baseDir: string } {
  try {
    if (data.startsWith("@")) {
      const path = resolve(data.slice(1));
      return { values: JSON.parse(readFileSync(path, "utf8")), baseDir: dirname(path) };
    }
    return { values: JSON.parse(data), baseDir: process.cwd() };
  } catch (error) {
    return fail(new Error(`--data must be a JSON object or @file.json: ${(error as Error).message}`));
  }
}

/** A reason: 0x-hex 32 bytes, @file (hashed), or text (hashed as UTF-8). */
function reasonHash(hre: HardhatRuntimeEnvironment, reason: string): string {
  if (hre.ethers.isHexString(reason, 32)) return reason;
  if (reason.startsWith("@")) return hre.ethers.keccak256(readFileSync(reason.slice(1)));
  return hre.ethers.id(reason);
}

task("registry:record", "Write a record in a register")
  .addParam("register", "The register (e.g. BIRTH)")
  .addParam("subject", "The subject's identity id")
  .addParam("data", 'The record\'s fields as JSON ({"birthDate":"2026-01-05",…}) or @file.json')
  .addParam("from", "The official's named account or address")
  .setAction(async (args: { register: string; subject: string; data: string; from: string }, hre) => {
    const { recordByName } = await import("../lib/registry/registry");
    const { values, baseDir } = readValues(args.data);
    const signer = await signerFor(hre, args.from);
    const uid = await recordByName(hre, signer, args.register, BigInt(args.subject), values, baseDir).catch(fail);
    console.log(`Recorded in ${args.register} for identity ${args.subject}: uid ${uid}`);
  });

task("registry:amend", "Amend a current record: a new version supersedes it")
  .addParam("uid", "The current record's id")
  .addParam("data", "The new version's fields as JSON or @file.json")
  .addParam("reason", "The reason: text, @file or a 32-byte hash")
  .addParam("from", "The official's named account or address")
  .setAction(async (args: { uid: string; data: string; reason: string; from: string }, hre) => {
    const { amendByName } = await import("../lib/registry/registry");
    const { values, baseDir } = readValues(args.data);
    const signer = await signerFor(hre, args.from);
    const uid = await amendByName(hre, signer, args.uid, values, reasonHash(hre, args.reason), baseDir).catch(fail);
    console.log(`Amended ${args.uid}: the new version is ${uid}`);
  });

task("registry:revoke", "Revoke a current record, with its reason")
  .addParam("uid", "The record's id")
  .addParam("reason", "The reason: text, @file or a 32-byte hash")
  .addParam("from", "The official's named account or address")
  .setAction(async (args: { uid: string; reason: string; from: string }, hre) => {
    const { revokeRecord } = await import("../lib/registry/registry");
    const signer = await signerFor(hre, args.from);
    await revokeRecord(hre, signer, args.uid, reasonHash(hre, args.reason)).catch(fail);
    console.log(`Revoked ${args.uid}`);
  });

task("registry:import", "Import a CSV file of records into a register, in batches; a rerun resumes")
  .addParam("file", "The CSV file: a header with subject and the register's fields, one record per line")
  .addParam("register", "The register")
  .addParam("from", "The official's named account or address")
  .addOptionalParam("batch", "Records per transaction", 100, types.int)
  .setAction(async (args: { file: string; register: string; from: string; batch: number }, hre) => {
    const { importCsv, formatImportSummary } = await import("../lib/registry/registry");
    const { SingleBar, Presets } = await import("cli-progress");
    const signer = await signerFor(hre, args.from);
    const bar = new SingleBar(
      { format: `${args.register} [{bar}] {value}/{total} rows | {eta}s left`, stream: process.stderr },
      Presets.shades_classic,
    );
    let started = false;
    const summary = await importCsv(hre, signer, args.file, args.register, {
      batchSize: args.batch,
      baseDir: dirname(resolve(args.file)),
      onProgress: (settled, total) => {
        if (!started) bar.start(total, settled);
        started = true;
        bar.update(settled);
      },
    })
      .catch(fail)
      .finally(() => bar.stop());
    console.log(formatImportSummary(summary, args.register));
    if (summary.problems.length > 0) process.exitCode = 1;
  });

task("registry:verify", "Check a document, or a record's data, against a record id")
  .addParam("uid", "The record's id")
  .addOptionalParam("document", "The document file (its hash is the record's documentHash)")
  .addOptionalParam("data", "Or the record's data (0x-hex, as its RecordAdded event carries them)")
  .setAction(async (args: { uid: string; document?: string; data?: string }, hre) => {
    const { verifyDocument } = await import("../lib/registry/registry");
    if (!args.document === !args.data) fail(new Error("give either --document or --data"));
    let file: Buffer | undefined;
    if (args.document) {
      try {
        file = readFileSync(args.document);
      } catch {
        fail(new Error(`cannot read the document ${args.document}`));
      }
    }
    const result = await verifyDocument(hre, args.uid, { file, data: args.data }).catch(fail);
    console.log(`${result.verdict.toUpperCase()}: ${result.explanation}`);
    if (result.verdict !== "valid") process.exitCode = 1;
  });

task("registry:history", "A subject's records in a register, rebuilt from events and checked")
  .addParam("register", "The register")
  .addParam("subject", "The subject's identity id")
  .setAction(async (args: { register: string; subject: string }, hre) => {
    const { recordHistory, formatHistory } = await import("../lib/registry/registry");
    const views = await recordHistory(hre, args.register, BigInt(args.subject)).catch(fail);
    console.log(`${args.register}, identity ${args.subject}:`);
    console.log(formatHistory(views));
  });
