/**
 * Law updates: the EIP-712 typed data that legislators sign, and the files that carry them between the drafter,
 * the legislators' machines and whoever submits them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { Interface, TypedDataEncoder, getAddress, type TypedDataDomain, type TypedDataField } from "ethers";

/** A call that a law update makes as the Legislature. */
export interface LawCall {
  target: string;
  data: string;
}

/** A law update, as the Legislature's `enact` takes it and legislators sign it. */
export interface LawUpdate {
  lawId: string;
  version: number;
  textHash: string;
  calls: LawCall[];
  nonce: bigint;
  epoch: bigint;
  deadline: bigint;
}

/** What a LawUpdate file holds: the update, its domain and digest, and a readable account of its calls. */
export interface LawUpdateFile {
  kind: "govchain.law-update";
  domain: { name: string; version: string; chainId: string; verifyingContract: string };
  digest: string;
  update: LawUpdate;
  /**
   * One line per call, decoded from its calldata (see describe.ts), e.g.
   * `SmartLaw.setParam(lawId: PENSION_ACT, key: RETIREMENT_AGE, value: 65)`. NOT covered by the digest: readers
   * decode the calls again and refuse a file whose summary says anything else.
   */
  summary: string[];
  /**
   * The names of roles the calls use that the genesis does not name, so that readers print them by name. Not covered
   * by the digest, and need not be: a name is used only where its keccak256 is the role id in the call.
   */
  roles?: string[];
}

/** A legislator's signature of a law update. */
export interface SignatureFile {
  kind: "govchain.law-signature";
  lawId: string;
  version: number;
  digest: string;
  signer: string;
  signature: string;
}

/** The EIP-712 types, exactly as the Legislature hashes them. */
export const LAW_UPDATE_TYPES: Record<string, TypedDataField[]> = {
  LawUpdate: [
    { name: "lawId", type: "bytes32" },
    { name: "version", type: "uint32" },
    { name: "textHash", type: "bytes32" },
    { name: "calls", type: "Call[]" },
    { name: "nonce", type: "uint256" },
    { name: "epoch", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
  Call: [
    { name: "target", type: "address" },
    { name: "data", type: "bytes" },
  ],
};

/** The Legislature's EIP-712 domain, as ERC-5267 `eip712Domain()` reports it. */
export async function legislatureDomain(legislature: {
  eip712Domain(): Promise<[string, string, string, bigint, string, string, bigint[]]>;
}): Promise<TypedDataDomain> {
  const [, name, version, chainId, verifyingContract] = await legislature.eip712Domain();
  return { name, version, chainId, verifyingContract };
}

export function lawUpdateDigest(domain: TypedDataDomain, update: LawUpdate): string {
  return TypedDataEncoder.hash(domain, LAW_UPDATE_TYPES, update);
}

export function domainOfFile(file: LawUpdateFile): TypedDataDomain {
  return { ...file.domain, chainId: BigInt(file.domain.chainId) };
}

/** Writes JSON with bigints as decimal strings. */
export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2) + "\n");
}

function readJson(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new Error(`cannot read ${path}`);
  }
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads a LawUpdate file and checks that its digest is the hash of its update in its domain. */
export function readLawUpdateFile(path: string): LawUpdateFile {
  const raw = readJson(path);
  if (raw.kind !== "govchain.law-update") throw new Error(`${path} is not a law update file (made by law:draft)`);
  const file = raw as unknown as LawUpdateFile;
  const u = file.update;
  file.update = {
    lawId: u.lawId,
    version: Number(u.version),
    textHash: u.textHash,
    calls: u.calls.map((call) => ({ target: getAddress(call.target), data: call.data })),
    nonce: BigInt(u.nonce),
    epoch: BigInt(u.epoch),
    deadline: BigInt(u.deadline),
  };
  const digest = lawUpdateDigest(domainOfFile(file), file.update);
  if (digest !== file.digest) {
    throw new Error(`${path} was altered: its digest ${file.digest} is not the hash of its content (${digest})`);
  }
  return file;
}

export function readSignatureFile(path: string): SignatureFile {
  const raw = readJson(path);
  if (raw.kind !== "govchain.law-signature") throw new Error(`${path} is not a signature file (made by law:sign)`);
  return raw as unknown as SignatureFile;
}

// Written out, not taken from typechain-types: hardhat.config.ts loads this module (through the keystore provider)
// before the compiler has generated those. test/scripts/law-tools.test.ts checks them against the artifact.
const identityRegistryInterface = new Interface([
  "function enroll(uint8 kind, bytes32 jurisdiction, bytes32 attributesHash, address key) returns (uint256)",
  "function requireIdentityCount(uint256 expected) view",
]);

/** Whether `call` enrols an identity (IdentityRegistry.enroll at `identityRegistry`). */
export function isEnrolment(call: LawCall, identityRegistry: string): boolean {
  return (
    call.target.toLowerCase() === identityRegistry.toLowerCase() &&
    call.data.startsWith(identityRegistryInterface.getFunction("enroll")!.selector)
  );
}

/**
 * The call that binds an update to the identity count it was drafted on (IdentityRegistry.requireIdentityCount):
 * the ids of the identities the update enrols, which its later calls name, are counted from it, and the signatures
 * cover it, so that an enrolment between signing and enactment makes the enactment fail as a whole.
 */
export function identityCountGuard(identityRegistry: string, expected: bigint): LawCall {
  return {
    target: getAddress(identityRegistry),
    data: identityRegistryInterface.encodeFunctionData("requireIdentityCount", [expected]),
  };
}

/**
 * The identity count an update is bound to: the argument of its first call when that call is the guard
 * ({@link identityCountGuard}) at `identityRegistry`; undefined when the update has no such first call.
 */
export function boundIdentityCount(update: LawUpdate, identityRegistry: string): bigint | undefined {
  const first = update.calls[0];
  const selector = identityRegistryInterface.getFunction("requireIdentityCount")!.selector;
  if (first === undefined || first.target.toLowerCase() !== identityRegistry.toLowerCase()) return undefined;
  if (!first.data.startsWith(selector)) return undefined;
  try {
    return identityRegistryInterface.decodeFunctionData("requireIdentityCount", first.data)[0] as bigint;
  } catch {
    return undefined;
  }
}
