/**
 * How GovChain names things on chain. Roles are keccak256 of their name (as SPEC fixes); law ids, parameter keys,
 * jurisdiction codes and reasons are their text as bytes32 (at most 31 bytes), so that they read back as text.
 */
import {
  AbiCoder,
  decodeBytes32String,
  encodeBytes32String,
  id as keccakOfText,
  isHexString,
  toUtf8String,
  Utf8ErrorFuncs,
  ZeroHash,
  type EventLog,
} from "ethers";

/** A bytes32 given as text (at most 31 bytes of UTF-8) or as 0x-prefixed 32-byte hex. */
export function textId(value: string): string {
  if (isHexString(value, 32)) return value;
  if (value === "") return ZeroHash;
  if (Buffer.byteLength(value, "utf8") > 31) {
    throw new Error(`"${value}" is longer than 31 bytes: a law id, code or key must fit in bytes32`);
  }
  return encodeBytes32String(value);
}

/** A role id: keccak256 of the role's name, or 0x-prefixed 32-byte hex. */
export function roleId(name: string): string {
  return isHexString(name, 32) ? name : keccakOfText(name);
}

/**
 * A resource of a grant (see SmartLaw.grantOn), by name: the IdentityRegistry asks about appoint and dismiss with
 * the role as the resource, hashed as roles are; every other resource is its text id: registers, programmes,
 * services, and the kind and target status of the IdentityRegistry's setStatus ("PERSON:SUSPENDED",
 * "PERSON:ACTIVE", "PERSON:DECEASED", "ORGANISATION:SUSPENDED", "ORGANISATION:ACTIVE", "ORGANISATION:DISSOLVED").
 */
export function resourceId(contract: string, fn: string, name: string): string {
  return contract === "IdentityRegistry" && (fn === "appoint" || fn === "dismiss") ? roleId(name) : textId(name);
}

export const lawId = textId;
export const paramKey = textId;
export const jurisdictionCode = textId;

/**
 * A bytes32 read back as text when it is an id's text, as hex otherwise. Only capitals, digits and `_ : . -` are
 * shown as text (PENSION_ACT, CN-11, PERSON:SUSPENDED): ids are written so, and an id in any other characters (a
 * space, a lower-case look-alike, a quote) could be made to read as something else in a legislator's review.
 */
export function readableId(value: string): string {
  if (value === ZeroHash) return "";
  try {
    const text = decodeBytes32String(value);
    return /^[A-Z0-9_:.-]+$/.test(text) ? text : value;
  } catch {
    return value;
  }
}

/** Role names known to this deployment, to print a role hash by its name. */
export function roleName(hash: string, names: Iterable<string>): string {
  for (const name of names) if (roleId(name) === hash) return name;
  return hash;
}

/**
 * A bytes32 of free text (a payment's purpose, a reason) read back as printable ASCII when it is that, as hex
 * otherwise. Not for ids that people act on: those are read with {@link readableId}.
 */
export function readableText(value: string): string {
  if (value === ZeroHash) return "";
  try {
    const text = decodeBytes32String(value);
    return /^[\x20-\x7e]+$/.test(text) ? text : value;
  } catch {
    return value;
  }
}

/**
 * A string field of an event (a reason an official wrote), read so that it can neither break a tool nor drive the
 * terminal it is printed on: the chain accepts any bytes, so bytes that are not UTF-8 are replaced (U+FFFD) and
 * control characters shown as \u escapes. ethers would throw on the first and print the second as they are.
 */
export function eventText(log: Pick<EventLog, "fragment" | "data">, field: string): string {
  const inputs = log.fragment.inputs.filter((input) => !input.indexed);
  const index = inputs.findIndex((input) => input.name === field);
  if (index < 0 || inputs[index].type !== "string") throw new Error(`${log.fragment.name} has no string ${field}`);
  const types = inputs.map((input) => (input.type === "string" ? "bytes" : input.format("sighash")));
  const bytes = AbiCoder.defaultAbiCoder().decode(types, log.data)[index] as string;
  return printable(toUtf8String(bytes, Utf8ErrorFuncs.replace));
}

/**
 * Text that someone else wrote (a reason, a read's purpose), made safe to print: control, line-separator and bidi
 * characters shown as \u escapes, so that it cannot drive the terminal or disguise what surrounds it.
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
