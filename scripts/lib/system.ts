/** The deployed GovChain system on a network, as typed contracts. */
import type { Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { IdentityRegistry, Legislature, SmartLaw } from "../../typechain-types";

export interface System {
  smartLaw: SmartLaw;
  legislature: Legislature;
  identityRegistry: IdentityRegistry;
}

/** The system's contracts from the network's deployments, connected to `signer` (read-only when left out). */
export async function getSystem(hre: HardhatRuntimeEnvironment, signer?: Signer): Promise<System> {
  const at = async <T>(name: string): Promise<T> => {
    const deployment = await hre.deployments.getOrNull(name);
    if (!deployment) {
      throw new Error(
        `${name} is not deployed on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\``,
      );
    }
    return (await hre.ethers.getContractAt(name, deployment.address, signer)) as unknown as T;
  };
  return {
    smartLaw: await at<SmartLaw>("SmartLaw"),
    legislature: await at<Legislature>("Legislature"),
    identityRegistry: await at<IdentityRegistry>("IdentityRegistry"),
  };
}
