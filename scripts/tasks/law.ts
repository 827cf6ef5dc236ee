/**
 * The legislators' tools, as Hardhat tasks. Each parses its arguments, calls the law library, and prints.
 *   law:draft  a law file (JSON/YAML) → a LawUpdate file, calls encoded, text hashed, the update simulated
 *   law:sign   a LawUpdate file + an encrypted keystore → a signature file, after showing what the calls do
 *   law:enact  a LawUpdate file + signature files → checked and simulated, then submitted
 *   law:show   a law's versions (who signed them, what they changed), text hashes, grants and parameters
 * What a legislator reads is decoded from the update's calldata (scripts/lib/law/review.ts), never taken from the
 * file's summary, which the signatures do not cover.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { task, types } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { confirmOrRefuse, plainErrors } from "./common";

/** Refuses an output path whose folder does not exist, before any work (or password) is spent on it. */
function checkOutFolder(out: string): void {
  const folder = dirname(resolve(out));
  if (!existsSync(folder) || !statSync(folder).isDirectory())
    throw new Error(`--out ${out}: the folder ${folder} does not exist`);
}

/** The role names the tools print role hashes by: the genesis's, and the update's own (checked by their hash). */
async function knownRoles(extra: string[] = []): Promise<string[]> {
  const { loadGenesis, roleNames } = await import("../lib/law/genesis");
  return [...roleNames(loadGenesis()), ...extra];
}

function printJson(value: unknown): void {
  console.log(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2));
}

async function reviewFile(hre: HardhatRuntimeEnvironment, path: string, textFile?: string, offline = false) {
  const { readLawUpdateFile } = await import("../lib/law/lawUpdate");
  const { reviewLawUpdate } = await import("../lib/law/review");
  const file = readLawUpdateFile(path);
  const review = await reviewLawUpdate(hre, file, await knownRoles(file.roles), { textFile, offline });
  return { file, review };
}

function refuseProblems(problems: string[], what: string): void {
  if (problems.length === 1) throw new Error(`${what}: ${problems[0]}`);
  if (problems.length > 1) throw new Error(`${what}:\n  - ${problems.join("\n  - ")}`);
}

task(
  "law:draft",
  "Draft a law update from a law file (JSON or YAML; see docs/law-files.md), and simulate it. Example: npx hardhat law:draft --law genesis/amendments/pension-act-amendment-1.yaml --out update.json --network localhost",
)
  .addParam("law", "The law file (see docs/law-files.md), e.g. genesis/amendments/pension-act-amendment-1.yaml")
  .addParam("out", "Where to write the LawUpdate file, e.g. pension-update.json")
  .addOptionalParam("nonce", "The update's nonce, a whole number (random by default)")
  .addFlag("json", "Print the review and the simulation as JSON")
  .setAction(
    plainErrors("law:draft", async (args: { law: string; out: string; nonce?: string; json: boolean }, hre) => {
      const { loadLawFile, draftLawUpdate, wholeNumber } = await import("../lib/law/draft");
      const { writeJson } = await import("../lib/law/lawUpdate");
      const { dryRunLawUpdate, formatReview, reviewLawUpdate } = await import("../lib/law/review");
      const nonce = args.nonce === undefined ? undefined : wholeNumber(args.nonce, "--nonce");
      checkOutFolder(args.out);
      const loaded = loadLawFile(args.law);
      const file = await draftLawUpdate(hre, loaded, { nonce });
      const review = await reviewLawUpdate(hre, file, await knownRoles(file.roles), {
        textFile: resolve(loaded.baseDir, loaded.law.text),
      });
      const dryRun = await dryRunLawUpdate(hre, file);
      if (args.json) printJson({ out: args.out, review, dryRun });
      else {
        console.log(formatReview(review));
        console.log(
          dryRun.simulated
            ? dryRun.ok
              ? `Simulated: every call passes as the Legislature, as of the latest block (${dryRun.gas === undefined ? "gas not estimated by this node" : `about ${dryRun.gas} gas`}; a block holds ${dryRun.blockGasLimit}).`
              : `Simulated: the update WOULD FAIL: ${dryRun.reason}`
            : `Not simulated: ${dryRun.why}.`,
        );
      }
      refuseProblems(review.problems, "not drafted");
      if (dryRun.simulated && !dryRun.ok) throw new Error(`not drafted: the update would fail: ${dryRun.reason}`);
      writeJson(args.out, file);
      if (!args.json) console.log(`Drafted ${args.law} → ${args.out}`);
    }),
  );

task(
  "law:sign",
  "Sign a LawUpdate file with a legislator's encrypted JSON keystore, after showing what it does and asking y/N (--offline to review without a node). Example: npx hardhat law:sign --update update.json --keystore legislator1.json --text genesis/amendments/pension-act-amendment-1.md --out sig1.json --network localhost",
)
  .addParam("update", "The LawUpdate file (from law:draft)")
  .addParam(
    "keystore",
    "The legislator's encrypted JSON keystore (password from GOVCHAIN_KEYSTORE_PASSWORD or a prompt)",
  )
  .addParam("out", "Where to write the signature file")
  .addOptionalParam("text", "The legal text you read, checked against the update's text hash (signing refused if not)")
  .addFlag(
    "offline",
    "Review without a node: from the file and this network's deployments only (the chain's state is not checked)",
  )
  .addFlag("yes", "Sign without asking after the review (required without a terminal)")
  .addFlag("json", "Print the review and the signature as JSON")
  .setAction(
    plainErrors(
      "law:sign",
      async (
        args: {
          update: string;
          keystore: string;
          out: string;
          text?: string;
          offline: boolean;
          yes: boolean;
          json: boolean;
        },
        hre,
      ) => {
        const { writeJson } = await import("../lib/law/lawUpdate");
        const { formatReview } = await import("../lib/law/review");
        const { keystorePassword, openKeystore, signLawUpdate } = await import("../lib/law/sign");
        checkOutFolder(args.out);
        const { file, review } = await reviewFile(hre, args.update, args.text, args.offline);
        if (!args.json) console.log(`You are asked to sign:\n${formatReview(review)}`);
        refuseProblems(review.problems, "not signed");
        await confirmOrRefuse(`${review.law} version ${review.version}, as shown above`, {
          yes: args.yes,
          heading: "To sign",
          question: "Sign this law update?",
          outcome: "nothing signed",
          output: args.json ? process.stderr : process.stdout,
        });
        const password = await keystorePassword();
        const wallet = await openKeystore(args.keystore, password);
        const signature = await signLawUpdate(wallet, file);
        writeJson(args.out, signature);
        if (args.json) printJson({ review, signature, out: args.out });
        else console.log(`Signed by ${signature.signer} → ${args.out}`);
      },
    ),
  );

task(
  "law:enact",
  "Check a law update and its signatures, simulate the enactment, then submit it. Example: npx hardhat law:enact --update update.json sig1.json sig2.json --check --network localhost",
)
  .addParam("update", "The LawUpdate file (from law:draft)")
  .addVariadicPositionalParam("signatures", "The signature files (from law:sign)", [], types.string)
  .addFlag("check", "Only check and simulate; send nothing")
  .addOptionalParam("text", "The legal text, checked against the update's text hash (nothing sent if not)")
  .setAction(
    plainErrors(
      "law:enact",
      async (args: { update: string; signatures: string[]; check: boolean; text?: string }, hre) => {
        const { readSignatureFile } = await import("../lib/law/lawUpdate");
        const { checkEnactment, enactLawUpdate } = await import("../lib/law/enact");
        const { formatReview } = await import("../lib/law/review");
        const { addressNames } = await import("../lib/common/tx");
        const { file, review } = await reviewFile(hre, args.update, args.text);
        const signatures = args.signatures.map(readSignatureFile);
        console.log(formatReview(review));
        refuseProblems(review.problems, "not enacted");
        const names = await addressNames(hre);
        const named = (addresses: string[]) =>
          addresses.map((a) => (names.has(a.toLowerCase()) ? `${names.get(a.toLowerCase())} (${a})` : a)).join(", ");
        const [submitter] = await hre.ethers.getSigners();
        if (!submitter) throw new Error(`network "${hre.network.name}" has no account to submit from`);
        if (args.check) {
          const plan = await checkEnactment(hre, file, signatures, { submitter: submitter.address, check: true });
          for (const note of plan.notes) console.log(`note: ${note}`);
          console.log(
            `Ready: signed by ${named(plan.signers)}${plan.approvals.length ? `, approved on chain by ${named(plan.approvals)}` : ""} (quorum ${plan.quorum}); the enactment simulated from ${named([plan.submitter])} passes, ${plan.gas} gas (a block holds ${plan.blockGasLimit}). Nothing sent.`,
          );
          return;
        }
        const { plan, receipt } = await enactLawUpdate(hre, file, signatures, submitter);
        for (const note of plan.notes) console.log(`note: ${note}`);
        console.log(
          `Enacted law ${review.law} v${file.update.version}: tx ${receipt.hash} (block ${receipt.blockNumber}, gas ${receipt.gasUsed})`,
        );
        console.log(`  signed by ${named([...plan.signers, ...plan.approvals])}`);
      },
    ),
  );

task(
  "law:show",
  "Show a law (or every law): versions with who signed them and what they changed, grants, parameters. Example: npx hardhat law:show --law PENSION_ACT --json --network localhost",
)
  .addOptionalParam("law", "The law id (e.g. PENSION_ACT); every law when left out")
  .addFlag("json", "Print the reports as JSON")
  .setAction(
    plainErrors("law:show", async (args: { law?: string; json: boolean }, hre) => {
      const { formatLawReport, lawReport, listLaws } = await import("../lib/law/show");
      const { eventSource } = await import("../lib/common/events");
      const roles = await knownRoles();
      const ids = args.law ? [args.law] : await listLaws(hre);
      const reports = [];
      for (const id of ids) reports.push(await lawReport(hre, id, roles));
      if (args.json) return printJson(reports);
      if (ids.length === 0) console.log("No law was ever enacted on this network.");
      for (const report of reports) console.log(formatLawReport(report) + "\n");
      if (ids.length > 0) console.log(`(read from ${(await eventSource(hre)).description})`);
    }),
  );
