/**
 * The ServiceDesk's tools, as Hardhat tasks over scripts/lib/services/services.ts.
 *   service:apply     a citizen applies to a service, the application's fields by name
 *   service:decide    an official approves or rejects a referred application, with the reason
 *   service:referred  the applications referred to a department and not decided yet
 *   service:show      an application with its history and the records it proposes
 */
import { task } from "hardhat/config";

import { plainErrors, signerFor } from "./common";
import { jsonObject, output, wholeNumber } from "./input";

const lib = () => import("../lib/services/services");

task(
  "service:apply",
  "Apply to a service, by the applicant's own key. Example: npx hardhat service:apply --service PENSION_ENROLMENT --data '{}' --from citizen1 --network localhost",
)
  .addParam("service", "The service (e.g. BIRTH_REGISTRATION, MARRIAGE_REGISTRATION, PENSION_ENROLMENT)")
  .addOptionalParam(
    "data",
    "The application's fields by name as JSON or @file.json (birth records are opened from --openings), or 0x-hex",
    "{}",
  )
  .addOptionalParam(
    "openings",
    "Where the openings of birth records are (one file per register and subject, as registry:record saves them); a birth declaration's is saved there",
    "records",
  )
  .addParam("from", "The applicant's key: a named account or an address whose key the network holds")
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors(
      "service:apply",
      async (args: { service: string; data: string; openings: string; from: string; json: boolean }, hre) => {
        const { applyToService, formFields } = await lib();
        const fields = formFields(args.service);
        const data = args.data.startsWith("0x")
          ? args.data
          : jsonObject(args.data, `--data (fields: ${fields?.join(", ") ?? "give 0x-hex"})`);
        const outcome = await applyToService(hre, await signerFor(hre, args.from), args.service, data, args.openings);
        output(
          args.json,
          outcome,
          () =>
            `Application ${outcome.applicationId} to ${args.service}: ${outcome.status}${outcome.reason ? ` (${outcome.reason})` : ""}`,
        );
      },
    ),
  );

task(
  "service:decide",
  'Approve or reject a referred application, by an official of its department. Example: npx hardhat service:decide --application 3 --approve --reason "parents seen with the hospital certificate" --from officer --network localhost',
)
  .addParam("application", "The application's id")
  .addFlag("approve", "Approve: the records it proposes are written")
  .addFlag("reject", "Reject it")
  .addParam("reason", "The reason, in words (at most 256 bytes): its text goes in the event, its hash is kept")
  .addParam("from", "The official's named account or address")
  .setAction(
    plainErrors(
      "service:decide",
      async (args: { application: string; approve: boolean; reject: boolean; reason: string; from: string }, hre) => {
        const { decideApplication } = await lib();
        if (args.approve === args.reject) throw new Error("give --approve or --reject");
        const id = wholeNumber(args.application, "--application");
        const receipt = await decideApplication(hre, await signerFor(hre, args.from), id, args.approve, args.reason);
        console.log(
          `Application ${id} ${args.approve ? "approved" : "rejected"} (${args.reason}) (tx ${receipt.hash})`,
        );
      },
    ),
  );

task(
  "service:referred",
  "The applications referred to a department, not decided yet. Example: npx hardhat service:referred --department 1 --network localhost",
)
  .addParam("department", "The department: an identity id, or a named account or address of it")
  .addOptionalParam("service", "Only this service")
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors("service:referred", async (args: { department: string; service?: string; json: boolean }, hre) => {
      const { referredApplications, formatApplication } = await lib();
      const list = await referredApplications(hre, args.department, args.service);
      output(args.json, list, () =>
        list.length === 0 ? `Nothing referred to ${args.department}.` : list.map(formatApplication).join("\n"),
      );
    }),
  );

task(
  "service:show",
  "An application with its history. Example: npx hardhat service:show --application 3 --network localhost",
)
  .addParam("application", "The application's id")
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors("service:show", async (args: { application: string; json: boolean }, hre) => {
      const { showApplication, formatApplication } = await lib();
      const view = await showApplication(hre, wholeNumber(args.application, "--application"));
      output(args.json, view, () => formatApplication(view));
    }),
  );

task(
  "service:marriage-consent",
  "The partner's signed consent to marry, for the applicant's MARRIAGE_REGISTRATION (prints its fields as JSON). Example: npx hardhat service:marriage-consent --applicant citizen1 --document-hash 0x… --from citizen2 --network localhost > consent.json",
)
  .addParam("applicant", "The party who applies: an identity id, or a named account or address of it")
  .addParam("documentHash", "The hash of the marriage document (32-byte hex), the same the applicant gives")
  .addOptionalParam("hours", "How long the consent is valid", "24")
  .addParam("from", "The partner's own key: a named account or an address whose key the network holds")
  .setAction(
    plainErrors(
      "service:marriage-consent",
      async (args: { applicant: string; documentHash: string; hours: string; from: string }, hre) => {
        const { signMarriageConsent } = await lib();
        const hours = Number(wholeNumber(args.hours, "--hours"));
        const consent = await signMarriageConsent(
          hre,
          await signerFor(hre, args.from),
          args.applicant,
          args.documentHash,
          hours,
        );
        output(true, consent, () => "");
      },
    ),
  );
