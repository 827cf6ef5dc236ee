/**
 * hardhat-deploy's `deploy`, resumable without questions: transactions that an interrupted run sent and the node
 * mined are settled first (scripts/lib/pending.ts).
 */
import { task } from "hardhat/config";

task("deploy").setAction(async (args, hre, runSuper) => {
  const { settleMinedPendingTransactions } = await import("../lib/pending");
  for (const line of await settleMinedPendingTransactions(hre))
    console.log(`settled from the interrupted run: ${line}`);
  return runSuper(args);
});
