/** law:show: a law's versions, text hashes, grants and parameters, rebuilt from SmartLaw's events and views. */
import { Interface, ZeroHash, type FunctionFragment } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { lawId as toLawId, readableId, roleName } from "../common/ids";
import { SUBJECT, readName } from "../common/reads";
import { getSystem } from "../common/system";
import { queryEvents } from "../common/events";
import { addressNames } from "../common/tx";
import type { Legislature } from "../../../typechain-types";
import { callDecoder, decodeCalls, type CallDecoder } from "./describe";

export interface LawReport {
  lawId: string;
  name: string;
  version: number;
  inForce: boolean;
  repealed: boolean;
  versions: {
    version: number;
    textHash: string;
    block: number;
    tx: string;
    /** The legislators whose signatures or approvals counted, named where the network names them. */
    signers: string[];
    /** What the version changed: its calls decoded from the enactment's calldata. */
    changes: string[];
  }[];
  /**
   * `resource` is set for a grant on one resource only (a register, a programme); `read` for a grant of a read
   * (`readRecord`, `readPersonalData`: SmartLaw's pseudo-selectors, no function of the contract).
   */
  grants: {
    role: string;
    contract: string;
    function: string;
    resource?: string;
    scope: "Any" | "Jurisdiction";
    read?: true;
  }[];
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
    read: (address: string, selector: string) => readName(byAddress.get(address.toLowerCase())?.name ?? "", selector),
  };
}

/** The ids of every law ever enacted, in order of first enactment. */
export async function listLaws(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const { smartLaw } = await getSystem(hre);
  const events = await queryEvents(hre, smartLaw, smartLaw.filters.LawVersionRecorded());
  return [...new Set(events.map((e) => e.args.lawId))];
}

export async function lawReport(
  hre: HardhatRuntimeEnvironment,
  law: string,
  roleNames: Iterable<string> = [],
): Promise<LawReport> {
  const { smartLaw, legislature } = await getSystem(hre);
  const id = toLawId(law);
  const record = await smartLaw.law(id);
  if (record.version === 0n) {
    const known = (await listLaws(hre)).map(readableId);
    throw new Error(`no law "${law}" was ever enacted (laws: ${known.join(", ") || "none"})`);
  }
  const names = await namer(hre);
  const roles = [SUBJECT, ...roleNames];

  const enactments = await queryEvents(hre, legislature, legislature.filters.LawEnacted(id));
  const decoder = await callDecoder(hre, roleNames);
  const accounts = await addressNames(hre);
  const versions = [];
  for (const e of await queryEvents(hre, smartLaw, smartLaw.filters.LawVersionRecorded(id))) {
    const version = Number(e.args.version);
    const enacted = enactments.find((x) => Number(x.args.version) === version);
    versions.push({
      version,
      textHash: e.args.textHash,
      block: e.blockNumber,
      tx: e.transactionHash,
      signers: (enacted?.args.signers ?? []).map((a) => {
        const name = accounts.get(a.toLowerCase());
        return name ? `${name} (${a})` : a;
      }),
      changes: await changesOf(hre, legislature, decoder, e.transactionHash, id, version),
    });
  }

  const grantKey = (role: string, target: string, selector: string, resource: string) =>
    `${role}|${target.toLowerCase()}|${selector}|${resource}`;
  const grants = new Map<string, LawReport["grants"][number]>();
  const grantEvents = [
    ...(await queryEvents(hre, smartLaw, smartLaw.filters.Granted(id))),
    ...(await queryEvents(hre, smartLaw, smartLaw.filters.GrantRevoked(id))),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  // a resource is a role (of the IdentityRegistry's appoint and dismiss) or a text id (a register, a programme)
  const readableResource = (resource: string) => {
    const role = roleName(resource, roles);
    return role !== resource ? role : readableId(resource);
  };
  for (const e of grantEvents) {
    const [, role, target, selector, resource] = e.args;
    const key = grantKey(role, target, selector, resource);
    if (e.eventName === "GrantRevoked") grants.delete(key);
    else {
      const read = names.read(target, selector);
      grants.set(key, {
        role: roleName(role, roles),
        contract: names.contract(target),
        function: read ?? names.fn(target, selector),
        ...(resource === ZeroHash ? {} : { resource: readableResource(resource) }),
        scope: SCOPES[Number(e.args[5])],
        ...(read === undefined ? {} : { read: true as const }),
      });
    }
  }

  const params = new Map<string, bigint>();
  for (const e of await queryEvents(hre, smartLaw, smartLaw.filters.ParamSet(id))) params.set(e.args.key, e.args.value);

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

/**
 * The calls a version made, decoded from the calldata of the transaction that enacted it; the transaction is
 * Legislature.enact unless the update was submitted through another contract, whose calldata is not decoded.
 */
async function changesOf(
  hre: HardhatRuntimeEnvironment,
  legislature: Legislature,
  decoder: CallDecoder,
  hash: string,
  lawId: string,
  version: number,
): Promise<string[]> {
  const tx = await hre.ethers.provider.getTransaction(hash);
  if (tx && tx.to?.toLowerCase() === (await legislature.getAddress()).toLowerCase()) {
    const parsed = legislature.interface.parseTransaction({ data: tx.data });
    const update = parsed?.name === "enact" ? parsed.args[0] : undefined;
    if (update && update.lawId === lawId && Number(update.version) === version) {
      return decodeCalls(
        decoder,
        (update.calls as { target: string; data: string }[]).map((c) => ({ target: c.target, data: c.data })),
      ).map((call) => call.line);
    }
  }
  return [`(enacted through another contract in tx ${hash}: its calls are not decoded)`];
}

/** A law report as text for people. */
export function formatLawReport(report: LawReport): string {
  const lines = [
    `${report.name} — version ${report.version}, ${report.repealed ? "REPEALED (its grants and parameters have lapsed)" : "in force"}`,
    "  versions:",
    ...report.versions.flatMap((v) => [
      `    v${v.version}  text ${v.textHash}  (block ${v.block}, tx ${v.tx})`,
      `      signed by ${v.signers.join(", ") || "(no LawEnacted event found)"}`,
      ...(v.changes.length ? v.changes.map((c) => `      · ${c}`) : ["      · no calls (the text only)"]),
    ]),
    `  grants${report.repealed ? " (lapsed)" : ""}:`,
    ...(report.grants.length
      ? report.grants.map(
          (g) =>
            `    ${g.role} may ${g.read ? "read" : "call"} ${g.contract}.${g.function}${g.resource ? ` on ${g.resource}` : ""} (scope: ${g.scope})`,
        )
      : ["    none"]),
    "  parameters:",
    ...(report.params.length ? report.params.map((p) => `    ${p.key} = ${p.value}`) : ["    none"]),
  ];
  return lines.join("\n");
}
