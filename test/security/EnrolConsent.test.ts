/**
 * A first key consents to its enrolment, like every other key: it sends consentToIdentity(0) itself (0: a new
 * identity) before a registrar enrols it. Only the Legislature enrols without that consent (a law, from offline
 * data). A registrar can no longer make the address of a contract not yet deployed a person's key.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem } from "../helpers/fixtures";
import {
  DONGCHENG,
  FIRST_NEW_IDENTITY,
  GENESIS,
  NEW_IDENTITY,
  PERSON,
  attributes,
  consentedKey,
  enrollableKey,
  freshKey,
} from "../helpers/identity";
import { CIVIL_ACT, call, enact, roleId } from "../helpers/law";
import type { SystemFixture } from "../helpers/fixtures";

describe("Enrolment consent", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);

  it("refuses the address of a contract not yet deployed with IdentityRegistryNoConsent; a law may then assign it a role", async function () {
    const deployer = f.signers.deployer;
    const predicted = ethers.getCreateAddress({
      from: deployer.address,
      nonce: await ethers.provider.getTransactionCount(deployer.address),
    });
    await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), predicted))
      .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
      .withArgs(predicted, NEW_IDENTITY);
    const service = await (
      await ethers.getContractFactory("ServiceCallerMock", deployer)
    ).deploy(await f.identityRegistry.getAddress());
    expect(await service.getAddress()).to.equal(predicted);
    expect(await f.identityRegistry.keyRecord(predicted)).to.deep.equal([0n, 0n, 0n]);
    await expect(
      enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "assignRole", [predicted, roleId("ENROLMENT_DESK"), CIVIL_ACT]),
      ]),
    ).to.emit(f.smartLaw, "RoleAssigned");
  });

  it("refuses a key that consented to join an existing identity, not to be a new one", async function () {
    const key = await consentedKey(f.identityRegistry, 1n);
    await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), key))
      .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
      .withArgs(key, NEW_IDENTITY);
  });

  it("enrols a key that consented, using the consent up", async function () {
    const key = await enrollableKey(f.identityRegistry);
    expect(await f.identityRegistry.consentsToEnrolment(key)).to.equal(true);
    await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), key))
      .to.emit(f.identityRegistry, "IdentityEnrolled")
      .withArgs(FIRST_NEW_IDENTITY, PERSON, DONGCHENG, ethers.isHexString, key, CIVIL_ACT, f.signers.registrar.address);
    expect(await f.identityRegistry.consentsToEnrolment(key)).to.equal(false);
    expect(await f.identityRegistry.identityOf(key)).to.equal(FIRST_NEW_IDENTITY);
    await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), key))
      .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyInUse")
      .withArgs(key, FIRST_NEW_IDENTITY);
  });

  it("emits KeyConsented with identity 0 for a consent to be enrolled", async function () {
    const wallet = ethers.Wallet.createRandom(ethers.provider);
    await ethers.provider.send("hardhat_setBalance", [wallet.address, "0x56BC75E2D63100000"]);
    await expect(f.identityRegistry.connect(wallet).consentToIdentity(NEW_IDENTITY))
      .to.emit(f.identityRegistry, "KeyConsented")
      .withArgs(wallet.address, NEW_IDENTITY);
  });

  it("refuses a consent from a key that already belongs to an identity", async function () {
    await expect(f.identityRegistry.connect(f.signers.registrar).consentToIdentity(NEW_IDENTITY))
      .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyInUse")
      .withArgs(f.signers.registrar.address, GENESIS.registrar);
    expect(await f.identityRegistry.consentsToEnrolment(f.signers.registrar.address)).to.equal(false);
  });

  it("refuses a service contract holding the grant an unconsented key, as it refuses an official", async function () {
    const service = await (
      await ethers.getContractFactory("ServiceCallerMock")
    ).deploy(await f.identityRegistry.getAddress());
    const SERVICE = roleId("ENROLMENT_DESK");
    const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
    await enact(f, f.legislators, CIVIL_ACT, [
      await call(f.smartLaw, "assignRole", [await service.getAddress(), SERVICE, CIVIL_ACT]),
      await call(f.smartLaw, "grant", [CIVIL_ACT, SERVICE, await f.identityRegistry.getAddress(), enroll, 0]),
    ]);
    const key = freshKey();
    await expect(service.enroll(DONGCHENG, attributes(), key))
      .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNoConsent")
      .withArgs(key, NEW_IDENTITY);
    await expect(service.enroll(DONGCHENG, attributes(), await enrollableKey(f.identityRegistry))).to.emit(
      f.identityRegistry,
      "IdentityEnrolled",
    );
  });

  it("lets the Legislature enrol from offline data without an on-chain consent", async function () {
    const key = freshKey();
    await expect(
      enact(f, f.legislators, CIVIL_ACT, [
        await call(f.identityRegistry, "enroll", [PERSON, DONGCHENG, attributes(), key]),
      ]),
    )
      .to.emit(f.identityRegistry, "IdentityEnrolled")
      .withArgs(
        FIRST_NEW_IDENTITY,
        PERSON,
        DONGCHENG,
        ethers.isHexString,
        key,
        CIVIL_ACT,
        await f.legislature.getAddress(),
      );
  });
});
