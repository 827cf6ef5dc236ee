/**
 * Registers with private fields: the schema's `private` mark, the on-chain form (public fields, then a salted hash
 * of the private ones) that the registry accepts and verifies, the clear form it refuses, and the three forms'
 * helpers (scripts/lib/registry/schema.ts) held equal to Solidity's encoding. Then the registry tools on such a
 * register: the opening saved before the transaction, the history showing private fields as committed.
 */
import { expect } from "chai";
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";

import { textId } from "../../scripts/lib/common/ids";
import { openingPath, readOpeningFile } from "../../scripts/lib/registry/openings";
import { formatRegisters, listRegisters } from "../../scripts/lib/registry/registers";
import {
  PRIVATE_VALUE,
  amendByName,
  formatHistory,
  importCsv,
  recordByName,
  recordHistory,
  verifyDocument,
} from "../../scripts/lib/registry/registry";
import {
  clearForm,
  decodeOnChain,
  newSalt,
  onChainForm,
  onChainTypes,
  opening,
  openRecord,
  openingMatches,
  privateHash,
  privatePart,
  readSchema,
} from "../../scripts/lib/registry/schema";
import type { RecordSchemaMock } from "../../typechain-types";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG } from "../helpers/identity";
import { SCOPE_JURISDICTION, call, enact, roleId } from "../helpers/law";
import { CIVIL_REGISTRATION_ACT, coder, documentHash, enrollPerson, uidOf } from "../helpers/registry";

const BIRTH_SCHEMA = "uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash";
const RESIDENCE_SCHEMA = "bytes32 jurisdiction,uint32 since private,string streetAddress private,bytes32 documentHash";
const PRIVATE_BIRTH = textId("PRIVATE_BIRTH");
const PRIVATE_RESIDENCE = textId("PRIVATE_RESIDENCE");
const FIRST_NEW_REGISTER = 7n; // the genesis creates six
const HOSPITAL_REGISTRAR = roleId("HOSPITAL_REGISTRAR");
const birth = readSchema(BIRTH_SCHEMA);
const residence = readSchema(RESIDENCE_SCHEMA);

describe("private fields", function () {
  let f: SystemFixture;
  let mock: RecordSchemaMock;

  before(async function () {
    mock = await (await ethers.getContractFactory("RecordSchemaMock")).deploy();
  });

  beforeEach(async function () {
    f = await deploySystem();
  });

  /** Creates the two registers by law, and lets the hospital registrar record and amend in them. */
  async function createPrivateRegisters() {
    const registry = await f.civilRegistry.getAddress();
    const calls = [
      await call(f.civilRegistry, "createRegister", [PRIVATE_BIRTH, "Births", BIRTH_SCHEMA, CIVIL_REGISTRATION_ACT]),
      await call(f.civilRegistry, "createRegister", [
        PRIVATE_RESIDENCE,
        "Residences",
        RESIDENCE_SCHEMA,
        CIVIL_REGISTRATION_ACT,
      ]),
    ];
    for (const register of [PRIVATE_BIRTH, PRIVATE_RESIDENCE])
      for (const fn of ["record", "amend"] as const)
        calls.push(
          await call(f.smartLaw, "grantOn", [
            CIVIL_REGISTRATION_ACT,
            HOSPITAL_REGISTRAR,
            registry,
            f.civilRegistry.interface.getFunction(fn)!.selector,
            register,
            SCOPE_JURISDICTION,
          ]),
        );
    await enact(f, f.legislators, CIVIL_REGISTRATION_ACT, calls);
  }

  const birthClear = (date = 20260105, place = textId("CN-11-01"), document = documentHash()) =>
    clearForm(birth, [date, place, document]);

  describe("parse", function () {
    it("creates a register with private fields: its words are the public ones and the private hash", async function () {
      await createPrivateRegisters();
      const created = await f.civilRegistry.register(PRIVATE_BIRTH);
      expect([created.schema, created.words, created.dynamic]).to.deep.equal([BIRTH_SCHEMA, 2n, false]);
      // a private string makes the clear form dynamic, not the on-chain form
      const resident = await f.civilRegistry.register(PRIVATE_RESIDENCE);
      expect([resident.words, resident.dynamic]).to.deep.equal([3n, false]);
    });

    for (const [schema, words, codes, dynamic] of [
      ["uint8 a,uint32 b private,bool c", 3, [1, 96, 0], false],
      ["string note private", 1, [0], false],
      ["uint32 since private,string street,int8 x", 3, [128, 33, 0], true],
      ["uint8 private", 1, [1], false], // a field named private, public
      ["uint8 private private", 1, [0], false],
      ["uint8 a  private ,  bytes4 b", 2, [68, 0], false],
      ["uint256[21] a,uint8 b private", 22, [...Array(21).fill(0), 0], false],
    ] as const) {
      it(`lays out "${schema.slice(0, 40)}" as ${words} words on chain`, async function () {
        const [layout, ok, position] = await mock.parse(schema);
        expect([ok, position]).to.deep.equal([true, BigInt(schema.length)]);
        expect([layout.words, layout.dynamic]).to.deep.equal([BigInt(words), dynamic]);
        const expected = ethers.zeroPadBytes(Uint8Array.from(codes), 22);
        expect(layout.codes).to.equal(expected);
      });
    }

    const fields = (n: number) => Array.from({ length: n }, (_, i) => `uint8 f${i} private`).join(",");
    for (const [label, schema, position] of [
      ["a private field past 22 words (its hash's word)", "uint256[22] a,uint8 b private", 14],
      ["a public field past 22 words with a private one before", "uint8 a private,uint256[22] b", 16],
      ["a 33rd field", `${fields(32)},uint8 x`, fields(32).length + 1],
      ["an unknown type, even private", "uint7 a private", 0],
      ["an empty fixed array, even private", "uint8[0] a private", 0],
      ["a mark that is not the word private", "uint8 a privat", 8],
      ["a word after the mark", "uint8 a private b", 16],
      ["the mark twice", "uint8 a private private", 16],
    ] as const) {
      it(`refuses ${label} at byte ${position}`, async function () {
        const [, ok, at] = await mock.parse(schema);
        expect([ok, at]).to.deep.equal([false, BigInt(position)]);
      });
    }

    it("accepts 32 fields, all private, as one word", async function () {
      const [layout, ok] = await mock.parse(fields(32));
      expect([ok, layout.words]).to.deep.equal([true, 1n]);
    });

    it("refuses the schema by law with CivilRegistryInvalidSchema at the field at fault", async function () {
      const schema = "uint256[22] a,uint8 b private";
      const update = enact(f, f.legislators, CIVIL_REGISTRATION_ACT, [
        await call(f.civilRegistry, "createRegister", [textId("X"), "X", schema, CIVIL_REGISTRATION_ACT]),
      ]);
      const inner = f.civilRegistry.interface.encodeErrorResult("CivilRegistryInvalidSchema", [schema, 14]);
      await expect(update)
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, await f.civilRegistry.getAddress(), inner);
    });
  });

  describe("records", function () {
    let child: bigint;
    beforeEach(async function () {
      await createPrivateRegisters();
      child = await enrollPerson(f);
    });

    it("accepts the on-chain form; the event carries no private value", async function () {
      const clear = birthClear(20260105, textId("CN-11-01"));
      const onChain = onChainForm(birth, clear, newSalt());
      const official = await f.identityRegistry.identityOf(f.signers.hospitalRegistrar.address);
      const uid = uidOf(FIRST_NEW_REGISTER, child, 1n);
      await expect(f.civilRegistry.connect(f.signers.hospitalRegistrar).record(PRIVATE_BIRTH, child, onChain))
        .to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(
          uid,
          PRIVATE_BIRTH,
          child,
          official,
          f.signers.hospitalRegistrar.address,
          CIVIL_REGISTRATION_ACT,
          onChain,
        );
      expect(onChain).not.to.contain(textId("CN-11-01").slice(2));
      expect(onChain).not.to.contain(ethers.toBeHex(20260105, 32).slice(2));
      expect((await f.civilRegistry.getRecord(uid)).dataHash).to.equal(ethers.keccak256(onChain));
    });

    it("refuses the clear form by its length", async function () {
      const clear = birthClear();
      await expect(f.civilRegistry.connect(f.signers.hospitalRegistrar).record(PRIVATE_BIRTH, child, clear))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataLength")
        .withArgs(PRIVATE_BIRTH, 64n, 96n);
      const street = clearForm(residence, [DONGCHENG, 20200101, "1 Chang'an Avenue", documentHash()]);
      await expect(f.civilRegistry.connect(f.signers.hospitalRegistrar).record(PRIVATE_RESIDENCE, child, street))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataLength")
        .withArgs(PRIVATE_RESIDENCE, 96n, ethers.dataLength(street));
    });

    it("verifies the on-chain form, rebuilt from an opening; not the clear form, not another salt", async function () {
      const clear = birthClear();
      const salt = newSalt();
      const onChain = onChainForm(birth, clear, salt);
      await f.civilRegistry.connect(f.signers.hospitalRegistrar).record(PRIVATE_BIRTH, child, onChain);
      const uid = uidOf(FIRST_NEW_REGISTER, child, 1n);
      const proof = opening(privatePart(birth, clear), salt);
      const rebuilt = onChainForm(birth, openRecord(birth, onChain, proof)!, salt);
      expect(await f.civilRegistry.verify(uid, rebuilt)).to.equal(true);
      expect(await f.civilRegistry.verify(uid, clear)).to.equal(false);
      expect(await f.civilRegistry.verify(uid, onChainForm(birth, clear, newSalt()))).to.equal(false);
    });
  });

  describe("the three forms' helpers", function () {
    it("equal Solidity's commitment and on-chain form", async function () {
      const salt = newSalt();
      const place = textId("CN-11-01");
      const document = documentHash();
      const clear = clearForm(birth, [19600315, place, document]);
      const part = privatePart(birth, clear);
      expect(part).to.equal(coder.encode(["uint32", "bytes32"], [19600315, place]));
      expect(privateHash(part, salt)).to.equal(await mock.commit(part, salt));
      expect(onChainForm(birth, clear, salt)).to.equal(await mock.birthOnChain(19600315, place, document, salt));

      const street = "1 Chang'an Avenue, Dongcheng";
      const lived = clearForm(residence, [DONGCHENG, 20200101, street, document]);
      expect(onChainForm(residence, lived, salt)).to.equal(
        await mock.residenceOnChain(DONGCHENG, 20200101, street, document, salt),
      );
      expect(decodeOnChain(residence, onChainForm(residence, lived, salt))).to.deep.equal({
        values: { jurisdiction: DONGCHENG, documentHash: document },
        privateHash: privateHash(privatePart(residence, lived), salt),
      });
    });

    it("open a record with its opening only: a wrong salt, value or encoding does not match", async function () {
      const clear = birthClear();
      const salt = newSalt();
      const part = privatePart(birth, clear);
      const onChain = onChainForm(birth, clear, salt);
      expect(openRecord(birth, onChain, opening(part, salt))).to.equal(clear);
      expect(openingMatches(birth, onChain, opening(part, newSalt()))).to.equal(false);
      const otherDate = privatePart(birth, birthClear(20260106));
      expect(openingMatches(birth, onChain, opening(otherDate, salt))).to.equal(false);
      expect(openingMatches(birth, onChain, opening(part + "00", salt))).to.equal(false); // not canonical
      expect(openingMatches(birth, onChain, "0x1234")).to.equal(false);
      // a register without private fields has nothing to open: its on-chain form is the clear form
      const open = readSchema("bytes32 activity,uint32 validUntil,bytes32 documentHash");
      const licence = clearForm(open, [textId("BAKERY"), 20301231, documentHash()]);
      expect(onChainForm(open, licence, salt)).to.equal(licence);
      expect(openingMatches(open, licence, opening("0x", salt))).to.equal(false);
    });

    it("read the mark only as a third word, and refuse a schema the tools cannot encode", function () {
      expect(birth.isPrivate).to.deep.equal([true, true, false]);
      expect(onChainTypes(residence).map((t) => t.format("full"))).to.deep.equal([
        "bytes32 jurisdiction",
        "bytes32 documentHash",
        "bytes32 privateHash",
      ]);
      expect(readSchema("uint8 private").isPrivate).to.deep.equal([false]);
      expect(() => readSchema("uint8 a secret")).to.throw(/not an ABI type and a name/);
      expect(() => readSchema("uint8 a private,uint8 a")).to.throw(/names "a" twice/);
    });
  });

  describe("the registry tools", function () {
    let dir: string;
    let child: bigint;
    beforeEach(async function () {
      await createPrivateRegisters();
      child = await enrollPerson(f);
      dir = mkdtempSync(join(tmpdir(), "govchain-openings-"));
    });
    afterEach(function () {
      rmSync(dir, { recursive: true, force: true });
    });

    const values = { birthDate: "2026-01-05", placeOfBirth: "CN-11-01", documentHash: ethers.id("certificate") };

    it("write the on-chain form, keep the opening in a file of its own, and show private fields as committed", async function () {
      const uid = await recordByName(hre, f.signers.hospitalRegistrar, "PRIVATE_BIRTH", child, values, ".", dir);
      const path = openingPath(dir, PRIVATE_BIRTH, child);
      expect(path).to.equal(join(dir, `PRIVATE_BIRTH-${child}.opening.json`));
      expect(statSync(path).mode & 0o777).to.equal(0o600);
      const saved = readOpeningFile(path);
      expect(saved.uid).to.equal(uid);
      const [added] = await f.civilRegistry.queryFilter(f.civilRegistry.filters.RecordAdded(uid));
      expect(added.args.data).to.equal(saved.onChain);
      expect(openRecord(birth, added.args.data, saved.opening)).to.equal(saved.clear);
      expect(await f.civilRegistry.verify(uid, saved.onChain)).to.equal(true);

      const [view] = await recordHistory(hre, "PRIVATE_BIRTH", child);
      expect(view.values).to.deep.equal({
        birthDate: PRIVATE_VALUE,
        placeOfBirth: PRIVATE_VALUE,
        documentHash: values.documentHash,
        privateHash: saved.privateHash,
      });
      expect(formatHistory([view])).to.contain("birthDate=private (committed)");
      expect((await verifyDocument(hre, uid, { data: saved.onChain })).verdict).to.equal("valid");
      expect((await verifyDocument(hre, uid, { file: Buffer.from("certificate") })).verdict).to.equal("valid");
      const listed = (await listRegisters(hre)).find((r) => r.id === "PRIVATE_BIRTH")!;
      expect(listed.fields.map((x) => x.private)).to.deep.equal([true, true, false]);
      expect(formatRegisters([listed])).to.contain(
        "fields: birthDate (uint32, private), placeOfBirth (bytes32, private)",
      );
    });

    it("save the opening before sending: a refused record leaves it, and a retry writes the same data", async function () {
      await expect(recordByName(hre, f.signers.outsider, "PRIVATE_BIRTH", child, values, ".", dir)).to.be.rejectedWith(
        /SmartLawUnauthorized/,
      );
      const path = openingPath(dir, PRIVATE_BIRTH, child);
      const kept = readOpeningFile(path);
      expect(kept.uid).to.equal(undefined);
      const uid = await recordByName(hre, f.signers.hospitalRegistrar, "PRIVATE_BIRTH", child, values, ".", dir);
      expect(readOpeningFile(path)).to.deep.equal({ ...kept, uid });
    });

    it("amend with a new salt, keeping the superseded record's opening aside", async function () {
      const first = await recordByName(hre, f.signers.hospitalRegistrar, "PRIVATE_BIRTH", child, values, ".", dir);
      const path = openingPath(dir, PRIVATE_BIRTH, child);
      const before = readOpeningFile(path);
      const second = await amendByName(
        hre,
        f.signers.hospitalRegistrar,
        first,
        { ...values, birthDate: "2026-01-04" },
        "typo in the date of birth",
        ".",
        dir,
      );
      const after = readOpeningFile(path);
      expect([after.uid, after.salt === before.salt]).to.deep.equal([second, false]);
      const aside = path.replace(/\.opening\.json$/, `.${before.dataHash.slice(2, 14)}.opening.json`);
      expect(readOpeningFile(aside)).to.deep.equal(before);
      const views = await recordHistory(hre, "PRIVATE_BIRTH", child);
      expect(views.map((v) => v.status)).to.deep.equal(["superseded", "current"]);
    });

    it("import a CSV file with an opening per row, and resume without writing twice", async function () {
      const other = await enrollPerson(f);
      const file = join(dir, "births.csv");
      writeFileSync(
        file,
        `subject,birthDate,placeOfBirth,documentHash\n${child},2026-01-05,CN-11-01,${ethers.id("a")}\n` +
          `${other},2026-01-06,CN-11-01,${ethers.id("b")}\n`,
      );
      const options = { openingsDir: join(dir, "records") };
      const first = await importCsv(hre, f.signers.hospitalRegistrar, file, "PRIVATE_BIRTH", options);
      expect([first.written, first.problems]).to.deep.equal([2, []]);
      for (const subject of [child, other]) {
        const saved = readOpeningFile(openingPath(options.openingsDir, PRIVATE_BIRTH, subject));
        const uid = await f.civilRegistry.latest(PRIVATE_BIRTH, subject);
        expect(await f.civilRegistry.verify(uid, saved.onChain)).to.equal(true);
      }
      const again = await importCsv(hre, f.signers.hospitalRegistrar, file, "PRIVATE_BIRTH", options);
      expect([again.written, again.alreadyThere]).to.deep.equal([0, 2]);
    });

    it("write no opening for a register without private fields", async function () {
      await recordByName(hre, f.signers.hospitalRegistrar, "BIRTH", child, values, ".", dir);
      expect(readdirSync(dir)).to.deep.equal([]);
    });
  });
});
