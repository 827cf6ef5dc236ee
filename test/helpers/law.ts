/** Building, signing and enacting law updates in tests, without files. */
import { ethers } from "hardhat";
import { Signature, type BaseContract, type Signer } from "ethers";

import { lawId, paramKey, roleId } from "../../scripts/lib/common/ids";
import { LAW_UPDATE_TYPES, legislatureDomain, type LawCall, type LawUpdate } from "../../scripts/lib/law/lawUpdate";
import type { Legislature, SmartLaw } from "../../typechain-types";

export { lawId, paramKey, roleId };

export const REGISTRAR = roleId("REGISTRAR");
export const PERSONNEL_OFFICER = roleId("PERSONNEL_OFFICER");
export const CIVIL_ACT = lawId("CIVIL_ADMINISTRATION_ACT");
export const PENSION_ACT = lawId("PENSION_ACT");
export const SCOPE_ANY = 0;
export const SCOPE_JURISDICTION = 1;

let nextNonce = 1_000_000n;

/** A call of `contract.fn(args)`, as a law update carries it. */
export async function call(contract: BaseContract, fn: string, args: unknown[]): Promise<LawCall> {
  return { target: await contract.getAddress(), data: contract.interface.encodeFunctionData(fn, args) };
}

/** A law update for `law`'s next version, with fresh nonce, current epoch and a deadline an hour ahead. */
export async function lawUpdate(
  system: { legislature: Legislature; smartLaw: SmartLaw },
  law: string,
  calls: LawCall[],
  overrides: Partial<LawUpdate> = {},
): Promise<LawUpdate> {
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  return {
    lawId: law,
    version: Number(await system.smartLaw.lawVersion(law)) + 1,
    textHash: ethers.id(`text of ${law}`),
    calls,
    nonce: nextNonce++,
    epoch: await system.legislature.epoch(),
    deadline: now + 3600n,
    ...overrides,
  };
}

export async function sign(legislature: Legislature, update: LawUpdate, signers: Signer[]): Promise<string[]> {
  const domain = await legislatureDomain(legislature);
  return Promise.all(signers.map((s) => s.signTypedData(domain, LAW_UPDATE_TYPES, update)));
}

/** Enacts `calls` under `law` with the signatures of `signers`; returns the transaction. */
export async function enact(
  system: { legislature: Legislature; smartLaw: SmartLaw },
  signers: Signer[],
  law: string,
  calls: LawCall[],
) {
  const update = await lawUpdate(system, law, calls);
  return system.legislature.enact(update, await sign(system.legislature, update, signers));
}

/**
 * The Legislature's own address as a signer (impersonated, funded), for tests of what only a law may do that
 * would otherwise need a whole law update per refusal.
 */
export async function legislatureSigner(system: { legislature: Legislature }): Promise<Signer> {
  const signer = await ethers.getImpersonatedSigner(await system.legislature.getAddress());
  await ethers.provider.send("hardhat_setBalance", [signer.address, "0x56BC75E2D63100000"]);
  return signer;
}

/** The same signature with s replaced by n - s (and v flipped): valid for ecrecover, refused as malleable. */
export function highS(signature: string): string {
  const sig = Signature.from(signature);
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const s = n - BigInt(sig.s);
  const v = sig.v === 27 ? 28 : 27;
  return ethers.concat([sig.r, ethers.toBeHex(s, 32), ethers.toBeHex(v, 1)]);
}
