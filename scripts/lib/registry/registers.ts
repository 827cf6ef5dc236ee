/** registry:list: every register of the CivilRegistry, with its number, name, kind of subject, law and fields. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId } from "../common/ids";
import { getServices } from "../common/system";
import { parseSchema } from "./registry";

export interface RegisterListing {
  number: number;
  id: string;
  name: string;
  subject: "person" | "organisation";
  law: string;
  fields: { name: string; type: string }[];
}

/** Every register, in the order of their numbers, from the RegisterCreated events. */
export async function listRegisters(hre: HardhatRuntimeEnvironment): Promise<RegisterListing[]> {
  const { civilRegistry } = await getServices(hre);
  const events = await civilRegistry.queryFilter(civilRegistry.filters.RegisterCreated());
  return events
    .map((e) => ({
      number: Number(e.args.number),
      id: readableId(e.args.registerId),
      name: e.args.name,
      subject: (Number(e.args.subjectKind) === 2 ? "organisation" : "person") as RegisterListing["subject"],
      law: readableId(e.args.lawId),
      fields: parseSchema(e.args.schema).map((f) => ({ name: f.name, type: f.type })),
    }))
    .sort((a, b) => a.number - b.number);
}

export function formatRegisters(registers: RegisterListing[]): string {
  return registers
    .map(
      (r) =>
        `${String(r.number).padStart(3)}  ${r.id} (${r.name}), of ${r.subject === "person" ? "a person" : "an organisation"}, under ${r.law}\n` +
        `     fields: ${r.fields.map((f) => `${f.name} (${f.type})`).join(", ")}`,
    )
    .join("\n");
}
