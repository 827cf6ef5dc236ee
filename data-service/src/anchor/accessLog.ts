/**
 * The AccessLog contract as the anchorer uses it, from the service's key (GOVCHAIN_SERVICE_KEY: the key the
 * DATA_PROTECTION_ACT appoints DATA_SERVICE_OPERATOR). Every anchor is simulated before it is sent, so that a refusal
 * (the key not granted, a batch id already taken) is read as SmartLaw's or AccessLog's error and costs nothing.
 */
import { createWalletClient, http, parseAbi, type Address, type Hex, type PublicClient } from "viem";
import { privateKeyToAccount } from "viem/accounts";

import type { AnchorChain, StoredBatch } from "./anchorer";

export const ACCESS_LOG = parseAbi([
  "struct Batch { bytes32 root; uint64 firstSeq; uint32 count; uint40 firstAt; uint40 lastAt; uint40 anchoredAt; uint32 lawNumber; }",
  "function anchor(uint256 batchId, bytes32 root, uint64 firstSeq, uint32 count, uint40 firstAt, uint40 lastAt)",
  "function batch(uint256 batchId) view returns (Batch)",
  "function batchCount() view returns (uint256)",
]);

export function accessLogChain(
  client: PublicClient,
  rpc: string,
  accessLog: Address,
  serviceKey: Hex,
  confirmations: number,
): AnchorChain {
  const account = privateKeyToAccount(serviceKey);
  const wallet = createWalletClient({ account, transport: http(rpc) });
  return {
    batchCount: () => client.readContract({ address: accessLog, abi: ACCESS_LOG, functionName: "batchCount" }),
    rootOf: async (batchId) =>
      (await client.readContract({ address: accessLog, abi: ACCESS_LOG, functionName: "batch", args: [batchId] })).root,
    send: async (batch: StoredBatch) => {
      const { request } = await client.simulateContract({
        account,
        address: accessLog,
        abi: ACCESS_LOG,
        functionName: "anchor",
        args: [batch.batchId, batch.root, batch.firstSeq, batch.count, Number(batch.firstAt), Number(batch.lastAt)],
      });
      return wallet.writeContract({ ...request, chain: null });
    },
    confirmed: async (hash) => {
      // 0 confirmations (a chain with immediate finality) is the receipt itself
      const receipt = await client.waitForTransactionReceipt({ hash, confirmations: Math.max(1, confirmations) });
      return receipt.status === "success" ? receipt.blockNumber : undefined;
    },
  };
}
