import type { DeployFunction } from "hardhat-deploy/types";

import { loadGenesis, resolveAccounts } from "../scripts/lib/law/genesis";

import { confirmationsFor } from "../scripts/lib/network/chain";

/** The Legislature, with the first legislators and quorum of the genesis file. */
const func: DeployFunction = async (hre) => {
  const { deployer } = await hre.getNamedAccounts();
  const { legislature } = loadGenesis();
  const legislators = await resolveAccounts(hre, legislature.legislators);
  const smartLaw = await hre.deployments.get("SmartLaw");
  await hre.deployments.deploy("Legislature", {
    from: deployer,
    args: [smartLaw.address, legislators, legislature.quorum],
    log: true,
    waitConfirmations: confirmationsFor(hre.network.name),
  });
};
func.tags = ["Legislature", "core"];
func.dependencies = ["SmartLaw"];
export default func;
