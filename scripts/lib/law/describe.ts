/**
 * What a law update does, in a legislator's terms, read from its calldata alone: each call decoded with the ABI of
 * the contract deployed at its target, its arguments named, amounts in yuan, durations in days, timestamps as
 * dates, roles by name, ids as text. The drafter writes these lines as the update's `summary`, and the signing tool
 * decodes them again and refuses a file whose summary says anything else: the summary is not covered by the digest.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Interface, getAddress, type FunctionFragment, type InterfaceAbi, type ParamType, type Result } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId, roleId } from "../common/ids";
import { SUBJECT, readName } from "../common/reads";
import { formatAmount } from "../treasury/treasury";
import type { LawCall } from "./lawUpdate";

/** The contracts deployed on a network, by lower-case address, and the role names known to the tools. */
export interface CallDecoder {
  contracts: ReadonlyMap<string, { name: string; iface: Interface }>;
  roles: readonly string[];
}

/** One call of an update, decoded. */
export interface DecodedCall {
  index: number;
  target: string;
  /** The deployed contract at the target, undefined when none is known. */
  contract?: string;
  function?: string;
  args: { name: string; type: string; value: string }[];
  /** Identity ids the call names, to be described from the chain where it is reachable. */
  identities: bigint[];
  /** The call in one line: `SmartLaw.setParam(lawId: PENSION_ACT, key: RETIREMENT_AGE, value: 65)`. */
  line: string;
}

const ENUM_NAMES: Record<string, string[]> = {
  scope: ["Any", "Jurisdiction"],
  kind: ["none", "person", "organisation"],
  subjectKind: ["none", "person", "organisation"],
  status: ["none", "active", "suspended", "deceased", "dissolved"],
};
/** Arguments that are identity ids. */
const IDENTITY_ARGS = new Set([
  "official",
  "department",
  "organisation",
  "fromOrganisation",
  "toOrganisation",
  "identityId",
  "subject",
]);
/** Arguments that are timestamps (unix seconds). */
const TIME_ARGS = new Set(["from", "until", "start", "deadline"]);
/** Contracts whose amounts are the token's fen. */
const MONEY_CONTRACTS = new Set(["FiatToken", "Treasury"]);
const ROLE_NAME = /^[A-Z][A-Z0-9_]*$/;
const MONEY_ARGS = new Set(["amount", "allowance", "value"]);

/**
 * The decoder for `hre`'s network: its deployments and the role names given. Offline, the deployments are read
 * from the network's deployments folder (hardhat-deploy would ask the node for its chain id first).
 */
export async function callDecoder(
  hre: HardhatRuntimeEnvironment,
  roles: Iterable<string>,
  { offline = false } = {},
): Promise<CallDecoder> {
  const deployments = offline ? deploymentsOnDisk(hre) : await hre.deployments.all();
  const contracts = new Map<string, { name: string; iface: Interface }>();
  for (const [name, deployment] of Object.entries(deployments)) {
    contracts.set(deployment.address.toLowerCase(), { name, iface: new Interface(deployment.abi) });
  }
  // a role is printed by its name only when the name is plain (capitals, digits, underscores): a name with a
  // look-alike letter, an invisible character or an escape sequence is never shown, its hash is. SUBJECT is
  // SmartLaw's own (the subject reading his own data), known whatever the genesis says.
  return { contracts, roles: [...new Set([SUBJECT, ...roles])].filter((r) => ROLE_NAME.test(r)) };
}

/** The deployments that hardhat-deploy saved for `hre`'s network, by contract name; none when there are none. */
function deploymentsOnDisk(hre: HardhatRuntimeEnvironment): Record<string, { address: string; abi: InterfaceAbi }> {
  const folder = join(hre.config.paths.deployments, hre.network.name);
  if (!existsSync(folder)) return {};
  const found: Record<string, { address: string; abi: InterfaceAbi }> = {};
  for (const entry of readdirSync(folder)) {
    if (!entry.endsWith(".json")) continue;
    const { address, abi } = JSON.parse(readFileSync(join(folder, entry), "utf8")) as {
      address?: string;
      abi?: InterfaceAbi;
    };
    if (address && abi) found[entry.slice(0, -".json".length)] = { address, abi };
  }
  return found;
}

/** Decodes every call of an update. */
export function decodeCalls(decoder: CallDecoder, calls: readonly LawCall[]): DecodedCall[] {
  return calls.map((call, index) => decodeCall(decoder, call, index));
}

export function decodeCall(decoder: CallDecoder, call: LawCall, index: number): DecodedCall {
  const target = getAddress(call.target);
  const deployed = decoder.contracts.get(target.toLowerCase());
  if (!deployed) {
    return {
      index,
      target,
      args: [],
      identities: [],
      line: `UNKNOWN CONTRACT ${target} (not deployed by GovChain on this network): data ${call.data}`,
    };
  }
  let parsed;
  try {
    parsed = deployed.iface.parseTransaction({ data: call.data });
  } catch {
    parsed = null;
  }
  if (!parsed) {
    return {
      index,
      target,
      contract: deployed.name,
      args: [],
      identities: [],
      line: `${deployed.name}: UNKNOWN FUNCTION (data ${call.data})`,
    };
  }
  const fragment = parsed.fragment;
  const identities: bigint[] = [];
  const args = fragment.inputs.map((param, i) => ({
    name: plainName(param),
    type: param.type,
    value: formatValue(decoder, deployed.name, fragment, parsed.args, param, parsed.args[i], identities),
  }));
  return {
    index,
    target,
    contract: deployed.name,
    function: fragment.name,
    args,
    identities,
    line: `${deployed.name}.${fragment.name}(${args.map((a) => `${a.name}: ${a.value}`).join(", ")})`,
  };
}

function formatValue(
  decoder: CallDecoder,
  contract: string,
  fragment: FunctionFragment,
  all: Result,
  param: ParamType,
  value: unknown,
  identities: bigint[],
): string {
  if (param.baseType === "array") {
    const items = value as unknown[];
    return `[${items.map((v) => formatValue(decoder, contract, fragment, all, param.arrayChildren!, v, identities)).join(", ")}]`;
  }
  const name = plainName(param);
  const type = param.type;
  if (type === "address") return decoder.contracts.get(String(value).toLowerCase())?.name ?? String(value);
  if (type === "bool") return String(value);
  if (type === "string") return quoted(String(value));
  if (type === "bytes4") return selectorName(decoder, fragment, all, String(value));
  if (type === "bytes32") return bytes32(decoder, name, String(value));
  if (type.startsWith("bytes")) return String(value);
  const number = value as bigint;
  if (ENUM_NAMES[name]) return ENUM_NAMES[name][Number(number)] ?? `${number} (not a known ${name})`;
  if (IDENTITY_ARGS.has(name)) {
    identities.push(number);
    return `identity ${number}`;
  }
  if (name === "appointmentId") return `appointment ${number}`;
  if (TIME_ARGS.has(name)) return date(number);
  if (MONEY_CONTRACTS.has(contract) && MONEY_ARGS.has(name)) return yuan(number);
  if (contract === "SmartLaw" && fragment.name === "setParam" && name === "value") {
    return paramValue(readableId(String(all[1])), number);
  }
  return number.toString();
}

/** An argument's name as the interface documents it: implementations add `_` where a name shadows a function. */
function plainName(param: ParamType): string {
  return param.name.replace(/^_+|_+$/g, "");
}

/**
 * The unit of each parameter of the genesis laws, as the contracts read it (the rules and the Treasury): a unit is
 * never guessed from a key's name, since DECLARATION_PERIOD counts days and PENSION_PERIOD seconds.
 */
const PARAM_UNITS: Readonly<Record<string, "days" | "years" | "seconds" | "fen">> = {
  DECLARATION_PERIOD: "days",
  MINIMUM_AGE: "years",
  RETIREMENT_AGE: "years",
  PENSION_AMOUNT: "fen",
  PENSION_PERIOD: "seconds",
  COVERT_PERIOD: "seconds",
};

/** A parameter's value in its unit; a key whose unit the tools do not know is said to be so. */
function paramValue(key: string, value: bigint): string {
  switch (PARAM_UNITS[key]) {
    case "days":
      return `${value} days`;
    case "years":
      return `${value} years`;
    case "seconds":
      return `${value} seconds (${duration(value)})`;
    case "fen":
      return `${value} fen (${yuan(value)})`;
    default:
      return `${value} (unit unknown to the tools: read the legal text)`;
  }
}

/**
 * A string as printable ASCII in quotes: everything else escaped (\uXXXX), so that no control character, escape
 * sequence, direction override or look-alike letter can change what a legislator reads.
 */
function quoted(text: string): string {
  const escape = (c: string) =>
    c === '"' || c === "\\" ? `\\${c}` : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
  return `"${text.replace(/[^\x20-\x7e]|["\\]/g, escape)}"`;
}

function bytes32(decoder: CallDecoder, name: string, value: string): string {
  if (name === "role" || name === "resource") {
    const role = decoder.roles.find((r) => roleId(r) === value);
    if (role) return role;
    if (name === "role") return `${value} (UNKNOWN ROLE)`;
  }
  const text = readableId(value);
  if (text === "") return "(none)";
  return text;
}

/**
 * A selector as `Contract.function`, looked up in the grant's target, else in every deployed contract; a read's
 * pseudo-selector as `Contract.readRecord (read)`, so that nobody takes a read grant for a function.
 */
function selectorName(decoder: CallDecoder, fragment: FunctionFragment, all: Result, selector: string): string {
  const targetIndex = fragment.inputs.findIndex((p) => p.name === "target" && p.type === "address");
  const candidates =
    targetIndex >= 0
      ? [decoder.contracts.get(String(all[targetIndex]).toLowerCase())].filter((c) => c !== undefined)
      : [...decoder.contracts.values()];
  for (const { name, iface } of candidates) {
    const read = readName(name, selector);
    if (read !== undefined) return `${name}.${read} (read)`;
    const found = iface.fragments.find(
      (f): f is FunctionFragment => f.type === "function" && (f as FunctionFragment).selector === selector,
    );
    if (found) return `${name}.${found.name}`;
  }
  return `${selector} (UNKNOWN FUNCTION)`;
}

export function yuan(fen: bigint): string {
  return `${formatAmount(fen)} yuan`;
}

/** A timestamp as a UTC date, e.g. 2031-01-01 00:00 UTC. */
export function date(seconds: bigint): string {
  if (seconds === 0n) return "0 (when enacted)";
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Seconds as days and hours, e.g. "30 days", "1 day 6 hours". */
export function duration(seconds: bigint): string {
  const days = seconds / 86_400n;
  const hours = (seconds % 86_400n) / 3_600n;
  const rest = seconds % 3_600n;
  const parts = [];
  if (days) parts.push(`${days} day${days === 1n ? "" : "s"}`);
  if (hours) parts.push(`${hours} hour${hours === 1n ? "" : "s"}`);
  if (rest) parts.push(`${rest} s`);
  return parts.join(" ") || "0 s";
}
