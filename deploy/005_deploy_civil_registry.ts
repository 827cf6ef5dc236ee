import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/** The CivilRegistry, gated by SmartLaw; its registers are created by the genesis law. */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  const smartLaw = await deployments.get("SmartLaw");
  const identityRegistry = await deployments.get("IdentityRegistry");
  await deployments.deploy("CivilRegistry", {
    from: deployer,
    args: [smartLaw.address, identityRegistry.address],
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["CivilRegistry", "registers"];
func.dependencies = ["SmartLaw", "IdentityRegistry"];
export default func;
