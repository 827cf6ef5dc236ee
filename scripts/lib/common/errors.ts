/**
 * Revert reasons as people read them: the custom error's name and arguments, decoded from any known ABI, with the
 * errors nested inside (a law update's failed call carries its target's error as bytes) decoded to the innermost,
 * and addresses named after the contract deployed there or the named account that holds them.
 */
import { isHexString, type Interface } from "ethers";

import type { ErrorEnums } from "./enums";
import { readableId } from "./ids";

/** Names to print for addresses: deployed contracts and named accounts, by lower-case address. */
export type AddressNames = ReadonlyMap<string, string>;

/** Finds the revert data in an error thrown by ethers or Hardhat. */
export function revertData(error: unknown): string | undefined {
  let e = error as
    { data?: unknown; error?: unknown; info?: { error?: { data?: unknown } }; revert?: unknown } | undefined;
  for (let depth = 0; e && depth < 6; depth++) {
    if (typeof e.data === "string" && e.data.startsWith("0x") && e.data.length >= 10) return e.data;
    if (e.data && typeof e.data === "object" && typeof (e.data as { data?: unknown }).data === "string")
      return (e.data as { data: string }).data;
    if (e.info?.error && typeof e.info.error.data === "string") return e.info.error.data;
    e = e.error as typeof e;
  }
  return undefined;
}

/** A 4-byte selector as the function it selects in a known ABI (`record (0x0e7d0cb3)`), or undefined. */
function functionNamed(selector: string, interfaces: Interface[]): string | undefined {
  for (const iface of interfaces) {
    const fn = iface.getFunction(selector);
    if (fn) return `${fn.name} (${selector})`;
  }
  return undefined;
}

/** How to read a decoded error's values: names for addresses, members for enums. */
interface Readers {
  names?: AddressNames;
  enums?: ErrorEnums;
}

/** One value of a decoded error as text: ids as text, addresses by name, nested errors decoded. */
function describeValue(value: unknown, interfaces: Interface[], readers: Readers, depth: number): string {
  const { names } = readers;
  if (typeof value === "string") {
    if (/^0x[0-9a-f]{64}$/i.test(value)) return readableId(value);
    if (/^0x[0-9a-f]{40}$/i.test(value)) {
      const name = names?.get(value.toLowerCase());
      return name ? `${name} (${value})` : value;
    }
    if (isHexString(value) && value.length >= 10 && depth < 4) {
      const nested = decodeError(value, interfaces, readers, depth + 1);
      if (nested) return nested;
    }
    if (isHexString(value, 4)) return functionNamed(value, interfaces) ?? value;
    return value;
  }
  if (Array.isArray(value))
    return `[${value.map((v): string => describeValue(v, interfaces, readers, depth)).join(", ")}]`;
  return String(value);
}

/** `Name(arg, …)` for revert data of a known custom error, or undefined. */
export function decodeError(
  data: string,
  interfaces: Interface[],
  readers: Readers = {},
  depth = 0,
): string | undefined {
  for (const iface of interfaces) {
    let parsed;
    try {
      parsed = iface.parseError(data);
    } catch {
      continue;
    }
    if (parsed) {
      const enums = readers.enums?.get(parsed.name) ?? [];
      // an enum's member by name (Referred), where the error's argument is one of the contracts' enums
      const args = [...parsed.args].map(
        (a, i) => enums[i]?.[Number(a)] ?? describeValue(a, interfaces, readers, depth),
      );
      return `${parsed.name}(${args.join(", ")})`;
    }
  }
  return undefined;
}

/** `SmartLawOutsideJurisdiction(0xabc…, CN-31)`, or the error's own message when it is not a known custom error. */
export function explainRevert(
  error: unknown,
  interfaces: Interface[],
  names?: AddressNames,
  enums?: ErrorEnums,
): string {
  const data = revertData(error);
  if (data) {
    const decoded = decodeError(data, interfaces, { names, enums });
    if (decoded) return decoded;
    return `reverted with unknown data ${data}`;
  }
  return (error as Error).message;
}
