/**
 * One document, one encoding: CivilRegistry accepts a record's data only in the canonical ABI encoding, so that the
 * same values can never be stored (and hashed) as different bytes. Each way to write the same values differently
 * is refused with the head word of the field at fault, and the canonical encoding beside it is recorded.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { textId } from "../../scripts/lib/common/ids";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { call, enact, roleId } from "../helpers/law";
import { CIVIL_REGISTRATION_ACT, coder, enrollPerson } from "../helpers/registry";

const REGISTER = textId("ONE_ENCODING_TEST");
const FIELDS = [
  ["string", "note"],
  ["uint8[]", "scores"],
  ["bytes", "blob"],
  ["address", "who"],
  ["bool", "flag"],
  ["int8", "delta"],
  ["int8[]", "deltas"],
  ["bool[]", "flags"],
  ["address[]", "witnesses"],
  ["bytes4[]", "tags"],
] as const;
const TYPES: string[] = FIELDS.map(([type]) => type);
const SCHEMA = FIELDS.map(([type, name]) => `${type} ${name}`).join(",");
const HEAD = FIELDS.length * 32;
/** The head words that hold an offset, in field order. */
const DYNAMIC = [0, 1, 2, 6, 7, 8, 9];
const WORD = { note: 0, scores: 1, blob: 2, who: 3, flag: 4, delta: 5, deltas: 6, flags: 7, witnesses: 8, tags: 9 };

type Values = unknown[];
const valid = (): Values => [
  "hello",
  [1, 255],
  "0x0102",
  ethers.Wallet.createRandom().address,
  true,
  -5,
  [-128, 127],
  [true, false],
  [ethers.Wallet.createRandom().address],
  ["0x01020304"],
];

/** A dynamic value's contents (length word and data), as `abi.encode` writes them; `type` overrides the field's. */
const tailOf = (word: number, value: unknown, type = TYPES[word]) =>
  ethers.dataSlice(coder.encode([type], [value]), 32);

/**
 * The encoding of `values` with the dynamic contents placed in `order` (canonical: field order) and `tails`
 * overriding the contents of some fields; offsets follow where the contents are placed.
 */
function encode(values: Values, order = DYNAMIC, tails: Record<number, string> = {}): string {
  const offsets: Record<number, number> = {};
  const parts: string[] = [];
  let position = HEAD;
  for (const word of order) {
    const tail = tails[word] ?? tailOf(word, values[word]);
    offsets[word] = position;
    parts.push(tail);
    position += ethers.dataLength(tail);
  }
  const head = TYPES.map((type, word) =>
    DYNAMIC.includes(word) ? ethers.toBeHex(offsets[word], 32) : coder.encode([type], [values[word]]),
  );
  return ethers.concat([...head, ...parts]);
}

/** `data` with its word at `index` (whole data, in words) replaced by `value`. */
function setWord(data: string, index: number, value: bigint | string): string {
  const bytes = ethers.getBytes(data);
  bytes.set(
    ethers.getBytes(typeof value === "string" ? ethers.zeroPadValue(value, 32) : ethers.toBeHex(value, 32)),
    index * 32,
  );
  return ethers.hexlify(bytes);
}

/** The index (whole data, in words) of the first content word of the field at head word `word`. */
const contentWord = (data: string, word: number) =>
  Number(BigInt(ethers.dataSlice(data, word * 32, word * 32 + 32)) / 32n) + 1;

describe("One encoding", function () {
  let f: SystemFixture;
  let subject: bigint;

  beforeEach(async function () {
    f = await deploySystem();
    subject = await enrollPerson(f);
    await enact(f, f.legislators, CIVIL_REGISTRATION_ACT, [
      await call(f.civilRegistry, "createRegister", [REGISTER, "One encoding", SCHEMA, CIVIL_REGISTRATION_ACT]),
      await call(f.smartLaw, "grantOn", [
        CIVIL_REGISTRATION_ACT,
        roleId("REGISTRAR"),
        await f.civilRegistry.getAddress(),
        f.civilRegistry.interface.getFunction("record").selector,
        REGISTER,
        1,
      ]),
    ]);
  });

  const record = (data: string) => f.civilRegistry.connect(f.signers.registrar).record(REGISTER, subject, data);
  const expectMismatch = (data: string, word: number) =>
    expect(record(data))
      .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataMismatch")
      .withArgs(REGISTER, word);

  it("records the canonical encoding, which is abi.encode's", async function () {
    const values = valid();
    const data = encode(values);
    expect(data).to.equal(coder.encode(TYPES, values));
    await expect(record(data)).to.emit(f.civilRegistry, "RecordAdded");
  });

  it("records empty values, and bytes that fill their last word exactly", async function () {
    const values: Values = [
      "",
      [],
      ethers.hexlify(ethers.randomBytes(64)),
      ethers.ZeroAddress,
      false,
      0,
      [],
      [],
      [],
      [],
    ];
    await expect(record(encode(values))).to.emit(f.civilRegistry, "RecordAdded");
  });

  describe("elements of dynamic arrays are range-checked like static values", function () {
    it("refuses a uint8[] holding 300, and records it holding 255", async function () {
      const values = valid();
      await expectMismatch(
        encode(values, DYNAMIC, { [WORD.scores]: tailOf(WORD.scores, [1, 300], "uint256[]") }),
        WORD.scores,
      );
      values[WORD.scores] = [255];
      await expect(record(encode(values))).to.emit(f.civilRegistry, "RecordAdded");
    });

    for (const [label, field, element] of [
      ["an int8[] element not sign-extended (255 for -1)", "deltas", 255n],
      ["an int8[] element beyond 127", "deltas", 128n],
      ["a bool[] element of 2", "flags", 2n],
      ["an address[] element with high bits", "witnesses", (1n << 160n) | 1n],
      ["a bytes4[] element with low bits", "tags", 1n],
    ] as const) {
      it(`refuses ${label}`, async function () {
        const data = encode(valid());
        const word = WORD[field];
        await expectMismatch(setWord(data, contentWord(data, word), element), word);
      });
    }
  });

  describe("padding after bytes and strings is zero", function () {
    for (const field of ["note", "blob"] as const) {
      it(`refuses a ${field} with a non-zero byte in its padding, the same value as the one recorded`, async function () {
        const data = encode(valid());
        const word = WORD[field];
        const index = contentWord(data, word); // the value's only data word
        const dirty = ethers.getBytes(data);
        dirty[index * 32 + 31] = 0x01; // the last padding byte
        const dirtyHex = ethers.hexlify(dirty);
        expect(coder.decode(TYPES, dirtyHex).toArray()[word]).to.equal(coder.decode(TYPES, data).toArray()[word]);
        await expectMismatch(dirtyHex, word);
        await expect(record(data)).to.emit(f.civilRegistry, "RecordAdded");
      });
    }
  });

  describe("dynamic values lie in field order, back to back, and nothing follows", function () {
    it("refuses contents out of field order (the same values)", async function () {
      const values = valid();
      const swapped = encode(values, [1, 0, 2, 6, 7, 8, 9]);
      expect(coder.decode(TYPES, swapped).toArray()).to.deep.equal(coder.decode(TYPES, encode(values)).toArray());
      await expectMismatch(swapped, WORD.note);
    });

    it("refuses two fields sharing one content (an overlap)", async function () {
      const values = valid();
      values[WORD.blob] = ethers.hexlify(ethers.toUtf8Bytes("hello"));
      const data = encode(values);
      const shared = setWord(data, WORD.blob, BigInt(HEAD)); // blob read from note's bytes
      await expectMismatch(shared, WORD.blob);
    });

    it("refuses a gap before a value, and an offset into the head", async function () {
      const data = encode(valid());
      const gap = ethers.concat([
        setWord(ethers.dataSlice(data, 0, HEAD), 0, BigInt(HEAD + 32)),
        ethers.ZeroHash,
        ethers.dataSlice(data, HEAD),
      ]);
      await expectMismatch(gap, WORD.note);
      await expectMismatch(setWord(data, WORD.scores, 0n), WORD.scores);
    });

    it("refuses words after the last value, naming the canonical length", async function () {
      const data = encode(valid());
      const length = ethers.dataLength(data);
      await expect(record(ethers.concat([data, ethers.ZeroHash])))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataLength")
        .withArgs(REGISTER, length, length + 32);
    });

    it("refuses a length that runs past the data", async function () {
      const data = encode(valid());
      const last = contentWord(data, WORD.tags) - 1; // tags' length word
      await expectMismatch(setWord(data, last, 2n), WORD.tags);
      await expectMismatch(setWord(data, contentWord(data, WORD.blob) - 1, 2n ** 255n), WORD.blob);
    });
  });

  describe("static values in their type's range", function () {
    for (const [label, word, value] of [
      ["an address with dirty high bits", WORD.who, (1n << 160n) | 1n],
      ["a bool of 2", WORD.flag, 2n],
      ["an int8 not sign-extended (255 for -1)", WORD.delta, 255n],
    ] as const) {
      it(`refuses ${label}`, async function () {
        await expectMismatch(setWord(encode(valid()), word, value), word);
      });
    }
  });
});
