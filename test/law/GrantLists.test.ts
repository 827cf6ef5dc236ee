import { expect } from "chai";
import { ethers } from "hardhat";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { Signer } from "ethers";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, PERSON, attributes, enrollableKey } from "../helpers/identity";
import { CIVIL_ACT, REGISTRAR, SCOPE_ANY, SCOPE_JURISDICTION, lawId, legislatureSigner, roleId } from "../helpers/law";

/**
 * The grant lists as SmartLaw stores them: the list's length kept in its first entry, each grant's law number beside
 * its scope. What a list shows and what the check decides must be what the lists of structs gave.
 */
describe("SmartLaw grant lists", function () {
  let f: SystemFixture;
  let asLegislature: Signer;
  let registry: string;
  const enroll = () => f.identityRegistry.interface.getFunction("enroll").selector;
  const [A, B, C] = ["CLERK_A", "CLERK_B", "CLERK_C"].map(roleId);

  beforeEach(async function () {
    f = await deploySystem();
    asLegislature = await legislatureSigner(f);
    registry = await f.identityRegistry.getAddress();
  });

  const listed = async () =>
    (await f.smartLaw.grantsFor(registry, enroll())).map((g) => [g.role, g.lawId, Number(g.scope)]);

  describe("when grants are revoked from the first, the middle and the end of a list", function () {
    it("moves the last grant into the gap, keeps the others' laws and scopes, and empties to a list that grows again", async function () {
      const law = f.smartLaw.connect(asLegislature);
      await law.grant(CIVIL_ACT, A, registry, enroll(), SCOPE_ANY);
      await law.grant(CIVIL_ACT, B, registry, enroll(), SCOPE_JURISDICTION);
      await law.grant(CIVIL_ACT, C, registry, enroll(), SCOPE_ANY);
      expect(await listed()).to.deep.equal([
        [REGISTRAR, CIVIL_ACT, SCOPE_JURISDICTION],
        [A, CIVIL_ACT, SCOPE_ANY],
        [B, CIVIL_ACT, SCOPE_JURISDICTION],
        [C, CIVIL_ACT, SCOPE_ANY],
      ]);
      await law.revokeGrant(CIVIL_ACT, REGISTRAR, registry, enroll());
      expect(await listed()).to.deep.equal([
        [C, CIVIL_ACT, SCOPE_ANY],
        [A, CIVIL_ACT, SCOPE_ANY],
        [B, CIVIL_ACT, SCOPE_JURISDICTION],
      ]);
      await law.revokeGrant(CIVIL_ACT, A, registry, enroll());
      expect(await listed()).to.deep.equal([
        [C, CIVIL_ACT, SCOPE_ANY],
        [B, CIVIL_ACT, SCOPE_JURISDICTION],
      ]);
      await law.revokeGrant(CIVIL_ACT, B, registry, enroll());
      await law.revokeGrant(CIVIL_ACT, C, registry, enroll());
      expect(await listed()).to.deep.equal([]);
      await expect(
        f.identityRegistry
          .connect(f.signers.registrar)
          .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)),
      ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");

      await law.grant(CIVIL_ACT, REGISTRAR, registry, enroll(), SCOPE_JURISDICTION);
      expect(await listed()).to.deep.equal([[REGISTRAR, CIVIL_ACT, SCOPE_JURISDICTION]]);
      await expect(
        f.identityRegistry
          .connect(f.signers.registrar)
          .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)),
      ).to.emit(f.identityRegistry, "IdentityEnrolled");
    });
  });

  describe("when the grant's law is numbered past the first 96", function () {
    it("names that law as the legal basis while it is in force, and lets the grant lapse with its repeal", async function () {
      const law = f.smartLaw.connect(asLegislature);
      const count = await lawCount();
      for (let i = count; i < 97; ++i) await law.recordVersion(lawId(`LAW_${i}`), 1, ethers.ZeroHash);
      const LATE_ACT = lawId("LATE_ACT");
      await law.recordVersion(LATE_ACT, 1, ethers.ZeroHash);
      expect((await f.smartLaw.law(LATE_ACT)).number).to.equal(98n);
      await law.revokeGrant(CIVIL_ACT, REGISTRAR, registry, enroll());
      await law.grant(LATE_ACT, REGISTRAR, registry, enroll(), SCOPE_JURISDICTION);

      const key = await enrollableKey(f.identityRegistry);
      await expect(f.identityRegistry.connect(f.signers.registrar).enroll(PERSON, DONGCHENG, attributes(), key))
        .to.emit(f.identityRegistry, "IdentityEnrolled")
        .withArgs(anyValue, PERSON, DONGCHENG, anyValue, key, LATE_ACT, anyValue);

      await law.repeal(LATE_ACT);
      await expect(
        f.identityRegistry
          .connect(f.signers.registrar)
          .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.registrar.address, registry, enroll());
    });
  });

  describe("when a service contract's role is assigned under a law numbered past the first 96", function () {
    it("lets the service write while that law is in force, and refuses it once the law is repealed", async function () {
      const law = f.smartLaw.connect(asLegislature);
      const count = await lawCount();
      for (let i = count; i < 97; ++i) await law.recordVersion(lawId(`LAW_${i}`), 1, ethers.ZeroHash);
      const LATE_ACT = lawId("LATE_ACT");
      await law.recordVersion(LATE_ACT, 1, ethers.ZeroHash);
      const SERVICE = roleId("ENROLMENT_SERVICE");
      const service = await (await ethers.getContractFactory("ServiceCallerMock")).deploy(registry);
      await law.grant(CIVIL_ACT, SERVICE, registry, enroll(), SCOPE_ANY);
      await law.assignRole(await service.getAddress(), SERVICE, LATE_ACT);
      expect(await f.smartLaw.serviceRole(await service.getAddress(), SERVICE)).to.deep.equal([
        LATE_ACT,
        ethers.keccak256(await ethers.provider.getCode(await service.getAddress())),
      ]);

      await expect(service.enroll(DONGCHENG, attributes(), await enrollableKey(f.identityRegistry))).to.emit(
        f.identityRegistry,
        "IdentityEnrolled",
      );
      await law.repeal(LATE_ACT);
      await expect(service.enroll(DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(await service.getAddress(), registry, enroll());
    });
  });

  /** The number of laws enacted so far: the last serial number given. */
  async function lawCount(): Promise<number> {
    let n = 1;
    while ((await f.smartLaw.lawIdOf(n + 1)) !== ethers.ZeroHash) ++n;
    return n;
  }
});
