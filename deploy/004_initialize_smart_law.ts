import { ZeroAddress } from "ethers";
import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/**
 * Wires SmartLaw to the Legislature and the IdentityRegistry: the deployer's one and last act of power.
 * Skipped when already done, so that a rerun changes nothing.
 */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  const legislature = await deployments.read("SmartLaw", "legislature");
  if (legislature !== ZeroAddress) {
    deployments.log(`SmartLaw already wired to the Legislature at ${legislature}`);
    return;
  }
  await deployments.execute(
    "SmartLaw",
    { from: deployer, log: true, waitConfirmations: confirmationsFor(network.name) },
    "initialize",
    (await deployments.get("Legislature")).address,
    (await deployments.get("IdentityRegistry")).address,
  );
};
func.tags = ["SmartLawWiring", "core"];
func.dependencies = ["SmartLaw", "IdentityRegistry", "Legislature"];
export default func;
