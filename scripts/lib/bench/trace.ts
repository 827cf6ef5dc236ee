/**
 * Where a transaction's gas goes, from `debug_traceTransaction` on the in-process network: the intrinsic cost (the
 * 21,000 base and the call data), then per contract the storage reads (cold at 2,100, warm at 100, EIP-2929), the
 * storage writes, the calls it makes (the callee's account cold at 2,600 or warm at 100, and the memory of their
 * arguments), the events and the rest (computation and memory). What the callee spends is its own line.
 */
import type { EthereumProvider } from "hardhat/types";

interface StructLog {
  op: string;
  gas: number;
  gasCost: number;
  depth: number;
  stack?: string[];
}

/** One contract's share of a transaction (summed over every frame that runs its code). */
export interface FrameCost {
  contract: string;
  coldReads: number;
  warmReads: number;
  /** Each write's price as charged: 22,100 (0 → nonzero, cold), 5,000 (nonzero → nonzero, cold), 2,900, 100... */
  writes: number[];
  /**
   * The price of each call made (or contract created): its access cost and argument memory, a precompile's work,
   * the callee's own spending left out.
   */
  calls: number[];
  /** Each first read of another account's code or balance (EXTCODEHASH and the like): 2,600; later ones are code. */
  accountReads: number[];
  logs: number[];
  other: number;
  /** The rest by opcode (memory expansion included in the price of the step that grows it). */
  otherByOp: Map<string, number>;
  total: number;
}

export interface GasAccount {
  gasUsed: number;
  intrinsic: { base: number; calldata: number; zeroBytes: number; nonzeroBytes: number };
  frames: FrameCost[];
  /** Intrinsic plus execution minus gasUsed: the storage refund (EIP-3529). */
  refund: number;
}

const CALLS = new Set(["CALL", "STATICCALL", "DELEGATECALL", "CALLCODE"]);
const CREATES = new Set(["CREATE", "CREATE2"]);
const ACCOUNT_READS = new Set(["EXTCODEHASH", "EXTCODESIZE", "EXTCODECOPY", "BALANCE"]);
/** A first access to an account (EIP-2929); a later one costs 100 and counts as code. */
const COLD_ACCOUNT = 2_600;

/** The account of the transaction `hash`, its contracts named by `names` (address, lower case → name). */
export async function accountGas(
  provider: EthereumProvider,
  hash: string,
  names: Map<string, string>,
): Promise<GasAccount> {
  const tx = (await provider.send("eth_getTransactionByHash", [hash])) as { to: string; input: string };
  const receipt = (await provider.send("eth_getTransactionReceipt", [hash])) as { gasUsed: string };
  const trace = (await provider.send("debug_traceTransaction", [
    hash,
    { disableMemory: true, disableStorage: true },
  ])) as { structLogs: StructLog[] };
  const data = Buffer.from(tx.input.slice(2), "hex");
  const zeroBytes = data.filter((b) => b === 0).length;
  const nonzeroBytes = data.length - zeroBytes;
  const calldata = zeroBytes * 4 + nonzeroBytes * 16;

  const frames = new Map<string, FrameCost>();
  const frameOf = (address: string) => {
    const contract = names.get(address.toLowerCase()) ?? address;
    let frame = frames.get(contract);
    if (!frame) {
      frame = {
        contract,
        coldReads: 0,
        warmReads: 0,
        writes: [],
        calls: [],
        accountReads: [],
        logs: [],
        other: 0,
        otherByOp: new Map(),
        total: 0,
      };
      frames.set(contract, frame);
    }
    return frame;
  };
  const execution = spend(trace.structLogs, 0, tx.to, frameOf).used;
  const gasUsed = Number(receipt.gasUsed);
  // the refund is what the walk leaves over: a walk that missed or double-counted a step shows as an impossible one
  // (EIP-3529: at most a fifth of the gas spent)
  const refund = 21_000 + calldata + execution - gasUsed;
  if (refund < 0 || refund > Math.floor((21_000 + calldata + execution) / 5)) {
    throw new Error(`the gas account of ${hash} does not add up: ${refund} left over for the refund`);
  }
  return {
    gasUsed,
    intrinsic: { base: 21_000, calldata, zeroBytes, nonzeroBytes },
    frames: [...frames.values()],
    refund,
  };
}

/**
 * Walks one call frame from `start` (its first step), charging each step to the frame's contract; returns the gas
 * the frame used in all (its callees included) and the index of the caller's next step.
 */
function spend(
  logs: StructLog[],
  start: number,
  address: string,
  frameOf: (address: string) => FrameCost,
): { used: number; next: number } {
  const frame = frameOf(address);
  const depth = logs[start].depth;
  let used = 0;
  let i = start;
  while (i < logs.length && logs[i].depth === depth) {
    const step = logs[i];
    const following = logs[i + 1];
    if ((CALLS.has(step.op) || CREATES.has(step.op)) && following && following.depth > depth) {
      let callee = "a contract it created";
      if (step.op === "DELEGATECALL" || step.op === "CALLCODE") callee = address;
      else if (CALLS.has(step.op)) {
        const word = step.stack![step.stack!.length - 2]; // the callee, below the gas (hex, with or without 0x)
        callee =
          "0x" +
          BigInt(word.startsWith("0x") ? word : `0x${word}`)
            .toString(16)
            .padStart(40, "0");
      }
      const inner = spend(logs, i + 1, callee, frameOf);
      const after = logs[inner.next];
      const charged = (after ? step.gas - after.gas : step.gasCost) - inner.used;
      frame.calls.push(charged);
      frame.total += charged;
      used += charged + inner.used;
      i = inner.next;
      continue;
    }
    // the last step of a frame (RETURN, STOP, REVERT) has no next step at its depth: its own price is all it costs
    const cost = following && following.depth === depth ? step.gas - following.gas : step.gasCost;
    if (CALLS.has(step.op) || CREATES.has(step.op)) {
      // a call that runs no code of its own frame: a precompile (ecrecover's 3,000 included) or an account without code
      frame.calls.push(cost);
    } else if (ACCOUNT_READS.has(step.op) && cost >= COLD_ACCOUNT) {
      // another account's code or balance, read first here; the copy of EXTCODECOPY is the reader's code
      frame.accountReads.push(COLD_ACCOUNT);
      frame.other += cost - COLD_ACCOUNT;
      frame.otherByOp.set(step.op, (frame.otherByOp.get(step.op) ?? 0) + cost - COLD_ACCOUNT);
    } else if (step.op === "SLOAD") {
      if (cost >= 2_100) frame.coldReads++;
      else frame.warmReads++;
    } else if (step.op === "SSTORE") frame.writes.push(cost);
    else if (step.op.startsWith("LOG")) frame.logs.push(cost);
    else {
      frame.other += cost;
      frame.otherByOp.set(step.op, (frame.otherByOp.get(step.op) ?? 0) + cost);
    }
    frame.total += cost;
    used += cost;
    i++;
  }
  return { used, next: i };
}

/** Equal prices as "count × price", in the order first met. */
function grouped(prices: number[]): string {
  const counts = new Map<number, number>();
  for (const price of prices) counts.set(price, (counts.get(price) ?? 0) + 1);
  return [...counts].map(([price, count]) => (count === 1 ? `${price}` : `${count} × ${price}`)).join(", ");
}

/** The account as lines of text, each contract's share on one line, then its costliest other opcodes. */
export function describeGas(account: GasAccount): string[] {
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const { intrinsic } = account;
  const lines = [
    `gasUsed ${account.gasUsed}: intrinsic 21000 + call data ${intrinsic.calldata} ` +
      `(${intrinsic.nonzeroBytes} nonzero bytes × 16, ${intrinsic.zeroBytes} zero × 4)` +
      (account.refund ? `, refund −${account.refund}` : ""),
  ];
  for (const f of account.frames) {
    const top = [...f.otherByOp]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([op, gas]) => `${op} ${gas}`);
    lines.push(
      `  ${f.contract}: ${f.total} = reads ${f.coldReads} cold + ${f.warmReads} warm ` +
        `(${f.coldReads * 2_100 + f.warmReads * 100}), writes [${grouped(f.writes)}] (${sum(f.writes)}), ` +
        `calls [${grouped(f.calls)}] (${sum(f.calls)}), ` +
        (f.accountReads.length ? `account reads [${grouped(f.accountReads)}] (${sum(f.accountReads)}), ` : "") +
        `events [${grouped(f.logs)}] (${sum(f.logs)}), ` +
        `the rest ${f.other}`,
      `    the rest's largest: ${top.join(", ")}`,
    );
  }
  return lines;
}

/**
 * An operation's gas in two parts. The first is what it does: carry its call data (the 21,000 and the bytes), read
 * cold storage, write, call other contracts (their accounts and argument memory, a precompile's work) or first read
 * their code, and log, less the storage refund. The second is its code: computation, memory, hashing and warm reads.
 * Faster computation cuts only the second; the first shrinks only if the operation touches fewer slots or contracts,
 * logs less or carries fewer bytes.
 */
export interface GasSplit {
  /** 21,000 and the call data; 0 for a figure measured without them (a check alone). */
  intrinsic: number;
  /** How many cold reads (2,100 each); fractional once divided per item of a batch. */
  coldReads: number;
  writes: number;
  /** Calls made (or contracts created), and first reads of other accounts' code or balance. */
  calls: number;
  events: number;
  refund: number;
  /** The rest: the figure less all of the above. */
  code: number;
}

const COLD_READ = 2_100;

/** The state-and-data part of a split: everything but its code. */
export function stateAndData(split: GasSplit): number {
  return split.intrinsic + split.coldReads * COLD_READ + split.writes + split.calls + split.events - split.refund;
}

/**
 * `account` split as {GasSplit} for the figure `gas` (the receipt's by default; the code is what `gas` leaves over
 * the state and data), without the intrinsic cost when `intrinsic` is false (a check measured alone).
 */
export function splitGas(account: GasAccount, gas = account.gasUsed, intrinsic = true): GasSplit {
  const sum = (pick: (f: FrameCost) => number) => account.frames.reduce((total, f) => total + pick(f), 0);
  const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const split = {
    intrinsic: intrinsic ? account.intrinsic.base + account.intrinsic.calldata : 0,
    coldReads: sum((f) => f.coldReads),
    writes: sum((f) => total(f.writes)),
    calls: sum((f) => total(f.calls) + total(f.accountReads)),
    events: sum((f) => total(f.logs)),
    refund: account.refund,
    code: 0,
  };
  return { ...split, code: gas - stateAndData(split) };
}

/** `a` less `b`, part by part (the cost of what `a` does beyond `b`), with `gas` as the difference's figure. */
export function splitDifference(a: GasSplit, b: GasSplit, gas: number): GasSplit {
  const parts = {
    intrinsic: a.intrinsic - b.intrinsic,
    coldReads: a.coldReads - b.coldReads,
    writes: a.writes - b.writes,
    calls: a.calls - b.calls,
    events: a.events - b.events,
    refund: a.refund - b.refund,
    code: 0,
  };
  return { ...parts, code: gas - stateAndData(parts) };
}

/** `split` per item of a batch of `count`, with `gas` as the per-item figure. */
export function splitPerItem(split: GasSplit, count: number, gas: number): GasSplit {
  const parts = {
    intrinsic: split.intrinsic / count,
    coldReads: split.coldReads / count,
    writes: split.writes / count,
    calls: split.calls / count,
    events: split.events / count,
    refund: split.refund / count,
    code: 0,
  };
  return { ...parts, code: gas - stateAndData(parts) };
}

/**
 * The split of a check measured alone, as `estimateGas` less the intrinsic cost (`execution`), from the trace of the
 * same call sent as a transaction: the two must agree, or the difference would be charged to code.
 */
export function splitOfCheck(account: GasAccount, execution: number): GasSplit {
  const sent = account.gasUsed - account.intrinsic.base - account.intrinsic.calldata;
  if (sent !== execution) {
    throw new Error(`a check estimated at ${execution} gas ran in ${sent} when sent: its split would not be its own`);
  }
  return splitGas(account, execution, false);
}
