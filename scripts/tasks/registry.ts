/**
 * The agencies' tools for the civil registers, as Hardhat tasks over scripts/lib/registry.ts.
 *   registry:record   a record, its data by field name (JSON), checked against the register's schema first
 *   registry:amend    a new version of a current record, with the reason
 *   registry:revoke   a revocation, with the reason
 *   registry:import   a CSV file into a register, in batches, resumable
 *   registry:verify   a document (or a record's data) against a record id
 *   registry:history  a subject's records in a register, rebuilt from events
 * Writes are sent from `--from`: a named account or an address whose key the network holds; each is simulated
 * first and refused, with nothing sent, when the registry would refuse it. A register with private fields is
 * written in its on-chain form; the opening (the private values and their salt) is saved under `--openings`
 * before the transaction is sent and, when GOVCHAIN_DATA_URL names the data service, registry:record uploads it after
 * the receipt and deletes the file once the service holds it.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Signer } from "ethers";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { fail, plainErrors, positiveInteger, signerFor } from "./common";

const OPENINGS_HELP =
  "Where the openings of records with private fields are saved, one file per register and subject (private data)";

/** Tells where a record's opening was saved, when its register has private fields. */
async function reportOpening(dir: string, registerId: string, subject: bigint, uid: string) {
  const { existsSync } = await import("node:fs");
  const { openingPath, readOpeningFile } = await import("../lib/registry/openings");
  const path = openingPath(dir, registerId, subject);
  if (existsSync(path) && readOpeningFile(path).uid === uid)
    console.log(`The private fields' opening is in ${path}: private data, keep it until the data service holds it`);
}

/**
 * Uploads a record's opening to the data service (GOVCHAIN_DATA_URL) and says what became of its file: deleted once
 * the vault holds it, kept when the upload failed (the record is written all the same: the upload can be done again).
 */
async function uploadAndReport(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  url: string,
  dir: string,
  registerId: string,
  subject: bigint,
  uid: string,
) {
  const { uploadOpening } = await import("../lib/registry/upload");
  const outcome = await uploadOpening(hre, signer, url, dir, registerId, subject, uid);
  if (outcome.uploaded)
    console.log(`The private fields are in the data service's vault: their opening ${outcome.path} was deleted`);
  else if (outcome.path)
    console.log(`The private fields were not uploaded, ${outcome.why}: their opening stays in ${outcome.path}`);
}

/** A file given as @path, read as text, with a plain message when it cannot be. */
function readFileArg(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return fail(new Error(`${flag}: cannot read the file ${path}`));
  }
}

/** The record's values: inline JSON, or a JSON file given as @path (document paths are then relative to it). */
function readValues(data: string): { values: Record<string, unknown>; baseDir: string } {
  const path = data.startsWith("@") ? resolve(data.slice(1)) : undefined;
  const text = path ? readFileArg("--data", path) : data;
  let values: unknown;
  try {
    values = JSON.parse(text);
  } catch (error) {
    return fail(new Error(`--data must be a JSON object or @file.json: ${(error as Error).message}`));
  }
  if (typeof values !== "object" || values === null || Array.isArray(values))
    return fail(new Error(`--data must be a JSON object of the record's fields ({"birthDate":"2026-01-05",…})`));
  return { values: values as Record<string, unknown>, baseDir: path ? dirname(path) : process.cwd() };
}

/**
 * A reason as the registry keeps it: its text (in the event, with its hash in storage), given inline or as @file
 * of text, at most 256 bytes.
 */
function reasonText(reason: string): string {
  const text = (reason.startsWith("@") ? readFileArg("--reason", reason.slice(1)) : reason).trim();
  if (text === "") return fail(new Error("--reason is empty: say why"));
  return text;
}

task(
  "registry:record",
  "Write a record in a register; with GOVCHAIN_DATA_URL set, its private fields' opening is then uploaded to the data service's vault, and its file deleted once the vault holds it. Example: registry:record --register BIRTH --subject 12 --from hospitalRegistrar " +
    `--data '{"birthDate":"2026-01-05","placeOfBirth":"CN-11-01","documentHash":"@certificate.pdf"}'`,
)
  .addParam("register", "The register (e.g. BIRTH)")
  .addParam("subject", "The subject's identity id")
  .addParam("data", 'The record\'s fields as JSON ({"birthDate":"2026-01-05",…}) or @file.json')
  .addParam("from", "The official's named account or address")
  .addOptionalParam("openings", OPENINGS_HELP, "records")
  .setAction(
    plainErrors(
      "registry:record",
      async (args: { register: string; subject: string; data: string; from: string; openings: string }, hre) => {
        const { recordByName, splitUid } = await import("../lib/registry/registry");
        const { getServices } = await import("../lib/common/system");
        const subject = positiveInteger("--subject", args.subject);
        const { values, baseDir } = readValues(args.data);
        const signer = await signerFor(hre, args.from);
        const uid = await recordByName(hre, signer, args.register, subject, values, baseDir, args.openings);
        console.log(`Recorded in ${args.register} for identity ${subject}: uid ${uid}`);
        const { civilRegistry } = await getServices(hre);
        const registerId = await civilRegistry.registerIdOf(splitUid(uid).registerNumber);
        const url = process.env.GOVCHAIN_DATA_URL;
        if (url) await uploadAndReport(hre, signer, url, args.openings, registerId, subject, uid);
        else await reportOpening(args.openings, registerId, subject, uid);
      },
    ),
  );

task(
  "registry:amend",
  'Amend a current record: a new version supersedes it. Example: registry:amend --uid 0x… --data @corrected.json --reason "wrong date" --from registrar',
)
  .addParam("uid", "The current record's id")
  .addParam("data", "The new version's fields as JSON or @file.json")
  .addParam("reason", "The reason, kept readable in the record's history: text or @file of text (at most 256 bytes)")
  .addParam("from", "The official's named account or address")
  .addOptionalParam("openings", OPENINGS_HELP, "records")
  .setAction(
    plainErrors(
      "registry:amend",
      async (args: { uid: string; data: string; reason: string; from: string; openings: string }, hre) => {
        const { amendByName, splitUid } = await import("../lib/registry/registry");
        const { getServices } = await import("../lib/common/system");
        const { values, baseDir } = readValues(args.data);
        const reason = reasonText(args.reason);
        const signer = await signerFor(hre, args.from);
        const uid = await amendByName(hre, signer, args.uid, values, reason, baseDir, args.openings);
        console.log(`Amended ${args.uid}: the new version is ${uid}`);
        const { civilRegistry } = await getServices(hre);
        const { registerNumber, subject } = splitUid(uid);
        await reportOpening(args.openings, await civilRegistry.registerIdOf(registerNumber), subject, uid);
      },
    ),
  );

task(
  "registry:revoke",
  'Revoke a current record, with its reason. Example: registry:revoke --uid 0x… --reason "duplicate of 0x…" --from registrar',
)
  .addParam("uid", "The record's id")
  .addParam("reason", "The reason, kept readable in the record's history: text or @file of text (at most 256 bytes)")
  .addParam("from", "The official's named account or address")
  .setAction(
    plainErrors("registry:revoke", async (args: { uid: string; reason: string; from: string }, hre) => {
      const { revokeRecord } = await import("../lib/registry/registry");
      const reason = reasonText(args.reason);
      const signer = await signerFor(hre, args.from);
      await revokeRecord(hre, signer, args.uid, reason);
      console.log(`Revoked ${args.uid}`);
    }),
  );

task(
  "registry:import",
  "Import a CSV file of records into a register, in batches; a rerun resumes. " +
    "Example: registry:import --file births.csv --register BIRTH --from hospitalRegistrar --batch 100",
)
  .addParam("file", "The CSV file: a header with subject and the register's fields, one record per line")
  .addParam("register", "The register")
  .addParam("from", "The official's named account or address")
  .addOptionalParam("batch", "Records per transaction", "100")
  .addOptionalParam("openings", OPENINGS_HELP, "records")
  .addFlag("json", "Print the summary as JSON")
  .setAction(
    plainErrors(
      "registry:import",
      async (
        args: { file: string; register: string; from: string; batch: string; openings: string; json: boolean },
        hre,
      ) => {
        const { importCsv, formatImportSummary } = await import("../lib/registry/registry");
        const { SingleBar, Presets } = await import("cli-progress");
        const signer = await signerFor(hre, args.from);
        const bar = new SingleBar(
          { format: `${args.register} [{bar}] {value}/{total} rows | {eta}s left`, stream: process.stderr },
          Presets.shades_classic,
        );
        let started = false;
        const summary = await importCsv(hre, signer, args.file, args.register, {
          batchSize: Number(positiveInteger("--batch", args.batch)),
          baseDir: dirname(resolve(args.file)),
          openingsDir: args.openings,
          onProgress: (settled, total) => {
            if (!started && !args.json) bar.start(total, settled);
            started = true;
            bar.update(settled);
          },
        }).finally(() => bar.stop());
        console.log(args.json ? toJson(summary) : formatImportSummary(summary, args.register));
        if (summary.problems.length > 0) process.exitCode = 1;
      },
    ),
  );

task(
  "registry:verify",
  "Check a document, or a record's data, against a record id. Example: registry:verify --uid 0x… --document certificate.pdf",
)
  .addParam("uid", "The record's id")
  .addOptionalParam("document", "The document file (its hash is the record's documentHash)")
  .addOptionalParam("data", "Or the record's data (0x-hex, as its RecordAdded event carries them)")
  .addFlag("json", "Print the verdict and the record as JSON")
  .setAction(
    plainErrors(
      "registry:verify",
      async (args: { uid: string; document?: string; data?: string; json: boolean }, hre) => {
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
        const result = await verifyDocument(hre, args.uid, { file, data: args.data });
        console.log(args.json ? toJson(result) : `${result.verdict.toUpperCase()}: ${result.explanation}`);
        if (result.verdict !== "valid") process.exitCode = 1;
      },
    ),
  );

task(
  "registry:history",
  "A subject's records in a register, rebuilt from events and checked. Example: registry:history --register BIRTH --subject 12",
)
  .addParam("register", "The register")
  .addParam("subject", "The subject's identity id")
  .addFlag("json", "Print the records as JSON")
  .setAction(
    plainErrors("registry:history", async (args: { register: string; subject: string; json: boolean }, hre) => {
      const { recordHistory, formatHistory } = await import("../lib/registry/registry");
      const subject = positiveInteger("--subject", args.subject);
      const views = await recordHistory(hre, args.register, subject);
      if (args.json) return console.log(toJson(views));
      console.log(`${args.register}, identity ${subject}:`);
      console.log(formatHistory(views));
      const { eventSource } = await import("../lib/common/events");
      console.log(`(read from ${(await eventSource(hre)).description})`);
    }),
  );

/** JSON for scripts: whole numbers (ids, gas) as decimal strings. */
function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}
