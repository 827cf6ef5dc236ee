/**
 * The anchorer: a loop in the service that gathers the access log's new entries into batches, numbers them (the
 * sequence is given at batching, so it has no gaps whatever order the reads committed in), builds each batch's
 * Merkle tree (OpenZeppelin's StandardMerkleTree, the leaf AccessLog.leaf computes) and anchors its root on chain
 * with AccessLog.anchor from the service's key. After a restart or an error it reconciles its batches with the
 * chain: a batch the chain holds is anchored, one it lost (a reorganisation, a dropped transaction) is sent again
 * under the same id and root, and a different root under that id stops the anchoring (another writer holds the
 * role), while reads go on.
 */
import type { BytesLike } from "@openzeppelin/merkle-tree/dist/bytes";
import { getProof, makeMerkleTree } from "@openzeppelin/merkle-tree/dist/core";
import type { Hex } from "viem";

import { keccak } from "../reads/keccak";
import { logger } from "../reads/logger";

/** AccessLog.Entry's field types, in order: the leaf's encoding (a static struct encodes as its fields). */
export const ENTRY_TYPES = [
  "uint64", // seq
  "uint64", // at
  "uint64", // disclosedAt
  "uint8", // outcome
  "uint256", // reader
  "address", // key
  "bytes32", // role
  "uint256", // department
  "bytes32", // lawId
  "bytes32", // registerId
  "uint256", // subject
  "bytes32", // recordUid
  "bytes32", // purpose
  "bytes32", // requestDigest
  "bytes4", // refusal
];

/** An entry's leaf values in ENTRY_TYPES' order; whole numbers as decimal text, so that a tree dumps to JSON. */
export type LeafValues = [
  string,
  string,
  string,
  number,
  string,
  Hex,
  Hex,
  string,
  Hex,
  Hex,
  string,
  Hex,
  Hex,
  Hex,
  Hex,
];

/** An entry waiting for a batch: its row id, its time, and its leaf values without the sequence number. */
export interface PendingEntry {
  id: bigint;
  at: bigint;
  leaf: (seq: bigint) => LeafValues;
}

export interface StoredBatch {
  batchId: bigint;
  root: Hex;
  firstSeq: bigint;
  count: number;
  firstAt: bigint;
  lastAt: bigint;
  status: "built" | "sent" | "anchored";
  txHash: Hex | null;
}

/** Where batches are kept: the vault's access_log and anchor_batch tables. */
export interface AnchorStore {
  /**
   * In one transaction: takes up to `max` entries with no batch (in id order), numbers them from the last sequence
   * number on, and stores the batch `batchId` built from them with `build` (status built). Undefined when none waits.
   */
  buildBatch(
    batchId: bigint,
    max: number,
    build: (entries: PendingEntry[], firstSeq: bigint) => { root: Hex; tree: unknown },
  ): Promise<StoredBatch | undefined>;
  /** The batches not yet known anchored (built or sent), oldest first. */
  unfinished(): Promise<StoredBatch[]>;
  /** The highest batch id stored, 0 when none. */
  lastBatchId(): Promise<bigint>;
  markSent(batchId: bigint, txHash: Hex): Promise<void>;
  markAnchored(batchId: bigint, blockNumber: bigint | null): Promise<void>;
  /** Marks the batches after `batchId` unfinished again (the chain lost them), to be sent again as they are. */
  reopenAfter(batchId: bigint): Promise<void>;
}

/** The AccessLog as the anchorer sees it. */
export interface AnchorChain {
  batchCount(): Promise<bigint>;
  /** The root the chain holds under `batchId`, zero when none. */
  rootOf(batchId: bigint): Promise<Hex>;
  /** Simulates then sends `anchor` for the batch; the transaction's hash. */
  send(batch: StoredBatch): Promise<Hex>;
  /** Waits for the transaction and its confirmations: the block it is in, or undefined if it failed. */
  confirmed(txHash: Hex): Promise<bigint | undefined>;
}

export interface AnchorerOptions {
  intervalMs: number;
  maxEntries: number;
}

/**
 * A leaf's hash as StandardMerkleTree (and AccessLog.leaf) computes it, keccak256(keccak256(abi.encode(entry))), with
 * the entry's fields written as the 32-byte words they encode to (every one is static) and the native keccak: the
 * library's own, which encodes through @metamask/abi-utils, took about 1.4 ms a leaf here, so that a batch of 1,000
 * held the service's one thread for over a second.
 */
export function leafHash(values: LeafValues): Buffer {
  const words = Buffer.alloc(32 * ENTRY_TYPES.length);
  ENTRY_TYPES.forEach((type, i) => {
    const value = values[i];
    const at = 32 * i;
    if (type.startsWith("uint")) {
      const n = BigInt(value);
      const bits = Number(type.slice(4));
      if (n < 0n || n >= 1n << BigInt(bits)) throw new RangeError(`${value} is not a ${type}`);
      words.write(n.toString(16).padStart(64, "0"), at, 32, "hex");
      return;
    }
    const size = type === "address" ? 20 : Number(type.slice(5)); // bytes32, bytes4
    const text = String(value);
    if (!new RegExp(`^0x[0-9a-fA-F]{${2 * size}}$`).test(text)) throw new RangeError(`${text} is not a ${type}`);
    // an address is right-aligned in its word, a bytesN left-aligned
    words.write(text.slice(2), type === "address" ? at + 12 : at, size, "hex");
  });
  return keccak(keccak(words));
}

/** An inner node's hash as the library's: keccak256 of the two children, the smaller first. */
function nodeHash(a: BytesLike, b: BytesLike): string {
  const [x, y] = [asBuffer(a), asBuffer(b)];
  return `0x${(Buffer.compare(x, y) <= 0 ? keccak(x, y) : keccak(y, x)).toString("hex")}`;
}

const asBuffer = (value: BytesLike) =>
  typeof value === "string" ? Buffer.from(value.replace(/^0x/, ""), "hex") : Buffer.from(value as ArrayLike<number>);

/**
 * A batch's tree from its entries, numbered from `firstSeq`, and its dump in StandardMerkleTree's format
 * (`standard-v1`: `StandardMerkleTree.load` takes it): the library's own tree layout (`makeMerkleTree`), its leaves
 * sorted by hash as `StandardMerkleTree.of` sorts them.
 */
export function buildTree(entries: PendingEntry[], firstSeq: bigint) {
  const values = entries.map((e, i) => e.leaf(firstSeq + BigInt(i)));
  const hashed = values.map((value, index) => ({ index, hash: leafHash(value) }));
  hashed.sort((a, b) => Buffer.compare(a.hash, b.hash));
  const tree = makeMerkleTree(
    hashed.map((h) => h.hash),
    nodeHash,
  );
  const treeIndex = new Array<number>(values.length);
  hashed.forEach(({ index }, leafIndex) => (treeIndex[index] = tree.length - leafIndex - 1));
  const dump: StandardDump = {
    format: "standard-v1",
    leafEncoding: ENTRY_TYPES,
    tree,
    values: values.map((value, i) => ({ value, treeIndex: treeIndex[i] })),
  };
  return { root: tree[0] as Hex, tree: dump };
}

/** A batch's tree as stored (`StandardMerkleTree.dump()`'s format). */
export interface StandardDump {
  format: "standard-v1";
  leafEncoding: string[];
  tree: string[];
  values: { value: LeafValues; treeIndex: number }[];
}

/** The proof of the batch's `index`-th entry (in sequence order) from its stored tree. */
export function proofAt(dump: StandardDump, index: number): Hex[] {
  const leaf = dump.values[index];
  if (!leaf) throw new RangeError(`no entry ${index} in a batch of ${dump.values.length}`);
  return getProof(dump.tree, leaf.treeIndex) as Hex[];
}

export class Anchorer {
  /** Set when the chain holds another root under one of our batch ids: anchoring stops, reads go on. */
  stoppedBy: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Entries logged since the last round: a full batch's worth starts one before the interval is up. */
  private logged = 0;

  constructor(
    private readonly store: AnchorStore,
    private readonly chain: AnchorChain,
    private readonly options: AnchorerOptions,
  ) {}

  start() {
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    void this.tick();
  }

  stop() {
    clearInterval(this.timer);
  }

  /** Told of each entry logged. */
  entryLogged() {
    if (++this.logged >= this.options.maxEntries) void this.tick();
  }

  /** One round (never two at once): reconcile what is unfinished, then batch and anchor what waits. */
  tick(): Promise<void> {
    this.logged = 0;
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round() {
    if (this.stoppedBy) return;
    try {
      if (!(await this.reconcile())) return;
      const next = 1n + max(await this.chain.batchCount(), await this.store.lastBatchId());
      const batch = await this.store.buildBatch(next, this.options.maxEntries, buildTree);
      if (batch) await this.anchor(batch);
    } catch (error) {
      // the next round reconciles from the chain: nothing is lost, a batch is sent again under the same id
      logger.error({ err: error }, "anchoring failed; trying again at the next round");
    }
  }

  /** Brings each unfinished batch to the chain's state; false while one is still not anchored. */
  private async reconcile(): Promise<boolean> {
    // a batch anchored in blocks the chain has since dropped (a reorganisation deeper than the confirmations)
    await this.store.reopenAfter(await this.chain.batchCount());
    for (const batch of await this.store.unfinished()) {
      const onChain = await this.chain.rootOf(batch.batchId);
      if (onChain === batch.root) {
        await this.store.markAnchored(batch.batchId, null);
        continue;
      }
      if (!/^0x0+$/.test(onChain)) {
        this.stoppedBy = `batch ${batch.batchId} holds root ${onChain} on chain, ours is ${batch.root}: another writer anchors; anchoring stopped`;
        logger.error({ batchId: batch.batchId.toString() }, this.stoppedBy);
        return false;
      }
      if (!(await this.anchor(batch))) return false;
    }
    return true;
  }

  /** Sends the batch's root and waits for it; true once anchored. */
  private async anchor(batch: StoredBatch): Promise<boolean> {
    const txHash = await this.chain.send(batch);
    await this.store.markSent(batch.batchId, txHash);
    const block = await this.chain.confirmed(txHash);
    if (block === undefined) return false;
    await this.store.markAnchored(batch.batchId, block);
    logger.info(
      { batchId: batch.batchId.toString(), count: batch.count, root: batch.root, txHash },
      "access log batch anchored",
    );
    return true;
  }
}

const max = (a: bigint, b: bigint) => (a > b ? a : b);
