/**
 * The nonce a new law update carries. Enacting an update marks its nonce in the Legislature's bitmap of used nonces,
 * 256 to a storage word: marking it in a word that earlier enactments already wrote costs a few thousand gas, in a
 * fresh word 20,000. So the drafting tool picks a free nonce in the first word that is not full, at random among
 * its free bits: two updates drafted at the same time then rarely share a nonce (the second to be enacted would be
 * refused with LegislatureNonceUsed, and must be drafted and signed again).
 */
import { randomInt } from "node:crypto";

import type { Legislature } from "../../../typechain-types";

const BITS = 256;
const FULL = (1n << 256n) - 1n;

/** The number of words read before giving up (a bitmap that full has seen 256 × this many enactments). */
const MAX_WORDS = 1_000;

/**
 * A free nonce in the first word of the Legislature's nonce bitmap that still has one, other than those `taken` by
 * updates drafted together and not yet enacted.
 */
export async function pickNonce(legislature: Legislature, taken: ReadonlySet<bigint> = new Set()): Promise<bigint> {
  for (let word = 0n; word < BigInt(MAX_WORDS); word++) {
    const used = await legislature.usedNonceWord(word);
    if (used === FULL) continue;
    const free = freeBits(used)
      .map((bit) => word * BigInt(BITS) + BigInt(bit))
      .filter((nonce) => !taken.has(nonce));
    if (free.length !== 0) return free[randomInt(free.length)];
  }
  throw new Error(`the Legislature's first ${MAX_WORDS} words of nonces are all used: give a nonce`);
}

/** The positions of the zero bits of a 256-bit word. */
export function freeBits(word: bigint): number[] {
  const free: number[] = [];
  for (let bit = 0; bit < BITS; bit++) if (((word >> BigInt(bit)) & 1n) === 0n) free.push(bit);
  return free;
}
