import type { DeployFunction } from "hardhat-deploy/types";

import { join } from "node:path";

import { enactLawUpdate } from "../scripts/lib/law/enact";
import { enactWithSigners, loadGenesis, prepareSignedGenesis, resolveAccounts } from "../scripts/lib/law/genesis";
import { textId } from "../scripts/lib/common/ids";
import { getSystem } from "../scripts/lib/common/system";

/**
 * Enacts the genesis laws of genesis/genesis.yaml, signed by a quorum of the first legislators. A law already
 * enacted is skipped, so that a rerun changes nothing and a run cut off mid-way completes.
 *
 * Where the network holds the keys of a quorum of legislators (a local chain), they sign here. Elsewhere (or with
 * GOVCHAIN_GENESIS_FROM_FILES=1) the laws are drafted into genesis/signed/<network>/ (or GOVCHAIN_SIGNATURES_DIR)
 * and the deployment stops
 * there, saying which signatures are missing; the legislators sign with law:sign on their own machines, and the
 * deployment, run again with their signature files in that folder, enacts the laws.
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
  const submitter = await hre.ethers.getSigner(deployer);
  if (pending.length > 0 && (local.length < quorum || process.env.GOVCHAIN_GENESIS_FROM_FILES === "1")) {
    const dir =
      process.env.GOVCHAIN_SIGNATURES_DIR ?? join(hre.config.paths.root, "genesis", "signed", hre.network.name);
    for (const { file, signatures } of await prepareSignedGenesis(hre, pending, dir)) {
      const { receipt } = await enactLawUpdate(hre, file, signatures, submitter);
      hre.deployments.log(
        `enacted genesis law ${hre.ethers.decodeBytes32String(file.update.lawId)} v${file.update.version} from ` +
          `${signatures.length} signature files (tx ${receipt.hash}, gas ${receipt.gasUsed})`,
      );
    }
    return;
  }
  const signers = await Promise.all(local.map((address) => hre.ethers.getSigner(address)));

  for (const loaded of pending) {
    const { file, receipt } = await enactWithSigners(hre, loaded, signers, submitter);
    hre.deployments.log(
      `enacted genesis law ${loaded.law.lawId} v${file.update.version} ` +
        `(${file.update.calls.length} calls, tx ${receipt.hash}, gas ${receipt.gasUsed})`,
    );
  }
};
func.tags = ["Genesis"];
func.dependencies = ["core", "registers", "services", "treasury", "log"];
export default func;
