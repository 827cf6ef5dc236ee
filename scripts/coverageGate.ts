/**
 * The coverage gate (run by `npm run coverage` after the instrumented test run, and so by CI): every contract under
 * contracts/ (test doubles in contracts/mocks/ are not instrumented) must have its lines and its branches covered
 * at least to the thresholds below. Prints each contract's figures, and for each one that falls short its uncovered
 * lines and the lines of its untaken branches; exits 1 then.
 *
 * Reads coverage.json, the per-file Istanbul data that solidity-coverage writes at the project's root.
 */
import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, relative, resolve } from "node:path";

/** The thresholds, in percent: the one place they are set. */
export const MIN_LINES_PCT = 95;
export const MIN_BRANCHES_PCT = 95;

const ROOT = resolve(__dirname, "..");
const COVERAGE_JSON = resolve(ROOT, "coverage.json");

/** The part of Istanbul's per-file data the gate reads. */
interface FileCoverage {
  path: string;
  /** Line number → times run. */
  l: Record<string, number>;
  /** Branch id → times each of its arms was taken. */
  b: Record<string, number[]>;
  branchMap: Record<string, { line: number; type: string }>;
}

export interface ContractFigures {
  file: string;
  lines: { covered: number; total: number };
  branches: { covered: number; total: number };
  uncoveredLines: number[];
  /** Branches with an arm never taken, as "line type[arm]": for an `if`, arm 0 is the condition holding and arm 1
   * its failing; for `a || b` (cond-expr), arm 0 is `a` and arm 1 is `b` deciding. */
  untakenBranches: string[];
}

const pct = ({ covered, total }: { covered: number; total: number }) => (total === 0 ? 100 : (100 * covered) / total);

export function figures(coverage: Record<string, FileCoverage>): ContractFigures[] {
  return Object.values(coverage)
    .map((data) => {
      const hits = Object.values(data.l);
      const arms = Object.values(data.b).flat();
      const untakenBranches: string[] = [];
      for (const [id, counts] of Object.entries(data.b)) {
        counts.forEach((n, arm) => {
          if (n === 0) untakenBranches.push(`${data.branchMap[id].line} ${data.branchMap[id].type}[${arm}]`);
        });
      }
      return {
        file: isAbsolute(data.path) ? relative(ROOT, data.path) : data.path,
        lines: { covered: hits.filter((n) => n > 0).length, total: hits.length },
        branches: { covered: arms.filter((n) => n > 0).length, total: arms.length },
        uncoveredLines: Object.entries(data.l)
          .filter(([, n]) => n === 0)
          .map(([line]) => Number(line)),
        untakenBranches,
      };
    })
    .filter((c) => c.lines.total > 0 || c.branches.total > 0) // interfaces: nothing to run
    .sort((a, b) => a.file.localeCompare(b.file));
}

export function shortfalls(contracts: ContractFigures[]): ContractFigures[] {
  return contracts.filter((c) => pct(c.lines) < MIN_LINES_PCT || pct(c.branches) < MIN_BRANCHES_PCT);
}

function main(): void {
  if (!existsSync(COVERAGE_JSON)) {
    console.error(`coverage gate: ${COVERAGE_JSON} not found; run npm run coverage`);
    process.exit(1);
  }
  const contracts = figures(JSON.parse(readFileSync(COVERAGE_JSON, "utf8")) as Record<string, FileCoverage>);
  const total = (key: "lines" | "branches") => ({
    covered: contracts.reduce((sum, c) => sum + c[key].covered, 0),
    total: contracts.reduce((sum, c) => sum + c[key].total, 0),
  });
  const show = (x: { covered: number; total: number }) => `${pct(x).toFixed(2)}% (${x.covered}/${x.total})`;
  const width = Math.max(...contracts.map((c) => c.file.length));
  console.log(`coverage gate: at least ${MIN_LINES_PCT}% of lines and ${MIN_BRANCHES_PCT}% of branches per contract`);
  for (const c of contracts) {
    console.log(`  ${c.file.padEnd(width)}  lines ${show(c.lines).padEnd(18)} branches ${show(c.branches)}`);
  }
  console.log(
    `  ${"all contracts".padEnd(width)}  lines ${show(total("lines")).padEnd(18)} branches ${show(total("branches"))}`,
  );

  const short = shortfalls(contracts);
  if (short.length === 0) {
    console.log("coverage gate: passed");
    return;
  }
  console.error(`coverage gate: ${short.length} contract(s) below the thresholds`);
  for (const c of short) {
    console.error(`  ${c.file}: lines ${show(c.lines)}, branches ${show(c.branches)}`);
    if (c.uncoveredLines.length > 0) console.error(`    lines never run: ${c.uncoveredLines.join(", ")}`);
    if (c.untakenBranches.length > 0)
      console.error(`    branches never taken (line arm): ${c.untakenBranches.join(", ")}`);
  }
  process.exit(1);
}

if (require.main === module) main();
