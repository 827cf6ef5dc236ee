import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import fc from "fast-check";
import { TypedDataEncoder, getAddress, hexlify, type TypedDataField } from "ethers";

import type { AccessLog } from "../../typechain-types";
import type { IAccessLog } from "../../typechain-types/contracts/log/AccessLog";
import { shouldBehaveLikeLawGated } from "../helpers/behaviours";
import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { GENESIS, GENESIS_APPOINTMENTS } from "../helpers/identity";
import { call, enact, lawId, roleId } from "../helpers/law";

const DATA_PROTECTION_ACT = lawId("DATA_PROTECTION_ACT");
/** The leaf types of the read log's tree: {IAccessLog.Entry}'s fields in order, as its NatSpec lists them. */
const TYPES = [
  "uint64",
  "uint64",
  "uint64",
  "uint8",
  "uint256",
  "address",
  "bytes32",
  "uint256",
  "bytes32",
  "bytes32",
  "uint256",
  "bytes32",
  "bytes32",
  "bytes32",
  "bytes4",
];
/** An entry's fields, by name, in the order of the struct. */
const FIELDS = [
  "seq",
  "at",
  "disclosedAt",
  "outcome",
  "reader",
  "key",
  "role",
  "department",
  "lawId",
  "registerId",
  "subject",
  "recordUid",
  "purpose",
  "requestDigest",
  "refusal",
] as const;

type Entry = IAccessLog.EntryStruct;
type Values = (string | bigint | number)[];

interface AccessLogFixture extends SystemFixture {
  accessLog: AccessLog;
}

const accessLogFixture = deployments.createFixture(async (hre): Promise<AccessLogFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const accessLog = await ethers.getContractAt("AccessLog", (await deployments.get("AccessLog")).address);
  return { ...f, accessLog };
});

/** The values of an entry in the tree's order. */
const valuesOf = (entry: Entry): Values => FIELDS.map((field) => entry[field] as string | bigint | number);

/** A read of the subject's birth record by the Dongcheng registrar, numbered `seq`, at `at`. */
function readEntry(seq: bigint, at: bigint): Entry {
  return {
    seq,
    at,
    disclosedAt: at,
    outcome: 1,
    reader: GENESIS.registrar,
    key: getAddress(`0x${"ab".repeat(20)}`),
    role: roleId("REGISTRAR"),
    department: GENESIS.dongchengOffice,
    lawId: lawId("CIVIL_REGISTRATION_ACT"),
    registerId: ethers.encodeBytes32String("BIRTH"),
    subject: 42n,
    recordUid: ethers.id(`record read by entry ${seq}`),
    purpose: ethers.id("checking a declaration"),
    requestDigest: ethers.id(`request ${seq}`),
    refusal: "0x00000000",
  };
}

/** A batch of `count` entries from `firstSeq`, one a second from `firstAt`, with its tree. */
function batchOf(firstSeq: bigint, count: number, firstAt: bigint) {
  const entries = Array.from({ length: count }, (_, i) => readEntry(firstSeq + BigInt(i), firstAt + BigInt(i)));
  const tree = StandardMerkleTree.of(entries.map(valuesOf), TYPES);
  return { entries, tree, firstSeq, count, firstAt, lastAt: firstAt + BigInt(count - 1) };
}
type Batch = ReturnType<typeof batchOf>;

const latest = async () => BigInt((await ethers.provider.getBlock("latest"))!.timestamp);

/** `anchor`'s arguments for a batch as the next one. */
const anchorArgs = (id: bigint, b: Batch) => [id, b.tree.root, b.firstSeq, b.count, b.firstAt, b.lastAt] as const;

describe("AccessLog", function () {
  let f: AccessLogFixture;

  beforeEach(async function () {
    f = await accessLogFixture();
  });

  const asService = () => f.accessLog.connect(f.signers.dataService);
  const anchorSelector = () => f.accessLog.interface.getFunction("anchor").selector;

  /** The batch that follows what is anchored: three entries from the next sequence number, in the last minute. */
  async function nextBatch(x: AccessLogFixture): Promise<{ id: bigint; batch: Batch }> {
    const count = await x.accessLog.batchCount();
    const previous = await x.accessLog.batch(count);
    const firstSeq = count === 0n ? 1n : previous.firstSeq + previous.count;
    return { id: count + 1n, batch: batchOf(firstSeq, 3, (await latest()) - 60n) };
  }

  describe("anchor", function () {
    it("anchors the first batch from entry 1, naming the official, his key and the law", async function () {
      const b = batchOf(1n, 3, (await latest()) - 60n);
      const tx = await asService().anchor(...anchorArgs(1n, b));
      const receipt = await tx.wait();
      const at = BigInt((await ethers.provider.getBlock(receipt!.blockNumber))!.timestamp);
      await expect(tx)
        .to.emit(f.accessLog, "LogAnchored")
        .withArgs(
          1n,
          b.tree.root,
          1n,
          3n,
          b.firstAt,
          b.lastAt,
          GENESIS.dataService,
          f.signers.dataService.address,
          DATA_PROTECTION_ACT,
        );
      const stored = await f.accessLog.batch(1n);
      expect([...stored]).to.deep.equal([
        b.tree.root,
        1n,
        3n,
        b.firstAt,
        b.lastAt,
        at,
        (await f.smartLaw.law(DATA_PROTECTION_ACT)).number,
      ]);
      expect(await f.accessLog.batchCount()).to.equal(1n);
    });

    it("anchors each next batch where the previous one ended", async function () {
      const first = await nextBatch(f);
      await asService().anchor(...anchorArgs(first.id, first.batch));
      const second = await nextBatch(f);
      expect([second.id, second.batch.firstSeq]).to.deep.equal([2n, 4n]);
      await expect(asService().anchor(...anchorArgs(second.id, second.batch)))
        .to.emit(f.accessLog, "LogAnchored")
        .withArgs(
          2n,
          second.batch.tree.root,
          4n,
          3n,
          second.batch.firstAt,
          second.batch.lastAt,
          GENESIS.dataService,
          f.signers.dataService.address,
          DATA_PROTECTION_ACT,
        );
      expect((await f.accessLog.batch(2n)).root).to.equal(second.batch.tree.root);
      expect(await f.accessLog.batchCount()).to.equal(2n);
    });

    it("lets the Legislature anchor by law, naming the law being enacted and no official", async function () {
      const { id, batch } = await nextBatch(f);
      await expect(
        enact(f, f.legislators, DATA_PROTECTION_ACT, [await call(f.accessLog, "anchor", [...anchorArgs(id, batch)])]),
      )
        .to.emit(f.accessLog, "LogAnchored")
        .withArgs(
          id,
          batch.tree.root,
          batch.firstSeq,
          batch.count,
          batch.firstAt,
          batch.lastAt,
          0n,
          await f.legislature.getAddress(),
          DATA_PROTECTION_ACT,
        );
    });

    describe("when the batch is not the next one", function () {
      it("reverts with AccessLogUnexpectedBatch for a batch that skips an id", async function () {
        const { batch } = await nextBatch(f);
        await expect(asService().anchor(...anchorArgs(2n, batch)))
          .to.be.revertedWithCustomError(f.accessLog, "AccessLogUnexpectedBatch")
          .withArgs(1n, 2n);
      });

      it("reverts with AccessLogUnexpectedBatch for a batch resent after it was anchored", async function () {
        const { id, batch } = await nextBatch(f);
        await asService().anchor(...anchorArgs(id, batch));
        await expect(asService().anchor(...anchorArgs(id, batch)))
          .to.be.revertedWithCustomError(f.accessLog, "AccessLogUnexpectedBatch")
          .withArgs(2n, 1n);
      });
    });

    describe("when entries are left out or counted twice between batches", function () {
      it("reverts with AccessLogGap for a first batch that does not start at entry 1", async function () {
        for (const firstSeq of [0n, 2n]) {
          const b = batchOf(firstSeq, 2, (await latest()) - 60n);
          await expect(asService().anchor(...anchorArgs(1n, b)))
            .to.be.revertedWithCustomError(f.accessLog, "AccessLogGap")
            .withArgs(1n, firstSeq);
        }
      });

      it("reverts with AccessLogGap for a batch that skips entries or overlaps the previous one", async function () {
        const first = await nextBatch(f);
        await asService().anchor(...anchorArgs(first.id, first.batch));
        for (const firstSeq of [5n, 3n]) {
          const b = batchOf(firstSeq, 2, (await latest()) - 60n);
          await expect(asService().anchor(...anchorArgs(2n, b)))
            .to.be.revertedWithCustomError(f.accessLog, "AccessLogGap")
            .withArgs(4n, firstSeq);
        }
      });
    });

    describe("when the batch is empty", function () {
      it("reverts with AccessLogEmptyBatch for no entries or no root", async function () {
        const { id, batch } = await nextBatch(f);
        const [, root, firstSeq, , firstAt, lastAt] = anchorArgs(id, batch);
        await expect(asService().anchor(id, root, firstSeq, 0, firstAt, lastAt)).to.be.revertedWithCustomError(
          f.accessLog,
          "AccessLogEmptyBatch",
        );
        await expect(
          asService().anchor(id, ethers.ZeroHash, firstSeq, batch.count, firstAt, lastAt),
        ).to.be.revertedWithCustomError(f.accessLog, "AccessLogEmptyBatch");
      });
    });

    describe("when the time range is wrong", function () {
      it("reverts with AccessLogInvalidRange for a range that ends before it starts", async function () {
        const { id, batch } = await nextBatch(f);
        await expect(asService().anchor(id, batch.tree.root, batch.firstSeq, batch.count, batch.lastAt, batch.firstAt))
          .to.be.revertedWithCustomError(f.accessLog, "AccessLogInvalidRange")
          .withArgs(batch.lastAt, batch.firstAt);
      });

      it("reverts with AccessLogInvalidRange for a range that ends in the future", async function () {
        const { id, batch } = await nextBatch(f);
        const future = (await latest()) + 3600n;
        await expect(asService().anchor(id, batch.tree.root, batch.firstSeq, batch.count, batch.firstAt, future))
          .to.be.revertedWithCustomError(f.accessLog, "AccessLogInvalidRange")
          .withArgs(batch.firstAt, future);
      });
    });

    describe("when the official was dismissed", function () {
      it("reverts with SmartLawUnauthorized", async function () {
        await enact(f, f.legislators, DATA_PROTECTION_ACT, [
          await call(f.identityRegistry, "dismiss", [GENESIS_APPOINTMENTS.dataService, "left the service"]),
        ]);
        const { id, batch } = await nextBatch(f);
        await expect(asService().anchor(...anchorArgs(id, batch)))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
          .withArgs(f.signers.dataService.address, await f.accessLog.getAddress(), anchorSelector());
      });
    });
  });

  shouldBehaveLikeLawGated(
    "anchor",
    () => f,
    () => ({
      target: f.accessLog,
      law: DATA_PROTECTION_ACT,
      role: roleId("DATA_SERVICE_OPERATOR"),
      official: (x) => x.signers.dataService,
      send: async (x, signer) => {
        const { id, batch } = await nextBatch(x as AccessLogFixture);
        return (x as AccessLogFixture).accessLog.connect(signer).anchor(...anchorArgs(id, batch));
      },
    }),
  );

  describe("deployment", function () {
    it("reverts with AccessLogSmartLawNotWired against a SmartLaw not wired to an IdentityRegistry", async function () {
      const unwired = await ethers.deployContract("SmartLaw");
      const factory = await ethers.getContractFactory("AccessLog");
      await expect(factory.deploy(await unwired.getAddress()))
        .to.be.revertedWithCustomError(factory, "AccessLogSmartLawNotWired")
        .withArgs(await unwired.getAddress());
    });
  });

  describe("verifyEntry", function () {
    let b: Batch;

    beforeEach(async function () {
      ({ batch: b } = await nextBatch(f));
      await asService().anchor(...anchorArgs(1n, b));
    });

    it("is true for every entry of an anchored batch, with its proof from the StandardMerkleTree", async function () {
      for (const [i, entry] of b.entries.entries()) {
        expect(await f.accessLog.verifyEntry(1n, entry, b.tree.getProof(i)), `entry ${i}`).to.equal(true);
      }
    });

    it("is false for an entry with any field changed", async function () {
      const proof = b.tree.getProof(1);
      const changed: Partial<Entry>[] = [
        { outcome: 2 },
        { reader: GENESIS.registrar2 },
        { purpose: ethers.id("curiosity") },
        { subject: 43n },
        { disclosedAt: BigInt(b.entries[1].at) + 86_400n },
        { refusal: "0x12345678" },
      ];
      for (const change of changed) {
        expect(
          await f.accessLog.verifyEntry(1n, { ...b.entries[1], ...change }, proof),
          Object.keys(change)[0],
        ).to.equal(false);
      }
    });

    it("is false against another batch, and for a batch not anchored", async function () {
      const second = await nextBatch(f);
      await asService().anchor(...anchorArgs(second.id, second.batch));
      expect(await f.accessLog.verifyEntry(2n, b.entries[0], b.tree.getProof(0))).to.equal(false);
      expect(await f.accessLog.verifyEntry(2n, second.batch.entries[0], second.batch.tree.getProof(0))).to.equal(true);
      expect(await f.accessLog.verifyEntry(3n, b.entries[0], b.tree.getProof(0))).to.equal(false);
      expect(await f.accessLog.verifyEntry(0n, b.entries[0], b.tree.getProof(0))).to.equal(false);
    });

    it("is false for an entry in the tree but outside the batch's sequence numbers or time range", async function () {
      // a batch whose tree holds more than it claims (a writer's mistake, or a forged batch): entries 4 and 5
      const at = (await latest()) - 60n;
      const entries = [
        readEntry(4n, at),
        readEntry(5n, at + 1n),
        readEntry(3n, at), // before its first sequence number
        readEntry(6n, at), // past its count
        readEntry(5n, at - 1n), // before its earliest time
        readEntry(5n, at + 2n), // after its latest time
      ];
      const tree = StandardMerkleTree.of(entries.map(valuesOf), TYPES);
      await asService().anchor(2n, tree.root, 4n, 2, at, at + 1n);
      const verdicts = await Promise.all(
        entries.map((entry, i) => f.accessLog.verifyEntry(2n, entry, tree.getProof(i))),
      );
      expect(verdicts).to.deep.equal([true, true, false, false, false, false]);
    });
  });

  describe("leaf", function () {
    const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => hexlify(b));
    const uint = (bits: number) => fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n });
    const arbitraryEntry: fc.Arbitrary<Entry> = fc.record({
      seq: uint(64),
      at: uint(64),
      disclosedAt: uint(64),
      outcome: fc.integer({ min: 0, max: 255 }),
      reader: uint(256),
      key: bytes(20).map(getAddress),
      role: bytes(32),
      department: uint(256),
      lawId: bytes(32),
      registerId: bytes(32),
      subject: uint(256),
      recordUid: bytes(32),
      purpose: bytes(32),
      requestDigest: bytes(32),
      refusal: bytes(4),
    });

    it("equals the StandardMerkleTree's leaf for any entry", async function () {
      await fc.assert(
        fc.asyncProperty(fc.array(arbitraryEntry, { minLength: 1, maxLength: 4 }), async (entries) => {
          const tree = StandardMerkleTree.of(entries.map(valuesOf), TYPES);
          for (const entry of entries) {
            expect(await f.accessLog.leaf(entry)).to.equal(tree.leafHash(valuesOf(entry)));
          }
        }),
        { numRuns: 50 },
      );
    });
  });

  describe("the data service's typed data (EIP-712, domain by ERC-5267)", function () {
    const TYPED: Record<string, Record<string, TypedDataField[]>> = {
      ReadRequest: {
        ReadRequest: [
          { name: "registerId", type: "bytes32" },
          { name: "subject", type: "uint256" },
          { name: "purpose", type: "bytes32" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      AccessQuery: {
        AccessQuery: [
          { name: "subject", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      Upload: {
        Upload: [
          { name: "kind", type: "bytes32" },
          { name: "target", type: "bytes32" },
          { name: "contentHash", type: "bytes32" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
    };

    async function domain() {
      const d = await f.accessLog.eip712Domain();
      return { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
    }

    it("gives the GovChainData domain of this contract and chain", async function () {
      expect(await domain()).to.deep.equal({
        name: "GovChainData",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await f.accessLog.getAddress(),
      });
    });

    it("hashes a ReadRequest as ethers' TypedDataEncoder does", async function () {
      const request = {
        registerId: ethers.encodeBytes32String("RESIDENCE"),
        subject: 42n,
        purpose: ethers.id("traffic accident report 2026-1187"),
        nonce: 7n,
        deadline: 1_800_000_000n,
      };
      expect(
        await f.accessLog.hashReadRequest(
          request.registerId,
          request.subject,
          request.purpose,
          request.nonce,
          request.deadline,
        ),
      ).to.equal(TypedDataEncoder.hash(await domain(), TYPED.ReadRequest, request));
    });

    it("hashes an AccessQuery as ethers' TypedDataEncoder does", async function () {
      const query = { subject: 42n, nonce: 8n, deadline: 1_800_000_000n };
      expect(await f.accessLog.hashAccessQuery(query.subject, query.nonce, query.deadline)).to.equal(
        TypedDataEncoder.hash(await domain(), TYPED.AccessQuery, query),
      );
    });

    it("hashes an Upload as ethers' TypedDataEncoder does", async function () {
      const upload = {
        kind: ethers.encodeBytes32String("DOCUMENT"),
        target: ethers.id("record uid"),
        contentHash: ethers.id("the scanned certificate"),
        nonce: 9n,
        deadline: 1_800_000_000n,
      };
      expect(
        await f.accessLog.hashUpload(upload.kind, upload.target, upload.contentHash, upload.nonce, upload.deadline),
      ).to.equal(TypedDataEncoder.hash(await domain(), TYPED.Upload, upload));
    });
  });
});
