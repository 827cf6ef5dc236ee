/** Helpers for the treasury's tests: a funded Treasury, pensioners enrolled, people who hold tokens. */
import { deployments, ethers } from "hardhat";
import type { HDNodeWallet } from "ethers";

import { lawId, textId } from "../../scripts/lib/common/ids";
import { systemFixture, type SystemFixture } from "./fixtures";
import { DONGCHENG, GENESIS, PERSON, attributes, consentToEnrol } from "./identity";
import { call, enact, PENSION_ACT } from "./law";
import { DEATH, PENSION_ENROLMENT, coder, deathData, enrollPerson } from "./registry";

export const PENSION = textId("PENSION");
export const CURRENCY_ACT = lawId("CURRENCY_ACT");
export const PUBLIC_FINANCE_ACT = lawId("PUBLIC_FINANCE_ACT");
export const PENSION_AMOUNT = 300_000n;
export const PENSION_PERIOD = 2_592_000n;
export const SKIP = {
  None: 0n,
  AlreadyPaid: 1n,
  NotEnrolled: 2n,
  Stopped: 3n,
  KeyFrozen: 4n,
  KeyNotOfIdentity: 5n,
  KeyRevoked: 6n,
  IdentityNotActive: 7n,
} as const;
/** Why the token's `disburse` passes over a payee (IFiatToken.PayeeRefusal). */
export const REFUSAL = {
  None: 0n,
  AccountFrozen: 1n,
  KeyNotOfIdentity: 2n,
  KeyRevoked: 3n,
  IdentityNotActive: 4n,
} as const;

/** What the fixture mints to the Treasury, allocates to the Ministry's account and to the pension programme. */
export const MINTED = 100_000_000_00n;
export const MINISTRY_BUDGET = 5_000_000_00n;
export const PENSION_BUDGET = 20_000_000_00n;

/** A person with a funded wallet of their own. */
export interface Person {
  id: bigint;
  wallet: HDNodeWallet;
}

export interface TreasuryFixture extends SystemFixture {
  /** Three persons enrolled in the pension programme, and one person who is not. */
  pensioners: Person[];
  young: Person;
}

/** A new person in Dongcheng with a funded wallet. */
export async function newPerson(f: SystemFixture): Promise<Person> {
  const wallet = ethers.Wallet.createRandom(ethers.provider);
  await ethers.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
  await consentToEnrol(f.identityRegistry, wallet);
  return { id: await enrollPerson(f, undefined, wallet.address), wallet };
}

/** Enrols persons in PENSION_ENROLMENT by a law update (as offline data enters the registers). */
export async function enrolPensioners(f: SystemFixture, ids: bigint[]): Promise<void> {
  const data = ids.map(() => coder.encode(["uint32", "bytes32"], [20250101, ethers.ZeroHash]));
  await enact(f, f.legislators, PENSION_ACT, [
    await call(f.civilRegistry, "recordBatch", [PENSION_ENROLMENT, ids, data]),
  ]);
}

/** Records a death, by the Dongcheng registrar. */
export async function recordDeath(f: SystemFixture, id: bigint): Promise<void> {
  await f.civilRegistry.connect(f.signers.registrar).record(DEATH, id, deathData(20260101));
}

/** Mints `amount` to `to` by the central bank's issuance officer. */
export async function mint(f: SystemFixture, to: string, amount: bigint): Promise<void> {
  await f.fiatToken.connect(f.signers.centralBanker).mint(to, amount);
}

/** Two holders: citizen2 enrolled beside citizen1 (of {citizenFixture}), and `amount` fen minted to citizen1. */
export async function twoHolders(f: SystemFixture, amount: bigint): Promise<void> {
  await consentToEnrol(f.identityRegistry, f.signers.citizen2);
  await f.identityRegistry
    .connect(f.signers.registrar)
    .enroll(PERSON, DONGCHENG, attributes(), f.signers.citizen2.address);
  await mint(f, f.signers.citizen1.address, amount);
}

/**
 * The system with the Treasury funded: MINTED minted to it, MINISTRY_BUDGET allocated to the Ministry's account
 * and PENSION_BUDGET to the pension programme, three pensioners enrolled and one young person who is not.
 */
export const treasuryFixture = deployments.createFixture(async (hre): Promise<TreasuryFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const treasury = await f.treasury.getAddress();
  await mint(f, treasury, MINTED);
  await enact(f, f.legislators, PUBLIC_FINANCE_ACT, [
    await call(f.treasury, "allocate", [GENESIS.ministry, MINISTRY_BUDGET]),
    await call(f.treasury, "fundProgramme", [PENSION, PENSION_BUDGET]),
  ]);
  const pensioners = [await newPerson(f), await newPerson(f), await newPerson(f)];
  await enrolPensioners(
    f,
    pensioners.map((p) => p.id),
  );
  return { ...f, pensioners, young: await newPerson(f) };
});
