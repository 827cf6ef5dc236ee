import type { DeployFunction } from "hardhat-deploy/types";

/** SmartLaw, the authority. Wired to the Legislature and the IdentityRegistry by 004. */
const func: DeployFunction = async ({ deployments, getNamedAccounts }) => {
  const { deployer } = await getNamedAccounts();
  await deployments.deploy("SmartLaw", { from: deployer, log: true });
};
func.tags = ["SmartLaw", "core"];
export default func;
