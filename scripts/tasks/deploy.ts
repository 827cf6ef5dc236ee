/**
 * hardhat-deploy's `deploy`, for nodes: resumable without questions (transactions that an interrupted run sent and
 * the node mined are settled first, scripts/lib/pending.ts), never hanging (scripts/lib/watchdog.ts), stopped with
 * a plain message before it starts when no node answers or the deployments folder is another chain's, and any
 * failure reported as one plain line.
 */
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment, RunSuperFunction, TaskArguments } from "hardhat/types";

import { plainErrors } from "./common";

task("deploy").setAction(async (args, hre, runSuper) => {
  if (hre.network.name === "hardhat") return runSuper(args);
  let result: unknown;
  await plainErrors("deploy", async () => {
    result = await deployToNode(args, hre, runSuper);
  })(args, hre);
  return result;
});

async function deployToNode(args: TaskArguments, hre: HardhatRuntimeEnvironment, runSuper: RunSuperFunction<unknown>) {
  const { checkNodeAndDeployments } = await import("../lib/network/deployments");
  await checkNodeAndDeployments(hre);
  const { settleMinedPendingTransactions } = await import("../lib/network/pending");
  const { watchMining } = await import("../lib/network/watchdog");
  const { MINING_TIMEOUT_SECONDS } = await import("../lib/network/chain");
  for (const line of await settleMinedPendingTransactions(hre))
    console.log(`settled from the interrupted run: ${line}`);
  const { deployer } = await hre.getNamedAccounts();
  const watchdog = watchMining(hre, deployer, MINING_TIMEOUT_SECONDS);
  const outcome = await Promise.race([
    runSuper(args).then((result: unknown) => ({ result })),
    watchdog.stalled.then((reason) => ({ reason })),
  ]).finally(() => watchdog.stop());
  if ("reason" in outcome) {
    console.error(`The deployment stopped (${outcome.reason}). Run it again once the network is sound: it resumes.`);
    process.exit(1);
  }
  return outcome.result;
}
