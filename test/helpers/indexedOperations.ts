/**
 * Operations for the data service's test, run against a node by `hardhat run` (one process, so a few seconds): a
 * birth recorded then amended, an application decided by its rule, tokens minted to the Treasury. Prints what it
 * did as one JSON line; the test then checks the index's answers against the contracts' views.
 */
import { keccak256, toUtf8Bytes } from "ethers";
import hre from "hardhat";

import { amendByName, recordByName } from "../../scripts/lib/registry/registry";
import { applyToService } from "../../scripts/lib/services/services";
import { mintTokens } from "../../scripts/lib/treasury/treasury";

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
  const first = await recordByName(hre, await signer("hospitalRegistrar"), "BIRTH", SUBJECT, birth);
  const amended = await amendByName(
    hre,
    await signer("registrar"),
    first,
    { ...birth, birthDate: "19500302" },
    "day and month swapped",
  );
  const pension = await applyToService(hre, await signer("registrar"), "PENSION_ENROLMENT", {});
  await mintTokens(hre, await signer("centralBanker"), "Treasury", 1_000_000n);
  return { subject: SUBJECT.toString(), uids: [first, amended], applicationId: pension.applicationId.toString() };
}

if (require.main === module) {
  runIndexedOperations()
    .then((done) => console.log(JSON.stringify(done)))
    .catch((error) => {
      console.error(error);
      process.exitCode = 1;
    });
}
