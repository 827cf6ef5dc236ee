/** Gas figures, with budgets and beside the peers' figures, written to reports/gas.json and reports/gas.md. */
import { mkdirSync, readFileSync, existsSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

import {
  ANCHORS_FILE,
  besidePeersTable,
  compareWithPeers,
  loadAnchors,
  peersTable,
  reachTable,
  type Comparison,
} from "./peers";
import type { PeerTrace } from "./peerTraces";
import type { GasSplit } from "./trace";

export interface Measure {
  operation: string;
  gas: bigint;
  /** The most gas allowed, when a budget applies. */
  budget?: bigint;
  /** How the figure was obtained. */
  note?: string;
  /** Where it goes, traced (the operations that have a goal against the peers). */
  split?: GasSplit;
}

type Stored = { gas: number; budget?: number; note?: string; split?: GasSplit };

/**
 * Merges `measures` into the JSON report (operation → gas), compares them with the peers' figures, and rewrites the
 * Markdown tables beside it.
 */
export function writeGasReport(
  path: string,
  measures: Measure[],
  peerTraces: readonly PeerTrace[] = [],
): { met: number; missed: Measure[]; peers: Comparison[] } {
  mkdirSync(dirname(path), { recursive: true });
  const previous = existsSync(path)
    ? (JSON.parse(readFileSync(path, "utf8")) as { measures?: Record<string, Stored>; peerTraces?: PeerTrace[] })
    : {};
  const all = new Map(Object.entries(previous.measures ?? {}));
  for (const m of measures) {
    all.set(m.operation, {
      gas: Number(m.gas),
      budget: m.budget === undefined ? undefined : Number(m.budget),
      note: m.note,
      split: m.split,
    });
  }
  const ordered = [...all.entries()].sort(([a], [b]) => a.localeCompare(b));
  const gas = Object.fromEntries(ordered.map(([op, m]) => [op, m.gas]));
  const anchors = loadAnchors();
  const peers = compareWithPeers(new Map(Object.entries(gas)), anchors);
  const traced = [
    ...(previous.peerTraces ?? []).filter((t) => !peerTraces.some((now) => now.peer === t.peer)),
    ...peerTraces,
  ];
  const splits = new Map(ordered.flatMap(([op, m]) => (m.split ? [[op, m.split] as const] : [])));
  writeFileSync(
    path,
    JSON.stringify({ gas, measures: Object.fromEntries(ordered), peers, peerTraces: traced }, null, 2) + "\n",
  );

  const rows = ordered.map(([op, m]) => {
    const verdict = m.budget === undefined ? "" : m.gas <= m.budget ? "met" : "**NOT MET**";
    return `| \`${op}\` | ${m.gas.toLocaleString("en-US")} | ${m.budget?.toLocaleString("en-US") ?? ""} | ${verdict} | ${m.note ?? ""} |`;
  });
  const table = [
    "# Gas used by GovChain operations",
    "",
    "Gas used by each transaction (its receipt) on the in-process Hardhat network, hardfork cancun, optimizer 200 runs",
    "(FiatToken: 1,000,000 runs, as its transfers are the hot path).",
    "Reproduce with `npm run bench`.",
    "",
    "| operation | gas | budget | budget met | how |",
    "| --- | ---: | ---: | --- | --- |",
    ...rows,
    "",
    "## Against the peers",
    "",
    `The contracts agencies would otherwise use for each job, measured on the same settings (${ANCHORS_FILE.replace(/.*\/shared\//, "../shared/")}).`,
    "The ratio is GovChain's gas over the peer's; the goal is met when the ratio (or the gas) is at most the goal.",
    "",
    ...peersTable(peers),
    "",
    "## What each goal leaves for code",
    "",
    "Each operation with a goal, traced with `debug_traceTransaction` (`scripts/lib/bench/trace.ts`) and split in",
    "two. Its state and data: the 21,000 and the call data, cold reads (2,100 each), writes, calls to other contracts",
    "(their accounts and argument memory, a precompile's work) and first reads of another contract's code, events,",
    "less the storage refund. Its code: the rest (computation, memory, hashing, warm reads). Where the state and data",
    "alone exceed the goal, no change to computation alone can meet it: as built, the operation would have to read or",
    "write fewer slots, call fewer contracts, log less or carry fewer bytes. A per-record or per-beneficiary figure",
    "is its transaction's split divided by the batch (a share of the transaction's own cost included); the extra",
    "signature's is the difference of two enactments'; the check's leaves out the intrinsic cost, as its figure does.",
    "Which slots and calls each operation pays for, and why each is there: docs/gas.md and docs/gas-finance.md.",
    "",
    ...reachTable(peers, splits, traced),
    "",
    "## Beside the peers built here",
    "",
    "OpenZeppelin's ERC20 (at 1,000,000 runs) and AccessManager are built in this repository",
    "(`contracts/mocks/Peer*.sol`), measured as gas.json measured them and traced the same way",
    "(`scripts/lib/bench/peerTraces.ts`): GovChain's operation, the peer's, and what GovChain pays beyond it, part by",
    "part. The other peers (Safe, EAS, USDC, MerkleDistributor) are not built here.",
    "",
    ...besidePeersTable(peers, splits, traced, anchors),
    "",
  ];
  writeFileSync(path.replace(/\.json$/, ".md"), table.join("\n"));
  const missed = measures.filter((m) => m.budget !== undefined && m.gas > m.budget);
  return { met: measures.filter((m) => m.budget !== undefined).length - missed.length, missed, peers };
}
