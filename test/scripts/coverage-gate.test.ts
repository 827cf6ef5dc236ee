/** The coverage gate's arithmetic: figures per contract from Istanbul's data, and who falls short of 95%. */
import { expect } from "chai";

import { MIN_BRANCHES_PCT, MIN_LINES_PCT, figures, shortfalls } from "../../scripts/coverageGate";

/** Istanbul data for one file: `lines` run counts by line number, `branches` arm counts by branch line. */
function file(path: string, lines: Record<number, number>, branches: Record<number, number[]> = {}) {
  const entries = Object.entries(branches);
  return {
    path,
    l: Object.fromEntries(Object.entries(lines)),
    b: Object.fromEntries(entries.map(([, arms], i) => [String(i), arms])),
    branchMap: Object.fromEntries(entries.map(([line], i) => [String(i), { line: Number(line), type: "if" }])),
  };
}

describe("coverage gate", function () {
  it("holds every contract to 95% of lines and of branches", function () {
    expect([MIN_LINES_PCT, MIN_BRANCHES_PCT]).to.deep.equal([95, 95]);
  });

  it("counts lines run and branch arms taken, and names what was never run or taken", function () {
    const [c] = figures({ a: file("contracts/A.sol", { 1: 3, 2: 0, 3: 1 }, { 10: [1, 0], 20: [2, 5] }) });
    expect(c.lines).to.deep.equal({ covered: 2, total: 3 });
    expect(c.branches).to.deep.equal({ covered: 3, total: 4 });
    expect(c.uncoveredLines).to.deep.equal([2]);
    expect(c.untakenBranches).to.deep.equal(["10 if[1]"]);
  });

  it("fails a contract below either threshold, passes one at it, and leaves out files with nothing to run", function () {
    const lines20 = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [i + 1, 1]));
    const contracts = figures({
      atThreshold: file("contracts/AtThreshold.sol", { ...lines20, 21: 0 }), // 20 of 21 lines: 95.2%
      shortOfLines: file("contracts/ShortOfLines.sol", { ...lines20, 21: 0, 22: 0 }), // 20 of 22: 90.9%
      shortOfBranches: file("contracts/ShortOfBranches.sol", lines20, { 5: [1, 0] }), // 1 of 2 arms
      interfaceOnly: file("contracts/IThing.sol", {}),
    });
    expect(contracts.map((c) => c.file)).to.deep.equal([
      "contracts/AtThreshold.sol",
      "contracts/ShortOfBranches.sol",
      "contracts/ShortOfLines.sol",
    ]);
    expect(shortfalls(contracts).map((c) => c.file)).to.deep.equal([
      "contracts/ShortOfBranches.sol",
      "contracts/ShortOfLines.sol",
    ]);
  });
});
