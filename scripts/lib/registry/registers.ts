/**
 * registry:list: every register of the CivilRegistry, with its number, name, kind of subject, law and fields (the
 * private ones marked: their values are kept off chain, committed to by a hash).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId } from "../common/ids";
import { getServices } from "../common/system";
import { readSchema } from "./schema";

export interface RegisterListing {
  number: number;
  id: string;
  name: string;
  subject: "person" | "organisation";
  law: string;
  fields: { name: string; type: string; private: boolean }[];
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
      fields: fieldsOf(e.args.schema),
    }))
    .sort((a, b) => a.number - b.number);
}

function fieldsOf(schema: string): RegisterListing["fields"] {
  const read = readSchema(schema);
  return read.fields.map((f, i) => ({ name: f.name, type: f.type, private: read.isPrivate[i] }));
}

export function formatRegisters(registers: RegisterListing[]): string {
  return registers
    .map(
      (r) =>
        `${String(r.number).padStart(3)}  ${r.id} (${r.name}), of ${r.subject === "person" ? "a person" : "an organisation"}, under ${r.law}\n` +
        `     fields: ${r.fields.map((f) => `${f.name} (${f.type}${f.private ? ", private" : ""})`).join(", ")}`,
    )
    .join("\n");
}
