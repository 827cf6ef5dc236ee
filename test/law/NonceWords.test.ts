import { expect } from "chai";

import { freeBits, pickNonce } from "../../scripts/lib/law/nonce";
import type { Legislature } from "../../typechain-types";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { PENSION_ACT, lawUpdate, sign } from "../helpers/law";

/**
 * The Legislature's nonce bitmap read a word at a time, and the drafting tool's choice of a nonce in a word that
 * earlier enactments already wrote.
 */
describe("Law update nonces", function () {
  const FULL = (1n << 256n) - 1n;

  describe("Legislature.usedNonceWord", function () {
    let f: SystemFixture;

    beforeEach(async function () {
      f = await deploySystem();
    });

    it("shows each enacted nonce as bit n % 256 of word n / 256", async function () {
      const before = await f.legislature.usedNonceWord(1);
      for (const nonce of [256n + 3n, 511n]) {
        const update = await lawUpdate(f, PENSION_ACT, [], { nonce });
        await f.legislature.enact(update, await sign(f.legislature, update, f.legislators));
      }
      expect(await f.legislature.usedNonceWord(1)).to.equal(before | (1n << 3n) | (1n << 255n));
      expect(await f.legislature.isNonceUsed(256n + 3n)).to.equal(true);
    });

    it("gives a nonce that the Legislature accepts, in the first word that is not full", async function () {
      const nonce = await pickNonce(f.legislature);
      expect(nonce < 256n).to.equal(true);
      expect(await f.legislature.isNonceUsed(nonce)).to.equal(false);
      const update = await lawUpdate(f, PENSION_ACT, [], { nonce });
      await expect(f.legislature.enact(update, await sign(f.legislature, update, f.legislators))).to.emit(
        f.legislature,
        "LawEnacted",
      );
    });
  });

  /** A Legislature that answers `usedNonceWord` from `words` (zero past them). */
  const legislatureWith = (words: bigint[]) =>
    ({ usedNonceWord: async (word: bigint) => words[Number(word)] ?? 0n }) as unknown as Legislature;

  describe("pickNonce", function () {
    it("passes over full words and picks the one free nonce of the next", async function () {
      const nonce = await pickNonce(legislatureWith([FULL, FULL ^ (1n << 17n)]));
      expect(nonce).to.equal(256n + 17n);
    });

    it("passes over the nonces taken by updates drafted together", async function () {
      const taken = new Set([256n + 17n]);
      const nonce = await pickNonce(legislatureWith([FULL, FULL ^ (1n << 17n), FULL ^ 1n]), taken);
      expect(nonce).to.equal(512n);
    });

    it("picks only free nonces of a partly used word", async function () {
      const used = FULL ^ (1n << 5n) ^ (1n << 200n);
      for (let i = 0; i < 20; ++i) expect([5n, 200n]).to.include(await pickNonce(legislatureWith([used])));
    });
  });

  describe("freeBits", function () {
    it("lists the zero bits of a word", function () {
      expect(freeBits(FULL)).to.deep.equal([]);
      expect(freeBits(FULL ^ 1n ^ (1n << 255n))).to.deep.equal([0, 255]);
      expect(freeBits(0n)).to.have.length(256);
    });
  });
});
