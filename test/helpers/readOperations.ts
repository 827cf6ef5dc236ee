/**
 * What the gated reads' test needs on a node, run by `hardhat run` (one process, a few seconds): a RESIDENCE record
 * of identity 8 (the Dongcheng hospital's registrar, a person of CN-11-01, whose key the test holds), and two laws
 * enacted by the legislators: READ_TEST_ACT (registrars read BIRTH, DEATH and RESIDENCE records in their
 * jurisdiction; everyone reads his own records and personal data) and INVESTIGATION_TEST_ACT (civil affairs officers read RESIDENCE records in
 * theirs, covertly for a day). Prints what it did as one JSON line.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import type { LawFile } from "../../scripts/lib/law/draft";
import { enactWithSigners } from "../../scripts/lib/law/genesis";
import { getServices } from "../../scripts/lib/common/system";
import { recordByName, registerInfo } from "../../scripts/lib/registry/registry";

/** The Dongcheng hospital's registrar: a person of CN-11-01 (the genesis law's identity 8, key hospitalRegistrar). */
export const SUBJECT = 8n;
/** The covert period of INVESTIGATION_TEST_ACT's reads, in seconds. */
export const COVERT_PERIOD = 86_400;

const LAWS: LawFile[] = [
  {
    lawId: "READ_TEST_ACT",
    text: "read-test-act.md",
    grants: [
      {
        role: "REGISTRAR",
        contract: "CivilRegistry",
        functions: ["readRecord"],
        resources: ["BIRTH", "DEATH", "RESIDENCE"],
        scope: "Jurisdiction",
      },
      { role: "SUBJECT", contract: "CivilRegistry", functions: ["readRecord"], scope: "Any" },
      { role: "SUBJECT", contract: "IdentityRegistry", functions: ["readPersonalData"], scope: "Any" },
    ],
  },
  {
    lawId: "INVESTIGATION_TEST_ACT",
    text: "investigation-test-act.md",
    params: { COVERT_PERIOD },
    grants: [
      {
        role: "CIVIL_AFFAIRS_OFFICER",
        contract: "CivilRegistry",
        functions: ["readRecord"],
        resources: ["RESIDENCE"],
        scope: "Jurisdiction",
      },
    ],
  },
];

export async function runReadOperations() {
  const named = await hre.getNamedAccounts();
  const signer = (name: string) => hre.ethers.getSigner(named[name]);
  const { civilRegistry } = await getServices(hre);
  const fields = (await registerInfo(civilRegistry, "RESIDENCE")).fields.map((f) => f.name);
  const residence = await recordByName(hre, await signer("registrar"), "RESIDENCE", SUBJECT, {
    jurisdiction: "CN-11-01",
    since: "20200101",
    // a private field where the register's schema has it
    ...(fields.includes("streetAddress") ? { streetAddress: "1 Dongchang'an Street" } : {}),
    documentHash: keccak256(toUtf8Bytes("residence certificate of identity 8")),
  });
  const dir = mkdtempSync(join(tmpdir(), "govchain-read-laws-"));
  const legislators = await Promise.all(["legislator1", "legislator2", "legislator3"].map(signer));
  for (const law of LAWS) {
    writeFileSync(join(dir, law.text), `# ${law.lawId}\n\nA law of the gated reads' test.\n`);
    await enactWithSigners(hre, { law, baseDir: dir }, legislators, await signer("deployer"));
  }
  return { subject: SUBJECT.toString(), residence };
}

if (require.main === module) {
  runReadOperations()
    .then((done) => console.log(JSON.stringify(done)))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
