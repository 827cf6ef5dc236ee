/**
 * A record's opening handed to the registers' data service: `POST /vault/uploads`, signed (EIP-712 `Upload` in the
 * AccessLog's `GovChainData` domain) by the official who wrote the record. The opening file is deleted only after the
 * service answered 200, that is once the vault holds the private fields: a refused upload, or a service that is
 * down, leaves the file as it was, the only copy of the private data until it is uploaded.
 */
import { randomBytes } from "node:crypto";
import { existsSync, unlinkSync } from "node:fs";
import { AbiCoder, encodeBytes32String, keccak256, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { AccessLog__factory } from "../../../typechain-types";
import { openingPath, readOpeningFile } from "./openings";

/** How long the tool waits for the service's answer. */
const ANSWER_TIMEOUT_MS = 30_000;
/** How long a signed upload stays valid, in seconds of the chain's time. */
const VALID_FOR = 600n;

export const UPLOAD_TYPES = {
  Upload: [
    { name: "kind", type: "bytes32" },
    { name: "target", type: "bytes32" },
    { name: "contentHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

export type UploadOutcome =
  | { uploaded: true; path: string }
  | { uploaded: false; path: string; why: string }
  | { uploaded: false; path: undefined; why: string };

/** The body of a signed upload of `content` for `target` (a record's uid, or an identity's id as 32 bytes). */
export async function signedUpload(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  kind: "DOCUMENT" | "RECORD_PRIVATE" | "IDENTITY_DATA",
  target: string,
  content: Uint8Array,
) {
  const accessLog = AccessLog__factory.connect((await hre.deployments.get("AccessLog")).address, hre.ethers.provider);
  const domain = await accessLog.eip712Domain();
  const latest = await hre.ethers.provider.getBlock("latest");
  const now = BigInt(Math.max(Math.floor(Date.now() / 1000), latest!.timestamp));
  const message = {
    kind: encodeBytes32String(kind),
    target: kind === "IDENTITY_DATA" ? AbiCoder.defaultAbiCoder().encode(["uint256"], [target]) : target,
    contentHash: keccak256(content),
    nonce: BigInt(`0x${randomBytes(16).toString("hex")}`),
    deadline: now + VALID_FOR,
  };
  const signature = await signer.signTypedData(
    {
      name: domain.name,
      version: domain.version,
      chainId: domain.chainId,
      verifyingContract: domain.verifyingContract,
    },
    UPLOAD_TYPES,
    message,
  );
  return {
    kind,
    target,
    content: Buffer.from(content).toString("base64"),
    nonce: message.nonce.toString(),
    deadline: message.deadline.toString(),
    signature,
  };
}

/**
 * Uploads the opening of record `uid` (its clear form and salt, `abi.encode(bytes clear, bytes32 salt)`) from its
 * file in `dir` to the data service at `url`, and deletes the file after a 200. Nothing is uploaded when the record
 * has no opening file of its own (a register without private fields).
 */
export async function uploadOpening(
  hre: HardhatRuntimeEnvironment,
  signer: Signer,
  url: string,
  dir: string,
  registerId: string,
  subject: bigint,
  uid: string,
): Promise<UploadOutcome> {
  const path = openingPath(dir, registerId, subject);
  if (!existsSync(path) || readOpeningFile(path).uid !== uid)
    return { uploaded: false, path: undefined, why: "the record has no private fields" };
  const file = readOpeningFile(path);
  const content = AbiCoder.defaultAbiCoder().encode(["bytes", "bytes32"], [file.clear, file.salt]);
  const body = await signedUpload(hre, signer, "RECORD_PRIVATE", uid, Buffer.from(content.slice(2), "hex"));
  let answer: { status: number; error?: string };
  try {
    const response = await fetch(`${url.replace(/\/+$/, "")}/vault/uploads`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const json = (await response.json().catch(() => ({}))) as { error?: string };
    answer = { status: response.status, error: json.error };
  } catch (error) {
    return { uploaded: false, path, why: `the data service at ${url} did not answer: ${(error as Error).message}` };
  }
  if (answer.status !== 200)
    return {
      uploaded: false,
      path,
      why: `the data service refused it (${answer.status}): ${answer.error ?? "no reason given"}`,
    };
  unlinkSync(path);
  return { uploaded: true, path };
}
