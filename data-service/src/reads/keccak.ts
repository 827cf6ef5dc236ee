import { createRequire } from "node:module";
import { keccak256 } from "viem";

import { logger } from "./logger";

type Hasher = { update(data: Uint8Array): Hasher; digest(): Buffer };

/**
 * keccak256 by the `keccak` package's native addon (its prebuilt binary for this platform): about 9 µs a hash of a
 * few words here against 23 µs in JavaScript (viem's, @noble/hashes), and every gated request hashes four to five
 * times. Where the binary does not load, viem's gives the same digests.
 */
const { create, native } = ((): { create: () => Hasher; native: boolean } => {
  const require = createRequire(__filename);
  try {
    const createKeccak = require("keccak/bindings") as (algorithm: string) => Hasher;
    return { create: () => createKeccak("keccak256"), native: true };
  } catch (error) {
    logger.warn({ error: String(error) }, "keccak's native addon did not load: hashes are computed in JavaScript");
    return { create: () => noble(), native: false };
  }
})();

function noble(): Hasher {
  const parts: Uint8Array[] = [];
  const hasher: Hasher = {
    update: (data) => (parts.push(data), hasher),
    digest: () => Buffer.from(keccak256(Buffer.concat(parts), "bytes")),
  };
  return hasher;
}

/** Whether hashes are computed by the native addon (false: by the JavaScript fallback). */
export const hashesNatively = native;

/** keccak256 of the bytes given, one after the other. */
export function keccak(...parts: Uint8Array[]): Buffer {
  const hasher = create();
  // the addon takes Buffers only: a Uint8Array is viewed as one, not copied
  for (const part of parts)
    hasher.update(Buffer.isBuffer(part) ? part : Buffer.from(part.buffer, part.byteOffset, part.byteLength));
  return hasher.digest();
}
