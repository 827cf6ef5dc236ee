/**
 * Operations for the data service's test, run against a node by `hardhat run` (one process, so a few seconds): a
 * birth recorded then amended, an application decided by its rule and one referred to a department, tokens minted
 * to the Treasury, budgets allocated by law to the Ministry's account and the pension programme. Prints what it did
 * as one JSON line; the test then checks the index's answers against the contracts' views.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { amendByName, recordByName } from "../../scripts/lib/registry/registry";
import { applyToService, signMarriageConsent } from "../../scripts/lib/services/services";
import { draftAllocation, mintTokens } from "../../scripts/lib/treasury/treasury";
import { enactLawUpdate } from "../../scripts/lib/law/enact";
import { signLawUpdate } from "../../scripts/lib/law/sign";

/** The genesis law's identity 5: the Dongcheng registrar, a person of Dongcheng (CN-11-01). */
const SUBJECT = 5n;

export async function runIndexedOperations() {
  const named = await hre.getNamedAccounts();
  const signer = (name: string) => hre.ethers.getSigner(named[name]);
  const birth = {
    birthDate: "19500203",
    placeOfBirth: "CN-11-01",
    documentHash: keccak256(toUtf8Bytes("birth certificate of identity 5")),
  };
  // the birth's date and place are private: the registrars' openings, which the pension application opens
  const openings = mkdtempSync(join(tmpdir(), "govchain-indexed-openings-"));
  const first = await recordByName(hre, await signer("hospitalRegistrar"), "BIRTH", SUBJECT, birth, ".", openings);
  const amended = await amendByName(
    hre,
    await signer("registrar"),
    first,
    { ...birth, birthDate: "19500302" },
    "day and month swapped",
    ".",
    openings,
  );
  const pension = await applyToService(hre, await signer("registrar"), "PENSION_ENROLMENT", {}, openings);
  // the director has no birth record: the rule refers the marriage to the civil affairs department
  const documentHash = keccak256(toUtf8Bytes("marriage certificate of identities 5 and 4"));
  const consent = await signMarriageConsent(hre, await signer("director"), SUBJECT.toString(), documentHash);
  const marriage = await applyToService(
    hre,
    await signer("registrar"),
    "MARRIAGE_REGISTRATION",
    { ...consent },
    openings,
  );
  rmSync(openings, { recursive: true, force: true });
  await mintTokens(hre, await signer("centralBanker"), "Treasury", 1_000_000n);
  // budgets by law, for the Treasury's statements: the Ministry's account and the pension programme
  const allocation = await draftAllocation(
    hre,
    "PUBLIC_FINANCE_ACT",
    resolve(__dirname, "../../genesis/texts/public-finance-act.md"),
    [
      { organisation: 1n, amount: 200_000n },
      { programme: "PENSION", amount: 100_000n },
    ],
  );
  const legislators = await Promise.all(["legislator1", "legislator2"].map(signer));
  const signatures = await Promise.all(legislators.map((legislator) => signLawUpdate(legislator, allocation)));
  await enactLawUpdate(hre, allocation, signatures, await signer("deployer"));
  return {
    subject: SUBJECT.toString(),
    uids: [first, amended],
    applications: [pension.applicationId.toString(), marriage.applicationId.toString()],
    referred: marriage.status,
  };
}

if (require.main === module) {
  runIndexedOperations()
    .then((done) => console.log(JSON.stringify(done)))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
