/**
 * The registers' data service from the command line (GOVCHAIN_DATA_URL names it), as Hardhat tasks over
 * scripts/lib/data/client.ts:
 *   data:read     an official's (or a person's own) read of a register's record, signed by `--from`, under law
 *   data:tracker  a person's data tracker: who read his data, or tried, when, under which law and why; each
 *                 anchored entry verified on chain against the AccessLog's root
 * Every read is logged by the service before any data leaves it; a refusal is logged too and named here.
 */
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { ReadAnswer, TrackerEntry } from "../lib/data/client";
import { plainErrors, positiveInteger, signerFor } from "./common";

task(
  "data:read",
  'Read a register\'s current record of a subject under law, signed by your key; the read is logged first. Example: GOVCHAIN_DATA_URL=http://127.0.0.1:42069 npx hardhat data:read --register RESIDENCE --subject 8 --purpose "traffic accident report 2026-114" --from registrar --network localhost',
)
  .addParam("register", "The register (e.g. RESIDENCE)")
  .addParam("subject", "The subject's identity id")
  .addParam("purpose", "Why you read it, in words: the subject sees it in his data tracker")
  .addParam("from", "Your named account or address (a key of an official, or of the subject himself)")
  .addFlag("json", "Print the service's answer as JSON")
  .setAction(
    plainErrors(
      "data:read",
      async (args: { register: string; subject: string; purpose: string; from: string; json: boolean }, hre) => {
        const { dataService, readRecord } = await import("../lib/data/client");
        const subject = positiveInteger("--subject", args.subject);
        if (!args.purpose.trim()) throw new Error("--purpose must say why you read the record");
        // a register that does not exist is the reader's typo: said here, not signed, sent and logged as a refusal
        const { getServices } = await import("../lib/common/system");
        const { registerInfo } = await import("../lib/registry/registry");
        const { civilRegistry } = await getServices(hre);
        const register = await registerInfo(civilRegistry, args.register);
        const service = await dataService(hre);
        const answer = await readRecord(service, await signerFor(hre, args.from), {
          register: args.register,
          subject,
          purpose: args.purpose,
        });
        if (answer.status !== 200)
          throw new Error(await refusal(answer.status, answer.body as { error: string; entryId?: string }));
        // the service's answer is taken only once the chain confirms it
        const { checkReadAgainstChain } = await import("../lib/data/client");
        await checkReadAgainstChain(civilRegistry, answer.body as ReadAnswer, { registerId: register.id, subject });
        if (args.json) return console.log(JSON.stringify(answer.body, null, 2));
        console.log(await describeRead(hre, answer.body as ReadAnswer));
      },
    ),
  );

task(
  "data:tracker",
  "A person's data tracker: every read of his data, and every refused attempt, with the anchored proofs checked on chain. Example: GOVCHAIN_DATA_URL=http://127.0.0.1:42069 npx hardhat data:tracker --subject 8 --from hospitalRegistrar --network localhost",
)
  .addParam("subject", "Your identity id")
  .addParam("from", "A live key of yours: a named account or an address")
  .addFlag("json", "Print the entries as JSON, each with `verifiedOnChain`")
  .setAction(
    plainErrors("data:tracker", async (args: { subject: string; from: string; json: boolean }, hre) => {
      const { dataService, dataTracker, verifiedOnChain } = await import("../lib/data/client");
      const subject = positiveInteger("--subject", args.subject);
      const service = await dataService(hre);
      const answer = await dataTracker(service, await signerFor(hre, args.from), subject);
      if (answer.status !== 200) throw new Error(await refusal(answer.status, answer.body as { error: string }));
      const { entries } = answer.body as { entries: TrackerEntry[] };
      const checked = await Promise.all(
        entries.map(async (e) => ({ ...e, verifiedOnChain: await verifiedOnChain(service, e, subject) })),
      );
      if (args.json) return console.log(JSON.stringify(checked, null, 2));
      if (checked.length === 0) return console.log(`Nobody has read the data of identity ${subject}, or tried.`);
      console.log(`The reads of identity ${subject}'s data, newest first:`);
      const { printable, readableId } = await import("../lib/common/ids");
      const role = await roleNamer();
      for (const entry of checked) console.log(describeEntry(entry, { id: readableId, role, text: printable }));
    }),
  );

/** Prints a role hash by its name when the genesis names it. */
async function roleNamer(): Promise<(hash: string) => string> {
  const { roleName } = await import("../lib/common/ids");
  const { loadGenesis, roleNames } = await import("../lib/law/genesis");
  const names = roleNames(loadGenesis());
  return (hash) => roleName(hash, names);
}

/** A refusal as one line: the service's status and reason, and the log entry that records the attempt. */
async function refusal(status: number, body: { error: string; entryId?: string }): Promise<string> {
  const { printable } = await import("../lib/common/ids");
  const what = {
    400: "bad request",
    401: "bad signature",
    403: "refused under law",
    404: "nothing to read",
    429: "too many requests",
  }[status];
  const logged = body.entryId ? ` (the attempt is logged as access-log entry ${body.entryId})` : "";
  return `${what ?? `status ${status}`}: ${printable(body.error)}${logged}`;
}

async function describeRead(hre: HardhatRuntimeEnvironment, read: ReadAnswer) {
  const { readableId } = await import("../lib/common/ids");
  const { getServices } = await import("../lib/common/system");
  const { registerInfo } = await import("../lib/registry/registry");
  const { openReadRecord } = await import("../lib/data/client");
  const lines = [
    `Read logged as access-log entry ${read.entryId} before the data left the service: ` +
      `${readableId(read.registerId)} of identity ${read.subject}, under ${readableId(read.law)} as ${(await roleNamer())(read.role)}, ` +
      `decided at block ${read.block}`,
  ];
  if (read.uid && read.data) {
    const info = await registerInfo((await getServices(hre)).civilRegistry, readableId(read.registerId));
    const opened = openReadRecord(info.layout, read);
    const isPrivate = new Set(info.layout.privateFields.map((f) => f.name));
    lines.push(
      `  record ${read.uid}`,
      ...Object.entries(opened.fields).map(([k, v]) => `    ${k}: ${v}${isPrivate.has(k) ? " (private)" : ""}`),
      opened.private
        ? "  private fields: from the vault, checked against the record's commitment"
        : isPrivate.size > 0
          ? "  private fields: the vault holds none for this record"
          : "  private fields: none in this register",
    );
  }
  for (const d of read.documents)
    lines.push(`  document ${d.hash} (${d.mediaType}, ${Buffer.from(d.content, "base64").length} bytes)`);
  return lines.join("\n");
}

/** A tracker entry in two lines; the purpose and the refusal are an official's or the service's words. */
function describeEntry(
  entry: TrackerEntry & { verifiedOnChain: boolean },
  names: { id: (id: string) => string; role: (hash: string) => string; text: (text: string) => string },
): string {
  const { id: readableId, role, text: printable } = names;
  const when = new Date(Number(entry.at) * 1000).toISOString().replace("T", " ").slice(0, 19);
  const who =
    entry.outcome === "read"
      ? `identity ${entry.reader} (key ${entry.readerKey}) as ${role(entry.role)} of department ${entry.department}`
      : `identity ${entry.reader} (key ${entry.readerKey})`;
  const what =
    entry.outcome === "read"
      ? `read ${readableId(entry.registerId)}`
      : `was REFUSED ${readableId(entry.registerId)}: ${printable(entry.refusal ?? "")}`;
  const anchored = entry.anchored
    ? `anchored in batch ${entry.anchored.batchId} as entry ${entry.anchored.seq}, ` +
      (entry.verifiedOnChain ? "verified on chain" : "NOT verified on chain")
    : "not anchored yet";
  return [
    `  ${when} UTC  entry ${entry.entryId}: ${who} ${what}`,
    `    ${entry.outcome === "read" ? `under ${readableId(entry.law)}, ` : ""}purpose "${printable(entry.purpose)}"; ${anchored}`,
  ].join("\n");
}
