/**
 * law:enact: collects legislators' signature files, checks them and the update against the chain with clear
 * messages (who signed, quorum, epoch, deadline, nonce, version), and only then submits the update.
 */
import { Signature, recoverAddress, type ContractTransactionReceipt, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId } from "../common/ids";
import type { LawUpdateFile, SignatureFile } from "./lawUpdate";
import { getSystem } from "../common/system";
import { explain, sendChecked } from "../common/tx";

const HALF_CURVE_ORDER = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** Raised when a law update would be refused: nothing was sent. */
export class LawUpdateRefused extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : `the law update would be refused:\n  - ${problems.join("\n  - ")}`);
    this.name = "LawUpdateRefused";
  }
}

export interface EnactmentPlan {
  /** The legislators whose signatures will be submitted, in the order given. */
  signers: string[];
  signatures: string[];
  /** Current legislators who approved the digest on chain and signed no file. */
  approvals: string[];
  quorum: bigint;
  /** Notes that do not stop the update (a signature file given twice, say). */
  notes: string[];
}

/**
 * Checks a law update and its signatures against the chain, then simulates its enactment with the signatures as
 * they will be sent. Throws {@link LawUpdateRefused} with every problem, or the decoded error of the enactment.
 */
export async function checkEnactment(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  signatureFiles: SignatureFile[],
): Promise<EnactmentPlan> {
  const { legislature, smartLaw, identityRegistry } = await getSystem(hre);
  const problems: string[] = [];
  const notes: string[] = [];
  const update = file.update;
  const name = readableId(update.lawId);

  const { chainId } = await hre.ethers.provider.getNetwork();
  if (BigInt(file.domain.chainId) !== chainId) {
    problems.push(`the update was drafted for chain ${file.domain.chainId}, this network is chain ${chainId}`);
  }
  const legislatureAddress = await legislature.getAddress();
  if (file.domain.verifyingContract.toLowerCase() !== legislatureAddress.toLowerCase()) {
    problems.push(
      `the update was drafted for the Legislature at ${file.domain.verifyingContract}, this network's is at ${legislatureAddress}`,
    );
  }
  const epoch = await legislature.epoch();
  if (update.epoch !== epoch) {
    problems.push(
      `the update was signed for epoch ${update.epoch}, the current epoch is ${epoch}: the legislators or the quorum changed since; draft and sign it again`,
    );
  }
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  if (update.deadline < now) {
    problems.push(`the update expired at ${new Date(Number(update.deadline) * 1000).toISOString()}`);
  }
  if (await legislature.isNonceUsed(update.nonce))
    problems.push(`the update was already enacted (its nonce ${update.nonce} is used)`);
  const current = Number(await smartLaw.lawVersion(update.lawId));
  if (update.version !== current + 1) {
    problems.push(
      `${name} is at version ${current}: this update enacts version ${update.version}, not the next (${current + 1})`,
    );
  }
  const identityCount = await identityRegistry.identityCount();
  if (identityCount.toString() !== file.assumes.identityCount) {
    problems.push(
      `the draft assumed ${file.assumes.identityCount} identities, there are now ${identityCount}: the ids it gives new identities would be wrong; draft it again`,
    );
  }

  const signers: string[] = [];
  const signatures: string[] = [];
  for (const sig of signatureFiles) {
    if (sig.digest !== file.digest) {
      problems.push(
        `the signature of ${sig.signer} is for another law update (digest ${sig.digest}, this one is ${file.digest})`,
      );
      continue;
    }
    let recovered: string;
    let normalised: string;
    try {
      const parsed = Signature.from(sig.signature);
      if (BigInt(parsed.s) > HALF_CURVE_ORDER) throw new Error("high s");
      // the Legislature takes 65 bytes with v = 27/28: compact (EIP-2098) and v = 0/1 signatures are re-encoded
      normalised = parsed.serialized;
      recovered = recoverAddress(file.digest, normalised);
    } catch {
      problems.push(`the signature file of ${sig.signer} holds no valid (low-s) signature`);
      continue;
    }
    if (recovered.toLowerCase() !== sig.signer.toLowerCase()) {
      problems.push(`a signature file says it is by ${sig.signer}, but it was signed by ${recovered}`);
      continue;
    }
    if (signers.includes(recovered)) {
      notes.push(`${recovered} signed more than once; counted once`);
      continue;
    }
    if (!(await legislature.isLegislator(recovered))) {
      problems.push(`${recovered} is not a current legislator`);
      continue;
    }
    signers.push(recovered);
    signatures.push(normalised);
  }

  const approvals: string[] = [];
  const legislators = await legislature.legislators();
  for (const legislator of legislators) {
    if (!signers.includes(legislator) && (await legislature.hasApproved(file.digest, legislator)))
      approvals.push(legislator);
  }
  const quorum = await legislature.quorum();
  const count = signers.length + approvals.length;
  if (BigInt(count) < quorum) {
    const missing = legislators.filter((l) => !signers.includes(l) && !approvals.includes(l));
    problems.push(
      `${count} of the ${quorum} legislators needed have signed or approved; still to sign: ${missing.join(", ")}`,
    );
  }
  if (problems.length > 0) throw new LawUpdateRefused(problems);
  // the enactment itself, simulated: "ready" only when every call of the update passes, as the Legislature
  try {
    await legislature.enact.staticCall(file.update, signatures);
  } catch (error) {
    throw new LawUpdateRefused([`the enactment would fail: ${await explain(hre, error)}`]);
  }
  return { signers, signatures, approvals, quorum, notes };
}

/** Checks, then submits, a law update. */
export async function enactLawUpdate(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  signatureFiles: SignatureFile[],
  submitter: Signer,
): Promise<{ plan: EnactmentPlan; receipt: ContractTransactionReceipt }> {
  const plan = await checkEnactment(hre, file, signatureFiles);
  const { legislature } = await getSystem(hre, submitter);
  // returns once final: on the PoA network, after POA_CONFIRMATIONS blocks
  const receipt = await sendChecked(hre, legislature, "enact", [file.update, plan.signatures]);
  return { plan, receipt };
}
