import { expect } from "chai";
import { deployments, ethers } from "hardhat";

import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, PERSON, STATUS, attributes, consentToEnrol, consentedKey, freshKey } from "../helpers/identity";
import { CIVIL_ACT, call, enact, legislatureSigner } from "../helpers/law";
import type { IdentityObserverMock } from "../../typechain-types";

interface ObserverFixture extends SystemFixture {
  observer: IdentityObserverMock;
  /** citizen1, enrolled by the Dongcheng registrar, with a second key. */
  citizenId: bigint;
  secondKey: string;
}

const observerFixture = deployments.createFixture(async (hre): Promise<ObserverFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const observer = await (await ethers.getContractFactory("IdentityObserverMock")).deploy();
  await enact(f, f.legislators, CIVIL_ACT, [
    await call(f.identityRegistry, "addObserver", [await observer.getAddress()]),
  ]);
  const { registrar, citizen1 } = f.signers;
  await consentToEnrol(f.identityRegistry, citizen1);
  await f.identityRegistry.connect(registrar).enroll(PERSON, DONGCHENG, attributes(), citizen1.address);
  const citizenId = await f.identityRegistry.identityCount();
  const secondKey = await consentedKey(f.identityRegistry, citizenId);
  await f.identityRegistry.connect(citizen1).addKey(citizenId, secondKey);
  return { ...f, observer, citizenId, secondKey };
});

describe("IdentityRegistry keys and observers", function () {
  let f: ObserverFixture;

  beforeEach(async function () {
    f = await observerFixture();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);

  describe("keysOf and activeIdentityOf", function () {
    it("lists an identity's live keys: a revoked key leaves the list, the last one taking its place", async function () {
      const third = await consentedKey(f.identityRegistry, f.citizenId);
      await asRegistrar().recoverKey(f.secondKey, third);
      expect(await f.identityRegistry.keysOf(f.citizenId)).to.deep.equal([f.signers.citizen1.address, third]);
      const fourth = await consentedKey(f.identityRegistry, f.citizenId);
      await f.identityRegistry.connect(f.signers.citizen1).addKey(f.citizenId, fourth);
      await asRegistrar().revokeKey(f.signers.citizen1.address);
      expect(await f.identityRegistry.keysOf(f.citizenId)).to.deep.equal([fourth, third]);
      await asRegistrar().revokeKey(fourth);
      expect(await f.identityRegistry.keysOf(f.citizenId)).to.deep.equal([third]);
      // the last live key lost: the list is empty for a moment, and the new key takes the first place
      const fifth = await consentedKey(f.identityRegistry, f.citizenId);
      await asRegistrar().recoverKey(third, fifth);
      expect(await f.identityRegistry.keysOf(f.citizenId)).to.deep.equal([fifth]);
      expect(await f.identityRegistry.keysOf(999n)).to.deep.equal([]);
    });

    it("answers for a live key of an active identity only", async function () {
      const key = f.signers.citizen1.address;
      expect(await f.identityRegistry.activeIdentityOf(key)).to.equal(f.citizenId);
      await asRegistrar().setStatus(f.citizenId, STATUS.Suspended, "inquiry");
      expect(await f.identityRegistry.activeIdentityOf(key)).to.equal(0n);
      await asRegistrar().setStatus(f.citizenId, STATUS.Active, "cleared");
      expect(await f.identityRegistry.activeIdentityOf(key)).to.equal(f.citizenId);
      await asRegistrar().revokeKey(key);
      expect(await f.identityRegistry.activeIdentityOf(key)).to.equal(0n);
      expect(await f.identityRegistry.activeIdentityOf(freshKey())).to.equal(0n);
    });
  });

  describe("observers", function () {
    it("are told of a revoked key, in the same transaction, naming the identity", async function () {
      await expect(asRegistrar().revokeKey(f.secondKey))
        .to.emit(f.observer, "Observed")
        .withArgs(await f.identityRegistry.getAddress(), f.citizenId, [f.secondKey]);
    });

    it("are told of a recovered key's loss", async function () {
      await expect(
        asRegistrar().recoverKey(f.signers.citizen1.address, await consentedKey(f.identityRegistry, f.citizenId)),
      )
        .to.emit(f.observer, "Observed")
        .withArgs(await f.identityRegistry.getAddress(), f.citizenId, [f.signers.citizen1.address]);
    });

    it("are told of every live key when an active identity is suspended or dies, and of nothing on reinstatement", async function () {
      await asRegistrar().revokeKey(f.secondKey);
      const registry = await f.identityRegistry.getAddress();
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Suspended, "inquiry"))
        .to.emit(f.observer, "Observed")
        .withArgs(registry, f.citizenId, [f.signers.citizen1.address]);
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Active, "cleared")).not.to.emit(f.observer, "Observed");
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Deceased, "death"))
        .to.emit(f.observer, "Observed")
        .withArgs(registry, f.citizenId, [f.signers.citizen1.address]);
    });

    it("block the change when one refuses: nothing is half-written", async function () {
      await f.observer.setRefuse(true);
      await expect(asRegistrar().revokeKey(f.secondKey)).to.be.revertedWithCustomError(
        f.observer,
        "IdentityObserverMockRefused",
      );
      expect(await f.identityRegistry.identityOf(f.secondKey)).to.equal(f.citizenId);
    });

    it("are added and removed by law, with events naming it", async function () {
      const other = await (await ethers.getContractFactory("IdentityObserverMock")).deploy();
      const address = await other.getAddress();
      const registry = await f.identityRegistry.getAddress();
      await expect(enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "addObserver", [address])]))
        .to.emit(f.identityRegistry, "ObserverAdded")
        .withArgs(address, CIVIL_ACT)
        .and.to.emit(other, "ObservationStarted")
        .withArgs(registry);
      expect(await f.identityRegistry.observers()).to.include(address);
      await expect(enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "removeObserver", [address])]))
        .to.emit(f.identityRegistry, "ObserverRemoved")
        .withArgs(address, CIVIL_ACT)
        .and.to.emit(other, "ObservationStopped")
        .withArgs(registry);
      expect(await f.identityRegistry.observers()).not.to.include(address);
      await expect(asRegistrar().revokeKey(f.secondKey)).not.to.emit(other, "Observed");
    });

    it("are neither added nor removed when they refuse to hear of it: nothing is half-written", async function () {
      const legislature = await legislatureSigner(f);
      const observer = await f.observer.getAddress();
      await f.observer.setRefuse(true);
      await expect(f.identityRegistry.connect(legislature).removeObserver(observer)).to.be.revertedWithCustomError(
        f.observer,
        "IdentityObserverMockRefused",
      );
      expect(await f.identityRegistry.observers()).to.include(observer);
      const other = await (await ethers.getContractFactory("IdentityObserverMock")).deploy();
      await other.setRefuse(true);
      await expect(
        f.identityRegistry.connect(legislature).addObserver(await other.getAddress()),
      ).to.be.revertedWithCustomError(other, "IdentityObserverMockRefused");
      expect(await f.identityRegistry.observers()).not.to.include(await other.getAddress());
    });

    it("refuses a second registration, an unknown observer, an account without code, and more than the maximum", async function () {
      const registry = f.identityRegistry;
      const observer = await f.observer.getAddress();
      const legislature = await legislatureSigner(f);
      await expect(registry.connect(legislature).addObserver(observer))
        .to.be.revertedWithCustomError(registry, "IdentityRegistryObserverExists")
        .withArgs(observer);
      const stranger = freshKey();
      await expect(registry.connect(legislature).removeObserver(stranger))
        .to.be.revertedWithCustomError(registry, "IdentityRegistryUnknownObserver")
        .withArgs(stranger);
      await expect(registry.connect(legislature).addObserver(stranger))
        .to.be.revertedWithCustomError(registry, "IdentityRegistryObserverNotAContract")
        .withArgs(stranger);
      const max = await registry.MAX_OBSERVERS();
      for (let n = (await registry.observers()).length; n < max; n++) {
        const extra = await (await ethers.getContractFactory("IdentityObserverMock")).deploy();
        await registry.connect(legislature).addObserver(await extra.getAddress());
      }
      const oneTooMany = await (await ethers.getContractFactory("IdentityObserverMock")).deploy();
      await expect(registry.connect(legislature).addObserver(await oneTooMany.getAddress()))
        .to.be.revertedWithCustomError(registry, "IdentityRegistryTooManyObservers")
        .withArgs(max);
    });

    it("are changed by law only", async function () {
      await expect(asRegistrar().addObserver(await f.observer.getAddress())).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
      await expect(asRegistrar().removeObserver(await f.observer.getAddress())).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
    });
  });
});
