import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/** IdentityRegistry, gated by SmartLaw. */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  const smartLaw = await deployments.get("SmartLaw");
  await deployments.deploy("IdentityRegistry", {
    from: deployer,
    args: [smartLaw.address],
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["IdentityRegistry", "core"];
func.dependencies = ["SmartLaw"];
export default func;
