/**
 * The data service's client does not take the service's word: a read's record is checked against the chain
 * (current, of the register and subject asked, its data the ones its hash commits to), and a tracker entry is
 * "verified on chain" only when the anchored leaf holds the very values shown, about the person asking, and its
 * proof leads to the root the AccessLog holds.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { AbiCoder, keccak256, toUtf8Bytes } from "ethers";

import { readSchema } from "../../scripts/lib/registry/schema";

import {
  LEAF_TYPES,
  checkReadAgainstChain,
  openReadRecord,
  verifiedOnChain,
  type DataService,
  type ReadAnswer,
  type TrackerEntry,
} from "../../scripts/lib/data/client";
import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { GENESIS } from "../helpers/identity";
import { lawId, roleId } from "../helpers/law";
import { BIRTH, BIRTH_SCHEMA, birthData, birthRecord, enrollPerson } from "../helpers/registry";

const REGISTRAR = roleId("REGISTRAR");
const LAW = lawId("DATA_PROTECTION_ACT");
const PURPOSE = "checking a declaration";

interface ClientFixture extends SystemFixture {
  subject: bigint;
  uid: string;
  data: string;
  /** The birth's clear form and salt: what the vault returns as its private part. */
  clear: string;
  salt: string;
}

const clientFixture = deployments.createFixture(async (hre): Promise<ClientFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const subject = await enrollPerson(f);
  const sealed = birthRecord(20260105);
  const data = sealed.onChain;
  await f.civilRegistry.connect(f.signers.hospitalRegistrar).record(BIRTH, subject, data);
  const uid = await f.civilRegistry.latest(BIRTH, subject);
  return { ...f, subject, uid, data, clear: sealed.clear, salt: sealed.salt };
});

/** The service's answer to a granted read of the fixture's birth, as it should be, with `over` changed. */
const answerOf = (f: ClientFixture, over: Partial<ReadAnswer> = {}): ReadAnswer => ({
  entryId: "1",
  block: "1",
  law: LAW,
  role: REGISTRAR,
  registerId: BIRTH,
  subject: f.subject.toString(),
  uid: f.uid,
  data: f.data,
  private: null,
  documents: [],
  personalData: null,
  ...over,
});

describe("data service client", function () {
  let f: ClientFixture;
  beforeEach(async function () {
    f = await clientFixture();
  });

  describe("a read's answer, checked against the chain", function () {
    const answer = (over: Partial<ReadAnswer> = {}) => answerOf(f, over);

    it("takes the subject's current record with the data its hash commits to", async function () {
      await checkReadAgainstChain(f.civilRegistry, answer());
    });

    it("refuses data other than those the record's hash commits to", async function () {
      await expect(checkReadAgainstChain(f.civilRegistry, answer({ data: birthData(19000101) }))).to.be.rejectedWith(
        /do not match the hash the chain holds/,
      );
    });

    it("refuses an answer about another register or subject than the one asked", async function () {
      await checkReadAgainstChain(f.civilRegistry, answer(), { registerId: BIRTH, subject: f.subject });
      await expect(
        checkReadAgainstChain(f.civilRegistry, answer(), { registerId: BIRTH, subject: f.subject + 1n }),
      ).to.be.rejectedWith(/not the .* of identity \d+ asked/);
      await expect(
        checkReadAgainstChain(f.civilRegistry, answer(), { registerId: ethers.id("RESIDENCE"), subject: f.subject }),
      ).to.be.rejectedWith(/answered about 0x.* not the/);
    });

    it("refuses another subject's record, and a record that is not the current one", async function () {
      const other = await enrollPerson(f);
      await expect(checkReadAgainstChain(f.civilRegistry, answer({ subject: other.toString() }))).to.be.rejectedWith(
        /not of the register and subject asked/,
      );
      await f.civilRegistry.connect(f.signers.registrar).amend(f.uid, birthData(20260106), "wrong date");
      await expect(checkReadAgainstChain(f.civilRegistry, answer())).to.be.rejectedWith(/current record is 0x/);
    });
  });

  describe("a read's record, opened", function () {
    const read = (privatePart: string | null) => answerOf(f, { private: privatePart });
    const part = (clear: string, salt: string) =>
      AbiCoder.defaultAbiCoder().encode(["bytes", "bytes32"], [clear, salt]);

    it("shows the private fields in clear when the vault's part opens the record's commitment", function () {
      const opened = openReadRecord(BIRTH_SCHEMA, read(part(f.clear, f.salt)));
      expect(opened.private).to.equal(true);
      expect(opened.fields.birthDate).to.equal("2026-01-05");
      expect(opened.fields).to.have.keys(["birthDate", "placeOfBirth", "documentHash"]);
    });

    it("shows the public fields alone, the private ones withheld, when the vault returned no private part", function () {
      const opened = openReadRecord(BIRTH_SCHEMA, read(null));
      expect(opened.private).to.equal(false);
      expect(opened.fields.birthDate).to.not.contain("2026");
      expect(opened.fields).to.have.property("privateHash");
    });

    it("refuses a private part that does not open the commitment: another date, another salt, not a part at all", function () {
      const other = birthRecord(19000101);
      const padded = `${part(f.clear, f.salt)}${"00".repeat(32)}`; // the same values, encoded with bytes to spare
      for (const bad of [part(other.clear, f.salt), part(f.clear, other.salt), "0x1234", padded])
        expect(() => openReadRecord(BIRTH_SCHEMA, read(bad)), bad).to.throw(/does not open the record's commitment/);
    });
    it("shows no private part for a register without private fields, whatever the service sent", function () {
      const licence = readSchema("bytes32 activity,uint32 validUntil,bytes32 documentHash");
      const data = AbiCoder.defaultAbiCoder().encode(licence.fields, [ethers.id("bakery"), 20301231, ethers.id("doc")]);
      const opened = openReadRecord(licence, { ...read(part(data, f.salt)), data });
      expect(opened.private).to.equal(false);
      expect(opened.fields).to.have.keys(["activity", "validUntil", "documentHash"]);
    });
  });

  describe("a tracker entry, verified on chain", function () {
    /** Two entries about the subject, anchored as batch 1 by the data service's key; the first as the tracker shows it. */
    async function anchored() {
      const at = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) - 60n;
      const leaf = (seq: bigint, subject: bigint, purpose: string) => [
        seq,
        at,
        at,
        1,
        GENESIS.registrar,
        f.signers.registrar.address,
        REGISTRAR,
        GENESIS.dongchengOffice,
        LAW,
        BIRTH,
        subject,
        f.uid,
        keccak256(toUtf8Bytes(purpose)),
        ethers.id(`request ${seq}`),
        "0x00000000",
      ];
      const tree = StandardMerkleTree.of(
        [leaf(1n, f.subject, PURPOSE), leaf(2n, f.subject + 1n, "another's")],
        LEAF_TYPES,
      );
      const accessLog = await ethers.getContractAt("AccessLog", (await deployments.get("AccessLog")).address);
      await accessLog.connect(f.signers.dataService).anchor(1n, tree.root, 1n, 2, at, at);
      const service = { url: "", accessLog, domain: {} } as unknown as DataService;
      const shown = (i: number, over: Partial<TrackerEntry> = {}): TrackerEntry => {
        const values = tree.at(i)!.map(String);
        return {
          entryId: String(i + 1),
          at: at.toString(),
          outcome: "read",
          refusal: null,
          reader: GENESIS.registrar.toString(),
          readerKey: f.signers.registrar.address,
          role: REGISTRAR,
          department: GENESIS.dongchengOffice.toString(),
          law: LAW,
          registerId: BIRTH,
          recordUid: f.uid,
          purpose: i === 0 ? PURPOSE : "another's",
          anchored: {
            batchId: "1",
            seq: String(i + 1),
            leaf: values,
            proof: tree.getProof(i),
            root: tree.root,
            anchorTx: null,
          },
          ...over,
        };
      };
      return { service, shown };
    }

    it("verifies an entry whose leaf holds what is shown, about the person asking", async function () {
      const { service, shown } = await anchored();
      expect(await verifiedOnChain(service, shown(0), f.subject)).to.equal(true);
    });

    it("does not verify an entry shown with values its leaf does not hold", async function () {
      const { service, shown } = await anchored();
      expect(await verifiedOnChain(service, shown(0, { purpose: "a purpose nobody stated" }), f.subject)).to.equal(
        false,
      );
      expect(await verifiedOnChain(service, shown(0, { reader: "99" }), f.subject)).to.equal(false);
      expect(await verifiedOnChain(service, shown(0, { outcome: "refused" }), f.subject)).to.equal(false);
    });

    it("does not verify another person's genuine entry shown to this one", async function () {
      const { service, shown } = await anchored();
      expect(await verifiedOnChain(service, shown(1), f.subject + 1n)).to.equal(true);
      expect(await verifiedOnChain(service, shown(1), f.subject)).to.equal(false);
    });

    it("does not verify an entry whose proof leads to no anchored root, nor one not anchored", async function () {
      const { service, shown } = await anchored();
      const entry = shown(0);
      expect(
        await verifiedOnChain(
          service,
          { ...entry, anchored: { ...entry.anchored!, proof: shown(1).anchored!.proof } },
          f.subject,
        ),
      ).to.equal(false);
      expect(await verifiedOnChain(service, { ...entry, anchored: null }, f.subject)).to.equal(false);
    });
  });

  describe("data:read", function () {
    /** A stand-in service on a free port that answers 503 and counts the requests it was sent. */
    async function countingService() {
      let asked = 0;
      const server = createServer((_request, response) => {
        asked++;
        response.writeHead(503, { "content-type": "application/json" }).end('{"error":"a stand-in"}');
      });
      await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
      const { port } = server.address() as AddressInfo;
      return { url: `http://127.0.0.1:${port}`, asked: () => asked, close: () => server.close() };
    }

    async function readThrough(url: string, register: string) {
      const before = process.env.GOVCHAIN_DATA_URL;
      process.env.GOVCHAIN_DATA_URL = url;
      try {
        await hre.run("data:read", {
          register,
          subject: f.subject.toString(),
          purpose: PURPOSE,
          from: "registrar",
          json: false,
        });
      } finally {
        if (before === undefined) delete process.env.GOVCHAIN_DATA_URL;
        else process.env.GOVCHAIN_DATA_URL = before;
      }
    }

    it("names a register that does not exist before anything is signed or sent", async function () {
      const service = await countingService();
      try {
        await expect(readThrough(service.url, "NO_SUCH_REGISTER")).to.be.rejectedWith(/NO_SUCH_REGISTER/);
        expect(service.asked()).to.equal(0);
        // a register that exists is sent: the count above is not zero by accident
        await expect(readThrough(service.url, "BIRTH")).to.be.rejectedWith(/503/);
        expect(service.asked()).to.equal(1);
      } finally {
        service.close();
      }
    });
  });
});
