import { expect } from "chai";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";

import {
  PRIVATE_VALUE,
  amendByName,
  decodeRecord,
  encodeRecord,
  formatHistory,
  importCsv,
  parseSchema,
  recordByName,
  recordHistory,
  revokeRecord,
  verifyDocument,
} from "../../scripts/lib/registry/registry";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { SHANGHAI } from "../helpers/identity";
import { BIRTH, enrollPerson } from "../helpers/registry";

const SCHEMA = parseSchema("uint32 birthDate,bytes32 placeOfBirth,bytes32 documentHash");

describe("agencies' registry tools", function () {
  let f: SystemFixture;
  let dir: string;
  beforeEach(async function () {
    f = await deploySystem();
    dir = mkdtempSync(join(tmpdir(), "govchain-registry-"));
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("record data by field name", function () {
    it("encodes dates, codes and document files, and decodes them back", function () {
      writeFileSync(join(dir, "certificate.pdf"), "birth certificate");
      const data = encodeRecord(
        SCHEMA,
        { birthDate: "1960-03-15", placeOfBirth: "CN-11-01", documentHash: "@certificate.pdf" },
        "row",
        dir,
      );
      expect(decodeRecord(SCHEMA, data)).to.deep.equal({
        birthDate: "1960-03-15",
        placeOfBirth: "CN-11-01",
        documentHash: ethers.keccak256(ethers.toUtf8Bytes("birth certificate")),
      });
    });

    for (const [label, values, message] of [
      ["a missing field", { birthDate: 19600315, placeOfBirth: "CN" }, /field "documentHash" \(bytes32\) is missing/],
      [
        "an unknown field",
        { birthDate: 19600315, placeOfBirth: "CN", documentHash: "x", sex: "F" },
        /unknown field "sex"/,
      ],
      ["a date that does not exist", { birthDate: "1960-02-30", placeOfBirth: "CN", documentHash: "x" }, /not a date/],
      [
        "a number out of range",
        { birthDate: 2 ** 33, placeOfBirth: "CN", documentHash: "x" },
        /out of range for uint32/,
      ],
      ["short hex for bytes32", { birthDate: 19600315, placeOfBirth: "0x1234", documentHash: "x" }, /must be 32 bytes/],
    ] as const) {
      it(`refuses ${label} before any transaction`, function () {
        expect(() => encodeRecord(SCHEMA, values as Record<string, unknown>, "row")).to.throw(message);
      });
    }

    it("refuses a schema without names or with a name twice", function () {
      expect(() => parseSchema("uint32")).to.throw(/has no name/);
      expect(() => parseSchema("uint32 a,uint8 a")).to.throw(/names "a" twice/);
    });
  });

  it("records, amends, revokes, verifies and tells the history, rebuilt from events", async function () {
    const child = await enrollPerson(f);
    writeFileSync(join(dir, "certificate.pdf"), "certificate 1");
    const values = { birthDate: "2026-01-05", placeOfBirth: "CN-11-01", documentHash: "@certificate.pdf" };
    const openings = join(dir, "openings");
    const uid = await recordByName(hre, f.signers.hospitalRegistrar, "BIRTH", child, values, dir, openings);
    const file = Buffer.from("certificate 1");
    expect((await verifyDocument(hre, uid, { file })).verdict).to.equal("valid");
    expect((await verifyDocument(hre, uid, { file: Buffer.from("forged") })).verdict).to.equal("mismatch");
    const unknown = ethers.toBeHex(1n << 200n, 32);
    expect((await verifyDocument(hre, unknown, { file })).verdict).to.equal("unknown");

    const second = await amendByName(
      hre,
      f.signers.registrar,
      uid,
      { ...values, birthDate: "2026-01-04" },
      "typo in the date of birth",
      dir,
      openings,
    );
    expect((await verifyDocument(hre, uid, { file })).verdict).to.equal("superseded");
    await revokeRecord(hre, f.signers.registrar, second, "duplicate of another record");
    const revoked = await verifyDocument(hre, second, { file });
    expect(revoked.verdict).to.equal("revoked");

    const history = await recordHistory(hre, "BIRTH", child);
    // the birth's date is private: the history, rebuilt from events, shows that it is committed, not its value
    expect(history.map((v) => [v.version, v.status, v.values.birthDate])).to.deep.equal([
      [1, "superseded", PRIVATE_VALUE],
      [2, "revoked", PRIVATE_VALUE],
    ]);
    expect(formatHistory(history)).to.match(
      /v1 superseded .* birthDate=private \(committed\).*\(reason: typo in the date of birth\)[\s\S]*v2 revoked .*\(reason: duplicate of another record\)/,
    );
    expect(revoked.explanation).to.match(/reason: duplicate of another record/);
    expect(await f.civilRegistry.reasonHashOf(second)).to.equal(ethers.id("duplicate of another record"));
  });

  it("reports a refused write with the registry's reason", async function () {
    const subject = await enrollPerson(f, SHANGHAI);
    const values = { birthDate: "2026-01-05", placeOfBirth: "CN-31", documentHash: ethers.ZeroHash };
    await expect(
      recordByName(hre, f.signers.hospitalRegistrar, "BIRTH", subject, values, ".", join(dir, "openings")),
    ).to.be.rejectedWith(/SmartLawOutsideJurisdiction/);
    await expect(
      recordByName(hre, f.signers.hospitalRegistrar, "NO_SUCH", subject, values, ".", join(dir, "openings")),
    ).to.be.rejectedWith(/no register "NO_SUCH": the registers are BIRTH, DEATH/);
  });

  it("refuses a write the registry would refuse, with nothing sent", async function () {
    const child = await enrollPerson(f);
    const values = { birthDate: "2026-01-05", placeOfBirth: "CN-11-01", documentHash: ethers.ZeroHash };
    const uid = await recordByName(
      hre,
      f.signers.hospitalRegistrar,
      "BIRTH",
      child,
      values,
      ".",
      join(dir, "openings"),
    );
    const nonce = await ethers.provider.getTransactionCount(f.signers.registrar.address);
    await expect(revokeRecord(hre, f.signers.registrar, uid, "x".repeat(257))).to.be.rejectedWith(
      /refused, nothing sent: CivilRegistryReasonTooLong\(257, 256\)/,
    );
    await expect(
      recordByName(hre, f.signers.registrar, "BIRTH", child, values, ".", join(dir, "openings")),
    ).to.be.rejectedWith(/refused, nothing sent: CivilRegistryRecordExists\(BIRTH, /);
    expect(await ethers.provider.getTransactionCount(f.signers.registrar.address)).to.equal(nonce);
    const other = await enrollPerson(f);
    await expect(
      recordByName(hre, f.signers.outsider, "BIRTH", other, values, ".", join(dir, "openings")),
    ).to.be.rejectedWith(
      /SmartLawUnauthorized\(outsider \(0x[0-9a-fA-F]{40}\), CivilRegistry \(0x[0-9a-fA-F]{40}\), record \(0x[0-9a-f]{8}\)\)/,
    );
  });

  describe("registry:import", function () {
    async function csv(rows: number) {
      const subjects = [];
      for (let i = 0; i < rows; i++) subjects.push(await enrollPerson(f));
      const lines = ["subject,birthDate,placeOfBirth,documentHash"];
      subjects.forEach((s, i) =>
        lines.push(`${s},2020-01-${String((i % 28) + 1).padStart(2, "0")},CN-11-01,${ethers.id(`doc ${s}`)}`),
      );
      return { subjects, lines };
    }

    it("imports in batches, reports bad rows by line, and a rerun writes nothing twice", async function () {
      const { subjects, lines } = await csv(7);
      lines.splice(3, 0, "abc,2020-01-01,CN-11-01,0x00"); // line 4: a bad subject
      lines.push(`${subjects[0]},2020-02-01,CN-11-01,${ethers.id("x")}`); // line 10: a subject twice
      const path = join(dir, "births.csv");
      writeFileSync(path, lines.join("\n"));

      // an interruption: the first three landed before
      const firstThree = join(dir, "first.csv");
      writeFileSync(firstThree, lines.slice(0, 3).concat(lines.slice(4, 5)).join("\n"));
      const partial = await importCsv(hre, f.signers.hospitalRegistrar, firstThree, "BIRTH", {
        batchSize: 2,
        openingsDir: join(dir, "openings"),
      });
      expect(partial.written).to.equal(3);

      const progress: number[] = [];
      const summary = await importCsv(hre, f.signers.hospitalRegistrar, path, "BIRTH", {
        batchSize: 2,
        openingsDir: join(dir, "openings"),
        onProgress: (settled) => progress.push(settled),
      });
      expect([summary.rows, summary.written, summary.alreadyThere, summary.transactions]).to.deep.equal([9, 4, 3, 2]);
      expect(summary.problems.map((p) => p.line)).to.deep.equal([4, 10]);
      expect(summary.problems[0].problem).to.match(/subject must be an identity id/);
      expect(summary.problems[1].problem).to.match(/already has a row, line 2/);
      expect(progress[progress.length - 1]).to.equal(7);
      for (const s of subjects) expect(await f.civilRegistry.latest(BIRTH, s)).to.not.equal(ethers.ZeroHash);

      const rerun = await importCsv(hre, f.signers.hospitalRegistrar, path, "BIRTH", {
        batchSize: 2,
        openingsDir: join(dir, "openings"),
      });
      expect([rerun.written, rerun.alreadyThere, rerun.transactions]).to.deep.equal([0, 7, 0]);
    });

    it("reports short and malformed rows by line and goes on with the others", async function () {
      const { subjects, lines } = await csv(3);
      lines.splice(2, 0, `${subjects[0]},2020-01-01`); // line 3: short
      lines.splice(3, 0, `${subjects[1]},2020-01-01,"CN-11-01"x,${ethers.id("doc")}`); // line 4: a stray quote
      const path = join(dir, "broken.csv");
      writeFileSync(path, lines.join("\n"));
      const summary = await importCsv(hre, f.signers.hospitalRegistrar, path, "BIRTH", {
        batchSize: 10,
        openingsDir: join(dir, "openings"),
      });
      expect(summary.problems.map((p) => p.line)).to.deep.equal([3, 4]);
      expect(summary.problems[0].problem).to.match(/the row has 2 values, the header names 4/);
      expect(summary.problems[1].problem).to.match(/not a CSV line: Invalid Closing Quote/);
      expect([summary.rows, summary.written]).to.deep.equal([5, 3]);
      for (const s of subjects) expect(await f.civilRegistry.latest(BIRTH, s)).to.not.equal(ethers.ZeroHash);
    });

    it("says so when the file does not exist", async function () {
      await expect(importCsv(hre, f.signers.hospitalRegistrar, join(dir, "missing.csv"), "BIRTH")).to.be.rejectedWith(
        /^no file .*missing\.csv$/,
      );
    });

    it("writes the rows the registry accepts when it refuses some of a batch", async function () {
      const { subjects, lines } = await csv(3);
      const shanghai = await enrollPerson(f, SHANGHAI);
      lines.push(`${shanghai},2020-01-01,CN-31,${ethers.id("doc")}`);
      const path = join(dir, "mixed.csv");
      writeFileSync(path, lines.join("\n"));
      const summary = await importCsv(hre, f.signers.hospitalRegistrar, path, "BIRTH", {
        batchSize: 10,
        openingsDir: join(dir, "openings"),
      });
      expect(summary.written).to.equal(3);
      expect(summary.problems).to.have.length(1);
      expect(summary.problems[0]).to.include({ line: 5, subject: String(shanghai) });
      expect(summary.problems[0].problem).to.match(/SmartLawOutsideJurisdiction/);
      expect(await f.civilRegistry.latest(BIRTH, subjects[2])).to.not.equal(ethers.ZeroHash);
    });
  });
});
