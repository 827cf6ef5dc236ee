import { createRequire } from "node:module";
import type { ecdsaRecover as EcdsaRecover } from "secp256k1";
import { getAddress, type Address, type Hex } from "viem";

import { keccak } from "./keccak";
import { logger } from "./logger";

/**
 * libsecp256k1 as a native addon (the `secp256k1` package's prebuilt binary for this platform): about 80 µs a
 * recovery here, against 560 µs compiled to WebAssembly and 5 ms in JavaScript (viem's @noble/curves). Every gated
 * request pays for one, the service's largest single cost under load. Where no prebuilt binary loads, the package's
 * JavaScript fallback (elliptic) gives the same answers, slower: the service says so at start.
 */
const { ecdsaRecover, native } = ((): { ecdsaRecover: typeof EcdsaRecover; native: boolean } => {
  const require = createRequire(__filename);
  try {
    return { ecdsaRecover: require("secp256k1/bindings").ecdsaRecover, native: true };
  } catch (error) {
    logger.warn(
      { error: String(error) },
      "libsecp256k1's native addon did not load: signatures are recovered in JavaScript",
    );
    return { ecdsaRecover: require("secp256k1/elliptic").ecdsaRecover, native: false };
  }
})();

/** Whether signatures are recovered by the native addon (false: by the JavaScript fallback). */
export const recoversNatively = native;

/**
 * The key that signed `digest` (hashed once: the digest is also the log entry's). A signature that recovers no key
 * (a bad `v`, `r` or `s`) is a bad signature, not a server error. Same answers as viem's `recoverAddress`: `v` is
 * 27/28 or 0/1, a high `s` is accepted.
 */
export async function recoverOrUndefined(digest: Hex, signature: Hex): Promise<Address | undefined> {
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) return undefined;
  const v = Number.parseInt(signature.slice(130, 132), 16);
  const recoveryId = v >= 27 ? v - 27 : v;
  if (recoveryId !== 0 && recoveryId !== 1) return undefined;
  try {
    const key = ecdsaRecover(
      Buffer.from(signature.slice(2, 130), "hex"),
      recoveryId,
      Buffer.from(digest.slice(2), "hex"),
      false,
    );
    return getAddress(`0x${keccak(key.subarray(1)).subarray(12).toString("hex")}`);
  } catch {
    return undefined; // r or s zero or past the curve's order, or no point to recover
  }
}
