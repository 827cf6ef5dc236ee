/**
 * The benchmark's comparison with the peers (../shared/anchors/gas.json): the ratio and the goal in gas, what a goal
 * leaves for code once the operation's state and data are paid, and the report's tables.
 */
import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  besidePeersTable,
  compareWithPeers,
  reachOf,
  reachTable,
  type Comparison,
} from "../../scripts/lib/bench/peers";
import { limitOf } from "../../scripts/lib/bench/ceiling";
import { writeGasReport } from "../../scripts/lib/bench/report";
import { splitDifference, splitPerItem, stateAndData, type GasSplit } from "../../scripts/lib/bench/trace";

const TRANSFER = "token.transfer (to an existing holder)";
const OZ_TRANSFER = "OZ ERC20 (1M runs): transfer to an existing holder";
const PAYOUT = "treasury.payout (200), per beneficiary";

/** A split whose code is what `gas` leaves over its state and data. */
function split(gas: number, parts: Partial<GasSplit>): GasSplit {
  const s = { intrinsic: 0, coldReads: 0, writes: 0, calls: 0, events: 0, refund: 0, code: 0, ...parts };
  return { ...s, code: gas - stateAndData(s) };
}

describe("the benchmark's comparison with the peers", function () {
  it("gives the goal in gas: the peer's figure times the ratio, rounded down, or the gas goal", function () {
    const gas = new Map([
      [TRANSFER, 36_957],
      [PAYOUT, 11_999],
    ]);
    const compared = compareWithPeers(gas, { [OZ_TRANSFER]: 34_346 });
    const transfer = compared.find((c) => c.operation === TRANSFER)!;
    expect(transfer.goalGas).to.equal(36_063); // 34,346 × 1.05 = 36,063.3
    expect(transfer.ratio).to.be.closeTo(1.076, 0.001);
    expect(transfer.met).to.equal(false);
    const payout = compared.find((c) => c.operation === PAYOUT)!;
    expect(payout).to.include({ goalGas: 12_000, met: true, goal: "≤ 12,000" });
  });

  it("says what is missing rather than guessing a ratio or a goal in gas", function () {
    const gas = new Map([[TRANSFER, 36_957]]);
    const noFile = compareWithPeers(gas, undefined, "/nowhere/gas.json").find((c) => c.operation === TRANSFER)!;
    expect(noFile.missing).to.equal("no peers' file at /nowhere/gas.json");
    expect(noFile.goalGas).to.equal(undefined);
    const noPeer = compareWithPeers(gas, {}).find((c) => c.operation === TRANSFER)!;
    expect(noPeer.missing).to.equal("peer not in gas.json");
    const notMeasured = compareWithPeers(gas, {}).find((c) => c.operation === PAYOUT)!;
    expect(notMeasured.missing).to.equal("not measured by this run");
    expect(reachTable([noFile, noPeer, notMeasured], new Map())).to.have.length(2); // the header alone
  });

  describe("what a goal leaves for code", function () {
    const missed: Comparison = { operation: TRANSFER, gas: 36_957, goalGas: 36_063, met: false };

    it("is out of reach when the state and data alone exceed the goal", function () {
      const heavy = split(36_957, { intrinsic: 21_584, coldReads: 4, writes: 5_800, events: 1_756 });
      expect(stateAndData(heavy)).to.equal(37_540);
      expect(reachOf(missed, heavy)).to.equal(
        "out of reach as built: its state and data alone are 1,477 over the goal, before any code",
      );
    });

    it("else says what the goal leaves for the code, beside what the code spends", function () {
      const s = split(36_957, { intrinsic: 21_584, coldReads: 3, writes: 5_800, events: 1_756 });
      expect(s.code).to.equal(1_517);
      expect(reachOf(missed, s)).to.equal("the goal leaves 623 for its code, which spends 1,517");
    });

    it("says what the peer's own code, traced here, would make of it", function () {
      const s = split(36_957, { intrinsic: 21_584, coldReads: 3, writes: 5_800, events: 1_756 });
      const peer = {
        peer: OZ_TRANSFER,
        gas: 34_346,
        split: split(34_346, { intrinsic: 21_584, coldReads: 2, writes: 5_800, events: 1_756 }),
      };
      expect(peer.split.code).to.equal(1_006);
      expect(reachOf({ ...missed, peer: OZ_TRANSFER, peerGas: 34_346 }, s, peer)).to.equal(
        "the goal leaves 623 for its code, which spends 1,517; with the peer's own code (1,006, traced here) it " +
          "would be 36,446, 1.061×",
      );
    });

    it("counts the refund against the state and data", function () {
      const refunded = split(30_000, { intrinsic: 21_000, writes: 5_000, refund: 4_800 });
      expect(stateAndData(refunded)).to.equal(21_200);
      expect(refunded.code).to.equal(8_800);
    });

    it("says met, or not traced, or nothing where there is no goal", function () {
      expect(reachOf({ ...missed, gas: 36_000, met: true }, undefined)).to.equal("met");
      expect(reachOf(missed, undefined)).to.equal("not traced in this run");
      expect(reachOf({ operation: "token.mint", gas: 1 }, split(1, {}))).to.equal("");
    });

    it("splits a difference and a batch's share part by part, their code from the figure", function () {
      const two = split(108_438, { intrinsic: 27_668, coldReads: 8, writes: 33_000, calls: 9_000, events: 6_173 });
      const three = split(117_083, { intrinsic: 29_136, coldReads: 9, writes: 33_000, calls: 12_100, events: 6_429 });
      const extra = splitDifference(three, two, 8_645);
      expect(extra).to.deep.include({ intrinsic: 1_468, coldReads: 1, writes: 0, calls: 3_100, events: 256 });
      expect(extra.code).to.equal(1_721);
      const batch = split(2_990_179, { intrinsic: 125_520, coldReads: 626, writes: 629_000, calls: 10_800 });
      const each = splitPerItem(batch, 200, 14_950);
      expect(each).to.deep.include({ intrinsic: 627.6, coldReads: 3.13, writes: 3_145, calls: 54, events: 0 });
      expect(each.code).to.equal(14_950 - 627.6 - 6_573 - 3_145 - 54);
    });
  });

  it("sets GovChain's parts beside the peer's traced here, with the difference, and checks it against gas.json", function () {
    const own = split(22_238, { coldReads: 8, calls: 100 });
    const canCall = "AccessManager: canCall alone, as GovChain measures SmartLaw.authorize";
    const peer = { peer: canCall, gas: 8_410, split: split(8_410, { coldReads: 3 }) };
    const c: Comparison = { operation: "smartLaw.check share of a gated write", gas: 22_238, peer: canCall };
    const splits = new Map([[c.operation, own]]);

    const same = besidePeersTable([c], splits, [peer], { [canCall]: 8_410 });
    expect(same.slice(2)).to.deep.equal([
      "| `smartLaw.check share of a gated write` | 22,238 | 0 | 8 (16,800) | 0 | 100 | 0 | 0 | 5,338 |",
      `| ${canCall} (measured here, as in gas.json) | 8,410 | 0 | 3 (6,300) | 0 | 0 | 0 | 0 | 2,110 |`,
      "| GovChain − peer | +13,828 | 0 | +5 (+10,500) | 0 | +100 | 0 | 0 | +3,228 |",
    ]);
    expect(besidePeersTable([c], splits, [peer], { [canCall]: 8_433 })[3]).to.include("gas.json: 8,433");
    expect(besidePeersTable([c], splits, [peer], {})[3]).to.include("not in gas.json");
    expect(besidePeersTable([c], new Map(), [peer], undefined)).to.deep.equal([]); // GovChain's side not traced
  });

  it("writes the goals' splits into the report, beside the earlier runs' figures", function () {
    const dir = mkdtempSync(join(tmpdir(), "govchain-gas-report-"));
    try {
      const path = join(dir, "gas.json");
      writeGasReport(path, [{ operation: "identity.enroll", gas: 124_087n, budget: 130_000n }]);
      const payout = split(14_950, { intrinsic: 628, coldReads: 3.13, writes: 3_145, calls: 54, events: 1_780 });
      const { met, missed, peers } = writeGasReport(path, [
        { operation: PAYOUT, gas: 14_950n, budget: 15_000n, split: payout },
      ]);
      expect(met).to.equal(1);
      expect(missed).to.deep.equal([]);
      expect(peers.find((c) => c.operation === PAYOUT)).to.include({ goalGas: 12_000, met: false });

      const json = JSON.parse(readFileSync(path, "utf8"));
      expect(json.gas).to.deep.equal({ "identity.enroll": 124_087, [PAYOUT]: 14_950 });
      expect(json.measures[PAYOUT].split).to.deep.equal(payout);
      const md = readFileSync(join(dir, "gas.md"), "utf8");
      expect(md).to.include("## What each goal leaves for code");
      expect(md).to.include(
        `| \`${PAYOUT}\` | 14,950 | 12,000 | 628 | 3.13 (6,573) | 3,145 | 54 | 1,780 | 0 | 12,180 | 2,770 | ` +
          "out of reach as built: its state and data alone are 180 over the goal, before any code |",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the block gas limit as the local chain's limit only when no full block had room for any more", function () {
    const block = (gasUsed: number) => ({ gasUsed: BigInt(gasUsed), gasLimit: 30_000_000n });
    expect(limitOf([block(29_950_000), block(29_900_001)], 100_000, 120_000)).to.equal(
      "limited by the block gas limit: no full block had room for one more transaction",
    );
    expect(limitOf([block(29_950_000), block(29_900_000)], 100_000, 120_000)).to.equal(
      "limited by the block gas limit, to within one transaction: 1 of 2 full blocks had room for the smallest but " +
        "none for the largest",
    );
    expect(limitOf([block(29_950_000), block(29_880_000)], 100_000, 120_000)).to.equal(
      "not limited by the block gas limit: 1 of 2 full blocks had room for any transaction",
    );
  });
});
