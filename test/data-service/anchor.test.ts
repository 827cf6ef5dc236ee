/**
 * The anchorer over the vault's tables, against a chain stand-in: entries numbered without gaps at batching, each
 * entry's proof verifying against its batch's root, a batch the chain lost sent again under the same id and root,
 * and anchoring stopped when the chain holds another root under one of our ids. The real AccessLog is exercised by
 * reads-on-node.test.ts.
 */
import { randomBytes } from "node:crypto";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { standardLeafHash } from "@openzeppelin/merkle-tree/dist/hashes";
import fc from "fast-check";
import { expect } from "chai";
import { sql } from "drizzle-orm";
import { ZeroHash, hexlify } from "ethers";

import {
  Anchorer,
  ENTRY_TYPES,
  buildTree,
  leafHash,
  proofAt,
  type AnchorChain,
  type LeafValues,
  type PendingEntry,
  type StoredBatch,
} from "../../data-service/src/anchor/anchorer";
import { vaultAnchorStore } from "../../data-service/src/anchor/store";
import { logRefusal, logThenRead, type AccessEntry } from "../../data-service/src/reads/accessLog";
import { trackerEntries } from "../../data-service/src/reads/tracker";
import { openTestVault, type TestVault } from "../helpers/vault";

const REFUSED = "0x03db0ddf"; // SmartLawOutsideJurisdiction(address,bytes32)
const selectorOf = (refusal: string | null) => (refusal === null ? "0x00000000" : REFUSED);
type Hex = `0x${string}`;

/** A chain that keeps what it is sent, and can forget a batch (a reorganisation) or hold another writer's root. */
class ChainStandIn implements AnchorChain {
  roots = new Map<bigint, Hex>();
  sent: StoredBatch[] = [];
  async batchCount() {
    return BigInt(this.roots.size);
  }
  async rootOf(batchId: bigint) {
    return this.roots.get(batchId) ?? (ZeroHash as Hex);
  }
  async send(batch: StoredBatch) {
    this.sent.push(batch);
    this.roots.set(batch.batchId, batch.root);
    return hexlify(randomBytes(32)) as Hex;
  }
  async confirmed() {
    return 7n;
  }
}

describe("anchorer", function () {
  let vault: TestVault;
  let chain: ChainStandIn;
  let anchorer: Anchorer;
  let nonce = 0n;

  before(async function () {
    vault = await openTestVault();
  });
  after(async function () {
    await vault?.remove();
  });
  // one database for the file (its migrations take seconds), emptied before each test
  beforeEach(async function () {
    await vault.db.execute(sql`TRUNCATE access_log, anchor_batch, request_nonce`);
    chain = new ChainStandIn();
    anchorer = new Anchorer(vaultAnchorStore(vault.db, selectorOf), chain, { intervalMs: 60_000, maxEntries: 3 });
  });

  function entry(subject: bigint, at: bigint): AccessEntry {
    const b32 = () => randomBytes(32);
    return {
      nonce: { key: randomBytes(20), kind: "read", value: ++nonce },
      at,
      blockNumber: 5n,
      blockHash: b32(),
      reader: 9n,
      role: b32(),
      department: 3n,
      lawId: b32(),
      registerId: b32(),
      subject,
      recordUid: b32(),
      purpose: b32(),
      purposeText: "a stated purpose",
      requestDigest: b32(),
      disclosedAt: at,
    };
  }

  async function logSome(count: number, at = 1_000n) {
    for (let i = 0; i < count; i++) {
      if (i % 2) await logRefusal(vault.db, entry(42n, at + BigInt(i)), "SmartLawOutsideJurisdiction(0x1, CN-11-02)");
      else await logThenRead(vault.db, entry(42n, at + BigInt(i)), async () => undefined);
    }
  }

  it("numbers entries without gaps across batches, and each proof verifies against its batch's root", async function () {
    await logSome(5);
    await anchorer.tick(); // batch 1: entries 1-3
    await anchorer.tick(); // batch 2: entries 4-5
    expect(chain.sent.map((b) => [b.batchId, b.firstSeq, b.count])).to.deep.equal([
      [1n, 1n, 3],
      [2n, 4n, 2],
    ]);
    expect(chain.sent[0]).to.include({ firstAt: 1_000n, lastAt: 1_002n });
    const rows = await trackerEntries(vault.db, selectorOf, { subject: 42n, now: 2_000n, limit: 10 });
    expect(rows.map((r) => r.row.seq)).to.deep.equal([5n, 4n, 3n, 2n, 1n]);
    for (const { row, proof } of rows) {
      expect(proof, `entry ${row.id}`).to.not.equal(null);
      expect(proof!.root).to.equal(chain.roots.get(BigInt(proof!.batchId)));
      expect(proof!.leaf[14]).to.equal(row.outcome === 2 ? REFUSED : "0x00000000");
      expect(StandardMerkleTree.verify(proof!.root, ENTRY_TYPES, proof!.leaf, proof!.proof)).to.equal(true);
      const changed = [...proof!.leaf];
      changed[10] = "43"; // another subject
      expect(StandardMerkleTree.verify(proof!.root, ENTRY_TYPES, changed, proof!.proof)).to.equal(false);
    }
    await anchorer.tick();
    expect(chain.sent).to.have.length(2); // nothing left to batch
  });

  it("hides an entry from the tracker until it is disclosed, and shows no proof before its batch is anchored", async function () {
    await logThenRead(vault.db, { ...entry(42n, 1_000n), disclosedAt: 5_000n }, async () => undefined);
    await logSome(1, 1_001n);
    const before = await trackerEntries(vault.db, selectorOf, { subject: 42n, now: 4_999n, limit: 10 });
    expect(before).to.have.length(1);
    expect(before[0].proof).to.equal(null);
    const after = await trackerEntries(vault.db, selectorOf, { subject: 42n, now: 5_000n, limit: 10 });
    expect(after).to.have.length(2);
  });

  it("sends a batch the chain lost again, under the same id and root", async function () {
    await logSome(2);
    await anchorer.tick();
    const [first] = chain.sent;
    chain.roots.clear(); // a reorganisation dropped the anchoring transaction
    await logSome(1, 2_000n);
    await anchorer.tick();
    expect(chain.sent.map((b) => [b.batchId, b.root])).to.deep.equal([
      [1n, first.root],
      [1n, first.root],
      [2n, chain.roots.get(2n)],
    ]);
  });

  it("stops anchoring when the chain holds another root under one of its batch ids", async function () {
    await logSome(2);
    const store = vaultAnchorStore(vault.db, selectorOf);
    // a batch built but not sent before a crash; meanwhile another writer anchored batch 1
    await store.buildBatch(1n, 3, () => ({ root: `0x${"11".repeat(32)}`, tree: {} }));
    chain.roots.set(1n, `0x${"22".repeat(32)}`);
    await anchorer.tick();
    expect(anchorer.stoppedBy).to.match(/batch 1 holds root 0x2222.* another writer anchors/);
    expect(chain.sent).to.have.length(0);
  });
});

describe("a batch's tree", function () {
  const word = (bytes: number) => fc.uint8Array({ minLength: bytes, maxLength: bytes }).map((b) => hexlify(b));
  const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }).map(String);
  /** Any entry's leaf values, its sequence number left to the batch. */
  const leafWithoutSeq = fc.tuple(
    uint(64),
    uint(64),
    fc.integer({ min: 0, max: 255 }),
    uint(256),
    word(20),
    word(32),
    uint(256),
    word(32),
    word(32),
    uint(256),
    word(32),
    word(32),
    word(32),
    word(4),
  );
  const entriesOf = (leaves: (typeof leafWithoutSeq extends fc.Arbitrary<infer T> ? T : never)[]): PendingEntry[] =>
    leaves.map(([at, disclosedAt, ...rest], i) => ({
      id: BigInt(i + 1),
      at: BigInt(at),
      leaf: (seq) => [seq.toString(), at, disclosedAt, ...rest] as unknown as LeafValues,
    }));

  it("is StandardMerkleTree's for any entries: the same leaf hashes, root, dump and proofs", function () {
    fc.assert(
      fc.property(fc.array(leafWithoutSeq, { minLength: 1, maxLength: 24 }), uint(32), (leaves, first) => {
        const entries = entriesOf(leaves);
        const values = entries.map((e, i) => e.leaf(BigInt(first) + BigInt(i)));
        for (const value of values)
          expect(`0x${leafHash(value).toString("hex")}`).to.equal(standardLeafHash(ENTRY_TYPES, value));
        const theirs = StandardMerkleTree.of(values, ENTRY_TYPES);
        const ours = buildTree(entries, BigInt(first));
        expect(ours.root).to.equal(theirs.root);
        expect(ours.tree).to.deep.equal(theirs.dump());
        expect(StandardMerkleTree.load(ours.tree).root).to.equal(theirs.root);
        values.forEach((_, i) => expect(proofAt(ours.tree, i)).to.deep.equal(theirs.getProof(i)));
      }),
      { numRuns: 60 },
    );
  });

  it("refuses a value its type cannot hold rather than hash another", function () {
    const [entry] = entriesOf([
      [
        "1",
        "1",
        1,
        "1",
        `0x${"ab".repeat(20)}`,
        ZeroHash,
        "1",
        ZeroHash,
        ZeroHash,
        "1",
        ZeroHash,
        ZeroHash,
        ZeroHash,
        "0x00000000",
      ],
    ]);
    const leaf = entry.leaf(1n);
    expect(() => leafHash(leaf)).to.not.throw();
    const bad = (i: number, value: string | number) => {
      const changed = [...leaf] as unknown as (string | number)[];
      changed[i] = value;
      return changed as unknown as LeafValues;
    };
    expect(() => leafHash(bad(0, (1n << 64n).toString()))).to.throw(/is not a uint64/);
    expect(() => leafHash(bad(3, 256))).to.throw(/is not a uint8/);
    expect(() => leafHash(bad(5, "0x1234"))).to.throw(/is not a address/);
    expect(() => leafHash(bad(14, ZeroHash))).to.throw(/is not a bytes4/);
    expect(() => proofAt(buildTree([entry], 1n).tree, 1)).to.throw(/no entry 1 in a batch of 1/);
  });
});
