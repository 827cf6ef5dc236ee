import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/** SmartLaw, the authority. Wired to the Legislature and the IdentityRegistry by 004. */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  await deployments.deploy("SmartLaw", {
    from: deployer,
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["SmartLaw", "core"];
export default func;
