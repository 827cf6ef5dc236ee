import type { DeployFunction } from "hardhat-deploy/types";

/** IdentityRegistry, gated by SmartLaw. */
const func: DeployFunction = async ({ deployments, getNamedAccounts }) => {
  const { deployer } = await getNamedAccounts();
  const smartLaw = await deployments.get("SmartLaw");
  await deployments.deploy("IdentityRegistry", { from: deployer, args: [smartLaw.address], log: true });
};
func.tags = ["IdentityRegistry", "core"];
func.dependencies = ["SmartLaw"];
export default func;
