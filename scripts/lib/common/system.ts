/** The deployed GovChain system on a network, as typed contracts. */
import type { Interface, Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type {
  AccessLog,
  CivilRegistry,
  FiatToken,
  IdentityRegistry,
  Legislature,
  ServiceDesk,
  SmartLaw,
  Treasury,
} from "../../../typechain-types";
import { checkNodeAndDeployments } from "../network/deployments";

export interface System {
  smartLaw: SmartLaw;
  legislature: Legislature;
  identityRegistry: IdentityRegistry;
}

/** The civil registers and the citizens' services, deployed on top of the core. */
export interface Services {
  civilRegistry: CivilRegistry;
  serviceDesk: ServiceDesk;
}

/** The system's contracts from the network's deployments, connected to `signer` (read-only when left out). */
export async function getSystem(hre: HardhatRuntimeEnvironment, signer?: Signer): Promise<System> {
  const at = contractAt(hre, signer);
  return {
    smartLaw: await at<SmartLaw>("SmartLaw"),
    legislature: await at<Legislature>("Legislature"),
    identityRegistry: await at<IdentityRegistry>("IdentityRegistry"),
  };
}

/** The CivilRegistry and the ServiceDesk, connected to `signer` (read-only when left out). */
export async function getServices(hre: HardhatRuntimeEnvironment, signer?: Signer): Promise<Services> {
  const at = contractAt(hre, signer);
  return {
    civilRegistry: await at<CivilRegistry>("CivilRegistry"),
    serviceDesk: await at<ServiceDesk>("ServiceDesk"),
  };
}

/** The legal tender and the Treasury. */
export interface Finance {
  fiatToken: FiatToken;
  treasury: Treasury;
}

/** The FiatToken and the Treasury, connected to `signer` (read-only when left out). */
export async function getFinance(hre: HardhatRuntimeEnvironment, signer?: Signer): Promise<Finance> {
  const at = contractAt(hre, signer);
  return { fiatToken: await at<FiatToken>("FiatToken"), treasury: await at<Treasury>("Treasury") };
}

/** The interfaces of every deployed contract, to decode their custom errors (see errors.ts). */
export async function systemInterfaces(hre: HardhatRuntimeEnvironment): Promise<Interface[]> {
  const { smartLaw, identityRegistry, legislature } = await getSystem(hre);
  const { civilRegistry, serviceDesk } = await getServices(hre);
  const interfaces: Interface[] = [
    civilRegistry.interface,
    smartLaw.interface,
    identityRegistry.interface,
    serviceDesk.interface,
    legislature.interface,
  ];
  if (await hre.deployments.getOrNull("Treasury")) {
    const { fiatToken, treasury } = await getFinance(hre);
    interfaces.push(treasury.interface, fiatToken.interface);
  }
  if (await hre.deployments.getOrNull("AccessLog"))
    interfaces.push((await contractAt(hre)<AccessLog>("AccessLog")).interface);
  return interfaces;
}

function contractAt(hre: HardhatRuntimeEnvironment, signer?: Signer) {
  return async <T>(name: string): Promise<T> => {
    await checkNodeAndDeployments(hre);
    const deployment = await hre.deployments.getOrNull(name);
    if (!deployment) {
      throw new Error(
        `${name} is not deployed on network "${hre.network.name}": run \`npx hardhat deploy --network ${hre.network.name}\``,
      );
    }
    return (await hre.ethers.getContractAt(name, deployment.address, signer)) as unknown as T;
  };
}
