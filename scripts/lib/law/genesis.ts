/**
 * The genesis of a network (genesis/genesis.yaml): its first legislators and the laws enacted at deployment,
 * and the way a law file becomes law on a local network, where the legislators' keys are at hand.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { getAddress, isAddress, type ContractTransactionReceipt, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { parse as parseYaml } from "yaml";

import { checkLawFile, draftLawUpdate, type DraftOptions, type LoadedLaw } from "./draft";
import { pickNonce } from "./nonce";
import { enactLawUpdate } from "./enact";
import {
  boundIdentityCount,
  isEnrolment,
  readLawUpdateFile,
  readSignatureFile,
  writeJson,
  type LawUpdateFile,
  type SignatureFile,
} from "./lawUpdate";
import { readableId } from "../common/ids";
import { getSystem } from "../common/system";
import { signLawUpdate } from "./sign";

/** The genesis file: genesis/genesis.yaml, or the one GOVCHAIN_GENESIS names (a network's own, with addresses). */
export const GENESIS_FILE = process.env.GOVCHAIN_GENESIS ?? resolve(__dirname, "../../../genesis/genesis.yaml");

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

/** All role names that the genesis grants, appoints or assigns, to print role hashes by name. */
export function roleNames(genesis: Genesis): string[] {
  const names = new Set<string>();
  for (const { law } of genesis.laws) {
    for (const g of law.grants ?? []) {
      names.add(g.role);
      // the roles that the IdentityRegistry's appoint and dismiss grants are limited to
      if (g.contract === "IdentityRegistry") for (const r of g.resources ?? []) names.add(r);
    }
    for (const a of law.appointments ?? []) names.add(a.role);
    for (const r of law.serviceRoles ?? []) names.add(r.role);
    for (const s of law.services ?? []) names.add(s.role);
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

/**
 * Whether a drafted law still fits the identity count it will be enacted at: a law that enrols identities must be
 * bound (its signed first call) to exactly `count`; a law that enrols none does not depend on it.
 */
function boundToCount(file: LawUpdateFile, identityRegistry: string, count: bigint): boolean {
  if (!file.update.calls.some((call) => isEnrolment(call, identityRegistry))) return true;
  return boundIdentityCount(file.update, identityRegistry) === count;
}

/** A genesis law drafted for offline signing, with the signature files collected for it. */
export interface PreparedLaw {
  file: LawUpdateFile;
  path: string;
  signatures: SignatureFile[];
}

/**
 * The genesis laws still to enact, as LawUpdate files in `dir` for the legislators to sign on their own machines
 * (law:sign), with the signature files found beside them (`<LAW>.sig.<anything>.json`). The laws are drafted
 * together, each assuming the ones before it enacted, the first time, or again when a draft no longer fits the
 * chain (a new epoch, a passed deadline, a law enacted meanwhile); a draft that still fits is kept, so that the
 * signatures already given stay valid. Throws, listing for each law who has signed and who must, until a quorum
 * of current legislators has signed every law.
 */
export async function prepareSignedGenesis(
  hre: HardhatRuntimeEnvironment,
  pending: LoadedLaw[],
  dir: string,
): Promise<PreparedLaw[]> {
  const { legislature, smartLaw, identityRegistry } = await getSystem(hre);
  mkdirSync(dir, { recursive: true });
  const epoch = await legislature.epoch();
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  const onChain = await identityRegistry.identityCount();
  const registryAddress = await identityRegistry.getAddress();
  const pathOf = (loaded: LoadedLaw) => join(dir, `${loaded.law.lawId}.update.json`);

  let before = 0n;
  let fits = true;
  for (const loaded of pending) {
    const path = pathOf(loaded);
    if (!existsSync(path)) fits = false;
    else {
      const file = readLawUpdateFile(path);
      const version = Number(await smartLaw.lawVersion(file.update.lawId)) + 1;
      if (
        file.update.epoch !== epoch ||
        file.update.deadline <= now ||
        file.update.version !== version ||
        !boundToCount(file, registryAddress, onChain + before)
      )
        fits = false;
    }
    before += BigInt(loaded.law.identities?.length ?? 0);
  }
  if (!fits) {
    before = 0n;
    // drafted together, enacted later: each takes a nonce that none of the others took
    const taken = new Set<bigint>();
    for (const loaded of pending) {
      const nonce = loaded.law.nonce === undefined ? await pickNonce(legislature, taken) : undefined;
      if (nonce !== undefined) taken.add(nonce);
      writeJson(pathOf(loaded), await draftLawUpdate(hre, loaded, { identitiesBefore: before, nonce }));
      before += BigInt(loaded.law.identities?.length ?? 0);
    }
  }

  const legislators = (await legislature.legislators()).map((l) => l.toLowerCase());
  const quorum = Number(await legislature.quorum());
  const files = readdirSync(dir);
  const prepared: PreparedLaw[] = [];
  const missing: string[] = [];
  for (const loaded of pending) {
    const path = pathOf(loaded);
    const file = readLawUpdateFile(path);
    const signatures = files
      .filter((name) => name.startsWith(`${loaded.law.lawId}.sig.`) && name.endsWith(".json"))
      .map((name) => readSignatureFile(join(dir, name)))
      .filter((sig) => sig.digest === file.digest && legislators.includes(sig.signer.toLowerCase()));
    const signers = new Set(signatures.map((sig) => sig.signer.toLowerCase()));
    if (signers.size < quorum) {
      const still = legislators.filter((l) => !signers.has(l));
      missing.push(
        `  ${readableId(file.update.lawId)}: ${signers.size} of ${quorum} signatures (${path}); ` +
          `not yet signed by ${still.join(", ")}`,
      );
    }
    prepared.push({ file, path, signatures });
  }
  if (missing.length > 0) {
    throw new Error(
      [
        `the genesis laws need the legislators' signatures (quorum ${quorum}):`,
        ...missing,
        `Each legislator signs each file on their own machine: npx hardhat law:sign --update <LAW>.update.json ` +
          `--keystore <their keystore> --out ${dir}/<LAW>.sig.<name>.json; then run the deployment again.`,
      ].join("\n"),
    );
  }
  return prepared;
}
