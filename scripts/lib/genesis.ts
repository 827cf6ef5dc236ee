/**
 * The genesis of a network (genesis/genesis.yaml): its first legislators and the laws enacted at deployment,
 * and the way a law file becomes law on a local network, where the legislators' keys are at hand.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { getAddress, isAddress, type ContractTransactionReceipt, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { parse as parseYaml } from "yaml";

import { checkLawFile, draftLawUpdate, type DraftOptions, type LoadedLaw } from "./draft";
import { enactLawUpdate } from "./enact";
import type { LawUpdateFile } from "./lawUpdate";
import { signLawUpdate } from "./sign";

export const GENESIS_FILE = resolve(__dirname, "../../genesis/genesis.yaml");

export interface Genesis {
  legislature: { legislators: string[]; quorum: number };
  laws: LoadedLaw[];
}

export function loadGenesis(path: string = GENESIS_FILE): Genesis {
  let raw: { legislature?: { legislators?: unknown; quorum?: unknown }; laws?: unknown };
  try {
    raw = parseYaml(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read the genesis file ${path}: ${(error as Error).message}`);
  }
  const legislators = raw.legislature?.legislators;
  const quorum = raw.legislature?.quorum;
  if (!Array.isArray(legislators) || legislators.some((l) => typeof l !== "string")) {
    throw new Error(`${path}: legislature.legislators must list named accounts or addresses`);
  }
  if (typeof quorum !== "number") throw new Error(`${path}: legislature.quorum must be a number`);
  if (!Array.isArray(raw.laws)) throw new Error(`${path}: "laws" must list law files`);
  const baseDir = dirname(path);
  return {
    legislature: { legislators: legislators as string[], quorum },
    laws: raw.laws.map((law, i) => ({ law: checkLawFile(law, `${path} laws[${i}]`), baseDir })),
  };
}

/** Named accounts or addresses, as addresses. */
export async function resolveAccounts(hre: HardhatRuntimeEnvironment, names: string[]): Promise<string[]> {
  const named = await hre.getNamedAccounts();
  return names.map((name) => {
    if (isAddress(name)) return getAddress(name);
    if (named[name]) return named[name];
    throw new Error(`"${name}" is neither an address nor a named account of network "${hre.network.name}"`);
  });
}

/** All role names that the genesis grants or appoints, to print role hashes by name. */
export function roleNames(genesis: Genesis): string[] {
  const names = new Set<string>();
  for (const { law } of genesis.laws) {
    for (const g of law.grants ?? []) names.add(g.role);
    for (const a of law.appointments ?? []) names.add(a.role);
  }
  return [...names];
}

/** Drafts a law, has it signed by `legislators` and enacts it: the whole procedure, where all keys are local. */
export async function enactWithSigners(
  hre: HardhatRuntimeEnvironment,
  loaded: LoadedLaw,
  legislators: Signer[],
  submitter: Signer,
  options: DraftOptions = {},
): Promise<{ file: LawUpdateFile; receipt: ContractTransactionReceipt }> {
  const file = await draftLawUpdate(hre, loaded, options);
  const signatures = [];
  for (const legislator of legislators) signatures.push(await signLawUpdate(legislator, file));
  const { receipt } = await enactLawUpdate(hre, file, signatures, submitter);
  return { file, receipt };
}
