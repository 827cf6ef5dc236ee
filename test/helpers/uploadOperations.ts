/**
 * What the uploads' test needs on a node, run by `hardhat run` (one process, a few seconds): UPLOAD_TEST_ACT, enacted
 * by the legislators, creates two registers with a private field (PRIVATE_RESIDENCE and PRIVATE_NOTE) and one
 * without (PUBLIC_NOTE) that registrars write in their jurisdiction, and lets them read PRIVATE_RESIDENCE there (every
 * person reads his own personal data by the genesis Data Protection Act); then Dongcheng's registrar records identity
 * 8's birth (with the hash of a certificate), his PRIVATE_RESIDENCE and his PUBLIC_NOTE records, the openings saved
 * in UPLOAD_OPENINGS_DIR. Prints what it did as one JSON line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeBytes32String, keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import type { LawFile } from "../../scripts/lib/law/draft";
import { enactWithSigners } from "../../scripts/lib/law/genesis";
import { openingPath, readOpeningFile } from "../../scripts/lib/registry/openings";
import { recordByName } from "../../scripts/lib/registry/registry";

/** Chen Jing, Dongcheng's hospital registrar: a person of CN-11-01 (the genesis law's identity 8). */
export const SUBJECT = 8n;
/** The birth certificate whose hash identity 8's BIRTH record holds. */
export const CERTIFICATE = "birth certificate of identity 8, Dongcheng Maternity Hospital";
const PRIVATE_SCHEMA = "bytes32 jurisdiction,uint32 since,bytes32 streetAddress private,bytes32 documentHash";
const PUBLIC_SCHEMA = "bytes32 jurisdiction,uint32 since,bytes32 documentHash";

const LAW: LawFile = {
  lawId: "UPLOAD_TEST_ACT",
  text: "upload-test-act.md",
  registers: [
    { id: "PRIVATE_RESIDENCE", name: "Residence, street kept off chain", schema: PRIVATE_SCHEMA, subject: "person" },
    { id: "PRIVATE_NOTE", name: "Notes, street kept off chain", schema: PRIVATE_SCHEMA, subject: "person" },
    { id: "PUBLIC_NOTE", name: "Notes, all public", schema: PUBLIC_SCHEMA, subject: "person" },
  ],
  grants: [
    {
      role: "REGISTRAR",
      contract: "CivilRegistry",
      functions: ["record", "amend"],
      resources: ["PRIVATE_RESIDENCE", "PRIVATE_NOTE", "PUBLIC_NOTE"],
      scope: "Jurisdiction",
    },
    {
      role: "REGISTRAR",
      contract: "CivilRegistry",
      functions: ["readRecord"],
      resources: ["PRIVATE_RESIDENCE"],
      scope: "Jurisdiction",
    },
  ],
};

export async function runUploadOperations() {
  const named = await hre.getNamedAccounts();
  const signer = (name: string) => hre.ethers.getSigner(named[name]);
  const dir = mkdtempSync(join(tmpdir(), "govchain-upload-law-"));
  writeFileSync(join(dir, LAW.text), `# ${LAW.lawId}\n\nA law of the uploads' test.\n`);
  const legislators = await Promise.all(["legislator1", "legislator2", "legislator3"].map(signer));
  await enactWithSigners(hre, { law: LAW, baseDir: dir }, legislators, await signer("deployer"));
  const registrar = await signer("registrar");
  const openings = process.env.UPLOAD_OPENINGS_DIR!;
  const birth = await recordByName(
    hre,
    registrar,
    "BIRTH",
    SUBJECT,
    { birthDate: "19900312", placeOfBirth: "CN-11-01", documentHash: keccak256(toUtf8Bytes(CERTIFICATE)) },
    ".",
    openings,
  );
  const residence = await recordByName(
    hre,
    registrar,
    "PRIVATE_RESIDENCE",
    SUBJECT,
    {
      jurisdiction: "CN-11-01",
      since: "20200101",
      streetAddress: "1 Dongchang'an Street",
      documentHash: "0x" + "11".repeat(32),
    },
    ".",
    openings,
  );
  const publicNote = await recordByName(hre, registrar, "PUBLIC_NOTE", SUBJECT, {
    jurisdiction: "CN-11-01",
    since: "20200101",
    documentHash: "0x" + "22".repeat(32),
  });
  const opening = readOpeningFile(openingPath(openings, encodeBytes32String("PRIVATE_RESIDENCE"), SUBJECT));
  return { birth, residence, publicNote, clear: opening.clear, salt: opening.salt };
}

if (require.main === module) {
  runUploadOperations()
    .then((done) => console.log(JSON.stringify(done)))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
