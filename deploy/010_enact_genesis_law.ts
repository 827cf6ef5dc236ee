import type { DeployFunction } from "hardhat-deploy/types";

import { enactWithSigners, loadGenesis, resolveAccounts } from "../scripts/lib/genesis";
import { textId } from "../scripts/lib/ids";
import { getSystem } from "../scripts/lib/system";

/**
 * Enacts the genesis laws of genesis/genesis.yaml, signed by a quorum of the first legislators. A law already
 * enacted is skipped, so that a rerun changes nothing and a run cut off mid-way completes.
 */
const func: DeployFunction = async (hre) => {
  const genesis = loadGenesis();
  const { smartLaw, legislature } = await getSystem(hre);
  const quorum = Number(await legislature.quorum());
  const { deployer } = await hre.getNamedAccounts();
  const legislators = await resolveAccounts(hre, genesis.legislature.legislators);
  const available = new Set((await hre.ethers.getSigners()).map((s) => s.address));
  const local = legislators.filter((address) => available.has(address)).slice(0, quorum);
  const pending = [];
  for (const loaded of genesis.laws) {
    if ((await smartLaw.lawVersion(textId(loaded.law.lawId))) === 0n) pending.push(loaded);
    else hre.deployments.log(`genesis law ${loaded.law.lawId} already enacted`);
  }
  if (pending.length > 0 && local.length < quorum) {
    throw new Error(
      `network "${hre.network.name}" holds the keys of ${local.length} legislators, the quorum is ${quorum}: ` +
        `enact the genesis laws ${pending.map((p) => p.law.lawId).join(", ")} with law:draft, law:sign ` +
        `(on each legislator's machine) and law:enact, from the law files of genesis/genesis.yaml`,
    );
  }
  const signers = await Promise.all(local.map((address) => hre.ethers.getSigner(address)));
  const submitter = await hre.ethers.getSigner(deployer);

  for (const loaded of pending) {
    const { file, receipt } = await enactWithSigners(hre, loaded, signers, submitter);
    hre.deployments.log(
      `enacted genesis law ${loaded.law.lawId} v${file.update.version} ` +
        `(${file.update.calls.length} calls, tx ${receipt.hash}, gas ${receipt.gasUsed})`,
    );
  }
};
func.tags = ["Genesis"];
func.dependencies = ["core", "registers", "services", "treasury"];
export default func;
