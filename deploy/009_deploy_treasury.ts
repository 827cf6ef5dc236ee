import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/** The Treasury. Its accounts, programmes and powers over the FiatToken come from the genesis law. */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  await deployments.deploy("Treasury", {
    from: deployer,
    args: [
      (await deployments.get("SmartLaw")).address,
      (await deployments.get("IdentityRegistry")).address,
      (await deployments.get("CivilRegistry")).address,
      (await deployments.get("FiatToken")).address,
    ],
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["Treasury", "treasury"];
func.dependencies = ["SmartLaw", "IdentityRegistry", "CivilRegistry", "FiatToken"];
export default func;
