/**
 * hardhat-deploy's `deploy`, for nodes: resumable without questions (transactions that an interrupted run sent and
 * the node mined are settled first, scripts/lib/pending.ts), never hanging (scripts/lib/watchdog.ts), and stopped
 * with a plain message before it starts when no node answers or the deployments folder is another chain's.
 */
import { task } from "hardhat/config";

task("deploy").setAction(async (args, hre, runSuper) => {
  if (hre.network.name === "hardhat") return runSuper(args);
  const { checkNodeAndDeployments } = await import("../lib/network/deployments");
  try {
    await checkNodeAndDeployments(hre);
  } catch (error) {
    // one plain line, as every tool's failure (a stack trace here tells an operator nothing)
    console.error(`Error: ${(error as Error).message}`);
    process.exit(1);
  }
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
});
