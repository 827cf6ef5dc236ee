/**
 * GovChain's contracts as hardhat-deploy left them for a network: name, address, ABI and the block of the deploying
 * transaction, for every contract that emits events (the rules emit none of their own).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Abi, Address } from "viem";

export interface DeployedContract {
  name: string;
  address: Address;
  abi: Abi;
  startBlock: number;
}

export interface Deployments {
  chainId: number;
  contracts: DeployedContract[];
}

/** The deployments folder: GOVCHAIN_DEPLOYMENTS_DIR as the tools read it, else the repository's. */
export function deploymentsDir(): string {
  return resolve(process.env.GOVCHAIN_DEPLOYMENTS_DIR ?? fileURLToPath(new URL("../../deployments", import.meta.url)));
}

export function loadDeployments(network: string): Deployments {
  const folder = join(deploymentsDir(), network);
  const idFile = join(folder, ".chainId");
  if (!existsSync(idFile))
    throw new Error(
      `no GovChain deployment in ${folder}: deploy first (npm run deploy:local), or set GOVCHAIN_DEPLOYMENTS_DIR`,
    );
  const contracts = readdirSync(folder)
    .filter((file) => file.endsWith(".json"))
    .map((file) => {
      const deployed = JSON.parse(readFileSync(join(folder, file), "utf8"));
      return {
        name: file.slice(0, -".json".length),
        address: deployed.address as Address,
        abi: deployed.abi as Abi,
        startBlock: Number(deployed.receipt?.blockNumber ?? 0),
      };
    })
    .filter((c) => c.abi.some((item) => item.type === "event" && item.name !== "EIP712DomainChanged"));
  return { chainId: Number(readFileSync(idFile, "utf8").trim()), contracts };
}
