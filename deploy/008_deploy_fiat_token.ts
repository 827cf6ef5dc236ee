import type { DeployFunction } from "hardhat-deploy/types";

import { confirmationsFor } from "../scripts/lib/network/chain";

/** The name and symbol of the legal tender; its decimals are fixed at 2 (fen). */
export const TOKEN_NAME = "GovChain Yuan";
export const TOKEN_SYMBOL = "GCNY";

/**
 * The FiatToken. It holds no power of its own: minters, service accounts and its place among the IdentityRegistry's
 * observers are all set by the genesis law (genesis/genesis.yaml, CURRENCY_ACT and PUBLIC_FINANCE_ACT).
 */
const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  await deployments.deploy("FiatToken", {
    from: deployer,
    args: [
      TOKEN_NAME,
      TOKEN_SYMBOL,
      (await deployments.get("SmartLaw")).address,
      (await deployments.get("IdentityRegistry")).address,
    ],
    log: true,
    waitConfirmations: confirmationsFor(network.name),
  });
};
func.tags = ["FiatToken", "treasury"];
func.dependencies = ["SmartLaw", "IdentityRegistry"];
export default func;
