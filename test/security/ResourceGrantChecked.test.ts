/**
 * A grant either does what it says or is refused when enacted: SmartLaw accepts a grant on one resource (grantOn)
 * only for a function whose contract says it asks SmartLaw with a resource (isResourceChecked); a grant on one
 * resource of any other function would be enacted and grant nothing.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, FIRST_NEW_IDENTITY, PERSON, attributes, enrollableKey, freshKey } from "../helpers/identity";
import { CIVIL_ACT, SCOPE_ANY, call, enact, legislatureSigner, roleId } from "../helpers/law";
import { BIRTH } from "../helpers/registry";
import type { BaseContract } from "ethers";

const OFFICER = roleId("CIVIL_AFFAIRS_OFFICER");

describe("Resource grants checked", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  const selectorOf = (contract: BaseContract, fn: string) => contract.interface.getFunction(fn)!.selector;
  const grantOn = async (target: string, selector: string, resource: string) =>
    call(f.smartLaw, "grantOn", [CIVIL_ACT, OFFICER, target, selector, resource, SCOPE_ANY]);
  const refusedAsLaw = async (target: string, selector: string, resource: string) =>
    expect(enact(f, f.legislators, CIVIL_ACT, [await grantOn(target, selector, resource)]))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(
        0,
        await f.smartLaw.getAddress(),
        f.smartLaw.interface.encodeErrorResult("SmartLawResourceNotChecked", [target, selector]),
      );

  it("refuses grantOn(IdentityRegistry.enroll, PERSONS) with SmartLawResourceNotChecked", async function () {
    const registry = await f.identityRegistry.getAddress();
    const enroll = selectorOf(f.identityRegistry, "enroll");
    await refusedAsLaw(registry, enroll, ethers.id("PERSONS"));
    expect(await f.smartLaw.grantsOn(registry, enroll, ethers.id("PERSONS"))).to.deep.equal([]);
    // the grant that does what it says, on the whole function, is enacted and takes effect
    await enact(f, f.legislators, CIVIL_ACT, [
      await call(f.smartLaw, "grant", [CIVIL_ACT, OFFICER, registry, enroll, SCOPE_ANY]),
    ]);
    await expect(
      f.identityRegistry
        .connect(f.signers.officer)
        .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)),
    )
      .to.emit(f.identityRegistry, "IdentityEnrolled")
      .withArgs(
        FIRST_NEW_IDENTITY,
        PERSON,
        DONGCHENG,
        ethers.isHexString,
        ethers.isAddress,
        CIVIL_ACT,
        f.signers.officer.address,
      );
  });

  it("refuses a resource grant on functions that read none: the token, a record by signature, an account with no code", async function () {
    const legislature = f.smartLaw.connect(await legislatureSigner(f));
    const cases: [string, string][] = [
      [await f.fiatToken.getAddress(), selectorOf(f.fiatToken, "freeze")],
      [await f.civilRegistry.getAddress(), selectorOf(f.civilRegistry, "recordBySig")],
      [await f.civilRegistry.getAddress(), selectorOf(f.civilRegistry, "createRegister")],
      [await f.identityRegistry.getAddress(), selectorOf(f.identityRegistry, "addKey")],
      [await f.treasury.getAddress(), selectorOf(f.treasury, "claim")],
      [await f.serviceDesk.getAddress(), selectorOf(f.serviceDesk, "submit")],
      [freshKey(), selectorOf(f.identityRegistry, "setStatus")],
    ];
    for (const [target, selector] of cases) {
      await expect(legislature.grantOn(CIVIL_ACT, OFFICER, target, selector, BIRTH, SCOPE_ANY))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawResourceNotChecked")
        .withArgs(target, selector);
    }
  });

  it("accepts a resource grant on every function that asks with one, and lets it be revoked", async function () {
    const legislature = f.smartLaw.connect(await legislatureSigner(f));
    const resource = ethers.encodeBytes32String("NEW_RESOURCE");
    const cases: [BaseContract, string[]][] = [
      [f.identityRegistry, ["appoint", "dismiss", "setStatus"]],
      [f.civilRegistry, ["record", "recordFor", "amend", "revoke"]],
      [f.serviceDesk, ["decide"]],
      [f.treasury, ["payout"]],
    ];
    for (const [contract, fns] of cases) {
      const target = await contract.getAddress();
      for (const fn of fns) {
        const selector = selectorOf(contract, fn);
        await expect(legislature.grantOn(CIVIL_ACT, OFFICER, target, selector, resource, SCOPE_ANY))
          .to.emit(f.smartLaw, "Granted")
          .withArgs(CIVIL_ACT, OFFICER, target, selector, resource, SCOPE_ANY);
        await expect(legislature.revokeGrantOn(CIVIL_ACT, OFFICER, target, selector, resource))
          .to.emit(f.smartLaw, "GrantRevoked")
          .withArgs(CIVIL_ACT, OFFICER, target, selector, resource);
      }
    }
  });

  it("lets a resource grant be revoked without asking the target (a grant made before the target answered)", async function () {
    // the genesis grant of CivilRegistry.record on BIRTH to the hospital registrar is revoked as any other
    const registry = await f.civilRegistry.getAddress();
    const record = selectorOf(f.civilRegistry, "record");
    const role = roleId("HOSPITAL_REGISTRAR");
    const [grant] = await f.smartLaw.grantsOn(registry, record, BIRTH).then((g) => g.filter((x) => x.role === role));
    await expect(
      enact(f, f.legislators, grant.lawId, [
        await call(f.smartLaw, "revokeGrantOn", [grant.lawId, role, registry, record, BIRTH]),
      ]),
    ).to.emit(f.smartLaw, "GrantRevoked");
  });
});
