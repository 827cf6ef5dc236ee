/**
 * The demo's data scene: reads under law through the registers' data service, on a node (`--network localhost`)
 * where GOVCHAIN_DATA_URL names the service. `npm run demo` runs it on a stack of its own (scripts/lib/network/
 * stack.ts); against `npm run stack`: `GOVCHAIN_DATA_URL=http://127.0.0.1:42069 npx hardhat run scripts/demoData.ts
 * --network localhost`.
 *
 * A law creates the Dongcheng police bureau, appoints an officer, and grants POLICE_OFFICER the reading of RESIDENCE
 * records in his jurisdiction. Two citizens get residence records, one in Dongcheng and one in Shanghai. The officer
 * reads the first for a stated purpose; his read of the second is refused under law, and logged all the same. Each
 * citizen opens his data tracker and sees what happened; once the service anchors the log's batch on chain, each
 * entry is verified against the anchored root by the AccessLog contract itself.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import {
  checkReadAgainstChain,
  dataService,
  dataTracker,
  openReadRecord,
  readRecord,
  verifiedOnChain,
  type ReadAnswer,
  type TrackerEntry,
} from "./lib/data/client";
import { readableId, roleName, textId } from "./lib/common/ids";
import { loadGenesis, roleNames } from "./lib/law/genesis";
import { getServices, getSystem } from "./lib/common/system";
import type { LawFile } from "./lib/law/draft";
import { enactWithSigners } from "./lib/law/genesis";
import { recordByName, registerInfo } from "./lib/registry/registry";
import { uploadOpening } from "./lib/registry/upload";

const heading = (text: string) => console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 72 - text.length))}`);
const say = (text: string) => console.log(`   ${text}`);
/** Role hashes printed by name: the genesis's roles and this scene's. */
const ROLES = [...roleNames(loadGenesis()), "POLICE_OFFICER"];
const role = (hash: string) => roleName(hash, ROLES);

const POLICE_DATA_ACCESS_ACT: LawFile = {
  lawId: "POLICE_DATA_ACCESS_ACT",
  text: "police-data-access-act.md",
  identities: [
    {
      ref: "police",
      kind: "organisation",
      jurisdiction: "CN-11-01",
      key: "policeBureau",
      attributes: { name: "Dongcheng Public Security Bureau" },
      salt: keccak256(toUtf8Bytes("police bureau salt")),
    },
    {
      ref: "officer",
      kind: "person",
      jurisdiction: "CN-11-01",
      key: "policeOfficer",
      attributes: { name: "Officer Li Wei", badge: "110-0042" },
      salt: keccak256(toUtf8Bytes("officer salt")),
    },
    {
      ref: "wang",
      kind: "person",
      jurisdiction: "CN-11-01",
      key: "citizen1",
      attributes: { name: "Wang Fang", born: "1980-04-12" },
      salt: keccak256(toUtf8Bytes("wang salt")),
    },
    {
      ref: "zhao",
      kind: "person",
      jurisdiction: "CN-31-01",
      key: "citizen2",
      attributes: { name: "Zhao Lei", born: "1975-09-30" },
      salt: keccak256(toUtf8Bytes("zhao salt")),
    },
  ],
  appointments: [
    {
      official: "@officer",
      role: "POLICE_OFFICER",
      department: "@police",
      jurisdiction: "CN-11-01",
      until: "2031-01-01",
    },
  ],
  grants: [
    {
      role: "POLICE_OFFICER",
      contract: "CivilRegistry",
      functions: ["readRecord"],
      resources: ["RESIDENCE"],
      scope: "Jurisdiction",
    },
  ],
};

async function main(): Promise<void> {
  const service = await dataService(hre);
  const named = await hre.getNamedAccounts();
  const signer = (name: string) => hre.ethers.getSigner(named[name]);
  const { identityRegistry } = await getSystem(hre);

  heading("Reads under law: the registers' data service");
  say(`the data service at ${service.url} indexes the chain; its vault and its access log are off chain`);
  const dir = mkdtempSync(join(tmpdir(), "govchain-demo-data-"));
  writeFileSync(
    join(dir, POLICE_DATA_ACCESS_ACT.text),
    "# Police Data Access Act\n\nA police officer may read the residence records of persons within his jurisdiction, " +
      "for a purpose he states; every read is logged and shown to the person read.\n",
  );
  const legislators = await Promise.all(["legislator1", "legislator2"].map(signer));
  await enactWithSigners(hre, { law: POLICE_DATA_ACCESS_ACT, baseDir: dir }, legislators, await signer("deployer"));
  const id = async (name: string) => identityRegistry.activeIdentityOf(named[name]);
  const [officer, wang, zhao] = await Promise.all(["policeOfficer", "citizen1", "citizen2"].map(id));
  say(
    `POLICE_DATA_ACCESS_ACT enacted: the Dongcheng police bureau, officer Li Wei (identity ${officer}) appointed ` +
      "POLICE_OFFICER in CN-11-01, granted the reading of RESIDENCE records within his jurisdiction",
  );
  say(`citizens: Wang Fang (identity ${wang}, Dongcheng CN-11-01), Zhao Lei (identity ${zhao}, Huangpu CN-31-01)`);

  const residence = async (registrar: string, subject: bigint, district: string) =>
    recordByName(
      hre,
      await signer(registrar),
      "RESIDENCE",
      subject,
      {
        jurisdiction: district,
        since: "20200101",
        streetAddress: `${subject} Wangfujing Street`,
        documentHash: keccak256(toUtf8Bytes(`residence of ${subject}`)),
      },
      ".",
      join(dir, "openings"),
    );
  const wangsResidence = await residence("registrar", wang, "CN-11-01");
  await residence("registrar2", zhao, "CN-31-01");
  say("the registrars of Dongcheng and of Shanghai record the two residences; the chain holds the districts in clear,");
  say("the date and street address only as a salted hash");
  const uploaded = await uploadOpening(
    hre,
    await signer("registrar"),
    service.url,
    join(dir, "openings"),
    textId("RESIDENCE"),
    wang,
    wangsResidence,
  );
  if (!uploaded.uploaded) throw new Error(`the registrar's upload of the private fields failed: ${uploaded.why}`);
  say("the Dongcheng registrar uploads Wang Fang's private fields, signed: the vault checks them against the hash");
  say("and keeps them encrypted");

  heading("The officer reads, under law and for a stated purpose");
  const police = await signer("policeOfficer");
  const purpose = "traffic accident report 2026-114";
  const granted = await readRecord(service, police, { register: "RESIDENCE", subject: wang, purpose });
  if (granted.status !== 200)
    throw new Error(`the granted read was answered ${granted.status}: ${JSON.stringify(granted.body)}`);
  const read = granted.body as ReadAnswer;
  const { civilRegistry } = await getServices(hre);
  await checkReadAgainstChain(civilRegistry, read, { registerId: textId("RESIDENCE"), subject: wang });
  const opened = openReadRecord((await registerInfo(civilRegistry, "RESIDENCE")).layout, read);
  if (!opened.private) throw new Error("the granted read did not return the private fields");
  say(
    `Wang Fang's RESIDENCE: 200, under ${readableId(read.law)} as ${role(read.role)}: record ${read.uid} ` +
      "(its data checked against the hash the chain holds); " +
      `access-log entry ${read.entryId} was written before the data left the service`,
  );
  say(
    `  streetAddress "${opened.fields.streetAddress}", since ${opened.fields.since}: private fields from the vault, ` +
      "checked against the record's salted hash",
  );
  const refused = await readRecord(service, police, { register: "RESIDENCE", subject: zhao, purpose: "curiosity" });
  const refusal = refused.body as { error: string; entryId?: string };
  say(
    `Zhao Lei's RESIDENCE (Shanghai): ${refused.status}, ${refusal.error}; the attempt is access-log entry ${refusal.entryId}`,
  );
  if (refused.status !== 403) throw new Error("the read outside the officer's jurisdiction was not refused");

  heading("Each citizen opens his data tracker");
  const wangsLog = await waitForAnchoring(service, await signer("citizen1"), wang);
  const zhaosLog = await waitForAnchoring(service, await signer("citizen2"), zhao);
  for (const [who, subject, entries] of [
    ["Wang Fang", wang, wangsLog],
    ["Zhao Lei", zhao, zhaosLog],
  ] as const)
    for (const entry of entries) {
      const verified = await verifiedOnChain(service, entry, subject);
      const what =
        entry.outcome === "read"
          ? `identity ${entry.reader} as ${role(entry.role)} READ his ${readableId(entry.registerId)} under ` +
            `${readableId(entry.law)}`
          : `the key of identity ${entry.reader} was REFUSED his ${readableId(entry.registerId)} (${entry.refusal})`;
      say(`${who} sees: ${what}, for "${entry.purpose}"`);
      say(
        `  anchored in batch ${entry.anchored!.batchId}: ` +
          (verified ? "verified on chain by AccessLog.verifyEntry" : "NOT verified"),
      );
      if (!verified) throw new Error(`entry ${entry.entryId} does not verify against its anchored root`);
    }
  // an entry someone changed afterwards (its purpose) no longer leads to the anchored root
  const { batchId, leaf, proof } = wangsLog[0].anchored!;
  const changed = [...leaf];
  changed[12] = keccak256(toUtf8Bytes("a purpose nobody stated"));
  const accepted = await service.accessLog.verifyEntry(batchId, changed as never, proof);
  say(`the same entry with another purpose: ${accepted ? "ACCEPTED (wrong)" : "refused by AccessLog.verifyEntry"}`);
  if (accepted) throw new Error("a changed entry verified against the anchored root");
}

/** The person's tracker once every entry in it is anchored (the service anchors every few seconds here). */
async function waitForAnchoring(
  service: Awaited<ReturnType<typeof dataService>>,
  person: Awaited<ReturnType<typeof hre.ethers.getSigner>>,
  subject: bigint,
): Promise<TrackerEntry[]> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const answer = await dataTracker(service, person, subject);
    if (answer.status !== 200) throw new Error(`the tracker answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const { entries } = answer.body as { entries: TrackerEntry[] };
    if (entries.length > 0 && entries.every((e) => e.anchored)) return entries;
    if (Date.now() > deadline) throw new Error(`identity ${subject}'s log was not anchored within 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

main().catch((error: Error) => {
  console.error(`Error: ${error.message}`);
  process.exitCode = 1;
});
