import { recover } from "tiny-secp256k1";
import { getAddress, keccak256, type Address, type Hex } from "viem";

/**
 * The key that signed `digest` (hashed once: the digest is also the log entry's). A signature that recovers no key
 * (a bad `v`, `r` or `s`) is a bad signature, not a server error. Recovered by libsecp256k1 compiled to WebAssembly
 * (tiny-secp256k1): every gated request pays for one recovery, and JavaScript's (viem's, @noble/curves) costs about
 * eight times as much CPU, the service's largest cost under load. Same answers as viem's `recoverAddress`: `v` is
 * 27/28 or 0/1, a high `s` is accepted.
 */
export async function recoverOrUndefined(digest: Hex, signature: Hex): Promise<Address | undefined> {
  const v = Number.parseInt(signature.slice(130, 132), 16);
  const recoveryId = v >= 27 ? v - 27 : v;
  if (signature.length !== 132 || (recoveryId !== 0 && recoveryId !== 1)) return undefined;
  try {
    const key = recover(
      Buffer.from(digest.slice(2), "hex"),
      Buffer.from(signature.slice(2, 130), "hex"),
      recoveryId as 0 | 1,
    );
    return key ? getAddress(`0x${keccak256(key.subarray(1)).slice(-40)}`) : undefined;
  } catch {
    return undefined; // r or s zero or past the curve's order
  }
}
