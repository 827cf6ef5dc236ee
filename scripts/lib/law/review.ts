/**
 * What a legislator reviews before signing, and a drafter or submitter before going on: the network and the
 * Legislature the update is for, its law, version, epoch, nonce and deadline, the digest recomputed from the update's
 * fields, the legal text checked against its hash, and every call decoded from its calldata (see describe.ts), with
 * the identities it names described from the chain. Whatever the update file says that the digest does not cover
 * (its `summary`) is never shown: it is checked against the calls, and a file where they disagree is refused.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { AbiCoder, JsonRpcProvider, ZeroAddress, keccak256, toBeHex, toQuantity, type Provider } from "ethers";
import type { HardhatRuntimeEnvironment, HttpNetworkConfig } from "hardhat/types";

import { checkNodeAndDeployments } from "../network/deployments";

import { readableId } from "../common/ids";
import { getSystem } from "../common/system";
import { explain } from "../common/tx";
import { revertData } from "../common/errors";
import { callDecoder, date, decodeCalls, type CallDecoder, type DecodedCall } from "./describe";
import { ranOutOfGas } from "./enact";
import { boundIdentityCount, legislatureDomain, lawUpdateDigest, type LawUpdateFile } from "./lawUpdate";

export interface LawUpdateReview {
  /** Whether the chain was read: offline (asked for), only what the file and the deployments say is checked. */
  online: boolean;
  network: string;
  chainId: string;
  legislature: string;
  law: string;
  version: number;
  epoch: string;
  nonce: string;
  deadline: string;
  /** The keccak256 of the legal text, as the update records it (signed). */
  textHash: string;
  digest: string;
  /**
   * The identity count the update is bound to by its first call (IdentityRegistry.requireIdentityCount, signed),
   * from which the ids of the identities it enrols are counted; undefined when it has no such call.
   */
  identityCount?: string;
  /** The legal text file given to check against the update's text hash. */
  text?: { file: string; matches: boolean };
  calls: (DecodedCall & { notes: string[] })[];
  /** What could not be checked, and why. */
  unchecked: string[];
  /** Why the update must not be signed or sent; empty when it may. */
  problems: string[];
}

/**
 * The chain as the review reads it: for a network reached by url, a read-only JSON-RPC provider, which needs no key
 * (the network's own provider may sign with a keystore, the poa network's, and cannot start without it); the
 * in-process network's provider otherwise.
 */
function chainReader(hre: HardhatRuntimeEnvironment): { provider: Provider; close: () => void } {
  const config = hre.network.config as Partial<HttpNetworkConfig>;
  if (config.url === undefined) return { provider: hre.ethers.provider, close: () => undefined };
  const provider = new JsonRpcProvider(config.url, undefined, { staticNetwork: true, cacheTimeout: -1 });
  return { provider, close: () => provider.destroy() };
}

/** The contracts the review reads, at the addresses of the deployments it decodes the calls with. */
async function reviewedContracts(decoder: CallDecoder, provider: Provider) {
  // loaded when used: hardhat.config.ts loads this module's neighbours before typechain-types is generated
  const { IdentityRegistry__factory, Legislature__factory, SmartLaw__factory } =
    await import("../../../typechain-types");
  const addressOf = (name: string) => {
    const found = [...decoder.contracts.entries()].find(([, c]) => c.name === name);
    if (found === undefined) throw new Error(`no ${name} among the deployments of this network`);
    return found[0];
  };
  return {
    legislature: Legislature__factory.connect(addressOf("Legislature"), provider),
    smartLaw: SmartLaw__factory.connect(addressOf("SmartLaw"), provider),
    identityRegistry: IdentityRegistry__factory.connect(addressOf("IdentityRegistry"), provider),
  };
}

/**
 * Reviews a law update file; `roles` are the role names to print role hashes by (the genesis's). The chain is read
 * unless `offline` is asked for: a node that does not answer is an error naming its url, never a silent offline
 * review.
 */
export async function reviewLawUpdate(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  roles: Iterable<string>,
  options: { textFile?: string; offline?: boolean } = {},
): Promise<LawUpdateReview> {
  const online = options.offline !== true;
  if (online) await checkNodeAndDeployments(hre); // throws, naming the url, when no node answers
  const reader = online ? chainReader(hre) : undefined;
  try {
    // from the deployments folder where a node is reached by url: hardhat-deploy would ask the network's provider
    const decoder = await callDecoder(hre, roles, { offline: hre.network.name !== "hardhat" });
    return await review(hre, file, decoder, reader?.provider, options.textFile);
  } finally {
    reader?.close();
  }
}

async function review(
  hre: HardhatRuntimeEnvironment,
  file: LawUpdateFile,
  decoder: CallDecoder,
  provider: Provider | undefined,
  textFile: string | undefined,
): Promise<LawUpdateReview> {
  const update = file.update;
  const problems: string[] = [];
  const unchecked: string[] = [];
  const deployedLegislature = [...decoder.contracts.entries()].find(([, c]) => c.name === "Legislature")?.[0];
  const registryAddress = [...decoder.contracts.entries()].find(([, c]) => c.name === "IdentityRegistry")?.[0];

  if (provider !== undefined) {
    const { legislature } = await reviewedContracts(decoder, provider);
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
      `reviewed offline (--offline): the digest was recomputed with the chain id and Legislature address the file states, not checked against the chain; the version, epoch, nonce and the identities named were not checked`,
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
    noteRead(call);
    if (call.function === undefined)
      problems.push(`call ${call.index + 1} cannot be decoded with the deployed contracts' ABIs: ${call.line}`);
  }
  checkSummary(file, calls, problems);

  let text: LawUpdateReview["text"];
  if (textFile !== undefined) {
    let content: Buffer;
    try {
      content = readFileSync(textFile);
    } catch {
      throw new Error(`cannot read the legal text ${textFile}`);
    }
    text = { file: textFile, matches: keccak256(content) === update.textHash };
    if (!text.matches)
      problems.push(
        `the legal text ${textFile} DOES NOT MATCH the update's text hash ${update.textHash} (it hashes to ${keccak256(content)})`,
      );
  } else unchecked.push("the legal text: give --text <file> to check it against the update's text hash");

  const bound = registryAddress === undefined ? undefined : boundIdentityCount(update, registryAddress);
  if (provider !== undefined)
    await checkAgainstChain(hre, file, calls, bound, await reviewedContracts(decoder, provider), provider, problems);
  else {
    if (update.deadline < BigInt(Math.floor(Date.now() / 1000)))
      problems.push(`the update expired on ${date(update.deadline)}`);
    checkNewIdentities(calls, bound, bound, problems);
  }

  return {
    online: provider !== undefined,
    network: hre.network.name,
    chainId: file.domain.chainId,
    legislature: file.domain.verifyingContract,
    law: readableId(update.lawId),
    version: update.version,
    epoch: update.epoch.toString(),
    nonce: update.nonce.toString(),
    deadline: date(update.deadline),
    textHash: update.textHash,
    digest: file.digest,
    ...(bound === undefined ? {} : { identityCount: bound.toString() }),
    text,
    calls,
    unchecked,
    problems,
  };
}

/**
 * Every identity id a call names above `known` (the identities enrolled before the update) must be one the update
 * itself enrols, counted from the count it is bound to (`bound`, its signed first call), by an earlier call: it is
 * then noted as such. An update that enrols identities without that binding, or names an identity that neither
 * exists nor is enrolled by it, must not be signed: the signatures would not say who it acts on.
 */
export function checkNewIdentities(
  calls: LawUpdateReview["calls"],
  bound: bigint | undefined,
  known: bigint | undefined,
  problems: string[],
): void {
  const enrolments = calls.filter((call) => call.contract === "IdentityRegistry" && call.function === "enroll");
  if (enrolments.length > 0 && bound === undefined)
    problems.push(
      `the update enrols identities but its first call is not IdentityRegistry.requireIdentityCount: the ids of the identities it enrols are not bound by the signatures; draft it again with law:draft`,
    );
  const enrolledBy = new Map<bigint, number>();
  if (bound !== undefined)
    enrolments.forEach((call, i) => {
      const id = bound + BigInt(i + 1);
      enrolledBy.set(id, call.index);
      call.notes.push(`enrols identity ${id}`);
    });
  for (const call of calls) {
    for (const id of call.identities) {
      if (known !== undefined && id > 0n && id <= known) continue;
      const by = enrolledBy.get(id);
      if (by === undefined) {
        if (known === undefined) continue; // offline and unbound: the chain would say; reported as not checked
        problems.push(
          `call ${call.index + 1} names identity ${id}, which is not enrolled (${known} are) and which no call of this update enrols`,
        );
      } else if (by >= call.index)
        problems.push(`call ${call.index + 1} names identity ${id} before call ${by + 1} enrols it`);
      else call.notes.push(`identity ${id} (enrolled by call ${by + 1} of this update)`);
    }
  }
}

/**
 * A grant (or revocation) of a read says so in words: a legislator must not take `CivilRegistry.readRecord` for a
 * write, nor think a read grant changes what anyone may write.
 */
function noteRead(call: LawUpdateReview["calls"][number]): void {
  if (call.contract !== "SmartLaw") return;
  const arg = (name: string) => call.args.find((a) => a.name === name)?.value;
  const selector = arg("selector");
  if (!selector?.endsWith(" (read)")) return;
  const what = selector.slice(0, -" (read)".length);
  const resource = arg("resource");
  const revoked = call.function?.startsWith("revoke") ? "no longer " : "";
  call.notes.push(
    `a read, not a write: ${arg("role")} may ${revoked}read through the data service (${what}${resource ? ` on ${resource}` : ""}), as SmartLaw.authorizeRead decides; it unlocks no function of ${arg("target")}`,
  );
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
  bound: bigint | undefined,
  { legislature, smartLaw, identityRegistry }: Awaited<ReturnType<typeof reviewedContracts>>,
  provider: Provider,
  problems: string[],
): Promise<void> {
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
  const now = BigInt((await provider.getBlock("latest"))!.timestamp);
  if (update.deadline < now) problems.push(`the update expired on ${date(update.deadline)}`);

  const count = await identityRegistry.identityCount();
  if (bound !== undefined && bound !== count)
    problems.push(
      `the update is bound to ${bound} enrolled identities (its call 1), there are ${count}: its enactment would fail (IdentityRegistryIdentityCountChanged); draft it again`,
    );
  // ids above the bound are the update's own, even where others took them since: never describe those from the chain
  const before = bound !== undefined && bound < count ? bound : count;
  checkNewIdentities(calls, bound, before, problems);
  const names = await accountNames(hre);
  for (const call of calls) {
    for (const arg of call.args) {
      const name = arg.type === "address" ? names.get(arg.value.toLowerCase()) : undefined;
      if (name) call.notes.push(`${arg.name} ${arg.value} is the named account ${name}`);
    }
    for (const id of call.identities) {
      if (id === 0n || id > before) continue; // described by checkNewIdentities
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
    `  text hash ${review.textHash} (keccak256 of the legal text)`,
    `  digest    ${review.digest}${review.online ? " (recomputed with the chain's domain)" : " (recomputed with the file's domain)"}`,
  ];
  if (review.identityCount !== undefined)
    lines.push(
      `  identities enrolled before it: ${review.identityCount} (bound by call 1, signed); the ids it enrols follow`,
    );
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
  | { simulated: true; ok: true; gas?: bigint; blockGasLimit: bigint }
  | { simulated: true; ok: false; reason: string }
  | { simulated: false; why: string };

/** Where the Legislature keeps `_approvals` (its storage layout, `_approvals` at slot 7: see the build's storageLayout). */
const MAX_CALL_GAS = 2n ** 52n - 1n;
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
  // run with at most a block's gas: an update too big for a block fails here as it would on chain
  const blockGasLimit = (await hre.ethers.provider.getBlock("latest"))!.gasLimit;
  // Hardhat's network refuses a call's gas above 2^52 − 1, which only a lifted block gas limit (coverage's) exceeds
  const callGas = blockGasLimit < MAX_CALL_GAS ? blockGasLimit : MAX_CALL_GAS;
  const tx = (data: string) => ({ from: ZeroAddress, to: address, data, gas: toQuantity(callGas) });
  const call = (data: string) => hre.ethers.provider.send("eth_call", [tx(data), "latest", overrides]);

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
  const enact = legislature.interface.encodeFunctionData("enact", [file.update, []]);
  try {
    await call(enact);
  } catch (error) {
    const message = (error as Error).message.split("\n")[0];
    if (ranOutOfGas(error))
      return {
        simulated: true,
        ok: false,
        reason: `the update needs more gas than a block holds (the latest block's gas limit is ${blockGasLimit}): split it into smaller updates`,
      };
    if (revertData(error) === undefined)
      return { simulated: false, why: `the simulation failed without a revert (${message})` };
    return { simulated: true, ok: false, reason: await explain(hre, error) };
  }
  return { simulated: true, ok: true, gas: await estimateWithOverrides(hre, tx(enact), overrides), blockGasLimit };
}

/** The gas of a call with state overrides, where the node estimates with them (anvil does); undefined elsewhere. */
async function estimateWithOverrides(
  hre: HardhatRuntimeEnvironment,
  tx: Record<string, string>,
  overrides: Record<string, unknown>,
): Promise<bigint | undefined> {
  try {
    return BigInt(await hre.ethers.provider.send("eth_estimateGas", [tx, "latest", overrides]));
  } catch {
    return undefined;
  }
}
