import { expect } from "chai";
import { ethers } from "hardhat";
import { setCode } from "@nomicfoundation/hardhat-network-helpers";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import {
  DONGCHENG,
  FIRST_NEW_IDENTITY,
  GENESIS,
  PERSON,
  attributes,
  enrollableKey,
  freshKey,
} from "../helpers/identity";
import {
  CIVIL_ACT,
  PENSION_ACT,
  REGISTRAR,
  SCOPE_ANY,
  SCOPE_JURISDICTION,
  call,
  enact,
  lawId,
  legislatureSigner,
  paramKey,
  roleId,
} from "../helpers/law";
import type { ServiceCallerMock } from "../../typechain-types";

const RETIREMENT_AGE = paramKey("RETIREMENT_AGE");
const NEW_LAW = lawId("NEW_LAW");
const SERVICE = roleId("ENROLMENT_SERVICE");

describe("SmartLaw", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  /** Enacts `fn(args)` on SmartLaw under `law`, and returns the enact transaction. */
  const byLaw = async (law: string, fn: string, args: unknown[]) =>
    enact(f, f.legislators, law, [await call(f.smartLaw, fn, args)]);

  /** Expects a law update's only call to have reverted with SmartLaw's `error(args)`. */
  const expectLawCallError = async (tx: Promise<unknown>, error: string, args: unknown[]) =>
    expect(tx)
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(0, await f.smartLaw.getAddress(), f.smartLaw.interface.encodeErrorResult(error, args));

  async function deployService(): Promise<ServiceCallerMock> {
    const factory = await ethers.getContractFactory("ServiceCallerMock");
    return factory.deploy(await f.identityRegistry.getAddress());
  }

  describe("initialize", function () {
    it("was done by the deployment, and cannot be done again, even by the deployer", async function () {
      expect(await f.smartLaw.legislature()).to.equal(await f.legislature.getAddress());
      expect(await f.smartLaw.identityRegistry()).to.equal(await f.identityRegistry.getAddress());
      await expect(
        f.smartLaw.connect(f.signers.deployer).initialize(f.signers.deployer.address, f.signers.deployer.address),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawInitializationRefused")
        .withArgs(f.signers.deployer.address);
    });

    it("refuses anyone but the deployer, and zero addresses", async function () {
      const fresh = await (await ethers.getContractFactory("SmartLaw")).connect(f.signers.deployer).deploy();
      await expect(fresh.connect(f.signers.outsider).initialize(f.signers.outsider.address, f.signers.outsider.address))
        .to.be.revertedWithCustomError(fresh, "SmartLawInitializationRefused")
        .withArgs(f.signers.outsider.address);
      await expect(fresh.initialize(ethers.ZeroAddress, f.signers.outsider.address))
        .to.be.revertedWithCustomError(fresh, "SmartLawZeroAddress")
        .withArgs("legislature");
      await expect(fresh.initialize(f.signers.outsider.address, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(fresh, "SmartLawZeroAddress")
        .withArgs("identityRegistry");
      await expect(fresh.initialize(f.signers.outsider.address, f.signers.outsider.address))
        .to.emit(fresh, "SmartLawInitialized")
        .withArgs(f.signers.outsider.address, f.signers.outsider.address);
    });
  });

  describe("changes by anyone but the Legislature", function () {
    const calls: [string, (s: SystemFixture) => unknown[]][] = [
      ["recordVersion", () => [NEW_LAW, 1, ethers.ZeroHash]],
      ["setParam", () => [PENSION_ACT, RETIREMENT_AGE, 1]],
      ["grant", (s) => [CIVIL_ACT, REGISTRAR, s.signers.outsider.address, "0x12345678", 0]],
      ["revokeGrant", (s) => [CIVIL_ACT, REGISTRAR, s.signers.outsider.address, "0x12345678"]],
      ["grantOn", (s) => [CIVIL_ACT, REGISTRAR, s.signers.outsider.address, "0x12345678", ethers.id("r"), 0]],
      ["revokeGrantOn", (s) => [CIVIL_ACT, REGISTRAR, s.signers.outsider.address, "0x12345678", ethers.id("r")]],
      ["repeal", () => [CIVIL_ACT]],
      ["bindRule", (s) => [CIVIL_ACT, s.signers.outsider.address]],
      ["assignRole", (s) => [s.signers.outsider.address, REGISTRAR, CIVIL_ACT]],
    ];
    for (const [fn, args] of calls) {
      it(`${fn} reverts with SmartLawOnlyLegislature`, async function () {
        const contract = f.smartLaw.connect(f.signers.legislator1) as unknown as Record<
          string,
          (...a: unknown[]) => Promise<unknown>
        >;
        await expect(contract[fn](...args(f)))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOnlyLegislature")
          .withArgs(f.signers.legislator1.address);
      });
    }
  });

  describe("laws", function () {
    it("keeps each version's text hash", async function () {
      const v1 = await f.smartLaw.textHash(PENSION_ACT, 1);
      await byLaw(PENSION_ACT, "setParam", [PENSION_ACT, RETIREMENT_AGE, 61]);
      expect(await f.smartLaw.lawVersion(PENSION_ACT)).to.equal(2n);
      expect(await f.smartLaw.textHash(PENSION_ACT, 1)).to.equal(v1);
      expect(await f.smartLaw.textHash(PENSION_ACT, 2)).to.equal(ethers.id(`text of ${PENSION_ACT}`));
      expect(await f.smartLaw.lawVersion(NEW_LAW)).to.equal(0n);
      expect(await f.smartLaw.isInForce(NEW_LAW)).to.equal(false);
    });

    it("repeals a law: its grants, parameters and version history stay readable, its force does not", async function () {
      await expect(byLaw(PENSION_ACT, "repeal", [PENSION_ACT]))
        .to.emit(f.smartLaw, "LawRepealed")
        .withArgs(PENSION_ACT, 2);
      expect(await f.smartLaw.isInForce(PENSION_ACT)).to.equal(false);
      expect((await f.smartLaw.law(PENSION_ACT)).repealed).to.equal(true);
      await expect(f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawLawNotInForce")
        .withArgs(PENSION_ACT);
    });

    it("refuses to repeal a law that is not in force", async function () {
      await expectLawCallError(byLaw(PENSION_ACT, "repeal", [NEW_LAW]), "SmartLawLawNotInForce", [NEW_LAW]);
    });

    it("refuses a new version of a repealed law", async function () {
      await byLaw(PENSION_ACT, "repeal", [PENSION_ACT]);
      await expect(enact(f, f.legislators, PENSION_ACT, []))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawLawRepealed")
        .withArgs(PENSION_ACT);
    });

    it("refuses a version that is not the law's next", async function () {
      const legislature = await legislatureSigner(f);
      await expect(f.smartLaw.connect(legislature).recordVersion(PENSION_ACT, 3, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnexpectedVersion")
        .withArgs(PENSION_ACT, 2, 3);
      await expect(f.smartLaw.connect(legislature).recordVersion(NEW_LAW, 2, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnexpectedVersion")
        .withArgs(NEW_LAW, 1, 2);
    });

    it("refuses the zero law id", async function () {
      await expect(enact(f, f.legislators, ethers.ZeroHash, []))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawInvalidId")
        .withArgs("lawId");
    });
  });

  describe("setParam", function () {
    it("sets a parameter of a law in force", async function () {
      await expect(byLaw(PENSION_ACT, "setParam", [PENSION_ACT, RETIREMENT_AGE, 65]))
        .to.emit(f.smartLaw, "ParamSet")
        .withArgs(PENSION_ACT, RETIREMENT_AGE, 65);
      expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(65n);
    });

    it("keeps a parameter set to zero apart from one never set", async function () {
      const key = paramKey("ZERO");
      await expect(f.smartLaw.param(PENSION_ACT, key))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawParamNotSet")
        .withArgs(PENSION_ACT, key);
      await byLaw(PENSION_ACT, "setParam", [PENSION_ACT, key, 0]);
      expect(await f.smartLaw.param(PENSION_ACT, key)).to.equal(0n);
    });

    it("refuses a law not in force and a zero key", async function () {
      await expectLawCallError(byLaw(PENSION_ACT, "setParam", [NEW_LAW, RETIREMENT_AGE, 1]), "SmartLawLawNotInForce", [
        NEW_LAW,
      ]);
      await expectLawCallError(byLaw(PENSION_ACT, "setParam", [PENSION_ACT, ethers.ZeroHash, 1]), "SmartLawInvalidId", [
        "key",
      ]);
    });
  });

  describe("grant and revokeGrant", function () {
    const selector = () => f.identityRegistry.interface.getFunction("enroll").selector;

    it("lists the grants of a function", async function () {
      const grants = await f.smartLaw.grantsFor(await f.identityRegistry.getAddress(), selector());
      expect(grants.map((g) => [g.role, g.lawId, g.scope])).to.deep.equal([
        [REGISTRAR, CIVIL_ACT, BigInt(SCOPE_JURISDICTION)],
      ]);
    });

    it("grants a role everywhere with scope Any", async function () {
      const target = await f.identityRegistry.getAddress();
      await byLaw(CIVIL_ACT, "revokeGrant", [CIVIL_ACT, REGISTRAR, target, selector()]);
      await expect(byLaw(CIVIL_ACT, "grant", [CIVIL_ACT, REGISTRAR, target, selector(), SCOPE_ANY]))
        .to.emit(f.smartLaw, "Granted")
        .withArgs(CIVIL_ACT, REGISTRAR, target, selector(), ethers.ZeroHash, SCOPE_ANY);
      // the Shanghai registrar may now enrol in Dongcheng
      await expect(
        f.identityRegistry
          .connect(f.signers.registrar2)
          .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)),
      ).to.emit(f.identityRegistry, "IdentityEnrolled");
    });

    it("refuses a role already granted for the function, an invalid scope, a zero role or target", async function () {
      const target = await f.identityRegistry.getAddress();
      await expectLawCallError(
        byLaw(CIVIL_ACT, "grant", [CIVIL_ACT, REGISTRAR, target, selector(), 1]),
        "SmartLawAlreadyGranted",
        [REGISTRAR, target, selector(), ethers.ZeroHash, CIVIL_ACT],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "grant", [CIVIL_ACT, SERVICE, target, selector(), 2]),
        "SmartLawInvalidScope",
        [2],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "grant", [CIVIL_ACT, ethers.ZeroHash, target, selector(), 0]),
        "SmartLawInvalidId",
        ["role"],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "grant", [CIVIL_ACT, SERVICE, ethers.ZeroAddress, selector(), 0]),
        "SmartLawZeroAddress",
        ["target"],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "grant", [NEW_LAW, SERVICE, target, selector(), 0]),
        "SmartLawLawNotInForce",
        [NEW_LAW],
      );
    });

    it("revokes a grant, and refuses to revoke one that does not exist (or by another law)", async function () {
      const target = await f.identityRegistry.getAddress();
      await expectLawCallError(
        byLaw(PENSION_ACT, "revokeGrant", [PENSION_ACT, REGISTRAR, target, selector()]),
        "SmartLawGrantNotFound",
        [PENSION_ACT, REGISTRAR, target, selector(), ethers.ZeroHash],
      );
      await expect(byLaw(CIVIL_ACT, "revokeGrant", [CIVIL_ACT, REGISTRAR, target, selector()]))
        .to.emit(f.smartLaw, "GrantRevoked")
        .withArgs(CIVIL_ACT, REGISTRAR, target, selector(), ethers.ZeroHash);
      expect(await f.smartLaw.grantsFor(target, selector())).to.deep.equal([]);
    });
  });

  describe("grantOn and revokeGrantOn", function () {
    it("refuse the zero resource: a grant on the whole function is grant's and revokeGrant's", async function () {
      const legislature = f.smartLaw.connect(await legislatureSigner(f));
      const target = await f.civilRegistry.getAddress();
      const record = f.civilRegistry.interface.getFunction("record").selector;
      await expect(legislature.grantOn(CIVIL_ACT, REGISTRAR, target, record, ethers.ZeroHash, SCOPE_ANY))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawInvalidId")
        .withArgs("resource");
      await expect(legislature.revokeGrantOn(CIVIL_ACT, REGISTRAR, target, record, ethers.ZeroHash))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawInvalidId")
        .withArgs("resource");
    });
  });

  describe("canCall", function () {
    it("answers as OpenZeppelin's IAuthority would, ignoring the subject's jurisdiction", async function () {
      const target = await f.identityRegistry.getAddress();
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      const appoint = f.identityRegistry.interface.getFunction("appoint").selector;
      expect(await f.smartLaw.canCall(f.signers.registrar.address, target, enroll)).to.equal(true);
      expect(await f.smartLaw.canCall(f.signers.registrar.address, target, appoint)).to.equal(false);
      expect(await f.smartLaw.canCall(f.signers.outsider.address, target, enroll)).to.equal(false);
      expect(await f.smartLaw.canCall(await f.legislature.getAddress(), target, appoint)).to.equal(true);
      await byLaw(CIVIL_ACT, "repeal", [CIVIL_ACT]);
      expect(await f.smartLaw.canCall(f.signers.registrar.address, target, enroll)).to.equal(false);
    });
  });

  describe("authorize", function () {
    it("returns the law being enacted when the Legislature writes (a law enrols without the key's on-chain consent)", async function () {
      await expect(
        enact(f, f.legislators, PENSION_ACT, [
          await call(f.identityRegistry, "enroll", [PERSON, DONGCHENG, attributes(), freshKey()]),
        ]),
      )
        .to.emit(f.identityRegistry, "IdentityEnrolled")
        .withArgs(
          FIRST_NEW_IDENTITY,
          PERSON,
          DONGCHENG,
          ethers.isHexString,
          ethers.isAddress,
          PENSION_ACT,
          await f.legislature.getAddress(),
        );
    });

    it("judges the calling contract's own grants: a third party cannot borrow them", async function () {
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      await expect(f.smartLaw.connect(f.signers.outsider).authorize(f.signers.registrar.address, enroll, DONGCHENG))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.registrar.address, f.signers.outsider.address, enroll);
    });
  });

  describe("bindRule and ruleOf", function () {
    it("binds a contract pinned by its code hash", async function () {
      const rule = await deployService();
      const codeHash = ethers.keccak256((await ethers.provider.getCode(await rule.getAddress())) as string);
      await expect(byLaw(PENSION_ACT, "bindRule", [PENSION_ACT, await rule.getAddress()]))
        .to.emit(f.smartLaw, "RuleBound")
        .withArgs(PENSION_ACT, await rule.getAddress(), codeHash);
      expect(await f.smartLaw.ruleOf(PENSION_ACT)).to.equal(await rule.getAddress());
    });

    it("refuses an account without code, and a proxy (code that delegates)", async function () {
      const proxy = await (
        await ethers.getContractFactory("DelegatingMock")
      ).deploy(await (await deployService()).getAddress());
      const eoa = f.signers.outsider.address;
      await expectLawCallError(byLaw(PENSION_ACT, "bindRule", [PENSION_ACT, eoa]), "SmartLawCodeNotPinnable", [eoa]);
      await expectLawCallError(
        byLaw(PENSION_ACT, "bindRule", [PENSION_ACT, await proxy.getAddress()]),
        "SmartLawCodeNotPinnable",
        [await proxy.getAddress()],
      );
    });

    it("refuses an EIP-1167 clone of a pinnable contract", async function () {
      const implementation = await deployService();
      const factory = await (await ethers.getContractFactory("ClonesMock")).deploy();
      const clone = await factory.clone.staticCall(await implementation.getAddress());
      await factory.clone(await implementation.getAddress());
      await expectLawCallError(byLaw(PENSION_ACT, "bindRule", [PENSION_ACT, clone]), "SmartLawCodeNotPinnable", [
        clone,
      ]);
    });

    it("refuses a rule whose code changed after it was bound", async function () {
      const rule = await deployService();
      const address = await rule.getAddress();
      await byLaw(PENSION_ACT, "bindRule", [PENSION_ACT, address]);
      const pinned = ethers.keccak256(await ethers.provider.getCode(address));
      await setCode(address, "0x6001600055"); // any other code at the same address
      await expect(f.smartLaw.ruleOf(PENSION_ACT))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawCodeHashMismatch")
        .withArgs(address, pinned, ethers.keccak256("0x6001600055"));
    });

    it("refuses a law without a rule, or not in force", async function () {
      await expect(f.smartLaw.ruleOf(CIVIL_ACT))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawRuleNotBound")
        .withArgs(CIVIL_ACT);
      await expect(f.smartLaw.ruleOf(NEW_LAW))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawLawNotInForce")
        .withArgs(NEW_LAW);
    });
  });

  describe("assignRole (service contracts)", function () {
    it("refuses an account that is a key of an identity: a person's key cannot act as a service", async function () {
      const legislature = f.smartLaw.connect(await legislatureSigner(f));
      await expect(legislature.assignRole(f.signers.registrar.address, SERVICE, CIVIL_ACT))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawServiceContractIsKey")
        .withArgs(f.signers.registrar.address, GENESIS.registrar);
      expect((await f.smartLaw.serviceRole(f.signers.registrar.address, SERVICE)).lawId).to.equal(ethers.ZeroHash);
    });

    async function serviceWithRole(): Promise<ServiceCallerMock> {
      const service = await deployService();
      const target = await f.identityRegistry.getAddress();
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "grant", [CIVIL_ACT, SERVICE, target, enroll, SCOPE_ANY]),
        await call(f.smartLaw, "assignRole", [await service.getAddress(), SERVICE, CIVIL_ACT]),
      ]);
      return service;
    }

    it("lets a service contract holding a granted role write, naming the law", async function () {
      const service = await serviceWithRole();
      const pinned = await f.smartLaw.serviceRole(await service.getAddress(), SERVICE);
      expect(pinned.lawId).to.equal(CIVIL_ACT);
      await expect(service.enroll(DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)))
        .to.emit(f.identityRegistry, "IdentityEnrolled")
        .withArgs(
          FIRST_NEW_IDENTITY,
          PERSON,
          DONGCHENG,
          ethers.isHexString,
          ethers.isAddress,
          CIVIL_ACT,
          await service.getAddress(),
        );
    });

    it("emits RoleAssigned with the pinned code hash", async function () {
      const service = await deployService();
      const codeHash = ethers.keccak256(await ethers.provider.getCode(await service.getAddress()));
      await expect(byLaw(CIVIL_ACT, "assignRole", [await service.getAddress(), SERVICE, CIVIL_ACT]))
        .to.emit(f.smartLaw, "RoleAssigned")
        .withArgs(await service.getAddress(), SERVICE, CIVIL_ACT, codeHash);
    });

    it("refuses a service contract whose code differs from the pinned one", async function () {
      const service = await serviceWithRole();
      const address = await service.getAddress();
      const pinned = ethers.keccak256(await ethers.provider.getCode(address));
      // the same behaviour compiled differently: another code hash at the same address
      const altered = (await ethers.provider.getCode(address)) + "00";
      await setCode(address, altered);
      await expect(service.enroll(DONGCHENG, attributes(), freshKey()))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawCodeHashMismatch")
        .withArgs(address, pinned, ethers.keccak256(altered));
    });

    it("refuses the service once its law is repealed", async function () {
      const service = await serviceWithRole();
      await byLaw(CIVIL_ACT, "repeal", [CIVIL_ACT]);
      await expect(service.enroll(DONGCHENG, attributes(), freshKey())).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
    });

    it("refuses a zero role, an account without code and a proxy", async function () {
      const service = await deployService();
      const proxy = await (await ethers.getContractFactory("DelegatingMock")).deploy(await service.getAddress());
      await expectLawCallError(
        byLaw(CIVIL_ACT, "assignRole", [await service.getAddress(), ethers.ZeroHash, CIVIL_ACT]),
        "SmartLawInvalidId",
        ["role"],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "assignRole", [f.signers.outsider.address, SERVICE, CIVIL_ACT]),
        "SmartLawCodeNotPinnable",
        [f.signers.outsider.address],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "assignRole", [await proxy.getAddress(), SERVICE, CIVIL_ACT]),
        "SmartLawCodeNotPinnable",
        [await proxy.getAddress()],
      );
      await expectLawCallError(
        byLaw(CIVIL_ACT, "assignRole", [await service.getAddress(), SERVICE, NEW_LAW]),
        "SmartLawLawNotInForce",
        [NEW_LAW],
      );
    });
  });

  it("names the genesis officials' ids as the tests expect", async function () {
    expect(await f.identityRegistry.identityOf(f.signers.registrar.address)).to.equal(GENESIS.registrar);
  });
});
