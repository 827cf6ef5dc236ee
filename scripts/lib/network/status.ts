/**
 * network:status: the deployed system of a network, as an operator checks it: each contract's address and whether
 * its code on chain is the code of the artifact this repository builds (immutables masked: they are set at
 * deployment), the Legislature, and the laws in force.
 */
import { keccak256 } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId } from "../common/ids";
import { getSystem } from "../common/system";

export interface ContractStatus {
  name: string;
  address: string;
  codeHash: string;
  matches: boolean;
}

export interface SystemStatus {
  network: string;
  chainId: bigint;
  block: number;
  contracts: ContractStatus[];
  legislators: string[];
  quorum: bigint;
  epoch: bigint;
  laws: { lawId: string; version: bigint; inForce: boolean }[];
}

/** The code with the given byte ranges zeroed (immutables, which the deployment sets). */
function masked(code: string, ranges: { start: number; length: number }[]): string {
  const bytes = Buffer.from(code.slice(2), "hex");
  for (const { start, length } of ranges) bytes.fill(0, start, start + length);
  return "0x" + bytes.toString("hex");
}

export async function systemStatus(hre: HardhatRuntimeEnvironment): Promise<SystemStatus> {
  const deployments = await hre.deployments.all();
  if (Object.keys(deployments).length === 0) {
    throw new Error(`nothing is deployed on network "${hre.network.name}" (${hre.config.paths.deployments})`);
  }
  const contracts: ContractStatus[] = [];
  for (const [name, deployment] of Object.entries(deployments).sort(([a], [b]) => a.localeCompare(b))) {
    const code = await hre.ethers.provider.getCode(deployment.address);
    const artifact = await hre.artifacts.readArtifact(name).catch(() => undefined);
    let matches = false;
    if (artifact && code !== "0x") {
      const buildInfo = await hre.artifacts.getBuildInfo(`${artifact.sourceName}:${artifact.contractName}`);
      const output = buildInfo?.output.contracts[artifact.sourceName][artifact.contractName];
      const references = (output?.evm.deployedBytecode.immutableReferences ?? {}) as Record<
        string,
        { start: number; length: number }[]
      >;
      const ranges = Object.values(references).flat();
      matches =
        code.length === artifact.deployedBytecode.length &&
        masked(code, ranges) === masked(artifact.deployedBytecode, ranges);
    }
    contracts.push({ name, address: deployment.address, codeHash: keccak256(code), matches });
  }
  const { legislature, smartLaw } = await getSystem(hre);
  const events = await smartLaw.queryFilter(smartLaw.filters.LawVersionRecorded());
  const laws = [];
  for (const lawId of [...new Set(events.map((e) => e.args.lawId))]) {
    laws.push({ lawId, version: await smartLaw.lawVersion(lawId), inForce: await smartLaw.isInForce(lawId) });
  }
  return {
    network: hre.network.name,
    chainId: (await hre.ethers.provider.getNetwork()).chainId,
    block: await hre.ethers.provider.getBlockNumber(),
    contracts,
    legislators: await legislature.legislators(),
    quorum: await legislature.quorum(),
    epoch: await legislature.epoch(),
    laws,
  };
}

export function formatStatus(s: SystemStatus): string {
  const width = Math.max(...s.contracts.map((c) => c.name.length));
  return [
    `network ${s.network}, chain ${s.chainId}, block ${s.block}`,
    "contracts:",
    ...s.contracts.map(
      (c) =>
        `  ${c.name.padEnd(width)}  ${c.address}  code ${c.codeHash.slice(0, 18)}…  ` +
        (c.matches ? "matches the artifact" : "DOES NOT MATCH the artifact built here"),
    ),
    `legislature: quorum ${s.quorum} of ${s.legislators.length}, epoch ${s.epoch}`,
    ...s.legislators.map((l) => `  ${l}`),
    "laws:",
    ...s.laws.map((l) => `  ${readableId(l.lawId)} v${l.version}${l.inForce ? ", in force" : ", repealed"}`),
  ].join("\n");
}
