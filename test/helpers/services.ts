/** Applications to the ServiceDesk in tests: citizens with keys we hold, marriage consents, birth declarations. */
import { ethers } from "hardhat";
import type { HDNodeWallet } from "ethers";

import { textId } from "../../scripts/lib/common/ids";
import { signMarriageTerms } from "../../scripts/lib/services/services";
import type { SystemFixture } from "./fixtures";
import { DONGCHENG, consentToEnrol, time } from "./identity";
import { BIRTH, birthData, chainDate, coder, documentHash, enrollPerson } from "./registry";

export const APPLICATION_STATUS = { None: 0n, Submitted: 1n, Approved: 2n, Rejected: 3n, Referred: 4n } as const;
export const PENSION = textId("PENSION_ENROLMENT");
export const MARRIAGE_REGISTRATION = textId("MARRIAGE_REGISTRATION");
export const BIRTH_REGISTRATION = textId("BIRTH_REGISTRATION");
export const MARRIAGE_LAW = textId("MARRIAGE_LAW");
export const BIRTH_REGISTRATION_ACT = textId("BIRTH_REGISTRATION_ACT");
/** A rule's reason code as bytes32 text. */
export const reason = (text: string) => ethers.encodeBytes32String(text);

export interface Citizen {
  id: bigint;
  wallet: HDNodeWallet;
  /** The data of the citizen's birth record ("0x" when none). */
  birth: string;
}

/** A person with a key we hold, and (unless `yearsAgo` is undefined) a birth record born `yearsAgo` years ago. */
export async function citizen(
  f: SystemFixture,
  yearsAgo: number | undefined,
  jurisdiction = DONGCHENG,
): Promise<Citizen> {
  const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
  await f.signers.deployer.sendTransaction({ to: wallet.address, value: ethers.parseEther("1") });
  await consentToEnrol(f.identityRegistry, wallet);
  const id = await enrollPerson(f, jurisdiction, wallet.address);
  let birth = "0x";
  if (yearsAgo !== undefined) {
    birth = birthData(await chainDate(yearsAgo), jurisdiction);
    const registrar = jurisdiction === DONGCHENG ? f.signers.registrar : f.signers.registrar2;
    await f.civilRegistry.connect(registrar).record(BIRTH, id, birth);
  }
  return { id, wallet, birth };
}

let consentNonce = 0n;

/** A marriage application by `a` with `b`'s consent (signed by `signer`, b's key by default); `digest` its digest. */
export async function marriageApplication(
  f: SystemFixture,
  a: Citizen,
  b: Citizen,
  signer: { signTypedData: HDNodeWallet["signTypedData"] } = b.wallet,
  overrides: { nonce?: bigint; documentHash?: string } = {},
): Promise<{ data: string; digest: string; documentHash: string }> {
  const consent = {
    applicant: a.id,
    partner: b.id,
    documentHash: overrides.documentHash ?? documentHash(),
    nonce: overrides.nonce ?? ++consentNonce,
    deadline: BigInt(await time.latest()) + 3600n,
  };
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const { signature, digest } = await signMarriageTerms(
    signer,
    await f.smartLaw.ruleOf(MARRIAGE_LAW),
    chainId,
    consent,
  );
  const data = coder.encode(
    ["uint256", "bytes32", "bytes", "bytes", "uint256", "uint256", "bytes"],
    [b.id, consent.documentHash, a.birth, b.birth, consent.nonce, consent.deadline, signature],
  );
  return { data, digest, documentHash: consent.documentHash };
}

/** A birth declaration: the child, the date (yyyymmdd), and the parents named (0 for none). */
export function birthDeclaration(
  child: bigint,
  date: number,
  parents: [bigint, bigint] = [0n, 0n],
  document = documentHash(),
  place = DONGCHENG,
): string {
  return coder.encode(
    ["uint256", "uint32", "bytes32", "bytes32", "uint256", "uint256"],
    [child, date, place, document, parents[0], parents[1]],
  );
}

/** A marriage record's data. */
export function marriageData(spouse: bigint, date: number, document: string): string {
  return coder.encode(["uint256", "uint32", "bytes32"], [spouse, date, document]);
}
