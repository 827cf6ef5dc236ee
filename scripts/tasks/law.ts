/**
 * The legislators' tools, as Hardhat tasks. Each parses its arguments, calls the law library once, and prints.
 *   law:draft  a law file (JSON/YAML) → a LawUpdate file, calls encoded, text hashed
 *   law:sign   a LawUpdate file + an encrypted keystore → a signature file
 *   law:enact  a LawUpdate file + signature files → checked, then submitted
 *   law:show   a law's versions, text hashes, grants and parameters
 */
import { task, types } from "hardhat/config";

import { attempt, fail } from "./common";

task("law:draft", "Draft a law update from a law file (JSON or YAML)")
  .addParam("law", "The law file")
  .addParam("out", "Where to write the LawUpdate file")
  .addOptionalParam("nonce", "The update's nonce (random by default)")
  .setAction(async (args: { law: string; out: string; nonce?: string }, hre) => {
    const { loadLawFile, draftLawUpdate } = await import("../lib/law/draft");
    const { writeJson } = await import("../lib/law/lawUpdate");
    const file = await draftLawUpdate(hre, loadLawFile(args.law), {
      nonce: args.nonce !== undefined ? BigInt(args.nonce) : undefined,
    }).catch(fail);
    writeJson(args.out, file);
    console.log(`Drafted ${args.law} → ${args.out}`);
    console.log(
      `  law ${hre.ethers.decodeBytes32String(file.update.lawId)} v${file.update.version}, epoch ${file.update.epoch}, ` +
        `deadline ${new Date(Number(file.update.deadline) * 1000).toISOString()}`,
    );
    console.log(`  digest ${file.digest}`);
    for (const line of file.summary) console.log(`  · ${line}`);
  });

task("law:sign", "Sign a LawUpdate file with a legislator's encrypted JSON keystore")
  .addParam("update", "The LawUpdate file (from law:draft)")
  .addParam(
    "keystore",
    "The legislator's encrypted JSON keystore (password from GOVCHAIN_KEYSTORE_PASSWORD or a prompt)",
  )
  .addParam("out", "Where to write the signature file")
  .setAction(async (args: { update: string; keystore: string; out: string }) => {
    const { readLawUpdateFile, writeJson } = await import("../lib/law/lawUpdate");
    const { keystorePassword, openKeystore, signLawUpdate } = await import("../lib/law/sign");
    const { readableId } = await import("../lib/common/ids");
    const file = attempt(() => readLawUpdateFile(args.update));
    console.log(
      `You are signing law ${readableId(file.update.lawId)} v${file.update.version} (digest ${file.digest}), which will:`,
    );
    for (const line of file.summary) console.log(`  · ${line}`);
    const password = await keystorePassword().catch(fail);
    const wallet = await openKeystore(args.keystore, password).catch(fail);
    const signature = await signLawUpdate(wallet, file);
    writeJson(args.out, signature);
    console.log(`Signed by ${signature.signer} → ${args.out}`);
  });

task("law:enact", "Check a law update and its signatures, then submit it")
  .addParam("update", "The LawUpdate file (from law:draft)")
  .addVariadicPositionalParam("signatures", "The signature files (from law:sign)", [], types.string)
  .addFlag("check", "Only check; send nothing")
  .setAction(async (args: { update: string; signatures: string[]; check: boolean }, hre) => {
    const { readLawUpdateFile, readSignatureFile } = await import("../lib/law/lawUpdate");
    const { checkEnactment, enactLawUpdate } = await import("../lib/law/enact");
    const file = attempt(() => readLawUpdateFile(args.update));
    const signatures = attempt(() => args.signatures.map(readSignatureFile));
    if (args.check) {
      const plan = await checkEnactment(hre, file, signatures).catch(fail);
      for (const note of plan.notes) console.log(`note: ${note}`);
      console.log(
        `Ready: signed by ${plan.signers.join(", ")}${plan.approvals.length ? `, approved on chain by ${plan.approvals.join(", ")}` : ""} (quorum ${plan.quorum}). Nothing sent.`,
      );
      return;
    }
    const [submitter] = await hre.ethers.getSigners();
    if (!submitter) return fail(new Error(`network "${hre.network.name}" has no account to submit from`));
    const { plan, receipt } = await enactLawUpdate(hre, file, signatures, submitter).catch(fail);
    for (const note of plan.notes) console.log(`note: ${note}`);
    console.log(
      `Enacted law ${hre.ethers.decodeBytes32String(file.update.lawId)} v${file.update.version}: tx ${receipt.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`,
    );
    console.log(`  signed by ${[...plan.signers, ...plan.approvals].join(", ")}`);
  });

task("law:show", "Show a law (or every law): versions, text hashes, grants and parameters")
  .addOptionalParam("law", "The law id (e.g. PENSION_ACT); every law when left out")
  .setAction(async (args: { law?: string }, hre) => {
    const { formatLawReport, lawReport, listLaws } = await import("../lib/law/show");
    const { loadGenesis, roleNames } = await import("../lib/law/genesis");
    const roles = roleNames(loadGenesis());
    const ids = args.law ? [args.law] : await listLaws(hre).catch(fail);
    if (ids.length === 0) console.log("No law was ever enacted on this network.");
    for (const id of ids) console.log(formatLawReport(await lawReport(hre, id, roles).catch(fail)) + "\n");
  });
