/**
 * What the chain says of a read, asked at one block: SmartLaw's read grant (`authorizeRead`), the subject's current
 * record in the register, the reader's identity and, for an official, the department of his appointment. The calls
 * of one read go to the node as one JSON-RPC batch at that block; decisions are kept for the block they were made at
 * and forgotten when the chain moves on (a law enacted, a key revoked, an official dismissed take effect at once).
 */
import {
  BaseError,
  createPublicClient,
  decodeErrorResult,
  hexToString,
  http,
  keccak256,
  parseAbi,
  toBytes,
  toFunctionSelector,
  toHex,
  type Abi,
  type Address,
  type Hex,
} from "viem";

/** What a read needs of the deployment (`loadDeployments` gives it): the chain's id, the contracts and their ABIs. */
export interface ReadDeployment {
  chainId: number;
  contracts: readonly { name: string; address: Address; abi: Abi }[];
}

type AbiError = Extract<Abi[number], { type: "error" }>;

export const ZERO32: Hex = `0x${"0".repeat(64)}`;
/** SmartLaw's pseudo-selectors of reads: a grant under them unlocks a read, never a write. */
export const READ_RECORD = keccak256(toBytes("readRecord(bytes32,uint256)")).slice(0, 10) as Hex;
export const READ_PERSONAL_DATA = keccak256(toBytes("readPersonalData(uint256)")).slice(0, 10) as Hex;
/** The reserved role of a person reading his own data: he holds no appointment, so has no department. */
export const SUBJECT_ROLE = keccak256(toBytes("SUBJECT"));

const SMART_LAW = parseAbi([
  "struct ReadAuthority { bytes32 lawId; bytes32 role; uint256 reader; uint64 covertPeriod; }",
  "function authorizeRead(address key, address target, bytes4 selector, bytes32 resource, uint256 subject) view returns (ReadAuthority)",
]);
const CIVIL_REGISTRY = parseAbi(["function latest(bytes32 registerId, uint256 subject) view returns (bytes32)"]);
const IDENTITY_REGISTRY = parseAbi([
  "struct Appointment { uint64 official; uint64 department; uint64 from; uint64 until; bytes32 role; bytes32 jurisdiction; uint64 dismissedAt; bytes32 dismissalReason; }",
  "function identityOf(address key) view returns (uint256)",
  "function activeIdentityOf(address key) view returns (uint256)",
  "function currentAppointment(uint256 official, bytes32 role) view returns (uint256)",
  "function appointment(uint256 appointmentId) view returns (Appointment)",
]);

export interface Refusal {
  /** The custom error's selector (the log entry's `refusal`, anchored). */
  selector: Hex;
  /** The error with its arguments, as SmartLaw gave it: the 403's reason. */
  reason: string;
}

export type ReadDecision =
  | { allowed: true; reader: bigint; lawId: Hex; role: Hex; department: bigint; covertPeriod: bigint }
  | { allowed: false; reader: bigint; refusal: Refusal };

export interface ChainBlock {
  number: bigint;
  hash: Hex;
  timestamp: bigint;
}

export interface ReadAsked {
  key: Address;
  registerId: Hex;
  subject: bigint;
}

/** The most a read's block may lag the node's answer, 1 s at most: a law's change must reach reads in its block time. */
export const MOST_BLOCK_MAX_AGE_MS = 1000;

/**
 * GOVCHAIN_BLOCK_MAX_AGE_MS: how long (ms) the node's answer to "which block is the latest" serves the requests that
 * follow it. 0, the default, asks the node for every request (those arriving while it is asked share its answer); a
 * few tens of ms spare the service most of those calls under load, and a law enacted, a key revoked or an official
 * dismissed then reaches reads at most that long after its block reaches the node.
 */
export function blockMaxAgeFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.GOVCHAIN_BLOCK_MAX_AGE_MS ?? "0";
  const ms = Number(text);
  if (text.trim() === "" || !Number.isInteger(ms) || ms < 0 || ms > MOST_BLOCK_MAX_AGE_MS)
    throw new Error(
      `GOVCHAIN_BLOCK_MAX_AGE_MS must be a whole number of ms from 0 to ${MOST_BLOCK_MAX_AGE_MS}, not "${text}"`,
    );
  return ms;
}

/** The contracts a read is decided by, and the node they are asked on. */
export class ReadChain {
  readonly client;
  readonly smartLaw: Address;
  readonly civilRegistry: Address;
  readonly identityRegistry: Address;
  readonly accessLog: Address;
  readonly chainId: number;
  private readonly errors: Abi;
  /** Each GovChain error's selector by its name: a refusal is logged by name, anchored by selector. */
  private readonly errorSelectors: Map<string, Hex>;
  private block: ChainBlock = { number: -1n, hash: ZERO32, timestamp: 0n };
  private asking: Promise<ChainBlock> | undefined;
  /** When the node was asked for the block held in `block` (performance.now()): its answer is at least that new. */
  private askedAt = Number.NEGATIVE_INFINITY;
  private decisions = new Map<string, Promise<{ decision: ReadDecision; uid: Hex }>>();

  /**
   * @param maxBlockAgeMs how long the node's answer to "which block is the latest" serves later requests: 0 asks it
   * for every request (those that arrive while it is being asked share its answer).
   */
  constructor(
    rpc: string,
    deployments: ReadDeployment,
    private readonly maxBlockAgeMs = 0,
    private readonly clock: () => number = () => performance.now(),
  ) {
    // no cache of the block number: a decision is made at the latest block, not one seen a few seconds ago
    this.client = createPublicClient({ transport: http(rpc, { batch: true }), cacheTime: 0 });
    const at = (name: string) => {
      const found = deployments.contracts.find((c) => c.name === name);
      if (!found) throw new Error(`no ${name} in the deployment: deploy GovChain with its AccessLog first`);
      return found.address;
    };
    this.smartLaw = at("SmartLaw");
    this.civilRegistry = at("CivilRegistry");
    this.identityRegistry = at("IdentityRegistry");
    this.accessLog = at("AccessLog");
    this.chainId = deployments.chainId;
    // every GovChain custom error, so that SmartLaw's (and what it calls) decode by name
    const errors = deployments.contracts.flatMap((c) =>
      c.abi.filter((item): item is AbiError => item.type === "error"),
    );
    this.errors = errors;
    this.errorSelectors = new Map(
      errors.map((e) => [e.name, toFunctionSelector(e as unknown as Parameters<typeof toFunctionSelector>[0])]),
    );
  }

  /** The selector of a logged refusal: its error's (the text starts with its name), or the unknown one it names. */
  refusalSelector(refusal: string | null): Hex {
    if (refusal === null) return "0x00000000";
    const known = this.errorSelectors.get(refusal.split("(")[0]);
    return known ?? (refusal.match(/0x[0-9a-f]{8}$/)?.[0] as Hex | undefined) ?? "0x00000000";
  }

  /**
   * The latest block and its time; the decisions of an earlier block are dropped. Requests that arrive while the
   * node is being asked share its answer, and so do those that arrive within `maxBlockAgeMs` of the moment it was
   * asked.
   */
  latestBlock(fresh = false): Promise<ChainBlock> {
    if (
      !fresh &&
      this.maxBlockAgeMs > 0 &&
      this.block.number >= 0n &&
      this.clock() - this.askedAt <= this.maxBlockAgeMs
    )
      return Promise.resolve(this.block);
    if (!this.asking) {
      const askedAt = this.clock();
      this.asking = this.askLatestBlock()
        .then((block) => ((this.askedAt = askedAt), block))
        .finally(() => (this.asking = undefined));
    }
    return this.asking;
  }

  private async askLatestBlock(): Promise<ChainBlock> {
    const number = await this.client.getBlockNumber();
    if (number !== this.block.number) {
      const { hash, timestamp } = await this.client.getBlock({ blockNumber: number });
      this.decisions.clear();
      this.block = { number, hash, timestamp };
    }
    return this.block;
  }

  /**
   * The chain's time at that block: its own, or the clock's when the chain has made no block for a while (a node
   * that mines on demand). A covert entry is disclosed by this clock, which a test moves with the node's.
   */
  static timeAt(block: ChainBlock): bigint {
    return BigInt(Math.max(Math.floor(Date.now() / 1000), Number(block.timestamp)));
  }

  /**
   * Whether SmartLaw lets `key` read at `block`, under which law, role and department, else its refusal; and the
   * subject's current record in the register (zero for personal data, or when none).
   */
  decide(asked: ReadAsked, block: bigint): Promise<{ decision: ReadDecision; uid: Hex }> {
    const cacheKey = `${block}:${asked.key}:${asked.registerId}:${asked.subject}`;
    let decided = this.decisions.get(cacheKey);
    if (!decided) {
      decided = Promise.all([
        this.decideAt(asked, block),
        asked.registerId === ZERO32 ? ZERO32 : this.latestRecord(asked.registerId, asked.subject, block),
      ]).then(([decision, uid]) => ({ decision, uid }));
      this.decisions.set(cacheKey, decided);
      decided.catch(() => this.decisions.delete(cacheKey)); // a node's hiccup is not a decision to keep
    }
    return decided;
  }

  /** The subject's current record in the register (zero when none), at `block`. */
  private latestRecord(registerId: Hex, subject: bigint, block: bigint): Promise<Hex> {
    return this.client.readContract({
      address: this.civilRegistry,
      abi: CIVIL_REGISTRY,
      functionName: "latest",
      args: [registerId, subject],
      blockNumber: block,
    });
  }

  /** The identity whose live key `key` is, if active; 0 otherwise. */
  activeIdentityOf(key: Address, block: bigint): Promise<bigint> {
    return this.client.readContract({
      address: this.identityRegistry,
      abi: IDENTITY_REGISTRY,
      functionName: "activeIdentityOf",
      args: [key],
      blockNumber: block,
    });
  }

  private async decideAt({ key, registerId, subject }: ReadAsked, blockNumber: bigint): Promise<ReadDecision> {
    const personal = registerId === ZERO32;
    const [authority, reader] = await Promise.all([
      this.client
        .readContract({
          address: this.smartLaw,
          abi: SMART_LAW,
          functionName: "authorizeRead",
          args: personal
            ? [key, this.identityRegistry, READ_PERSONAL_DATA, ZERO32, subject]
            : [key, this.civilRegistry, READ_RECORD, registerId, subject],
          blockNumber,
        })
        .catch((error: unknown) => ({ refusal: this.refusalOf(error) })),
      this.client.readContract({
        address: this.identityRegistry,
        abi: IDENTITY_REGISTRY,
        functionName: "identityOf",
        args: [key],
        blockNumber,
      }),
    ]);
    if ("refusal" in authority) return { allowed: false, reader, refusal: authority.refusal };
    const department =
      authority.role === SUBJECT_ROLE ? 0n : await this.departmentOf(authority.reader, authority.role, blockNumber);
    return {
      allowed: true,
      reader: authority.reader,
      lawId: authority.lawId,
      role: authority.role,
      department,
      covertPeriod: authority.covertPeriod,
    };
  }

  /** The department the official serves in that role (SmartLaw allowed him, so he holds a current appointment). */
  private async departmentOf(official: bigint, role: Hex, blockNumber: bigint): Promise<bigint> {
    const appointmentId = await this.client.readContract({
      address: this.identityRegistry,
      abi: IDENTITY_REGISTRY,
      functionName: "currentAppointment",
      args: [official, role],
      blockNumber,
    });
    if (appointmentId === 0n) return 0n;
    const post = await this.client.readContract({
      address: this.identityRegistry,
      abi: IDENTITY_REGISTRY,
      functionName: "appointment",
      args: [appointmentId],
      blockNumber,
    });
    return post.department;
  }

  /** SmartLaw's refusal, decoded by name with its arguments; anything else (the node down) is thrown on. */
  refusalOf(error: unknown): Refusal {
    const raw = revertData(error);
    if (!raw || raw.length < 10) throw error;
    const selector = raw.slice(0, 10) as Hex;
    try {
      const decoded = decodeErrorResult({ abi: this.errors, data: raw });
      return { selector, reason: `${decoded.errorName}(${(decoded.args ?? []).map(show).join(", ")})` };
    } catch {
      return { selector, reason: `an unknown error ${selector}` };
    }
  }
}

/** The revert data a failed call carries, wherever viem put it in the chain of causes. */
function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const found = error.walk(
    (e) => typeof (e as { raw?: unknown }).raw === "string" || typeof (e as { data?: unknown }).data === "string",
  ) as { raw?: Hex; data?: Hex } | null;
  return found?.raw ?? (typeof found?.data === "string" ? found.data : undefined);
}

/** An error's argument as a person reads it: a bytes32 that is text as its text ("CN-11-02"). */
function show(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string" && /^0x[0-9a-fA-F]{64}$/.test(value)) {
    try {
      const text = hexToString(value as Hex, { size: 32 });
      if (/^[\x20-\x7e]+$/.test(text)) return text;
    } catch {
      // not text: shown in hex
    }
  }
  return typeof value === "string" ? value : toHex(value as number);
}
