/**
 * GovChain's gas beside its peers': the contracts agencies would otherwise use for each job (OpenZeppelin, Safe,
 * EAS, USDC, Uniswap's MerkleDistributor), measured on GovChain's own EVM settings in ../shared/anchors/gas.json.
 * Gas is deterministic, so the ratio of two figures is exact; each pair has a goal, as a ratio to the peer or, where
 * no peer does the job, as gas.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

import type { PeerTrace } from "./peerTraces";
import { splitDifference, stateAndData, type GasSplit } from "./trace";

/** Where the peers' figures are: beside the repository, or GOVCHAIN_ANCHORS. */
export const ANCHORS_FILE = process.env.GOVCHAIN_ANCHORS ?? resolve(__dirname, "../../../../shared/anchors/gas.json");

export interface Pairing {
  /** The GovChain operation, as the benchmark names it. */
  operation: string;
  /** The peer's figure in gas.json, by its name there; none where no peer does the job. */
  peer?: string;
  /** The most GovChain may cost: a ratio to the peer, or gas when there is no peer. */
  goal?: { ratio: number } | { gas: number };
}

export const PAIRINGS: Pairing[] = [
  {
    operation: "smartLaw.check share of a gated write",
    peer: "AccessManager: canCall alone, as GovChain measures SmartLaw.authorize",
    goal: { ratio: 1.0 },
  },
  {
    operation: "legislature.enact (2 signatures, 1 setParam)",
    peer: "Safe 1.4.1: execTransaction, 2 signatures (threshold 2 of 3)",
    goal: { ratio: 1.3 },
  },
  {
    operation: "legislature.enact extra signature",
    peer: "Safe 1.4.1: each extra signature (3 signatures − 2)",
    goal: { ratio: 1.0 },
  },
  { operation: "legislature.approve", peer: "Safe 1.4.1: approveHash (by an owner)" },
  { operation: "registry.record (a birth)", peer: "EAS: attest", goal: { ratio: 0.35 } },
  {
    operation: "registry.recordBatch (100), per record",
    peer: "EAS: multiAttest (100), per attestation",
    goal: { ratio: 0.2 },
  },
  {
    operation: "token.transfer (to a new holder)",
    peer: "OZ ERC20 (1M runs): transfer to a new holder",
    goal: { ratio: 1.05 },
  },
  {
    operation: "token.transfer (to an existing holder)",
    peer: "OZ ERC20 (1M runs): transfer to an existing holder",
    goal: { ratio: 1.05 },
  },
  { operation: "token.mint", peer: "USDC v2.2 (proxy): mint to a new holder" },
  {
    operation: "treasury.claim",
    peer: "MerkleDistributor (proof of 24): claim to an existing holder",
    goal: { ratio: 1.1 },
  },
  { operation: "services.apply (pension enrolment, approved, record included)", goal: { gas: 160_000 } },
  { operation: "treasury.payout (200), per beneficiary", goal: { gas: 12_000 } },
];

export interface Comparison {
  operation: string;
  gas: number;
  peer?: string;
  peerGas?: number;
  ratio?: number;
  /** The goal as written: "≤ 1.05×" or "≤ 160,000". */
  goal?: string;
  /** The most gas the goal allows: the peer's figure times the ratio (rounded down), or the gas goal. */
  goalGas?: number;
  met?: boolean;
  /** Why there is no ratio: the peers' file or the peer's figure is missing, or the operation was not measured. */
  missing?: string;
}

/** The peers' figures, or undefined when the file is not there. */
export function loadAnchors(path = ANCHORS_FILE): Record<string, number> | undefined {
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf8")) as { gas: Record<string, number> }).gas;
}

/** Each pairing with GovChain's figure, the peer's, the ratio and whether the goal is met; missing ones said. */
export function compareWithPeers(
  gas: ReadonlyMap<string, number>,
  anchors: Record<string, number> | undefined,
  anchorsFile = ANCHORS_FILE,
): Comparison[] {
  return PAIRINGS.map(({ operation, peer, goal }): Comparison => {
    const own = gas.get(operation);
    if (own === undefined) return { operation, gas: NaN, peer, missing: "not measured by this run" };
    const goalText =
      goal === undefined ? undefined : "ratio" in goal ? `≤ ${goal.ratio.toFixed(2)}×` : `≤ ${fmt(goal.gas)}`;
    if (peer === undefined) {
      const goalGas = goal !== undefined && "gas" in goal ? goal.gas : undefined;
      return { operation, gas: own, goal: goalText, goalGas, met: goalGas === undefined ? undefined : own <= goalGas };
    }
    if (!anchors) return { operation, gas: own, peer, goal: goalText, missing: `no peers' file at ${anchorsFile}` };
    const peerGas = anchors[peer];
    if (peerGas === undefined) return { operation, gas: own, peer, goal: goalText, missing: "peer not in gas.json" };
    const ratio = own / peerGas;
    const met = goal !== undefined && "ratio" in goal ? ratio <= goal.ratio : undefined;
    // in hundredths of the ratio, so that no rounding of a product makes the goal one gas short
    const goalGas =
      goal !== undefined && "ratio" in goal ? Math.floor((peerGas * Math.round(goal.ratio * 100)) / 100) : undefined;
    return { operation, gas: own, peer, peerGas, ratio, goal: goalText, goalGas, met };
  });
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/**
 * What a goal that is not met would take, from the operation's traced split: out of reach as built when its state
 * and data alone (call data, cold reads, writes, calls, events) exceed the goal, else what it leaves for code.
 */
export function reachOf(c: Comparison, split: GasSplit | undefined, peer?: PeerTrace): string {
  if (c.goalGas === undefined || c.met === undefined) return "";
  if (c.met) return "met";
  if (!split) return "not traced in this run";
  const floor = stateAndData(split);
  if (floor > c.goalGas) {
    return `out of reach as built: its state and data alone are ${fmt(floor - c.goalGas)} over the goal, before any code`;
  }
  const leaves = `the goal leaves ${fmt(c.goalGas - floor)} for its code, which spends ${fmt(split.code)}`;
  if (!peer || c.peerGas === undefined) return leaves;
  const withPeersCode = floor + peer.split.code;
  return (
    `${leaves}; with the peer's own code (${fmt(peer.split.code)}, traced here) it would be ` +
    `${fmt(withPeersCode)}, ${(withPeersCode / c.peerGas).toFixed(3)}×`
  );
}

/** Each goal beside its operation's split (see {GasSplit}): what the goal leaves for code, as a Markdown table. */
export function reachTable(
  comparisons: Comparison[],
  splits: ReadonlyMap<string, GasSplit>,
  traces: readonly PeerTrace[] = [],
): string[] {
  const goals = comparisons.filter((c) => c.goalGas !== undefined);
  return [
    "| GovChain operation | gas | goal, in gas | 21,000 and call data | cold reads | writes | calls | events | " +
      "refund | state and data | code | what the goal would take |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ...goals.map((c) => {
      const s = splits.get(c.operation);
      const parts = s ? [...cells(s).slice(0, -1), fmt(stateAndData(s)), fmt(s.code)] : Array<string>(8).fill("");
      const reach = reachOf(
        c,
        s,
        traces.find((t) => t.peer === c.peer),
      );
      return `| \`${c.operation}\` | ${fmt(c.gas)} | ${fmt(c.goalGas!)} | ${parts.join(" | ")} | ${reach} |`;
    }),
  ];
}

/** The comparison as a Markdown table. */
export function peersTable(comparisons: Comparison[]): string[] {
  return [
    "| GovChain operation | gas | peer | peer gas | ratio | goal | goal met |",
    "| --- | ---: | --- | ---: | ---: | ---: | --- |",
    ...comparisons.map((c) => {
      const verdict = c.missing ? `— (${c.missing})` : c.met === undefined ? "" : c.met ? "met" : "**NOT MET**";
      return (
        `| \`${c.operation}\` | ${Number.isNaN(c.gas) ? "" : fmt(c.gas)} | ${c.peer ?? "—"} | ` +
        `${c.peerGas === undefined ? "" : fmt(c.peerGas)} | ${c.ratio === undefined ? "" : `${c.ratio.toFixed(2)}×`} | ` +
        `${c.goal ?? ""} | ${verdict} |`
      );
    }),
  ];
}

/** A split's parts as table cells: call data, cold reads, writes, calls, events, refund, code. */
function cells(s: GasSplit): string[] {
  const reads = Number.isInteger(s.coldReads) ? String(s.coldReads) : s.coldReads.toFixed(2);
  return [
    fmt(s.intrinsic),
    `${reads} (${fmt(s.coldReads * 2_100)})`,
    fmt(s.writes),
    fmt(s.calls),
    fmt(s.events),
    s.refund ? `−${fmt(s.refund)}` : "0",
    fmt(s.code),
  ];
}

/** `n` with its sign, for a difference. */
const signed = (n: number) => (Math.round(n) > 0 ? `+${fmt(n)}` : Math.round(n) < 0 ? `−${fmt(-n)}` : "0");

/**
 * GovChain's operations beside the peers traced here ({@link PeerTrace}), part by part, and the difference: which
 * reads, writes, calls, events, bytes and code GovChain pays for beyond the peer. A peer's figure measured here is
 * checked against gas.json's (`anchors`); a difference is said.
 */
export function besidePeersTable(
  comparisons: Comparison[],
  splits: ReadonlyMap<string, GasSplit>,
  traces: readonly PeerTrace[],
  anchors: Record<string, number> | undefined,
): string[] {
  const rows: string[] = [];
  for (const c of comparisons) {
    const own = splits.get(c.operation);
    const peer = traces.find((t) => t.peer === c.peer);
    if (!own || !peer || Number.isNaN(c.gas)) continue;
    const anchored = anchors?.[peer.peer];
    const check =
      anchored === undefined
        ? "not in gas.json"
        : anchored === peer.gas
          ? "as in gas.json"
          : `gas.json: ${fmt(anchored)}`;
    const difference = splitDifference(own, peer.split, c.gas - peer.gas);
    const diffReads = `${signed(difference.coldReads)} (${signed(difference.coldReads * 2_100)})`;
    rows.push(
      `| \`${c.operation}\` | ${fmt(c.gas)} | ${cells(own).join(" | ")} |`,
      `| ${peer.peer} (measured here, ${check}) | ${fmt(peer.gas)} | ${cells(peer.split).join(" | ")} |`,
      `| GovChain − peer | ${signed(c.gas - peer.gas)} | ${signed(difference.intrinsic)} | ${diffReads} | ` +
        `${[difference.writes, difference.calls, difference.events].map(signed).join(" | ")} | ` +
        `${signed(-difference.refund)} | ${signed(difference.code)} |`,
    );
  }
  if (rows.length === 0) return [];
  return [
    "| operation | gas | 21,000 and call data | cold reads | writes | calls | events | refund | code |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}
