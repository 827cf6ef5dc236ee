import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/**
 * The AccessLog, where the data service anchors its read log, and the verifying contract of the data service's
 * signed requests. Gated by SmartLaw, and naming officials from its IdentityRegistry, so it needs SmartLaw wired;
 * the right to anchor comes from the genesis law (DATA_PROTECTION_ACT).
 */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  await deployments.deploy("AccessLog", {
    from: deployer,
    args: [(await deployments.get("SmartLaw")).address],
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["AccessLog", "log"];
func.dependencies = ["core"];
export default func;
