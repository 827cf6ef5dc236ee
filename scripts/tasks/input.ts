/**
 * What the offices' tasks share beside common.ts: whole numbers and JSON read from the command line, output for
 * scripts, and the confirmations asked before money moves or a legislator signs.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline/promises";

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

/**
 * Asks before money moves: prints what will move and asks y/N on a terminal. With `yes` it goes on without
 * asking; without a terminal (a script, CI, SSH without a TTY) and without `yes` it refuses, nothing sent.
 */
export async function confirmMovement(description: string, yes: boolean): Promise<void> {
  console.log(`To send: ${description}`);
  await confirm(yes, { question: "Send it?", rule: "money moves only when confirmed", outcome: "nothing sent" });
}

/**
 * Asks `question` y/N on a terminal; goes on at once with `yes`. Without a terminal (a script, CI, SSH without a
 * TTY) and without `yes` it refuses, since nobody is there to answer; any answer but y/yes refuses. `rule` says what
 * needs the confirmation, `outcome` what a refusal leaves ("nothing sent").
 */
export async function confirm(
  yes: boolean,
  { question, rule, outcome }: { question: string; rule: string; outcome: string },
): Promise<void> {
  if (yes) return;
  if (!process.stdin.isTTY) throw new Error(`${rule}: ${outcome}; without a terminal, add --yes to confirm`);
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await prompt.question(`${question} [y/N] `);
  prompt.close();
  if (!/^y(es)?$/i.test(answer.trim())) throw new Error(`not confirmed: ${outcome}`);
}
