import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/**
 * `apply` is a reserved word in Solidity: the ServiceDesk's function is `submit`, and it answers to the selector
 * of `apply(bytes32,bytes)` as well. The deployment's ABI lists `apply` too, so that agencies' scripts built from
 * deployments/<network>/ServiceDesk.json may call it by the name of the specification.
 */
const APPLY_FRAGMENT = {
  type: "function",
  name: "apply",
  stateMutability: "nonpayable",
  inputs: [
    { name: "serviceId", type: "bytes32", internalType: "bytes32" },
    { name: "data", type: "bytes", internalType: "bytes" },
  ],
  outputs: [{ name: "applicationId", type: "uint256", internalType: "uint256" }],
};

/** The ServiceDesk, which takes citizens' applications; its services are defined by the genesis law. */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  const artifact = await deployments.getArtifact("ServiceDesk");
  await deployments.deploy("ServiceDesk", {
    from: deployer,
    contract: { ...artifact, abi: [...artifact.abi, APPLY_FRAGMENT] },
    args: [
      (await deployments.get("SmartLaw")).address,
      (await deployments.get("IdentityRegistry")).address,
      (await deployments.get("CivilRegistry")).address,
    ],
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["ServiceDesk", "services"];
func.dependencies = ["SmartLaw", "IdentityRegistry", "CivilRegistry"];
export default func;
