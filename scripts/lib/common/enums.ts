/**
 * The contracts' enums by name, so that an enum argument of a custom error reads as its member (`Referred`), not as
 * its number: the ABI keeps only the enum's name (`internalType`), the compiler's AST its members, in order.
 */
import { readFileSync } from "node:fs";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

/** For each custom error, the members of each argument's enum (undefined for an argument of another type). */
export type ErrorEnums = ReadonlyMap<string, readonly (readonly string[] | undefined)[]>;

interface AstNode {
  nodeType?: string;
  canonicalName?: string;
  members?: { name: string }[];
  [key: string]: unknown;
}

/** Every enum definition under `node`, by canonical name (`IServiceDesk.Status`). */
function collectEnums(node: unknown, into: Map<string, string[]>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectEnums(child, into);
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as AstNode;
  if (n.nodeType === "EnumDefinition" && n.canonicalName && n.members)
    into.set(
      n.canonicalName,
      n.members.map((m) => m.name),
    );
  for (const value of Object.values(n)) if (typeof value === "object") collectEnums(value, into);
}

/** The enums of the compiled contracts, by canonical name, with their members in order. */
async function contractEnums(hre: HardhatRuntimeEnvironment): Promise<Map<string, string[]>> {
  const enums = new Map<string, string[]>();
  for (const path of await hre.artifacts.getBuildInfoPaths()) {
    const buildInfo = JSON.parse(readFileSync(path, "utf8"));
    for (const source of Object.values(buildInfo.output.sources as Record<string, { ast: unknown }>))
      collectEnums(source.ast, enums);
  }
  return enums;
}

/** Read once a process: the compiled contracts do not change under a running command. */
let readOnce: Promise<ErrorEnums> | undefined;

/** The enum members of every custom error's arguments, from the compiled contracts' ABIs. */
export function errorEnums(hre: HardhatRuntimeEnvironment): Promise<ErrorEnums> {
  readOnce ??= readErrorEnums(hre);
  return readOnce;
}

async function readErrorEnums(hre: HardhatRuntimeEnvironment): Promise<ErrorEnums> {
  const enums = await contractEnums(hre);
  const errors = new Map<string, (string[] | undefined)[]>();
  for (const name of await hre.artifacts.getAllFullyQualifiedNames()) {
    for (const item of (await hre.artifacts.readArtifact(name)).abi) {
      if (item.type !== "error") continue;
      const inputs = item.inputs as { internalType?: string }[];
      errors.set(
        item.name,
        inputs.map((input) => enums.get(input.internalType?.replace(/^enum /, "") ?? "")),
      );
    }
  }
  return errors;
}
