/**
 * law:draft: from a law file that people read and edit (JSON or YAML: the law's id, its text, parameters,
 * grants, jurisdictions, identities, appointments and other calls named by contract and function), produce the
 * LawUpdate that legislators sign, with every call encoded and checked against the deployed contracts' ABIs.
 */
import { readFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import canonicalize from "canonicalize";
import {
  Interface,
  getAddress,
  isAddress,
  isHexString,
  keccak256,
  solidityPackedKeccak256,
  type FunctionFragment,
  type ParamType,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import { parse as parseYaml } from "yaml";

import { lawId as toLawId, resourceId, roleId, textId } from "../common/ids";
import { READ_RECORD, readSelector, readsOf } from "../common/reads";
import {
  identityCountGuard,
  isEnrolment,
  legislatureDomain,
  lawUpdateDigest,
  type LawCall,
  type LawUpdateFile,
} from "./lawUpdate";
import { getSystem } from "../common/system";
import { callDecoder, decodeCalls } from "./describe";
import { DEADLINE_MARGIN_SECONDS } from "./enact";
import { loadGenesis, roleNames } from "./genesis";
import { pickNonce } from "./nonce";

export interface IdentityEntry {
  /** A name for this identity within the law file, used as `@ref` in appointments and calls. */
  ref: string;
  kind: "person" | "organisation";
  jurisdiction: string;
  /** A named account or an address. */
  key: string;
  /** The commitment to the identity's personal data; or give `attributes` and `salt` to compute it. */
  attributesHash?: string;
  attributes?: Record<string, unknown>;
  salt?: string;
}

export interface LawFile {
  lawId: string;
  /** The version this update enacts; the law's next version when left out. */
  version?: number;
  /** The official legal text's file, relative to the law file. */
  text: string;
  nonce?: string | number;
  /** When the signatures expire: an ISO date or unix seconds; default `validForDays` from now. */
  deadline?: string | number;
  validForDays?: number;
  jurisdictions?: { code: string; parent?: string }[];
  identities?: IdentityEntry[];
  appointments?: {
    official: string | number;
    role: string;
    department: string | number;
    jurisdiction: string;
    from?: string | number;
    until: string | number;
  }[];
  params?: Record<string, string | number>;
  /**
   * Registers of the CivilRegistry that this law creates and governs; `subject` is the kind of identity their
   * records are about (persons when left out).
   */
  registers?: { id: string; name: string; schema: string; subject?: "person" | "organisation" }[];
  /** The name of the deployed rule contract this law binds (pinned by its code hash). */
  rule?: string;
  /** Roles this law assigns to service contracts (pinned by their code hash). */
  serviceRoles?: { contract: string; role: string }[];
  /**
   * `resources` limits a grant to some resources of the contract, each named as its id's text: registers of the
   * CivilRegistry, services of the ServiceDesk, programmes of the Treasury, roles for the IdentityRegistry's appoint
   * and dismiss, kind and status ("PERSON:SUSPENDED") for its setStatus (see `resourceId`).
   */
  grants?: {
    role: string;
    contract: string;
    functions: string[];
    resources?: string[];
    scope: "Any" | "Jurisdiction";
  }[];
  /** Services of the ServiceDesk decided by this law's rule. */
  services?: { id: string; register: string; department: string | number; role: string }[];
  calls?: { contract: string; function: string; args?: unknown[] }[];
}

/** A law file as read, with the folder its text path is relative to. */
export interface LoadedLaw {
  law: LawFile;
  baseDir: string;
}

const DEFAULT_VALID_FOR_DAYS = 7;
const ENUMS: Record<string, Record<string, number>> = {
  scope: { any: 0, jurisdiction: 1 },
  kind: { person: 1, organisation: 2, organization: 2 },
  subjectKind: { person: 1, organisation: 2, organization: 2 },
  status: { active: 1, suspended: 2, deceased: 3, dissolved: 4 },
};

/** The fields of each list's entries in a law file (see docs/law-files.md). */
const ENTRY_FIELDS: Record<string, string[]> = {
  jurisdictions: ["code", "parent"],
  identities: ["ref", "kind", "jurisdiction", "key", "attributesHash", "attributes", "salt"],
  appointments: ["official", "role", "department", "jurisdiction", "from", "until"],
  registers: ["id", "name", "schema", "subject"],
  serviceRoles: ["contract", "role"],
  grants: ["role", "contract", "functions", "resources", "scope"],
  services: ["id", "register", "department", "role"],
  calls: ["contract", "function", "args"],
};

/** Reads a law file (`.json`, `.yaml` or `.yml`). */
export function loadLawFile(path: string): LoadedLaw {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`cannot read the law file ${path}`);
  }
  const ext = extname(path).toLowerCase();
  let law: unknown;
  try {
    law = ext === ".json" ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new Error(`${path} is not valid ${ext === ".json" ? "JSON" : "YAML"}: ${reason}`);
  }
  return { law: checkLawFile(law, path), baseDir: dirname(resolve(path)) };
}

export function checkLawFile(value: unknown, where: string): LawFile {
  if (typeof value !== "object" || value === null) throw new Error(`${where}: a law file is an object`);
  const law = value as LawFile;
  if (typeof law.lawId !== "string" || law.lawId === "") throw new Error(`${where}: "lawId" is required`);
  if (typeof law.text !== "string" || law.text === "")
    throw new Error(`${where}: "text" (the legal text's file) is required`);
  const known = new Set([
    "lawId",
    "version",
    "text",
    "nonce",
    "deadline",
    "validForDays",
    "jurisdictions",
    "identities",
    "appointments",
    "params",
    "registers",
    "rule",
    "serviceRoles",
    "grants",
    "services",
    "calls",
  ]);
  for (const key of Object.keys(law)) {
    if (!known.has(key)) throw new Error(`${where}: unknown field "${key}" (known: ${[...known].join(", ")})`);
  }
  for (const [section, fields] of Object.entries(ENTRY_FIELDS)) {
    const entries = (law as unknown as Record<string, unknown>)[section];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) throw new Error(`${where}: "${section}" must be a list`);
    entries.forEach((entry: unknown, i) => {
      if (typeof entry !== "object" || entry === null) throw new Error(`${where}: ${section}[${i}] must be an object`);
      for (const key of Object.keys(entry)) {
        if (!fields.includes(key))
          throw new Error(`${where}: ${section}[${i}] has an unknown field "${key}" (known: ${fields.join(", ")})`);
      }
    });
  }
  return law;
}

/**
 * The commitment to an identity's personal data: keccak256(salt ‖ the attributes as RFC 8785 canonical JSON), so
 * that any system holding the same data and salt computes the same hash, whatever the order of the fields.
 */
export function identityCommitment(attributes: Record<string, unknown>, salt: string): string {
  const canonical = canonicalize(attributes);
  if (canonical === undefined) throw new Error("the attributes cannot be written as JSON");
  return solidityPackedKeccak256(["bytes32", "string"], [textId(salt), canonical]);
}

/** Turns human arguments into ABI values, for one contract function. */
class CallEncoder {
  constructor(
    private readonly accounts: Record<string, string>,
    private readonly refs: Map<string, bigint>,
    private readonly contracts: Map<string, { address: string; iface: Interface }>,
    private readonly now: bigint,
  ) {}

  /** The role names the encoded calls use, so that readers of the update can print them by name. */
  readonly roleNames = new Set<string>();

  static async create(hre: HardhatRuntimeEnvironment, refs: Map<string, bigint>, now: bigint): Promise<CallEncoder> {
    const deployments = await hre.deployments.all();
    const contracts = new Map<string, { address: string; iface: Interface }>();
    for (const [name, deployment] of Object.entries(deployments)) {
      contracts.set(name, { address: deployment.address, iface: new Interface(deployment.abi) });
    }
    return new CallEncoder(await hre.getNamedAccounts(), refs, contracts, now);
  }

  contract(name: string): { address: string; iface: Interface } {
    const found = this.contracts.get(name);
    if (!found) {
      throw new Error(
        `unknown contract "${name}" (deployed: ${[...this.contracts.keys()].sort().join(", ") || "none"})`,
      );
    }
    return found;
  }

  fragment(contractName: string, functionName: string): FunctionFragment {
    const { iface } = this.contract(contractName);
    const candidates = iface.fragments.filter(
      (f): f is FunctionFragment =>
        f.type === "function" &&
        ((f as FunctionFragment).name === functionName || (f as FunctionFragment).format() === functionName),
    );
    if (candidates.length === 0) {
      const names = iface.fragments
        .filter((f): f is FunctionFragment => f.type === "function" && !(f as FunctionFragment).constant)
        .map((f) => f.name);
      const reads = readsOf(contractName);
      throw new Error(
        `${contractName} has no function "${functionName}" (its functions that write: ${names.join(", ")}${reads.length ? `; the reads a law may grant: ${reads.join(", ")}` : ""})`,
      );
    }
    if (candidates.length > 1) {
      throw new Error(
        `${contractName}.${functionName} is overloaded: name it by signature, e.g. ${candidates[0].format()}`,
      );
    }
    return candidates[0];
  }

  /** Encodes `contract.function(args)`, checking every argument against the ABI. */
  encode(contractName: string, functionName: string, args: unknown[]): { call: LawCall; asWritten: string } {
    const { address, iface } = this.contract(contractName);
    const fragment = this.fragment(contractName, functionName);
    const where = `${contractName}.${fragment.name}`;
    if (args.length !== fragment.inputs.length) {
      const expected = fragment.inputs.map((p) => `${p.type} ${p.name}`).join(", ");
      throw new Error(`${where} takes ${fragment.inputs.length} arguments (${expected}), not ${args.length}`);
    }
    const values = fragment.inputs.map((param, i) =>
      param.name === "resource" && typeof args[i] === "string"
        ? this.resource(fragment, args, args[i] as string)
        : this.value(param, args[i], `${where} argument "${param.name}"`),
    );
    return {
      call: { target: address, data: iface.encodeFunctionData(fragment, values) },
      asWritten: `${where}(${args.map((a) => (Array.isArray(a) ? `[${a.join(", ")}]` : String(a))).join(", ")})`,
    };
  }

  private value(param: ParamType, raw: unknown, where: string): unknown {
    if (param.baseType === "array") {
      if (!Array.isArray(raw)) throw new Error(`${where} must be a list`);
      return raw.map((item, i) => this.value(param.arrayChildren!, item, `${where}[${i}]`));
    }
    const type = param.type;
    if (type === "address") return this.address(raw, where);
    if (type === "bool") {
      if (typeof raw !== "boolean") throw new Error(`${where} must be true or false`);
      return raw;
    }
    if (type === "bytes32") {
      if (typeof raw !== "string") throw new Error(`${where} must be text or 0x-prefixed 32-byte hex`);
      if (param.name !== "role") return textId(raw);
      if (!isHexString(raw)) this.roleNames.add(raw);
      return roleId(raw);
    }
    if (type === "bytes4") return this.selector(raw, where);
    if (type === "bytes" || type.startsWith("bytes")) {
      if (typeof raw !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(raw))
        throw new Error(`${where} must be 0x-prefixed hex`);
      return raw;
    }
    if (type.startsWith("uint") || type.startsWith("int")) return this.integer(param, raw, where);
    if (type === "string") {
      if (typeof raw !== "string") throw new Error(`${where} must be text`);
      return raw;
    }
    throw new Error(`${where}: arguments of type ${type} are not supported in law files; give the call as data`);
  }

  /**
   * A grant's resource (SmartLaw.grantOn, revokeGrantOn, canCallOn) by name: a role when the grant's selector is
   * IdentityRegistry.appoint or dismiss, a text id otherwise (see `resourceId`).
   */
  private resource(fragment: FunctionFragment, args: unknown[], name: string): string {
    const selector = args[fragment.inputs.findIndex((p) => p.name === "selector")];
    const [contract, fn] = typeof selector === "string" ? selector.split(".") : [];
    const id = resourceId(contract ?? "", fn ?? "", name);
    if (id !== textId(name)) this.roleNames.add(name);
    return id;
  }

  private address(raw: unknown, where: string): string {
    if (typeof raw !== "string") throw new Error(`${where} must be an address, a named account or a contract name`);
    if (isAddress(raw)) return getAddress(raw);
    if (this.accounts[raw]) return this.accounts[raw];
    const contract = this.contracts.get(raw);
    if (contract) return contract.address;
    throw new Error(`${where}: "${raw}" is not an address, a named account or a deployed contract`);
  }

  private selector(raw: unknown, where: string): string {
    if (typeof raw !== "string") throw new Error(`${where} must be "Contract.function" or 0x-prefixed 4-byte hex`);
    if (/^0x[0-9a-fA-F]{8}$/.test(raw)) return raw;
    const dot = raw.indexOf(".");
    if (dot < 0) throw new Error(`${where}: "${raw}" must be "Contract.function"`);
    const [contract, fn] = [raw.slice(0, dot), raw.slice(dot + 1)];
    // a read is no function of the contract: it stands for the pseudo-selector SmartLaw grants reads under
    return readSelector(contract, fn) ?? this.fragment(contract, fn).selector;
  }

  private integer(param: ParamType, raw: unknown, where: string): bigint {
    const enumValues = ENUMS[param.name];
    if (enumValues && typeof raw === "string" && enumValues[raw.toLowerCase()] !== undefined) {
      return BigInt(enumValues[raw.toLowerCase()]);
    }
    let value: bigint | undefined;
    if (typeof raw === "number" && Number.isSafeInteger(raw)) value = BigInt(raw);
    else if (typeof raw === "string" && /^-?\d+$/.test(raw)) value = BigInt(raw);
    else if (typeof raw === "string" && raw.startsWith("@")) {
      value = this.refs.get(raw.slice(1));
      if (value === undefined) throw new Error(`${where}: no identity "${raw.slice(1)}" in this law file`);
    } else if (typeof raw === "string" && raw === "now") value = this.now;
    else if (typeof raw === "string" && !Number.isNaN(Date.parse(raw)))
      value = BigInt(Math.floor(Date.parse(raw) / 1000));
    if (value === undefined) {
      const hint = enumValues ? ` or one of ${Object.keys(enumValues).join(", ")}` : "";
      throw new Error(`${where} must be a whole number${hint}, not ${JSON.stringify(raw)}`);
    }
    const bits = Number(param.type.replace(/^u?int/, "") || 256);
    const signed = param.type.startsWith("int");
    const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    if (value < min || value > max) throw new Error(`${where} is out of range for ${param.type}: ${value}`);
    return value;
  }
}

export interface DraftOptions {
  nonce?: bigint;
  deadline?: bigint;
  /**
   * Identities that laws to be enacted before this one will enrol: drafting several laws at once (a genesis
   * signed offline), each law's new identities get the ids they will have when it is enacted in its turn.
   */
  identitiesBefore?: bigint;
}

/** Produces the LawUpdate file for a law file, against the deployed system on `hre`'s network. */
export async function draftLawUpdate(
  hre: HardhatRuntimeEnvironment,
  loaded: LoadedLaw,
  options: DraftOptions = {},
): Promise<LawUpdateFile> {
  const { law, baseDir } = loaded;
  const { smartLaw, legislature, identityRegistry } = await getSystem(hre);
  const lawId = toLawId(law.lawId);
  const latest = await hre.ethers.provider.getBlock("latest");
  const now = BigInt(latest!.timestamp);

  const current = Number(await smartLaw.lawVersion(lawId));
  const version = law.version ?? current + 1;
  if (version !== current + 1) {
    throw new Error(
      `${law.lawId} is at version ${current}: this update must enact version ${current + 1}, not ${version}`,
    );
  }
  if ((await smartLaw.law(lawId)).repealed) throw new Error(`${law.lawId} was repealed: a new law needs a new law id`);

  let text: Buffer;
  const textPath = resolve(baseDir, law.text);
  try {
    text = readFileSync(textPath);
  } catch {
    throw new Error(`cannot read the legal text ${textPath}`);
  }

  const identityCount = (await identityRegistry.identityCount()) + (options.identitiesBefore ?? 0n);
  const refs = new Map<string, bigint>();
  (law.identities ?? []).forEach((entry, i) => {
    if (refs.has(entry.ref)) throw new Error(`identity "${entry.ref}" appears twice in ${law.lawId}`);
    refs.set(entry.ref, identityCount + BigInt(i + 1));
  });
  const encoder = await CallEncoder.create(hre, refs, now);

  const steps: { contract: string; fn: string; args: unknown[] }[] = [];
  for (const j of law.jurisdictions ?? []) {
    steps.push({ contract: "IdentityRegistry", fn: "defineJurisdiction", args: [j.code, j.parent ?? ""] });
  }
  for (const entry of law.identities ?? []) {
    steps.push({
      contract: "IdentityRegistry",
      fn: "enroll",
      args: [entry.kind, entry.jurisdiction, attributesHashOf(entry), entry.key],
    });
  }
  for (const a of law.appointments ?? []) {
    steps.push({
      contract: "IdentityRegistry",
      fn: "appoint",
      args: [a.official, a.role, a.department, a.jurisdiction, a.from ?? "now", a.until],
    });
  }
  for (const [key, value] of Object.entries(law.params ?? {})) {
    steps.push({ contract: "SmartLaw", fn: "setParam", args: [law.lawId, key, value] });
  }
  for (const r of law.registers ?? []) {
    if (r.subject === undefined) {
      steps.push({ contract: "CivilRegistry", fn: "createRegister", args: [r.id, r.name, r.schema, law.lawId] });
    } else {
      steps.push({
        contract: "CivilRegistry",
        fn: "createRegisterOfKind",
        args: [r.id, r.name, r.schema, law.lawId, r.subject],
      });
    }
  }
  if (law.rule !== undefined) steps.push({ contract: "SmartLaw", fn: "bindRule", args: [law.lawId, law.rule] });
  for (const r of law.serviceRoles ?? []) {
    steps.push({ contract: "SmartLaw", fn: "assignRole", args: [r.contract, r.role, law.lawId] });
  }
  for (const g of law.grants ?? []) {
    if (g.contract === "IdentityRegistry") for (const r of g.resources ?? []) encoder.roleNames.add(r);
    if (!Array.isArray(g.functions) || g.functions.length === 0)
      throw new Error(`grant of ${g.role}: "functions" must list functions`);
    if (g.resources !== undefined && (!Array.isArray(g.resources) || g.resources.length === 0))
      throw new Error(`grant of ${g.role}: "resources", when given, must list resources`);
    for (const fn of g.functions) {
      const selector = `${g.contract}.${fn}`;
      const read = readSelector(g.contract, fn);
      if (read !== undefined && read !== READ_RECORD && g.resources !== undefined)
        throw new Error(`grant of ${g.role}: ${selector} takes no "resources" (a read of the whole of it is granted)`);
      if (g.resources === undefined) {
        steps.push({ contract: "SmartLaw", fn: "grant", args: [law.lawId, g.role, g.contract, selector, g.scope] });
      } else {
        for (const resource of g.resources) {
          steps.push({
            contract: "SmartLaw",
            fn: "grantOn",
            args: [law.lawId, g.role, g.contract, selector, resourceId(g.contract, fn, resource), g.scope],
          });
        }
      }
    }
  }
  for (const service of law.services ?? []) {
    steps.push({
      contract: "ServiceDesk",
      fn: "defineService",
      args: [service.id, law.lawId, service.register, service.department, service.role],
    });
  }
  for (const c of law.calls ?? []) steps.push({ contract: c.contract, fn: c.function, args: c.args ?? [] });

  const calls: LawCall[] = [];
  const recordVersion = smartLaw.interface.getFunction("recordVersion").selector;
  const smartLawAddress = (await smartLaw.getAddress()).toLowerCase();
  for (const step of steps) {
    const encoded = encoder.encode(step.contract, step.fn, step.args);
    // the Legislature refuses it (LegislatureForbiddenCall): it records the version of the law it enacts itself
    if (encoded.call.target.toLowerCase() === smartLawAddress && encoded.call.data.startsWith(recordVersion)) {
      throw new Error(
        `${encoded.asWritten}: a law update may not call SmartLaw.recordVersion (the Legislature records this law's version itself; another law changes by its own update)`,
      );
    }
    calls.push(encoded.call);
  }
  const registryAddress = await identityRegistry.getAddress();
  if (calls.some((call) => isEnrolment(call, registryAddress)))
    calls.unshift(identityCountGuard(registryAddress, identityCount));

  const deadline =
    options.deadline ??
    (law.deadline !== undefined
      ? toSeconds(law.deadline, "deadline")
      : now + BigInt((law.validForDays ?? DEFAULT_VALID_FOR_DAYS) * 86_400));
  if (deadline <= now)
    throw new Error(`the deadline ${new Date(Number(deadline) * 1000).toISOString()} has already passed`);
  if (deadline - now < DEADLINE_MARGIN_SECONDS)
    throw new Error(
      `the deadline ${new Date(Number(deadline) * 1000).toISOString()} is ${deadline - now} s after the latest block, within the ${DEADLINE_MARGIN_SECONDS / 60n}-minute margin: there is no time to sign and enact it; give a later deadline`,
    );
  const update = {
    lawId,
    version,
    textHash: keccak256(text),
    calls,
    nonce: options.nonce ?? (law.nonce !== undefined ? wholeNumber(law.nonce, "nonce") : await pickNonce(legislature)),
    epoch: await legislature.epoch(),
    deadline,
  };
  const domain = await legislatureDomain(legislature);
  const roles = [...encoder.roleNames].sort();
  const decoder = await callDecoder(hre, [...roleNames(loadGenesis()), ...roles]);
  return {
    kind: "govchain.law-update",
    domain: {
      name: String(domain.name),
      version: String(domain.version),
      chainId: String(domain.chainId),
      verifyingContract: String(domain.verifyingContract),
    },
    digest: lawUpdateDigest(domain, update),
    update,
    summary: decodeCalls(decoder, calls).map((call) => call.line),
    ...(roles.length ? { roles } : {}),
  };
}

function attributesHashOf(entry: IdentityEntry): string {
  if (entry.attributesHash) return entry.attributesHash;
  if (entry.attributes && entry.salt) return identityCommitment(entry.attributes, entry.salt);
  throw new Error(`identity "${entry.ref}" needs "attributesHash", or "attributes" with a "salt"`);
}

/** A whole number, given as a number or as decimal text. */
export function wholeNumber(value: unknown, what: string): bigint {
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new Error(`${what} must be a whole number, not ${JSON.stringify(value)}`);
}

function toSeconds(value: string | number, what: string): bigint {
  if (typeof value === "number") return BigInt(value);
  if (/^\d+$/.test(value)) return BigInt(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${what} must be an ISO date or unix seconds, not "${value}"`);
  return BigInt(Math.floor(ms / 1000));
}
