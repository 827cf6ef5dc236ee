/**
 * An identity cannot make itself unstoppable: its live keys are bounded by law, and a status change walks only the
 * live keys, so that it costs the same whatever the number of keys ever added.
 */
import { expect } from "chai";
import { deployments } from "hardhat";

import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import {
  DONGCHENG,
  FIRST_NEW_IDENTITY,
  PERSON,
  STATUS,
  attributes,
  consentToEnrol,
  consentedKey,
} from "../helpers/identity";
import { CIVIL_ACT, call, enact, legislatureSigner } from "../helpers/law";

interface KeysFixture extends SystemFixture {
  /** citizen1 and citizen2, persons in Dongcheng with one key each. */
  citizenId: bigint;
  otherId: bigint;
}

const keysFixture = deployments.createFixture(async (hre): Promise<KeysFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const { registrar, citizen1, citizen2 } = f.signers;
  await consentToEnrol(f.identityRegistry, citizen1, citizen2);
  await f.identityRegistry.connect(registrar).enroll(PERSON, DONGCHENG, attributes(), citizen1.address);
  await f.identityRegistry.connect(registrar).enroll(PERSON, DONGCHENG, attributes(), citizen2.address);
  return { ...f, citizenId: FIRST_NEW_IDENTITY, otherId: FIRST_NEW_IDENTITY + 1n };
});

describe("Unstoppable identity", function () {
  let f: KeysFixture;

  beforeEach(async function () {
    f = await keysFixture();
  });

  const asCitizen = () => f.identityRegistry.connect(f.signers.citizen1);
  const addKey = async (id = f.citizenId) => {
    const key = await consentedKey(f.identityRegistry, id);
    await asCitizen().addKey(id, key);
    return key;
  };

  describe("the bound on live keys", function () {
    it("is set by the genesis law, and adding a key over it reverts with IdentityRegistryTooManyKeys", async function () {
      const max = await f.identityRegistry.maxLiveKeys();
      expect(max).to.equal(4n);
      for (let i = 1n; i < max; ++i) await addKey();
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      await expect(asCitizen().addKey(f.citizenId, key))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryTooManyKeys")
        .withArgs(f.citizenId, max);
      // a revoked key frees its place
      const [, second] = await f.identityRegistry.keysOf(f.citizenId);
      await asCitizen().revokeKey(second);
      await expect(asCitizen().addKey(f.citizenId, key)).to.emit(f.identityRegistry, "KeyAdded");
    });

    it("is changed by law only, within the ceiling, with an event naming the law", async function () {
      await expect(enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "setMaxLiveKeys", [2])]))
        .to.emit(f.identityRegistry, "MaxLiveKeysSet")
        .withArgs(2, CIVIL_ACT);
      await addKey();
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      await expect(asCitizen().addKey(f.citizenId, key))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryTooManyKeys")
        .withArgs(f.citizenId, 2);
      await expect(asCitizen().setMaxLiveKeys(16))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.citizen1.address,
          await f.identityRegistry.getAddress(),
          f.identityRegistry.interface.getFunction("setMaxLiveKeys").selector,
        );
      const legislature = await legislatureSigner(f);
      for (const bad of [0, 17]) {
        await expect(f.identityRegistry.connect(legislature).setMaxLiveKeys(bad))
          .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidMaxLiveKeys")
          .withArgs(bad, 16);
      }
    });
  });

  describe("setStatus", function () {
    it("costs the same for an identity with one key as for one with many revoked keys", async function () {
      // citizen1 adds and revokes keys, many times over the bound; citizen2 never adds one
      for (let i = 0; i < 12; ++i) await asCitizen().revokeKey(await addKey());
      expect(await f.identityRegistry.keysOf(f.citizenId)).to.deep.equal([f.signers.citizen1.address]);
      const registrar = f.identityRegistry.connect(f.signers.registrar);
      const gas = async (id: bigint, status: number) =>
        (await (await registrar.setStatus(id, status, "inquiry")).wait())!.gasUsed;
      const many = await gas(f.citizenId, STATUS.Suspended);
      const one = await gas(f.otherId, STATUS.Suspended);
      expect(many).to.equal(one);
      expect(await gas(f.citizenId, STATUS.Active)).to.equal(await gas(f.otherId, STATUS.Active));
      expect(await gas(f.citizenId, STATUS.Deceased)).to.equal(await gas(f.otherId, STATUS.Deceased));
    });
  });
});
