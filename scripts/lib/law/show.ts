/** law:show: a law's versions, text hashes, grants and parameters, rebuilt from SmartLaw's events and views. */
import { Interface, ZeroHash, type FunctionFragment } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { lawId as toLawId, readableId, roleName } from "../common/ids";
import { getSystem } from "../common/system";

export interface LawReport {
  lawId: string;
  name: string;
  version: number;
  inForce: boolean;
  repealed: boolean;
  versions: { version: number; textHash: string; block: number; tx: string }[];
  /** `resource` is set for a grant on one resource only (a register, a programme). */
  grants: { role: string; contract: string; function: string; resource?: string; scope: "Any" | "Jurisdiction" }[];
  params: { key: string; value: bigint }[];
}

const SCOPES = ["Any", "Jurisdiction"] as const;

/** Names for addresses and selectors of the deployed contracts. */
async function namer(hre: HardhatRuntimeEnvironment) {
  const byAddress = new Map<string, { name: string; iface: Interface }>();
  for (const [name, deployment] of Object.entries(await hre.deployments.all())) {
    byAddress.set(deployment.address.toLowerCase(), { name, iface: new Interface(deployment.abi) });
  }
  return {
    contract: (address: string) => byAddress.get(address.toLowerCase())?.name ?? address,
    fn: (address: string, selector: string) => {
      const fragment = byAddress
        .get(address.toLowerCase())
        ?.iface.fragments.find((f) => f.type === "function" && (f as FunctionFragment).selector === selector);
      return fragment ? (fragment as FunctionFragment).name : selector;
    },
  };
}

/** The ids of every law ever enacted, in order of first enactment. */
export async function listLaws(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const { smartLaw } = await getSystem(hre);
  const events = await smartLaw.queryFilter(smartLaw.filters.LawVersionRecorded());
  return [...new Set(events.map((e) => e.args.lawId))];
}

export async function lawReport(
  hre: HardhatRuntimeEnvironment,
  law: string,
  roleNames: Iterable<string> = [],
): Promise<LawReport> {
  const { smartLaw } = await getSystem(hre);
  const id = toLawId(law);
  const record = await smartLaw.law(id);
  if (record.version === 0n) throw new Error(`no law "${law}" was ever enacted`);
  const names = await namer(hre);

  const versions = (await smartLaw.queryFilter(smartLaw.filters.LawVersionRecorded(id))).map((e) => ({
    version: Number(e.args.version),
    textHash: e.args.textHash,
    block: e.blockNumber,
    tx: e.transactionHash,
  }));

  const grantKey = (role: string, target: string, selector: string, resource: string) =>
    `${role}|${target.toLowerCase()}|${selector}|${resource}`;
  const grants = new Map<string, LawReport["grants"][number]>();
  const grantEvents = [
    ...(await smartLaw.queryFilter(smartLaw.filters.Granted(id))),
    ...(await smartLaw.queryFilter(smartLaw.filters.GrantRevoked(id))),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  // a resource is a role (of the IdentityRegistry's appoint and dismiss) or a text id (a register, a programme)
  const readableResource = (resource: string) => {
    const role = roleName(resource, roleNames);
    return role !== resource ? role : readableId(resource);
  };
  for (const e of grantEvents) {
    const [, role, target, selector, resource] = e.args;
    const key = grantKey(role, target, selector, resource);
    if (e.eventName === "GrantRevoked") grants.delete(key);
    else {
      grants.set(key, {
        role: roleName(role, roleNames),
        contract: names.contract(target),
        function: names.fn(target, selector),
        ...(resource === ZeroHash ? {} : { resource: readableResource(resource) }),
        scope: SCOPES[Number(e.args[5])],
      });
    }
  }

  const params = new Map<string, bigint>();
  for (const e of await smartLaw.queryFilter(smartLaw.filters.ParamSet(id))) params.set(e.args.key, e.args.value);

  return {
    lawId: id,
    name: readableId(id),
    version: Number(record.version),
    inForce: !record.repealed,
    repealed: record.repealed,
    versions,
    grants: [...grants.values()],
    params: [...params.entries()].map(([key, value]) => ({ key: readableId(key), value })),
  };
}

/** A law report as text for people. */
export function formatLawReport(report: LawReport): string {
  const lines = [
    `${report.name} — version ${report.version}, ${report.repealed ? "REPEALED (its grants and parameters have lapsed)" : "in force"}`,
    "  versions:",
    ...report.versions.map((v) => `    v${v.version}  text ${v.textHash}  (block ${v.block}, tx ${v.tx})`),
    `  grants${report.repealed ? " (lapsed)" : ""}:`,
    ...(report.grants.length
      ? report.grants.map(
          (g) =>
            `    ${g.role} may call ${g.contract}.${g.function}${g.resource ? ` on ${g.resource}` : ""} (scope: ${g.scope})`,
        )
      : ["    none"]),
    "  parameters:",
    ...(report.params.length ? report.params.map((p) => `    ${p.key} = ${p.value}`) : ["    none"]),
  ];
  return lines.join("\n");
}
