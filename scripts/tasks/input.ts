/**
 * What the offices' tasks share beside common.ts: whole numbers and JSON read from the command line, and output for
 * scripts.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

/** A whole number given on the command line (an id, a count). */
export function wholeNumber(text: string, what: string): bigint {
  if (!/^\d+$/.test(text)) throw new Error(`${what} must be a whole number, not "${text}"`);
  return BigInt(text);
}

/** A JSON object given inline or as @file.json. */
export function jsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text.startsWith("@") ? readFileSync(resolve(text.slice(1)), "utf8") : text);
  } catch (error) {
    const cause =
      (error as NodeJS.ErrnoException).code === "ENOENT" ? `no file ${text.slice(1)}` : (error as Error).message;
    throw new Error(`${what} must be a JSON object or @file.json: ${cause}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${what} must be a JSON object ({"field": value, …})`);
  return value as Record<string, unknown>;
}

/** Prints data for scripts (`--json`), or the text for people. */
export function output(json: boolean, data: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(data, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2) : text());
}
