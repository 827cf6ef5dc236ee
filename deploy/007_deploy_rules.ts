import type { DeployFunction } from "hardhat-deploy/types";

import { lawId, textId } from "../scripts/lib/common/ids";

import { confirmationsFor } from "../scripts/lib/network/chain";

/**
 * The rules that decide citizens' applications, each for its law and the registers it reads. A rule has legal
 * force only once a law binds it (genesis/genesis.yaml: `rule:`), pinned by its code hash, which covers these
 * constructor arguments.
 */
export const RULES: { name: string; law: string; registers: string[] }[] = [
  { name: "BirthRegistrationRule", law: "BIRTH_REGISTRATION_ACT", registers: ["BIRTH"] },
  { name: "MarriageRegistrationRule", law: "MARRIAGE_LAW", registers: ["BIRTH", "DEATH", "MARRIAGE"] },
  { name: "PensionEnrolmentRule", law: "PENSION_ACT", registers: ["BIRTH", "DEATH", "PENSION_ENROLMENT"] },
];

const func: DeployFunction = async ({ deployments, getNamedAccounts, network }) => {
  const { deployer } = await getNamedAccounts();
  const system = [
    (await deployments.get("SmartLaw")).address,
    (await deployments.get("IdentityRegistry")).address,
    (await deployments.get("CivilRegistry")).address,
  ];
  for (const rule of RULES) {
    await deployments.deploy(rule.name, {
      from: deployer,
      args: [...system, lawId(rule.law), ...rule.registers.map(textId)],
      log: true,
      waitConfirmations: confirmationsFor(network.name),
    });
  }
};
func.tags = ["Rules", "services"];
func.dependencies = ["SmartLaw", "IdentityRegistry", "CivilRegistry"];
export default func;
