/** The deployed system, from the real deploy scripts and the genesis law, for every test file. */
import { deployments, ethers, getNamedAccounts } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import {
  getFinance,
  getServices,
  getSystem,
  type Finance,
  type Services,
  type System,
} from "../../scripts/lib/common/system";
import { DONGCHENG, FIRST_NEW_IDENTITY, PERSON, attributes, consentToEnrol } from "./identity";

export type NamedSigners = Record<
  | "deployer"
  | "legislator1"
  | "legislator2"
  | "legislator3"
  | "registrar"
  | "registrar2"
  | "director"
  | "citizen1"
  | "citizen2"
  | "citizen3"
  | "outsider"
  | "hospital"
  | "hospitalRegistrar"
  | "officer"
  | "centralBank"
  | "centralBanker"
  | "court"
  | "judge"
  | "guardian"
  | "financeOfficer"
  | "dataAdministration"
  | "dataService",
  HardhatEthersSigner
>;

export interface SystemFixture extends System, Services, Finance {
  signers: NamedSigners;
  /** The legislators who sign by default: a quorum. */
  legislators: HardhatEthersSigner[];
}

/**
 * Deploys the whole system with its genesis law (the real deploy scripts), once per fixture; each later call of
 * a fixture reverts the chain to the state it left, so that every test starts from its own state.
 */
export const deploySystem = deployments.createFixture(async (hre) => {
  await deployments.fixture();
  return systemFixture(hre);
});

/** The deployed system and the named signers; for fixtures that build on the deployment. */
export async function systemFixture(hre: HardhatRuntimeEnvironment): Promise<SystemFixture> {
  const named = await getNamedAccounts();
  const signers = Object.fromEntries(
    await Promise.all(Object.entries(named).map(async ([name, address]) => [name, await ethers.getSigner(address)])),
  ) as NamedSigners;
  return {
    ...(await getSystem(hre)),
    ...(await getServices(hre)),
    ...(await getFinance(hre)),
    signers,
    legislators: [signers.legislator1, signers.legislator2],
  };
}

/** The system and citizen1, a person in Dongcheng enrolled by the Dongcheng registrar, with no appointment. */
export interface CitizenFixture extends SystemFixture {
  citizenId: bigint;
}

/** {deploySystem} with citizen1 enrolled (his key consenting first), for tests of what a citizen may do. */
export const citizenFixture = deployments.createFixture(async (hre): Promise<CitizenFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  await consentToEnrol(f.identityRegistry, f.signers.citizen1);
  await f.identityRegistry
    .connect(f.signers.registrar)
    .enroll(PERSON, DONGCHENG, attributes(), f.signers.citizen1.address);
  return { ...f, citizenId: FIRST_NEW_IDENTITY };
});
