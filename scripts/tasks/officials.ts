/**
 * The personnel offices' tools, as Hardhat tasks over scripts/lib/identity/officials.ts.
 *   official:appoint  appoint a person to a role in a department, for a jurisdiction and a term
 *   official:dismiss  dismiss an official from an appointment, with the reason
 *   official:list     appointments by department and/or role, with their terms
 */
import { task } from "hardhat/config";

import { plainErrors, signerFor } from "./common";
import { output, wholeNumber } from "./input";

const lib = () => import("../lib/identity/officials");

task(
  "official:appoint",
  "Appoint an official, by a personnel officer. Example: npx hardhat official:appoint --official citizen1 --role REGISTRAR --department dongchengOffice --jurisdiction CN-11-01 --until 2030-01-01 --from director --network localhost",
)
  .addParam("official", "The person: an identity id, or a named account or address holding one of its keys")
  .addParam("role", "The role's name (e.g. REGISTRAR)")
  .addParam("department", "The organisation: an identity id, or a named account or address holding one of its keys")
  .addParam("jurisdiction", "The jurisdiction of the post (e.g. CN-11-01)")
  .addOptionalParam("start", "Start of the term: YYYY-MM-DD or seconds since 1970 (default: now)")
  .addParam("until", "End of the term (excluded): YYYY-MM-DD or seconds since 1970")
  .addParam("from", "The personnel officer's named account or address")
  .setAction(
    plainErrors(
      "official:appoint",
      async (
        args: {
          official: string;
          role: string;
          department: string;
          jurisdiction: string;
          start?: string;
          until: string;
          from: string;
        },
        hre,
      ) => {
        const { appointOfficial } = await lib();
        const id = await appointOfficial(hre, await signerFor(hre, args.from), { ...args, from: args.start });
        console.log(
          `Appointment ${id}: ${args.official} as ${args.role} in ${args.department}, ${args.jurisdiction}, until ${args.until}`,
        );
      },
    ),
  );

task(
  "official:dismiss",
  "Dismiss an official from an appointment, with the reason. Example: npx hardhat official:dismiss --appointment 11 --reason MISCONDUCT --from director --network localhost",
)
  .addParam("appointment", "The appointment's id (see official:list)")
  .addParam("reason", "The reason, as text (kept in the event; its hash on chain), at most 256 bytes")
  .addParam("from", "The personnel officer's named account or address")
  .setAction(
    plainErrors("official:dismiss", async (args: { appointment: string; reason: string; from: string }, hre) => {
      const { dismissOfficial } = await lib();
      const id = wholeNumber(args.appointment, "--appointment");
      const receipt = await dismissOfficial(hre, await signerFor(hre, args.from), id, args.reason);
      console.log(`Dismissed from appointment ${id} (${args.reason}) (tx ${receipt.hash})`);
    }),
  );

task(
  "official:list",
  "Appointments, by department and/or role, with their terms. Example: npx hardhat official:list --role REGISTRAR --network localhost",
)
  .addOptionalParam("department", "Only this department: an identity id, or a named account or address of it")
  .addOptionalParam("role", "Only this role (e.g. REGISTRAR)")
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors("official:list", async (args: { department?: string; role?: string; json: boolean }, hre) => {
      const { listAppointments } = await lib();
      const { formatPost } = await import("../lib/identity/identity");
      const list = await listAppointments(hre, args);
      output(args.json, list, () =>
        list.length === 0 ? "No appointments." : list.map((a) => `identity ${a.official}: ${formatPost(a)}`).join("\n"),
      );
    }),
  );
