/**
 * The legal basis is always the law being enacted: SmartLaw records it when an enactment starts, as the basis of
 * every write the update's calls make, so an enactment may not start inside another (where it would replace it).
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { CIVIL_ACT, PENSION_ACT, call, lawUpdate, paramKey, sign } from "../helpers/law";
import type { LawUpdate } from "../../scripts/lib/law/lawUpdate";
import type { EnactmentRelayMock } from "../../typechain-types";

const RETIREMENT_AGE = paramKey("RETIREMENT_AGE");
const TEST_PARAM = paramKey("TEST_PARAM");

describe("Nested enactment", function () {
  let f: SystemFixture;
  let relay: EnactmentRelayMock;

  beforeEach(async function () {
    f = await deploySystem();
    relay = await (await ethers.getContractFactory("EnactmentRelayMock")).deploy();
  });

  /** A signed update of PENSION_ACT setting RETIREMENT_AGE: the update another one tries to enact inside it. */
  async function innerUpdate(value: number): Promise<{ update: LawUpdate; signatures: string[] }> {
    const update = await lawUpdate(f, PENSION_ACT, [
      await call(f.smartLaw, "setParam", [PENSION_ACT, RETIREMENT_AGE, value]),
    ]);
    return { update, signatures: await sign(f.legislature, update, f.legislators) };
  }

  /** Enacts an update of CIVIL_ACT whose calls are `calls`, signed by a quorum. */
  async function enactOuter(calls: Awaited<ReturnType<typeof call>>[]) {
    const update = await lawUpdate(f, CIVIL_ACT, calls);
    return f.legislature.enact(update, await sign(f.legislature, update, f.legislators));
  }

  const nested = (lawId: string, enacting: string) =>
    f.legislature.interface.encodeErrorResult("LegislatureNestedEnactment", [lawId, enacting]);

  it("refuses a law update whose call enacts another law update", async function () {
    const inner = await innerUpdate(70);
    const before = await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE);
    await expect(enactOuter([await call(f.legislature, "enact", [inner.update, inner.signatures])]))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(0, await f.legislature.getAddress(), nested(PENSION_ACT, CIVIL_ACT));
    expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(before);
    expect(await f.legislature.isNonceUsed(inner.update.nonce)).to.equal(false);
  });

  it("refuses it when the nested enactment comes through another contract, or is of the same law", async function () {
    const inner = await innerUpdate(70);
    await expect(
      enactOuter([
        await call(relay, "enactAll", [await f.legislature.getAddress(), [inner.update], [inner.signatures]]),
      ]),
    )
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(0, await relay.getAddress(), nested(PENSION_ACT, CIVIL_ACT));

    // the next version of the same law, enacted from within its current update
    const outer = await lawUpdate(f, CIVIL_ACT, []);
    const same = await lawUpdate(f, CIVIL_ACT, [], { version: outer.version + 1 });
    const sameSigned = await sign(f.legislature, same, f.legislators);
    outer.calls = [await call(f.legislature, "enact", [same, sameSigned])];
    await expect(f.legislature.enact(outer, await sign(f.legislature, outer, f.legislators)))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(0, await f.legislature.getAddress(), nested(CIVIL_ACT, CIVIL_ACT));
  });

  it("enacts the same update on its own, naming its own law", async function () {
    const inner = await innerUpdate(70);
    const digest = await f.legislature.hashLawUpdate(inner.update);
    await expect(f.legislature.enact(inner.update, inner.signatures))
      .to.emit(f.legislature, "LawEnacted")
      .withArgs(
        PENSION_ACT,
        inner.update.version,
        digest,
        f.legislators.map((l) => l.address),
      )
      .and.to.emit(f.smartLaw, "ParamSet");
    expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(70n);
  });

  it("enacts updates one after the other in one transaction: the guard ends with each enactment", async function () {
    const first = await innerUpdate(70);
    const second = await lawUpdate(f, CIVIL_ACT, [await call(f.smartLaw, "setParam", [CIVIL_ACT, TEST_PARAM, 5])]);
    const secondSigned = await sign(f.legislature, second, f.legislators);
    await expect(
      relay.enactAll(await f.legislature.getAddress(), [first.update, second], [first.signatures, secondSigned]),
    )
      .to.emit(f.legislature, "LawEnacted")
      .withArgs(PENSION_ACT, first.update.version, await f.legislature.hashLawUpdate(first.update), quorumAddresses())
      .and.to.emit(f.legislature, "LawEnacted")
      .withArgs(CIVIL_ACT, second.version, await f.legislature.hashLawUpdate(second), quorumAddresses());
    expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(70n);
    expect(await f.smartLaw.param(CIVIL_ACT, TEST_PARAM)).to.equal(5n);
  });

  /** The quorum's addresses, as LawEnacted lists them. */
  function quorumAddresses(): string[] {
    return f.legislators.map((l) => l.address);
  }
});
