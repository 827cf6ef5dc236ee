/**
 * A deployment cut off between sending a transaction and recording its result leaves the transaction in
 * hardhat-deploy's deployments/<network>/.pendingTransactions. On the next run hardhat-deploy asks, interactively,
 * what to do with each one, even one that was mined long ago. This settles, before the run, every transaction of
 * that file that the node has mined: a contract it created is recorded as hardhat-deploy would record it, and the
 * entry is dropped, so that a rerun completes the deployment with nothing deployed twice and no question asked.
 * Transactions still unmined are left to hardhat-deploy.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

interface PendingEntry {
  name?: string;
  deployment?: Record<string, unknown>;
}

export async function settleMinedPendingTransactions(hre: HardhatRuntimeEnvironment): Promise<string[]> {
  const path = join(hre.config.paths.deployments, hre.network.name, ".pendingTransactions");
  if (!existsSync(path)) return [];
  const pending = JSON.parse(readFileSync(path, "utf8")) as Record<string, PendingEntry>;
  const settled: string[] = [];
  for (const [hash, entry] of Object.entries(pending)) {
    const receipt = await hre.ethers.provider.getTransactionReceipt(hash);
    if (!receipt) continue;
    if (receipt.status === 1 && receipt.contractAddress && entry.name && entry.deployment) {
      await hre.deployments.save(entry.name, {
        ...(entry.deployment as unknown as Parameters<typeof hre.deployments.save>[1]),
        address: receipt.contractAddress,
        transactionHash: hash,
        receipt: {
          from: receipt.from,
          to: receipt.to ?? undefined,
          contractAddress: receipt.contractAddress,
          transactionIndex: receipt.index,
          gasUsed: receipt.gasUsed.toString(),
          blockHash: receipt.blockHash,
          blockNumber: receipt.blockNumber,
          transactionHash: hash,
          logs: [],
          status: receipt.status,
        } as never,
      });
      settled.push(`${entry.name} (deployed at ${receipt.contractAddress} by ${hash})`);
    } else {
      settled.push(`${entry.name ?? "a transaction"} ${hash} (mined in block ${receipt.blockNumber})`);
    }
    delete pending[hash];
  }
  if (Object.keys(pending).length === 0) rmSync(path);
  else writeFileSync(path, JSON.stringify(pending, null, 2));
  return settled;
}
