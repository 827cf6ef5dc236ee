/**
 * A register's schema and the three forms of a record, shared by the tools, the tests and the data service.
 *
 * A schema names fields, each perhaps marked `private`: `"uint32 birthDate private,bytes32 documentHash"`.
 * - clear: `abi.encode(every field in schema order)`: what the official knows; it never goes on chain.
 * - private part: `abi.encode(the private fields in order)`, committed with a random `bytes32 salt`.
 * - on chain: `abi.encode(the public fields in order, bytes32 privateHash)`, where
 *   `privateHash = keccak256(abi.encodePacked(salt, privatePart))` (the shape of an identity's commitment: salt
 *   first). This is a record's data for the CivilRegistry (RecordAdded's data, what its hash and verify cover). A
 *   schema without private fields has no hash: its on-chain form is the clear form.
 * An opening, `abi.encode(bytes privatePart, bytes32 salt)`, is what proves the private values against a record.
 */
import { AbiCoder, ParamType, concat, getBytes, hexlify, keccak256, randomBytes } from "ethers";

const coder = AbiCoder.defaultAbiCoder();
const PRIVATE = "private";

/** A register's schema, read: its fields in order, and which of them stay off chain. */
export interface RecordSchema {
  /** Every field, in schema order: the clear form's types. */
  fields: ParamType[];
  /** Whether each field (same order) is private. */
  isPrivate: boolean[];
  /** The fields whose values go on chain, in order. */
  publicFields: ParamType[];
  /** The fields kept off chain, in order: the private part's types. */
  privateFields: ParamType[];
}

/** The values of a record's on-chain form: its public fields by name, and its private hash if it has one. */
export interface OnChainValues {
  values: Record<string, unknown>;
  privateHash?: string;
}

/** Reads a schema; each field needs a type and a name, and no name may come twice. */
export function readSchema(schema: string): RecordSchema {
  const fields: ParamType[] = [];
  const isPrivate: boolean[] = [];
  for (const entry of schema.split(",")) {
    const text = entry.trim();
    // "type name" or "type name private", read as the registry reads them (a field may be named "private")
    const [type, name, mark, ...rest] = text.split(/ +/);
    if (name === undefined) throw new Error(`the schema field "${text}" has no name`);
    const marked = mark === PRIVATE;
    let field: ParamType | undefined;
    try {
      if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && (mark === undefined || marked) && rest.length === 0)
        field = ParamType.from({ type, name });
    } catch {
      // not an ABI type: said below
    }
    if (!field) throw new Error(`the schema field "${text}" is not an ABI type and a name, perhaps marked private`);
    if (fields.some((f) => f.name === field.name)) throw new Error(`the schema names "${field.name}" twice`);
    fields.push(field);
    isPrivate.push(marked);
  }
  return {
    fields,
    isPrivate,
    publicFields: fields.filter((_, i) => !isPrivate[i]),
    privateFields: fields.filter((_, i) => isPrivate[i]),
  };
}

/** Whether a schema keeps any field off chain (then its on-chain form ends with the private hash). */
export function hasPrivateFields(schema: RecordSchema): boolean {
  return schema.privateFields.length > 0;
}

/** The on-chain form's types: the public fields, then `bytes32 privateHash` when any field is private. */
export function onChainTypes(schema: RecordSchema): ParamType[] {
  return hasPrivateFields(schema)
    ? [...schema.publicFields, ParamType.from("bytes32 privateHash")]
    : schema.publicFields;
}

/** The clear form of values given in schema order. */
export function clearForm(schema: RecordSchema, values: readonly unknown[]): string {
  return coder.encode(schema.fields, values);
}

/** The private part of a clear form: its private fields' values, in order, ABI-encoded. */
export function privatePart(schema: RecordSchema, clear: string): string {
  const values = coder.decode(schema.fields, clear);
  return coder.encode(
    schema.privateFields,
    schema.fields.flatMap((_, i) => (schema.isPrivate[i] ? [values[i]] : [])),
  );
}

/** The commitment to a private part: `keccak256(abi.encodePacked(bytes32 salt, bytes privatePart))`. */
export function privateHash(part: string, salt: string): string {
  return keccak256(concat([salt, part]));
}

/** A fresh random salt for a record's private part. */
export function newSalt(): string {
  return hexlify(randomBytes(32));
}

/** The on-chain form of a clear form: its public values, then the salted hash of its private part if it has one. */
export function onChainForm(schema: RecordSchema, clear: string, salt: string): string {
  if (!hasPrivateFields(schema)) return coder.encode(schema.fields, coder.decode(schema.fields, clear));
  const values = coder.decode(schema.fields, clear);
  const publicValues = schema.fields.flatMap((_, i) => (schema.isPrivate[i] ? [] : [values[i]]));
  return coder.encode(onChainTypes(schema), [...publicValues, privateHash(privatePart(schema, clear), salt)]);
}

/** An opening: `abi.encode(bytes privatePart, bytes32 salt)`, what proves the private values against a record. */
export function opening(part: string, salt: string): string {
  return coder.encode(["bytes", "bytes32"], [part, salt]);
}

/** An opening's private part and salt. */
export function readOpening(value: string): { privatePart: string; salt: string } {
  const [part, salt] = coder.decode(["bytes", "bytes32"], value);
  return { privatePart: part as string, salt: salt as string };
}

/** The values of an on-chain form, by public field name, with the private hash. */
export function decodeOnChain(schema: RecordSchema, onChain: string): OnChainValues {
  const values = coder.decode(onChainTypes(schema), onChain);
  const named = Object.fromEntries(schema.publicFields.map((f, i) => [f.name, values[i]]));
  return hasPrivateFields(schema)
    ? { values: named, privateHash: values[schema.publicFields.length] as string }
    : { values: named };
}

/**
 * The clear form of a record, rebuilt from its on-chain form and an opening, or undefined when the opening does
 * not match: its salt and private part must hash to the record's private hash, and the private part must be the
 * canonical encoding of the private fields.
 */
export function openRecord(schema: RecordSchema, onChain: string, openingValue: string): string | undefined {
  if (!hasPrivateFields(schema)) return undefined;
  let part: string;
  let salt: string;
  let committed: OnChainValues;
  let privateValues;
  try {
    ({ privatePart: part, salt } = readOpening(openingValue));
    committed = decodeOnChain(schema, onChain);
    privateValues = coder.decode(schema.privateFields, part);
    if (coder.encode(schema.privateFields, privateValues) !== hexlify(getBytes(part))) return undefined;
  } catch {
    return undefined; // not an opening, or not of this schema
  }
  if (privateHash(part, salt) !== committed.privateHash) return undefined;
  let next = 0; // the next private value, in order
  return clearForm(
    schema,
    schema.fields.map((f, i) => (schema.isPrivate[i] ? privateValues[next++] : committed.values[f.name])),
  );
}

/** Whether an opening matches a record's on-chain data (its private part and salt hash to its private hash). */
export function openingMatches(schema: RecordSchema, onChain: string, openingValue: string): boolean {
  return openRecord(schema, onChain, openingValue) !== undefined;
}
