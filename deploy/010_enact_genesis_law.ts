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
  const signers = await Promise.all(legislators.slice(0, quorum).map((address) => hre.ethers.getSigner(address)));

  for (const loaded of genesis.laws) {
    const name = loaded.law.lawId;
    if ((await smartLaw.lawVersion(textId(name))) > 0n) {
      hre.deployments.log(`genesis law ${name} already enacted`);
      continue;
    }
    const { file, receipt } = await enactWithSigners(hre, loaded, signers, await hre.ethers.getSigner(deployer));
    hre.deployments.log(
      `enacted genesis law ${name} v${file.update.version} (${file.update.calls.length} calls, tx ${receipt.hash}, gas ${receipt.gasUsed})`,
    );
  }
};
func.tags = ["Genesis"];
func.dependencies = ["core"];
export default func;
