/**
 * What a legislator reviews before signing, and a drafter or submitter before going on: the network and the
 * Legislature the update is for, its law, version, epoch, nonce and deadline, the digest recomputed from the update's
 * fields, the legal text checked against its hash, and every call decoded from its calldata (see describe.ts), with
 * the identities it names described from the chain. Whatever the update file says that the digest does not cover
 * (its `summary`) is never shown: it is checked against the calls, and a file where they disagree is refused.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AbiCoder, ZeroAddress, keccak256, toBeHex } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { readableId } from "../common/ids";
import { getSystem } from "../common/system";
import { explain } from "../common/tx";
import { revertData } from "../common/errors";
import { callDecoder, date, decodeCalls, type DecodedCall } from "./describe";
import { legislatureDomain, lawUpdateDigest, type LawUpdateFile } from "./lawUpdate";

export interface LawUpdateReview {
  /** Whether a node of the network answered: offline, only what the file and the deployments say is checked. */
  online: boolean;
  network: string;
  chainId: string;
  legislature: string;
  law: string;
  version: number;
  epoch: string;
  nonce: string;
  deadline: string;
  digest: string;
  /** The legal text file given to check against the update's text hash. */
  text?: { file: string; matches: boolean };
  calls: (DecodedCall & { notes: string[] })[];
  /** What could not be checked, and why. */
  unchecked: string[];
  /** Why the update must not be signed or sent; empty when it may. */
  problems: string[];
}

const NODE_TIMEOUT_MS = 4_000;

/** Whether `hre`'s network answers within a few seconds. */
export async function nodeReachable(hre: HardhatRuntimeEnvironment): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((done) => (timer = setTimeout(() => done(false), NODE_TIMEOUT_MS)));
  try {
    return await Promise.race([hre.ethers.provider.send("eth_chainId", []).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Reviews a law update file; `roles` are the role names to print role hashes by (the genesis's). */
export async function reviewLawUpdate(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  roles: Iterable<string>,
  options: { textFile?: string } = {},
): Promise<LawUpdateReview> {
  const update = file.update;
  const online = await nodeReachable(hre);
  const problems: string[] = [];
  const unchecked: string[] = [];
  const decoder = await callDecoder(hre, roles, { offline: !online });
  const deployedLegislature = [...decoder.contracts.entries()].find(([, c]) => c.name === "Legislature")?.[0];

  if (online) {
    const { legislature } = await getSystem(hre);
    const domain = await legislatureDomain(legislature);
    if (String(domain.chainId) !== file.domain.chainId)
      problems.push(
        `the update is for chain ${file.domain.chainId}; network "${hre.network.name}" is chain ${domain.chainId}`,
      );
    if (String(domain.verifyingContract).toLowerCase() !== file.domain.verifyingContract.toLowerCase())
      problems.push(
        `the update is for the Legislature at ${file.domain.verifyingContract}; this network's is at ${domain.verifyingContract}`,
      );
    if (lawUpdateDigest(domain, update) !== file.digest)
      problems.push(`the digest ${file.digest} is not the hash of this update in this network's Legislature's domain`);
  } else {
    unchecked.push(
      `no node of network "${hre.network.name}" answered: the digest was recomputed with the chain id and Legislature address the file states, not checked against the chain; the version, epoch, nonce and the identities named were not checked`,
    );
    if (deployedLegislature === undefined)
      problems.push(
        `no deployments of network "${hre.network.name}" here: the calls' targets cannot be named; sign with the --network the update was drafted for`,
      );
    else if (deployedChainId(hre) !== undefined && deployedChainId(hre) !== file.domain.chainId)
      problems.push(
        `the update is for chain ${file.domain.chainId}; the deployments of network "${hre.network.name}" are of chain ${deployedChainId(hre)}`,
      );
    else if (deployedLegislature !== file.domain.verifyingContract.toLowerCase())
      problems.push(
        `the update is for the Legislature at ${file.domain.verifyingContract}; the deployments of network "${hre.network.name}" have it at ${deployedLegislature}`,
      );
  }

  const calls = decodeCalls(decoder, update.calls).map((call) => ({ ...call, notes: [] as string[] }));
  for (const call of calls) {
    if (call.function === undefined)
      problems.push(`call ${call.index + 1} cannot be decoded with the deployed contracts' ABIs: ${call.line}`);
  }
  checkSummary(file, calls, problems);

  let text: LawUpdateReview["text"];
  if (options.textFile !== undefined) {
    let content: Buffer;
    try {
      content = readFileSync(options.textFile);
    } catch {
      throw new Error(`cannot read the legal text ${options.textFile}`);
    }
    text = { file: options.textFile, matches: keccak256(content) === update.textHash };
    if (!text.matches)
      problems.push(
        `the legal text ${options.textFile} DOES NOT MATCH the update's text hash ${update.textHash} (it hashes to ${keccak256(content)})`,
      );
  } else unchecked.push("the legal text: give --text <file> to check it against the update's text hash");

  if (online) await checkAgainstChain(hre, file, calls, problems);
  else if (update.deadline < BigInt(Math.floor(Date.now() / 1000)))
    problems.push(`the update expired on ${date(update.deadline)}`);

  return {
    online,
    network: hre.network.name,
    chainId: file.domain.chainId,
    legislature: file.domain.verifyingContract,
    law: readableId(update.lawId),
    version: update.version,
    epoch: update.epoch.toString(),
    nonce: update.nonce.toString(),
    deadline: date(update.deadline),
    digest: file.digest,
    text,
    calls,
    unchecked,
    problems,
  };
}

/** The chain id hardhat-deploy noted beside the network's deployments, if any. */
function deployedChainId(hre: HardhatRuntimeEnvironment): string | undefined {
  try {
    return readFileSync(join(hre.config.paths.deployments, hre.network.name, ".chainId"), "utf8").trim();
  } catch {
    return undefined;
  }
}

/** The file's summary must say exactly what its calls do, line for line. */
function checkSummary(file: LawUpdateFile, calls: DecodedCall[], problems: string[]): void {
  const summary = Array.isArray(file.summary) ? file.summary : [];
  if (summary.length !== calls.length) {
    problems.push(
      `the file's summary has ${summary.length} lines for ${calls.length} calls: it does not say what the update does (altered, or drafted by another tool); draft it again`,
    );
    return;
  }
  calls.forEach((call, i) => {
    if (summary[i] !== call.line)
      problems.push(
        `the file's summary line ${i + 1} says "${summary[i]}", but call ${i + 1} is ${call.line}: the file was altered; do not sign it`,
      );
  });
}

/** Version, epoch, nonce and deadline against the chain, and the identities the calls name. */
async function checkAgainstChain(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  calls: LawUpdateReview["calls"],
  problems: string[],
): Promise<void> {
  const { legislature, smartLaw, identityRegistry } = await getSystem(hre);
  const update = file.update;
  const epoch = await legislature.epoch();
  if (update.epoch !== epoch)
    problems.push(
      `the update is for epoch ${update.epoch}; the current epoch is ${epoch}: it can no longer be enacted`,
    );
  const current = Number(await smartLaw.lawVersion(update.lawId));
  if (update.version !== current + 1)
    problems.push(
      `${readableId(update.lawId)} is at version ${current}: the update enacts ${update.version}, not ${current + 1}`,
    );
  if (await legislature.isNonceUsed(update.nonce)) problems.push(`the update's nonce ${update.nonce} was already used`);
  const now = BigInt((await hre.ethers.provider.getBlock("latest"))!.timestamp);
  if (update.deadline < now) problems.push(`the update expired on ${date(update.deadline)}`);

  const count = await identityRegistry.identityCount();
  const names = await accountNames(hre);
  for (const call of calls) {
    for (const arg of call.args) {
      const name = arg.type === "address" ? names.get(arg.value.toLowerCase()) : undefined;
      if (name) call.notes.push(`${arg.name} ${arg.value} is the named account ${name}`);
    }
    for (const id of call.identities) {
      if (id === 0n || id > count) {
        call.notes.push(
          `identity ${id}: not enrolled yet${id > count ? " (to be enrolled by this update or a law enacted before it)" : ""}`,
        );
        continue;
      }
      const identity = await identityRegistry.identity(id);
      const kind = ["?", "person", "organisation"][Number(identity.kind)] ?? "?";
      const status = ["?", "active", "suspended", "deceased", "dissolved"][Number(identity.status)] ?? "?";
      const keys = (await identityRegistry.keysOf(id)).map((k) => names.get(k.toLowerCase()) ?? k);
      call.notes.push(
        `identity ${id}: ${kind} in ${readableId(identity.jurisdiction)}, ${status}${keys.length ? `, keys ${keys.join(", ")}` : ""}`,
      );
    }
  }
}

/** The network's named accounts by lower-case address; none where they cannot be had. */
async function accountNames(hre: HardhatRuntimeEnvironment): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  try {
    for (const [name, address] of Object.entries(await hre.getNamedAccounts())) names.set(address.toLowerCase(), name);
  } catch {
    // a network without the named accounts' keys: addresses stay as they are
  }
  return names;
}

/** A review as text for people: the update's facts, then its calls, then what was not checked. */
export function formatReview(review: LawUpdateReview): string {
  const lines = [
    `Law ${review.law}, version ${review.version}`,
    `  network   ${review.network} (chain ${review.chainId}${review.online ? "" : ", OFFLINE"}), Legislature ${review.legislature}`,
    `  epoch ${review.epoch}, nonce ${review.nonce}`,
    `  valid until ${review.deadline}`,
    `  digest    ${review.digest}${review.online ? " (recomputed with the chain's domain)" : " (recomputed with the file's domain)"}`,
  ];
  if (review.text)
    lines.push(`  legal text ${review.text.file}: ${review.text.matches ? "matches" : "DOES NOT MATCH"} its hash`);
  lines.push(
    `What it does (decoded from its calldata, ${review.calls.length} call${review.calls.length === 1 ? "" : "s"}):`,
  );
  for (const call of review.calls) {
    lines.push(`  ${call.index + 1}. ${call.line}`);
    for (const note of call.notes) lines.push(`       ${note}`);
  }
  for (const item of review.unchecked) lines.push(`Not checked: ${item}`);
  for (const problem of review.problems) lines.push(`PROBLEM: ${problem}`);
  return lines.join("\n");
}

/** The outcome of simulating an update's calls before it is signed. */
export type DryRun =
  { simulated: true; ok: true } | { simulated: true; ok: false; reason: string } | { simulated: false; why: string };

/** Where the Legislature keeps `_approvals` (its storage layout, `_approvals` at slot 7: see the build's storageLayout). */
const APPROVALS_SLOT = 7n;

/**
 * Simulates an unsigned update as it will be enacted: `eth_call` of Legislature.enact with no signatures, the chain's
 * state overridden (for this call only) so that the current legislators have approved the update's digest on chain.
 * The Legislature's own code then runs every check and every call, as the Legislature. Nodes without `eth_call`
 * state overrides leave the update unsimulated, and the result says why.
 */
export async function dryRunLawUpdate(hre: HardhatRuntimeEnvironment, file: LawUpdateFile): Promise<DryRun> {
  const { legislature } = await getSystem(hre);
  const address = await legislature.getAddress();
  const quorum = await legislature.quorum();
  const approvers = (await legislature.legislators()).slice(0, Number(quorum));
  const coder = AbiCoder.defaultAbiCoder();
  const digestSlot = keccak256(coder.encode(["bytes32", "uint256"], [file.digest, APPROVALS_SLOT]));
  const stateDiff: Record<string, string> = {};
  for (const legislator of approvers) {
    stateDiff[keccak256(coder.encode(["address", "bytes32"], [legislator, digestSlot]))] = toBeHex(1, 32);
  }
  const overrides = { [address]: { stateDiff } };
  const call = (data: string) =>
    hre.ethers.provider.send("eth_call", [{ from: ZeroAddress, to: address, data }, "latest", overrides]);

  try {
    const approved = coder.decode(
      ["bool"],
      await call(legislature.interface.encodeFunctionData("hasApproved", [file.digest, approvers[0]])),
    )[0] as boolean;
    if (!approved) return { simulated: false, why: "the Legislature's storage is not laid out as this tool expects" };
  } catch (error) {
    return {
      simulated: false,
      why: `the node does not take eth_call state overrides (${(error as Error).message.split("\n")[0]})`,
    };
  }
  try {
    await call(legislature.interface.encodeFunctionData("enact", [file.update, []]));
    return { simulated: true, ok: true };
  } catch (error) {
    if (revertData(error) === undefined)
      return {
        simulated: false,
        why: `the simulation failed without a revert (${(error as Error).message.split("\n")[0]})`,
      };
    return { simulated: true, ok: false, reason: await explain(hre, error) };
  }
}
