/**
 * A key joins an identity only with its own consent (a transaction it sent, or its EIP-712 signature), and is never
 * a contract: a service contract, the Legislature or a contract to be deployed cannot be made a person's key.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { citizenFixture, type CitizenFixture } from "../helpers/fixtures";
import { DONGCHENG, PERSON, attributes, consentedKey, freshKey, signKeyConsent, time } from "../helpers/identity";
import { legislatureSigner } from "../helpers/law";

describe("Key consent", function () {
  let f: CitizenFixture;

  beforeEach(async function () {
    f = await citizenFixture();
  });

  const asCitizen = () => f.identityRegistry.connect(f.signers.citizen1);
  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);

  describe("a citizen adding an address without its consent", function () {
    const targets: [string, (x: CitizenFixture) => Promise<string>][] = [
      ["the ServiceDesk", (x) => x.serviceDesk.getAddress()],
      ["the Treasury", (x) => x.treasury.getAddress()],
      ["the Legislature", (x) => x.legislature.getAddress()],
      ["SmartLaw", (x) => x.smartLaw.getAddress()],
      ["another person's unenrolled wallet", async (x) => x.signers.citizen2.address],
      ["a counterfactual address", async () => freshKey()],
    ];
    for (const [name, address] of targets) {
      it(`is refused for ${name} with IdentityRegistryNoConsent, added by the citizen or recovered by a registrar`, async function () {
        const key = await address(f);
        await expect(asCitizen().addKey(f.citizenId, key))
          .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
          .withArgs(key, f.citizenId);
        await expect(asRegistrar().recoverKey(f.signers.citizen1.address, key))
          .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
          .withArgs(key, f.citizenId);
      });
    }

    it("refuses a contract's consent: only a key sending its own transaction consents", async function () {
      const mock = await (await ethers.getContractFactory("ServiceCallerMock")).deploy(f.identityRegistry);
      await expect(mock.consentToIdentity(f.citizenId))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryConsentNotFromKey")
        .withArgs(await mock.getAddress());
    });
  });

  describe("a contract as a key, in every path", function () {
    it("refuses the ServiceDesk, the Treasury and the Legislature as a first key at enrolment", async function () {
      for (const key of [
        await f.serviceDesk.getAddress(),
        await f.treasury.getAddress(),
        await f.legislature.getAddress(),
        await f.identityRegistry.getAddress(),
      ]) {
        await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), key))
          .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyIsContract")
          .withArgs(key);
      }
    });

    it("refuses a contract even when it made itself consent (an impersonated contract address)", async function () {
      const legislature = await legislatureSigner(f);
      await f.identityRegistry.connect(legislature).consentToIdentity(f.citizenId);
      await expect(asCitizen().addKey(f.citizenId, legislature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyIsContract")
        .withArgs(await f.legislature.getAddress());
    });
  });

  describe("with the key's consent", function () {
    it("adds a key that consented on chain, once: the consent is used up", async function () {
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      expect(await f.identityRegistry.consentOf(key)).to.equal(f.citizenId);
      await expect(asCitizen().addKey(f.citizenId, key))
        .to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(f.citizenId, key, ethers.ZeroHash, f.signers.citizen1.address);
      expect(await f.identityRegistry.consentOf(key)).to.equal(0n);
      expect(await f.identityRegistry.identityOf(key)).to.equal(f.citizenId);
    });

    it("emits KeyConsented when a key consents", async function () {
      const wallet = ethers.Wallet.createRandom(ethers.provider);
      await ethers.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
      await expect(f.identityRegistry.connect(wallet).consentToIdentity(f.citizenId))
        .to.emit(f.identityRegistry, "KeyConsented")
        .withArgs(wallet.address, f.citizenId);
    });

    it("adds a key with its EIP-712 signature, by the citizen (a registrar may not add keys)", async function () {
      const deadline = BigInt(await time.latest()) + 3600n;
      const first = ethers.Wallet.createRandom();
      await expect(
        asCitizen().addKeyBySig(
          f.citizenId,
          first.address,
          deadline,
          await signKeyConsent(f.identityRegistry, first, f.citizenId, deadline),
        ),
      )
        .to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(f.citizenId, first.address, ethers.ZeroHash, f.signers.citizen1.address);
      const second = ethers.Wallet.createRandom();
      const signature = await signKeyConsent(f.identityRegistry, second, f.citizenId, deadline);
      await expect(asRegistrar().addKeyBySig(f.citizenId, second.address, deadline, signature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNotOwnKey")
        .withArgs(f.signers.registrar.address, f.citizenId);
      await expect(asCitizen().addKeyBySig(f.citizenId, second.address, deadline, signature))
        .to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(f.citizenId, second.address, ethers.ZeroHash, f.signers.citizen1.address);
    });

    it("recovers a lost key to a new key that consented, on chain or by signature", async function () {
      const onChain = await consentedKey(f.identityRegistry, f.citizenId);
      await expect(asRegistrar().recoverKey(f.signers.citizen1.address, onChain)).to.emit(
        f.identityRegistry,
        "KeyAdded",
      );
      const wallet = ethers.Wallet.createRandom();
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signKeyConsent(f.identityRegistry, wallet, f.citizenId, deadline);
      await expect(asRegistrar().recoverKeyBySig(onChain, wallet.address, deadline, signature))
        .to.emit(f.identityRegistry, "KeyRevoked")
        .and.to.emit(f.identityRegistry, "KeyAdded");
      expect(await f.identityRegistry.keysOf(f.citizenId)).to.deep.equal([wallet.address]);
    });

    it("refuses a recovery to a key that did not consent", async function () {
      const key = freshKey();
      await expect(asRegistrar().recoverKey(f.signers.citizen1.address, key))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
        .withArgs(key, f.citizenId);
    });
  });

  describe("a consent that does not fit", function () {
    it("refuses an expired signature", async function () {
      const wallet = ethers.Wallet.createRandom();
      const deadline = BigInt(await time.latest()) + 60n;
      const signature = await signKeyConsent(f.identityRegistry, wallet, f.citizenId, deadline);
      await time.increaseTo(deadline + 1n);
      await expect(asCitizen().addKeyBySig(f.citizenId, wallet.address, deadline, signature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryConsentExpired")
        .withArgs(wallet.address, deadline);
    });

    it("refuses a consent given to another identity, signed or on chain", async function () {
      const other = await f.identityRegistry.identityOf(f.signers.registrar.address);
      const wallet = ethers.Wallet.createRandom();
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signKeyConsent(f.identityRegistry, wallet, other, deadline);
      await expect(asCitizen().addKeyBySig(f.citizenId, wallet.address, deadline, signature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidConsent")
        .withArgs(wallet.address, f.citizenId);
      const key = await consentedKey(f.identityRegistry, other);
      await expect(asCitizen().addKey(f.citizenId, key))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
        .withArgs(key, f.citizenId);
    });

    it("refuses a signature by another key than the one added", async function () {
      const wallet = ethers.Wallet.createRandom();
      const deadline = BigInt(await time.latest()) + 3600n;
      const signature = await signKeyConsent(f.identityRegistry, wallet, f.citizenId, deadline);
      const target = f.signers.citizen2.address;
      await expect(asCitizen().addKeyBySig(f.citizenId, target, deadline, signature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidConsent")
        .withArgs(target, f.citizenId);
    });
  });
});
