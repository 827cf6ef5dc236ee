/**
 * The names people give the offices' tools, resolved against the chain, with a plain message naming what exists
 * when a name is unknown: accounts (named accounts or addresses), identities (an id, or a named account or address
 * holding one of its keys), roles (their names as laws grant them), jurisdictions (codes) and services.
 */
import { ZeroHash, getAddress, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { jurisdictionCode, readableId, roleId, textId } from "./ids";
import { getServices, getSystem } from "./system";
import { addressNames } from "./tx";
import { loadGenesis, roleNames } from "../law/genesis";

/** An address: as given, or a named account's. */
export async function accountAddress(hre: HardhatRuntimeEnvironment, who: string): Promise<string> {
  if (isAddress(who)) return getAddress(who);
  const named = await hre.getNamedAccounts();
  if (named[who]) return getAddress(named[who]);
  throw new Error(
    `"${who}" is neither an address nor a named account (named accounts: ${Object.keys(named).join(", ")})`,
  );
}

/** A printer of addresses: "registrar (0x…)" for a named account or a deployed contract, the address otherwise. */
export async function accountNamer(hre: HardhatRuntimeEnvironment): Promise<(address: string) => string> {
  const names = await addressNames(hre);
  return (address) => {
    const name = names.get(address.toLowerCase());
    return name ? `${name} (${address})` : address;
  };
}

/**
 * An identity's id: a whole number, or a named account or address whose key (live or revoked) belongs to it.
 * The identity must exist.
 */
export async function identityIdOf(hre: HardhatRuntimeEnvironment, who: string): Promise<bigint> {
  const { identityRegistry } = await getSystem(hre);
  const count = await identityRegistry.identityCount();
  if (/^\d+$/.test(who)) {
    checkIdInRange("identity", BigInt(who), count);
    return BigInt(who);
  }
  let key: string;
  try {
    key = await accountAddress(hre, who);
  } catch {
    throw new Error(`"${who}" is not an identity: give its id (1 to ${count}), or a named account or key of it`);
  }
  const record = await identityRegistry.keyRecord(key);
  if (record.identityId === 0n) throw new Error(`${who} (${key}) is not a key of any identity`);
  return record.identityId;
}

let genesisRoles: string[] | undefined;

/** The role names the genesis law grants or appoints: role ids on chain are hashes, their names are not stored. */
export function knownRoleNames(): string[] {
  if (genesisRoles === undefined) {
    try {
      genesisRoles = roleNames(loadGenesis());
    } catch {
      genesisRoles = []; // a deployment without the genesis file: roles are then shown by their hash
    }
  }
  return genesisRoles;
}

/** A role's id from its name (or a 32-byte hash): a role the genesis law names, or one some law granted. */
export async function resolveRole(hre: HardhatRuntimeEnvironment, name: string): Promise<string> {
  const known = knownRoleNames();
  if (/^0x[0-9a-fA-F]{64}$/.test(name) || known.includes(name)) return roleId(name);
  const { smartLaw } = await getSystem(hre);
  const granted = await smartLaw.queryFilter(smartLaw.filters.Granted(undefined, roleId(name)));
  if (granted.length > 0) return roleId(name);
  throw new Error(`no law grants a role "${name}" (roles: ${known.join(", ")})`);
}

/** A role's name from its id, when known. */
export function roleLabel(role: string): string {
  for (const name of knownRoleNames()) if (roleId(name) === role) return name;
  return role;
}

/** The defined jurisdictions' codes, in the order they were defined. */
export async function jurisdictionCodes(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const { identityRegistry } = await getSystem(hre);
  const events = await identityRegistry.queryFilter(identityRegistry.filters.JurisdictionDefined());
  return events.map((e) => readableId(e.args.code));
}

/** A jurisdiction's code as bytes32, which must be defined. */
export async function resolveJurisdiction(hre: HardhatRuntimeEnvironment, code: string): Promise<string> {
  const { identityRegistry } = await getSystem(hre);
  const id = jurisdictionCode(code);
  if (id !== ZeroHash && (await identityRegistry.jurisdiction(id)).defined) return id;
  throw new Error(`there is no jurisdiction "${code}" (jurisdictions: ${(await jurisdictionCodes(hre)).join(", ")})`);
}

/** The ServiceDesk's services, by id, in the order they were defined. */
export async function serviceIds(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const { serviceDesk } = await getServices(hre);
  const events = await serviceDesk.queryFilter(serviceDesk.filters.ServiceDefined());
  return events.map((e) => readableId(e.args.serviceId));
}

/** A service's id as bytes32, which must be defined. */
export async function resolveService(hre: HardhatRuntimeEnvironment, name: string): Promise<string> {
  const known = await serviceIds(hre);
  if (known.includes(name)) return textId(name);
  throw new Error(`there is no service "${name}" (services: ${known.join(", ")})`);
}

/** An identity as people read it: "identity 1 (ministryOfCivilAffairs)" when a named account is one of its keys. */
export async function identityLabel(hre: HardhatRuntimeEnvironment, id: bigint): Promise<string> {
  const { identityRegistry } = await getSystem(hre);
  const named = await hre.getNamedAccounts();
  const keys = new Set((await identityRegistry.keysOf(id).catch(() => [] as string[])).map((k) => k.toLowerCase()));
  const name = Object.entries(named).find(([, address]) => keys.has(address.toLowerCase()))?.[0];
  return name ? `identity ${id} (${name})` : `identity ${id}`;
}

/** Checks that `id` is one of the ids 1 to `count` of `what` (identities, payments…), with a plain message. */
export function checkIdInRange(what: string, id: bigint, count: bigint): void {
  if (id >= 1n && id <= count) return;
  throw new Error(
    count === 0n
      ? `there is no ${what} ${id}: there are none yet`
      : `there is no ${what} ${id} (the ids are 1 to ${count})`,
  );
}
