/** Revert reasons as people read them: the custom error's name and arguments, decoded from any known ABI. */
import type { Interface } from "ethers";

import { readableId } from "./ids";

/** Finds the revert data in an error thrown by ethers or Hardhat. */
function revertData(error: unknown): string | undefined {
  let e = error as { data?: unknown; error?: unknown; info?: { error?: { data?: unknown } } } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.data === "string" && e.data.startsWith("0x")) return e.data;
    if (e.info?.error && typeof e.info.error.data === "string") return e.info.error.data;
    e = e.error as typeof e;
  }
  return undefined;
}

/** `SmartLawOutsideJurisdiction(0xabc…, CN-31)`, or the error's own message when it is not a known custom error. */
export function explainRevert(error: unknown, interfaces: Interface[]): string {
  const data = revertData(error);
  if (data) {
    for (const iface of interfaces) {
      const parsed = iface.parseError(data);
      if (parsed) {
        const args = parsed.args.map((a) =>
          typeof a === "string" && /^0x[0-9a-f]{64}$/i.test(a) ? readableId(a) : String(a),
        );
        return `${parsed.name}(${args.join(", ")})`;
      }
    }
  }
  return (error as Error).message;
}
