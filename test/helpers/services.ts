/** Applications to the ServiceDesk in tests: citizens with keys we hold, marriage consents, birth declarations. */
import { ethers } from "hardhat";
import type { HDNodeWallet } from "ethers";

import { textId } from "../../scripts/lib/common/ids";
import { signMarriageTerms } from "../../scripts/lib/services/services";
import type { SystemFixture } from "./fixtures";
import { DONGCHENG, consentToEnrol, time } from "./identity";
import {
  BIRTH,
  BIRTH_SCHEMA,
  MARRIAGE_SCHEMA,
  birthRecord,
  chainDate,
  coder,
  documentHash,
  enrollPerson,
  seal,
} from "./registry";

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
  /** The opening of the citizen's birth record, as rules read it: `abi.encode(bytes32 documentHash, bytes
   * opening)` ("0x" when none). */
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
    const record = birthRecord(await chainDate(yearsAgo), jurisdiction);
    birth = record.proof;
    const registrar = jurisdiction === DONGCHENG ? f.signers.registrar : f.signers.registrar2;
    await f.civilRegistry.connect(registrar).record(BIRTH, id, record.onChain);
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
): Promise<{ data: string; digest: string; documentHash: string; salt: string }> {
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
  const salt = ethers.hexlify(ethers.randomBytes(32));
  const data = coder.encode(
    ["uint256", "bytes32", "bytes", "bytes", "uint256", "uint256", "bytes", "bytes32"],
    [b.id, consent.documentHash, a.birth, b.birth, consent.nonce, consent.deadline, signature, salt],
  );
  return { data, digest, documentHash: consent.documentHash, salt };
}

/** A birth declaration: the child, the date (yyyymmdd), and the parents named (0 for none). */
export function birthDeclaration(
  child: bigint,
  date: number,
  parents: [bigint, bigint] = [0n, 0n],
  document = documentHash(),
  place = DONGCHENG,
  salt = BIRTH_SALT,
): string {
  return coder.encode(
    ["uint256", "uint32", "bytes32", "bytes32", "uint256", "uint256", "bytes32"],
    [child, date, place, document, parents[0], parents[1], salt],
  );
}

/** The salt of the tests' birth declarations. */
export const BIRTH_SALT = ethers.id("birth salt");

/** The birth record a declaration proposes: the document hash and the date and place committed with its salt. */
export function declaredBirth(date: number, document: string, place = DONGCHENG, salt = BIRTH_SALT): string {
  return seal(BIRTH_SCHEMA, [date, place, document], salt).onChain;
}

/** A marriage record as an official decides it: its clear form with its salt, `abi.encode(bytes clear, bytes32 salt)`. */
export function marriageData(
  spouse: bigint,
  date: number,
  document: string,
  salt = ethers.id("marriage salt"),
): string {
  return coder.encode(["bytes", "bytes32"], [seal(MARRIAGE_SCHEMA, [spouse, date, document], salt).clear, salt]);
}

/** The on-chain form of a party's marriage record as the rule writes it from the application's salt. */
export function marriageRecord(party: bigint, spouse: bigint, date: number, document: string, salt: string): string {
  const partySalt = ethers.keccak256(coder.encode(["bytes32", "uint256"], [salt, party]));
  return seal(MARRIAGE_SCHEMA, [spouse, date, document], partySalt).onChain;
}

/** A birth record as an official decides it: its clear form with its salt. */
export function decidedBirth(date: number, document: string, place = DONGCHENG, salt = BIRTH_SALT): string {
  return coder.encode(["bytes", "bytes32"], [seal(BIRTH_SCHEMA, [date, place, document], salt).clear, salt]);
}

/** An official's approval data: the application's data, and the decided records' data (none: as proposed). */
export function approval(applicationData: string, decided: string[] = []): string {
  return coder.encode(["bytes", "bytes[]"], [applicationData, decided]);
}

/**
 * The data an application was submitted with, read back from its transaction's calldata: events and state keep only
 * their hash, but calldata stays visible to node operators (and to the tests).
 */
export async function submittedData(f: SystemFixture, applicationId: bigint): Promise<string> {
  const [event] = await f.serviceDesk.queryFilter(f.serviceDesk.filters.ApplicationSubmitted(applicationId));
  const tx = await ethers.provider.getTransaction(event.transactionHash);
  // submit(bytes32,bytes) and apply(bytes32,bytes) take the same arguments
  const [, data] = coder.decode(["bytes32", "bytes"], ethers.dataSlice(tx!.data, 4));
  return data as string;
}

/** An approval of a referred application: its data as submitted, and the decided records (none: as proposed). */
export async function approvalOf(f: SystemFixture, applicationId: bigint, decided: string[] = []): Promise<string> {
  return approval(await submittedData(f, applicationId), decided);
}
