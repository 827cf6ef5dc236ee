import { expect } from "chai";
import fc from "fast-check";
import { deployments } from "hardhat";

import { jurisdictionCode } from "../../scripts/lib/common/ids";
import { systemFixture } from "../helpers/fixtures";
import { CIVIL_ACT, call, enact } from "../helpers/law";

/** A tree of jurisdictions as a list of parents: node i's parent is an earlier node, or none (a root). */
const trees = fc
  .array(fc.nat(), { minLength: 1, maxLength: 24 })
  .map((choices) => choices.map((choice, i) => (i === 0 || choice % 4 === 0 ? -1 : choice % i)));

const emptyRegistry = deployments.createFixture(async (hre) => {
  // the system without its genesis law, even when an earlier test file of this run deployed it whole
  await deployments.fixture(["core", "registers", "services", "treasury"], { fallbackToGlobal: false });
  return systemFixture(hre);
});

describe("IdentityRegistry jurisdiction tree (property)", function () {
  it("answers isWithin, depth and parent exactly as a plain tree model does", async function () {
    await fc.assert(
      fc.asyncProperty(trees, async (parents) => {
        const f = await emptyRegistry();
        const code = (i: number) => jurisdictionCode(`J${i}`);
        const depth: number[] = [];
        const defined: number[] = [];
        const calls = [];
        for (const [i, parent] of parents.entries()) {
          const d = parent < 0 ? 0 : depth[parent] + 1;
          depth.push(d);
          if (d > 6) continue; // deeper than the registry allows: left out of the tree
          defined.push(i);
          calls.push(
            await call(f.identityRegistry, "defineJurisdiction", [
              code(i),
              parent < 0 ? jurisdictionCode("") : code(parent),
            ]),
          );
        }
        await enact(f, f.legislators, CIVIL_ACT, calls);

        const within = (a: number, b: number): boolean => a === b || (parents[a] >= 0 && within(parents[a], b));
        for (const a of defined) {
          const node = await f.identityRegistry.jurisdiction(code(a));
          expect([node.defined, Number(node.depth), node.parent]).to.deep.equal([
            true,
            depth[a],
            parents[a] < 0 ? jurisdictionCode("") : code(parents[a]),
          ]);
          for (const b of defined) {
            expect(await f.identityRegistry.isWithin(code(a), code(b)), `J${a} within J${b}`).to.equal(within(a, b));
          }
        }
      }),
      { numRuns: 25 },
    );
  });
});
