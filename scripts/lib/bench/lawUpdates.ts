/**
 * Law updates as the benchmark and the gas trace send them: drafted with the nonce law:draft would pick, so that an
 * enactment's gas is what a legislator's costs, and signed by the legislators given.
 */
import { id, type Signer } from "ethers";

import type { Legislature, SmartLaw } from "../../../typechain-types";
import { lawId, paramKey } from "../common/ids";
import { pickNonce } from "../law/nonce";
import { LAW_UPDATE_TYPES, legislatureDomain, type LawCall, type LawUpdate } from "../law/lawUpdate";

export function benchLawUpdates(smartLaw: SmartLaw, legislature: Legislature) {
  const PENSION_ACT = lawId("PENSION_ACT");
  /** An update of `law` to its next version, valid for an hour. */
  const update = async (law: string, calls: LawCall[]): Promise<LawUpdate> => {
    const now = BigInt((await legislature.runner!.provider!.getBlock("latest"))!.timestamp);
    const nonce = await pickNonce(legislature);
    return {
      lawId: law,
      version: Number(await smartLaw.lawVersion(law)) + 1,
      textHash: id(`text ${nonce}`),
      calls,
      nonce,
      epoch: await legislature.epoch(),
      deadline: now + 3600n,
    };
  };
  const sign = async (u: LawUpdate, signers: Signer[]) => {
    const domain = await legislatureDomain(legislature);
    return Promise.all(signers.map((s) => s.signTypedData(domain, LAW_UPDATE_TYPES, u)));
  };
  /** The one-parameter amendment both measure: the PENSION_ACT's RETIREMENT_AGE set to `value`. */
  const setParam = (value: number): LawCall => ({
    target: smartLaw.target as string,
    data: smartLaw.interface.encodeFunctionData("setParam", [PENSION_ACT, paramKey("RETIREMENT_AGE"), value]),
  });
  return { update, sign, setParam };
}
