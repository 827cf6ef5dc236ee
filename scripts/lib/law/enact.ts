/**
 * law:enact: collects legislators' signature files, checks them and the update against the chain with clear
 * messages (who signed, quorum, epoch, deadline, nonce, version), and only then submits the update.
 */
import { Signature, recoverAddress, type ContractTransactionReceipt, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId } from "../common/ids";
import { boundIdentityCount, type LawUpdateFile, type SignatureFile } from "./lawUpdate";
import { getSystem } from "../common/system";
import { explain, sendChecked } from "../common/tx";
import { revertData } from "../common/errors";

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
  /** The account the enactment was simulated from, the one that submits it. */
  submitter: string;
  /** The gas the enactment is estimated to take, and the most a block of the chain holds. */
  gas: bigint;
  blockGasLimit: bigint;
}

/**
 * How close to the signatures' deadline an update may be checked: the check is made at the latest block, and the
 * enactment is mined later (a check hours before, a PoA block interval after sending). Within this margin a check
 * is refused (not "Ready"), and sending goes on with a warning, since it is mined within a block or two.
 */
export const DEADLINE_MARGIN_SECONDS = 600n;

/** How nodes say that a simulation ran out of the gas a block holds (Hardhat, anvil, geth and Besu). */
const OUT_OF_GAS = /out of gas|gas required exceeds|exceeds block gas limit/i;

/**
 * Whether a simulation failed for want of gas, not by a revert: the node says so, with no revert data or empty data
 * (Hardhat's network gives "0x" when a call runs out of gas inside the Legislature's last 1/64).
 */
export function ranOutOfGas(error: unknown): boolean {
  const data = revertData(error);
  return (data === undefined || data === "0x") && OUT_OF_GAS.test((error as Error).message);
}

export interface EnactmentOptions {
  /** The account that will submit (the simulation runs from it). */
  submitter: string;
  /** Whether this is a check ahead of sending (law:enact --check): a deadline within the margin refuses it. */
  check?: boolean;
}

/**
 * Checks a law update and its signatures against the chain, then simulates its enactment with the signatures as
 * they will be sent. Throws {@link LawUpdateRefused} with every problem, or the decoded error of the enactment.
 */
export async function checkEnactment(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  signatureFiles: SignatureFile[],
  { submitter, check = false }: EnactmentOptions,
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
  const latest = (await hre.ethers.provider.getBlock("latest"))!;
  const now = BigInt(latest.timestamp);
  if (update.deadline < now) {
    problems.push(`the update expired at ${new Date(Number(update.deadline) * 1000).toISOString()}`);
  } else if (update.deadline - now < DEADLINE_MARGIN_SECONDS) {
    const left = `the signatures expire at ${new Date(Number(update.deadline) * 1000).toISOString()}, ${update.deadline - now} s after the latest block`;
    if (check)
      problems.push(
        `${left}, within the ${DEADLINE_MARGIN_SECONDS / 60n}-minute margin: it may expire before it is mined; enact it now (without --check) or draft and sign it again`,
      );
    else notes.push(`${left}: sent at once`);
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
  const bound = boundIdentityCount(update, await identityRegistry.getAddress());
  if (bound !== undefined && bound !== identityCount) {
    problems.push(
      `the update is bound to ${bound} enrolled identities (its first call, signed), there are now ${identityCount}: the ids it gives the identities it enrols are taken; draft it again`,
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
  // the enactment itself, simulated from the submitter: "ready" only when every call of the update passes, as the
  // Legislature, and the whole fits in a block
  let gas: bigint;
  try {
    // read-only: the contract's runner may be another account's signer, which refuses another `from`
    const simulated = legislature.connect(hre.ethers.provider);
    await simulated.enact.staticCall(file.update, signatures, { from: submitter });
    gas = await simulated.enact.estimateGas(file.update, signatures, { from: submitter });
  } catch (error) {
    // a node runs a simulation with at most a block's gas: running out there is the block's limit, not a revert
    if (ranOutOfGas(error))
      throw new LawUpdateRefused([
        `the enactment needs more gas than a block holds (the latest block's gas limit is ${latest.gasLimit}): split the update into smaller ones`,
      ]);
    throw new LawUpdateRefused([`the enactment would fail: ${await explain(hre, error)}`]);
  }
  if (gas > latest.gasLimit)
    throw new LawUpdateRefused([
      `the enactment needs ${gas} gas, more than a block holds (the latest block's gas limit is ${latest.gasLimit}): split the update into smaller ones`,
    ]);
  return { signers, signatures, approvals, quorum, notes, submitter, gas, blockGasLimit: latest.gasLimit };
}

/** Checks, then submits, a law update. */
export async function enactLawUpdate(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  signatureFiles: SignatureFile[],
  submitter: Signer,
): Promise<{ plan: EnactmentPlan; receipt: ContractTransactionReceipt }> {
  const plan = await checkEnactment(hre, file, signatureFiles, { submitter: await submitter.getAddress() });
  const { legislature } = await getSystem(hre, submitter);
  // returns once final: on the PoA network, after POA_CONFIRMATIONS blocks
  const receipt = await sendChecked(hre, legislature, "enact", [file.update, plan.signatures]);
  return { plan, receipt };
}
