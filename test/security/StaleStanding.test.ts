/**
 * The token never acts on standing it could not have been told about. Its copy of holders' standing is trusted only
 * while the IdentityRegistry tells it of lapses (the token is its observer), and only for admissions made since it
 * last became one; otherwise every key is asked of the registry at every movement, and nothing is noted.
 */
import { expect } from "chai";
import { deployments, ethers } from "hardhat";

import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { STATUS, consentedKey } from "../helpers/identity";
import { CIVIL_ACT, call, enact, legislatureSigner } from "../helpers/law";
import { mint, newPerson, type Person } from "../helpers/treasury";
import type { FiatToken } from "../../typechain-types";

interface StaleFixture extends SystemFixture {
  /** Alice, Bob and Carol hold tokens (admitted in the first observation period); Dave holds none. */
  alice: Person;
  bob: Person;
  carol: Person;
  dave: Person;
}

const staleFixture = deployments.createFixture(async (hre): Promise<StaleFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const [alice, bob, carol, dave] = [await newPerson(f), await newPerson(f), await newPerson(f), await newPerson(f)];
  for (const p of [alice, bob, carol]) await mint(f, p.wallet.address, 10_000n);
  return { ...f, alice, bob, carol, dave };
});

describe("Stale standing", function () {
  let f: StaleFixture;

  beforeEach(async function () {
    f = await staleFixture();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);
  const setObserver = async (fn: "addObserver" | "removeObserver", token: FiatToken = f.fiatToken) =>
    enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, fn, [await token.getAddress()])]);
  // a recovery revokes the key, with the new key's consent to join the same identity
  const revoke = async (key: string) =>
    asRegistrar().recoverKey(key, await consentedKey(f.identityRegistry, await f.identityRegistry.identityOf(key)));

  it("hears from the registry when its observation starts and stops, and from nobody else", async function () {
    expect(await f.fiatToken.observation()).to.deep.equal([true, 1n]);
    await expect(setObserver("removeObserver")).to.emit(f.fiatToken, "StandingObservationStopped").withArgs(1n);
    expect(await f.fiatToken.observation()).to.deep.equal([false, 1n]);
    await expect(setObserver("addObserver")).to.emit(f.fiatToken, "StandingObservationStarted").withArgs(2n);
    expect(await f.fiatToken.observation()).to.deep.equal([true, 2n]);
    const alice = f.fiatToken.connect(f.alice.wallet);
    // each call sent only when awaited: two sent at once leave the second's rejection unhandled for a while
    for (const hook of [() => alice.observationStarted(), () => alice.observationStopped()]) {
      await expect(hook())
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenOnlyIdentityRegistry")
        .withArgs(f.alice.wallet.address);
    }
  });

  describe("when a law has removed the token as an observer", function () {
    beforeEach(async function () {
      await setObserver("removeObserver");
    });

    it("refuses a key revoked since, both ways, though the token was not told", async function () {
      const bob = f.bob.wallet.address;
      await revoke(bob);
      expect((await f.fiatToken.account(bob)).admitted).to.equal(false);
      await expect(f.fiatToken.connect(f.bob.wallet).transfer(f.alice.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(bob);
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(bob, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(bob);
    });

    it("refuses the key of an identity suspended since, as sender and as spender", async function () {
      const carol = f.carol.wallet.address;
      await f.fiatToken.connect(f.alice.wallet).approve(carol, 100n);
      await asRegistrar().setStatus(f.carol.id, STATUS.Suspended, "inquiry");
      await expect(f.fiatToken.connect(f.carol.wallet).transfer(f.alice.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(carol);
      await expect(f.fiatToken.connect(f.carol.wallet).transferFrom(f.alice.wallet.address, carol, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(carol);
    });

    it("still moves tokens between keys with standing, asking the registry and noting nothing", async function () {
      const dave = f.dave.wallet.address;
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(dave, 100n))
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(f.alice.wallet.address, dave, 100n);
      const account = await f.fiatToken.account(dave);
      expect([account.balance, account.identityId, account.admitted]).to.deep.equal([100n, f.dave.id, false]);
    });

    it("admits no key by a zero-value transfer", async function () {
      const dave = f.dave.wallet.address;
      await f.fiatToken.connect(f.alice.wallet).transfer(dave, 0n);
      expect((await f.fiatToken.account(dave)).admitted).to.equal(false);
      const stranger = ethers.Wallet.createRandom().address;
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(stranger, 0n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger);
    });

    it("checks again, once observed again, every key admitted before: a key revoked in between stays refused", async function () {
      const bob = f.bob.wallet.address;
      await revoke(bob);
      await setObserver("addObserver");
      await expect(f.fiatToken.connect(f.bob.wallet).transfer(f.alice.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(bob);
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(f.carol.wallet.address, 1n)).to.emit(
        f.fiatToken,
        "Transfer",
      );
      expect((await f.fiatToken.account(f.alice.wallet.address)).admitted).to.equal(true);
    });
  });

  describe("when the token is not yet an observer (as during the genesis)", function () {
    let fresh: FiatToken;

    beforeEach(async function () {
      fresh = await (
        await ethers.getContractFactory("FiatToken")
      ).deploy("Fresh", "FRSH", await f.smartLaw.getAddress(), await f.identityRegistry.getAddress());
    });

    it("marks no key admitted by a zero-value transfer, so a key revoked before the observation starts stays refused", async function () {
      const [alice, bob] = [f.alice.wallet.address, f.bob.wallet.address];
      expect(await fresh.observation()).to.deep.equal([false, 0n]);
      await expect(fresh.connect(f.alice.wallet).transfer(bob, 0n)).to.emit(fresh, "Transfer").withArgs(alice, bob, 0n);
      expect((await fresh.account(bob)).admitted).to.equal(false);
      await revoke(bob);
      await expect(fresh.connect(f.bob.wallet).transfer(alice, 0n))
        .to.be.revertedWithCustomError(fresh, "FiatTokenAccountNotAdmitted")
        .withArgs(bob);
      await expect(setObserver("addObserver", fresh)).to.emit(fresh, "StandingObservationStarted").withArgs(1n);
      await expect(fresh.connect(f.bob.wallet).transfer(alice, 0n))
        .to.be.revertedWithCustomError(fresh, "FiatTokenAccountNotAdmitted")
        .withArgs(bob);
      await fresh.connect(f.alice.wallet).transfer(f.carol.wallet.address, 0n);
      expect((await fresh.account(f.carol.wallet.address)).admitted).to.equal(true);
    });

    it("mints nothing until it is an observer", async function () {
      const legislature = fresh.connect(await legislatureSigner(f));
      await legislature.configureMinter(await f.legislature.getAddress(), 10n);
      await expect(legislature.mint(f.alice.wallet.address, 1n))
        .to.be.revertedWithCustomError(fresh, "FiatTokenNotObserving")
        .withArgs(await f.identityRegistry.getAddress());
      await setObserver("addObserver", fresh);
      await expect(legislature.mint(f.alice.wallet.address, 1n)).to.emit(fresh, "Minted");
    });
  });
});
