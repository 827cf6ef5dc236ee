/**
 * A registrar takes over no identity. Keys are added by the identity itself (one of its live keys sends addKey or
 * addKeyBySig); a registrar's power over keys is the recovery of a citizen's lost key, in person, and an identity that
 * holds or ever held an appointment has its keys recovered by the Legislature alone.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { CN, FIRST_NEW_APPOINTMENT, GENESIS, consentedKey, signKeyConsent, time } from "../helpers/identity";
import { CIVIL_ACT, REGISTRAR, call, enact } from "../helpers/law";
import { PENSION, PENSION_AMOUNT, mint, newPerson, treasuryFixture, type TreasuryFixture } from "../helpers/treasury";

const YEAR = 365n * 86_400n;

describe("Registrar takeover", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);

  /** An accomplice of the personnel officer, appointed REGISTRAR for the whole country. */
  async function countryRegistrar() {
    const now = BigInt(await time.latest());
    const accomplice = await newPerson(f);
    await f.identityRegistry
      .connect(f.signers.director)
      .appoint(accomplice.id, REGISTRAR, GENESIS.ministry, CN, now, now + YEAR);
    expect(await f.identityRegistry.currentAppointment(accomplice.id, REGISTRAR)).to.equal(FIRST_NEW_APPOINTMENT);
    return accomplice;
  }

  describe("a registrar adding his own key to a pensioner", function () {
    it("is refused with IdentityRegistryNotOwnKey, on chain or by signature; the pensioner adds his own key", async function () {
      const victim = f.pensioners[0];
      const stolenKey = await consentedKey(f.identityRegistry, victim.id);
      await expect(asRegistrar().addKey(victim.id, stolenKey))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNotOwnKey")
        .withArgs(f.signers.registrar.address, victim.id);
      const wallet = ethers.Wallet.createRandom();
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signKeyConsent(f.identityRegistry, wallet, victim.id, deadline);
      await expect(asRegistrar().addKeyBySig(victim.id, wallet.address, deadline, signature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNotOwnKey")
        .withArgs(f.signers.registrar.address, victim.id);
      expect(await f.identityRegistry.keysOf(victim.id)).to.deep.equal([victim.wallet.address]);
      // the pension is still the pensioner's alone
      await expect(f.treasury.connect(victim.wallet).claim(PENSION)).to.emit(f.treasury, "BenefitClaimed");
      expect(await f.fiatToken.balanceOf(victim.wallet.address)).to.equal(PENSION_AMOUNT);
      // the legitimate path: the pensioner's own key adds a key that consented
      await expect(f.identityRegistry.connect(victim.wallet).addKey(victim.id, stolenKey))
        .to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(victim.id, stolenKey, ethers.ZeroHash, victim.wallet.address);
    });

    it("lets the registrar recover a citizen's lost key in person, to a key that consented", async function () {
      const citizen = f.pensioners[1];
      const newKey = await consentedKey(f.identityRegistry, citizen.id);
      await expect(asRegistrar().recoverKey(citizen.wallet.address, newKey))
        .to.emit(f.identityRegistry, "KeyRevoked")
        .withArgs(citizen.id, citizen.wallet.address, CIVIL_ACT, f.signers.registrar.address)
        .and.to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(citizen.id, newKey, CIVIL_ACT, f.signers.registrar.address);
      expect(await f.identityRegistry.keysOf(citizen.id)).to.deep.equal([newKey]);
    });
  });

  describe("a registrar taking over an official (the judge)", function () {
    it("is refused: no key added (IdentityRegistryNotOwnKey), none recovered (IdentityRegistryOfficialKeyRecovery)", async function () {
      const accomplice = await countryRegistrar();
      const victim = await newPerson(f);
      await mint(f, victim.wallet.address, 1_000_00n);
      const judgeKey = await consentedKey(f.identityRegistry, GENESIS.judge);
      await expect(f.identityRegistry.connect(accomplice.wallet).addKey(GENESIS.judge, judgeKey))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNotOwnKey")
        .withArgs(accomplice.wallet.address, GENESIS.judge);
      await expect(f.identityRegistry.connect(accomplice.wallet).recoverKey(f.signers.judge.address, judgeKey))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryOfficialKeyRecovery")
        .withArgs(GENESIS.judge);
      // the Dongcheng registrar is refused too, for an official of his own jurisdiction
      const registrarKey = await consentedKey(f.identityRegistry, GENESIS.hospitalRegistrar);
      await expect(asRegistrar().recoverKey(f.signers.hospitalRegistrar.address, registrarKey))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryOfficialKeyRecovery")
        .withArgs(GENESIS.hospitalRegistrar);
      // the judge keeps his only key and his powers; the victim keeps his balance
      expect(await f.identityRegistry.keysOf(GENESIS.judge)).to.deep.equal([f.signers.judge.address]);
      expect(await f.identityRegistry.identityOf(judgeKey)).to.equal(0n);
      await expect(
        f.fiatToken.connect(f.signers.judge).freeze(victim.wallet.address, ethers.id("court order")),
      ).to.emit(f.fiatToken, "AccountFrozen");
      expect(await f.fiatToken.balanceOf(victim.wallet.address)).to.equal(1_000_00n);
    });

    it("refuses the recovery of a key of anyone who ever held an appointment, even once dismissed", async function () {
      const accomplice = await countryRegistrar();
      await f.identityRegistry.connect(f.signers.director).dismiss(FIRST_NEW_APPOINTMENT, "ended");
      const newKey = await consentedKey(f.identityRegistry, accomplice.id);
      await expect(asRegistrar().recoverKey(accomplice.wallet.address, newKey))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryOfficialKeyRecovery")
        .withArgs(accomplice.id);
    });

    it("lets the Legislature recover an official's lost key by a law", async function () {
      const newKey = await consentedKey(f.identityRegistry, GENESIS.judge);
      await expect(
        enact(f, f.legislators, CIVIL_ACT, [
          await call(f.identityRegistry, "recoverKey", [f.signers.judge.address, newKey]),
        ]),
      )
        .to.emit(f.identityRegistry, "KeyRevoked")
        .withArgs(GENESIS.judge, f.signers.judge.address, CIVIL_ACT, await f.legislature.getAddress())
        .and.to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(GENESIS.judge, newKey, CIVIL_ACT, await f.legislature.getAddress());
      expect(await f.identityRegistry.keysOf(GENESIS.judge)).to.deep.equal([newKey]);
    });
  });

  describe("a registrar locking an official out", function () {
    it("is refused: an official's keys are revoked by himself or by a law (IdentityRegistryOfficialKeyRevocation)", async function () {
      const judge = f.signers.judge.address;
      const accomplice = await countryRegistrar(); // a registrar whose jurisdiction covers the judge's
      await expect(f.identityRegistry.connect(accomplice.wallet).revokeKey(judge))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryOfficialKeyRevocation")
        .withArgs(GENESIS.judge);
      expect(await f.identityRegistry.identityOf(judge)).to.equal(GENESIS.judge);
      // a citizen's key the registrar still revokes, under the law that grants it
      const citizen = await newPerson(f);
      await expect(asRegistrar().revokeKey(citizen.wallet.address))
        .to.emit(f.identityRegistry, "KeyRevoked")
        .withArgs(citizen.id, citizen.wallet.address, CIVIL_ACT, f.signers.registrar.address);
    });

    it("lets the Legislature give a key back to an official who revoked his only one", async function () {
      const judge = f.signers.judge.address;
      await f.identityRegistry.connect(f.signers.judge).revokeKey(judge);
      expect(await f.identityRegistry.keysOf(GENESIS.judge)).to.deep.equal([]);
      const newKey = await consentedKey(f.identityRegistry, GENESIS.judge);
      // nobody else recovers from a revoked key
      await expect(asRegistrar().recoverKey(judge, newKey))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyRevoked")
        .withArgs(judge);
      await expect(enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "recoverKey", [judge, newKey])]))
        .to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(GENESIS.judge, newKey, CIVIL_ACT, await f.legislature.getAddress())
        .and.not.to.emit(f.identityRegistry, "KeyRevoked");
      expect(await f.identityRegistry.keysOf(GENESIS.judge)).to.deep.equal([newKey]);
    });
  });

  it("leaves the registrar no grant of addKey in the genesis law", async function () {
    const addKey = f.identityRegistry.interface.getFunction("addKey").selector;
    expect(await f.identityRegistry.isResourceChecked(addKey)).to.equal(false);
    expect(await f.smartLaw.grantsFor(await f.identityRegistry.getAddress(), addKey)).to.deep.equal([]);
    expect(
      await f.smartLaw.canCall(f.signers.registrar.address, await f.identityRegistry.getAddress(), addKey),
    ).to.equal(false);
  });
});
