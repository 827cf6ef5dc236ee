/**
 * Powers over powers: the power to appoint and dismiss is granted per role; nobody appoints, dismisses or extends
 * himself; service roles are never held by persons, and the reverse; appointments lapse with their department and
 * with the law they were made under.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { citizenFixture, type CitizenFixture } from "../helpers/fixtures";
import {
  DONGCHENG,
  FIRST_NEW_APPOINTMENT,
  GENESIS,
  GENESIS_APPOINTMENTS,
  PERSON,
  STATUS,
  attributes,
  freshKey,
  time,
  enrollableKey,
} from "../helpers/identity";
import {
  CIVIL_ACT,
  PERSONNEL_OFFICER,
  REGISTRAR,
  SCOPE_JURISDICTION,
  call,
  enact,
  lawId,
  legislatureSigner,
  roleId,
} from "../helpers/law";

const YEAR = 365n * 86_400n;
const REASON = "reason";

describe("Powers over powers", function () {
  let f: CitizenFixture;
  let now: bigint;

  beforeEach(async function () {
    f = await citizenFixture();
    now = BigInt(await time.latest());
  });

  const asDirector = () => f.identityRegistry.connect(f.signers.director);
  const appointSelector = () => f.identityRegistry.interface.getFunction("appoint").selector;
  const dismissSelector = () => f.identityRegistry.interface.getFunction("dismiss").selector;

  describe("a personnel officer appointing himself to a role his grant does not name", function () {
    for (const role of [
      "JUDGE",
      "FINANCE_OFFICER",
      "TREASURY",
      "SERVICE_DESK",
      "PERSONNEL_OFFICER",
      "CENTRAL_BANKER",
    ]) {
      it(`is refused for ${role} with SmartLawUnauthorized`, async function () {
        await expect(asDirector().appoint(GENESIS.director, roleId(role), GENESIS.ministry, DONGCHENG, now, now + YEAR))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
          .withArgs(f.signers.director.address, await f.identityRegistry.getAddress(), appointSelector());
      });
    }

    it("is refused for another person as JUDGE too: only the Legislature appoints judges", async function () {
      await expect(asDirector().appoint(f.citizenId, roleId("JUDGE"), GENESIS.court, DONGCHENG, now, now + YEAR))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.director.address, await f.identityRegistry.getAddress(), appointSelector());
    });
  });

  describe("appointing within the grant", function () {
    it("lets the personnel officer appoint a REGISTRAR within his jurisdiction, under the granting law", async function () {
      await expect(asDirector().appoint(f.citizenId, REGISTRAR, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR))
        .to.emit(f.identityRegistry, "OfficialAppointed")
        .withArgs(
          FIRST_NEW_APPOINTMENT,
          f.citizenId,
          REGISTRAR,
          GENESIS.dongchengOffice,
          DONGCHENG,
          now,
          now + YEAR,
          CIVIL_ACT,
          f.signers.director.address,
        );
      expect(await f.identityRegistry.isAppointedRole(REGISTRAR)).to.equal(true);
    });

    it("refuses the personnel officer appointing himself to a role he may give: IdentityRegistrySelfAppointment", async function () {
      await expect(asDirector().appoint(GENESIS.director, REGISTRAR, GENESIS.ministry, DONGCHENG, now, now + YEAR))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistrySelfAppointment")
        .withArgs(GENESIS.director);
    });

    it("refuses a grant to appoint one role from being used for another", async function () {
      await expect(
        asDirector().appoint(f.citizenId, roleId("CLERK"), GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.director.address, await f.identityRegistry.getAddress(), appointSelector());
    });
  });

  describe("dismissing", function () {
    it("refuses the personnel officer dismissing himself, even under a grant on his own role", async function () {
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "grantOn", [
          CIVIL_ACT,
          PERSONNEL_OFFICER,
          await f.identityRegistry.getAddress(),
          dismissSelector(),
          PERSONNEL_OFFICER,
          SCOPE_JURISDICTION,
        ]),
      ]);
      await expect(asDirector().dismiss(GENESIS_APPOINTMENTS.director, REASON))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistrySelfDismissal")
        .withArgs(GENESIS_APPOINTMENTS.director, GENESIS.director);
    });

    it("refuses dismissing a judge, whom the Legislature alone appoints and dismisses", async function () {
      await expect(asDirector().dismiss(GENESIS_APPOINTMENTS.judge, REASON))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.director.address, await f.identityRegistry.getAddress(), dismissSelector());
    });

    it("lets the personnel officer dismiss a registrar", async function () {
      await expect(asDirector().dismiss(GENESIS_APPOINTMENTS.registrar, REASON))
        .to.emit(f.identityRegistry, "OfficialDismissed")
        .withArgs(
          GENESIS_APPOINTMENTS.registrar,
          GENESIS.registrar,
          ethers.id(REASON),
          REASON,
          CIVIL_ACT,
          f.signers.director.address,
        );
    });
  });

  describe("service roles and persons' roles", function () {
    it("refuses even the Legislature appointing a person to a role assigned to service contracts", async function () {
      const legislature = await legislatureSigner(f);
      const SERVICE_DESK = roleId("SERVICE_DESK");
      expect(await f.smartLaw.isServiceRole(SERVICE_DESK)).to.equal(true);
      await expect(
        f.identityRegistry
          .connect(legislature)
          .appoint(f.citizenId, SERVICE_DESK, GENESIS.ministry, DONGCHENG, now, now + YEAR),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryServiceRole")
        .withArgs(SERVICE_DESK);
    });

    it("refuses assigning to a service contract a role that persons were appointed to", async function () {
      const service = await (await ethers.getContractFactory("ServiceCallerMock")).deploy(f.identityRegistry);
      const legislature = await legislatureSigner(f);
      await expect(f.smartLaw.connect(legislature).assignRole(await service.getAddress(), REGISTRAR, CIVIL_ACT))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawRoleHeldByPersons")
        .withArgs(REGISTRAR);
      const NEW_SERVICE = roleId("NEW_SERVICE");
      await expect(
        f.smartLaw.connect(legislature).assignRole(await service.getAddress(), NEW_SERVICE, CIVIL_ACT),
      ).to.emit(f.smartLaw, "RoleAssigned");
      expect(await f.smartLaw.isServiceRole(NEW_SERVICE)).to.equal(true);
    });
  });

  describe("when the official's department is no longer active", function () {
    const enrol = async () =>
      f.identityRegistry
        .connect(f.signers.registrar)
        .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry));

    it("refuses the official's writes once the department is dissolved, and while it is suspended", async function () {
      const legislature = await legislatureSigner(f);
      await expect(enrol()).not.to.be.reverted;
      await f.identityRegistry.connect(legislature).setStatus(GENESIS.dongchengOffice, STATUS.Suspended, REASON);
      await expect(enrol())
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.registrar.address,
          await f.identityRegistry.getAddress(),
          f.identityRegistry.interface.getFunction("enroll").selector,
        );
      expect(await f.identityRegistry.standing(f.signers.registrar.address, REGISTRAR, DONGCHENG)).to.deep.equal([
        GENESIS.registrar,
        false,
        false,
      ]);
      await f.identityRegistry.connect(legislature).setStatus(GENESIS.dongchengOffice, STATUS.Active, REASON);
      await expect(enrol()).not.to.be.reverted;
      await f.identityRegistry.connect(legislature).setStatus(GENESIS.dongchengOffice, STATUS.Dissolved, REASON);
      await expect(enrol()).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
    });
  });

  describe("when the law the appointment was made under is repealed", function () {
    it("lapses the appointment, while the law granting the role's powers stays in force", async function () {
      const PERSONNEL_ACT = lawId("PERSONNEL_ACT");
      const CLERK = roleId("CLERK");
      const registry = await f.identityRegistry.getAddress();
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      // a new law gives personnel officers the power to appoint clerks; the civil act grants clerks enrolment
      await enact(f, f.legislators, PERSONNEL_ACT, [
        await call(f.smartLaw, "grantOn", [PERSONNEL_ACT, PERSONNEL_OFFICER, registry, appointSelector(), CLERK, 1]),
      ]);
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "grant", [CIVIL_ACT, CLERK, registry, enroll, 1]),
      ]);
      await expect(asDirector().appoint(f.citizenId, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR))
        .to.emit(f.identityRegistry, "OfficialAppointed")
        .withArgs(
          FIRST_NEW_APPOINTMENT,
          f.citizenId,
          CLERK,
          GENESIS.dongchengOffice,
          DONGCHENG,
          now,
          now + YEAR,
          PERSONNEL_ACT,
          f.signers.director.address,
        );
      const clerk = f.identityRegistry.connect(f.signers.citizen1);
      await expect(clerk.enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry))).not.to.be
        .reverted;
      expect((await f.identityRegistry.officialStanding(f.signers.citizen1.address, CLERK, DONGCHENG))[3]).to.equal(
        (await f.smartLaw.law(PERSONNEL_ACT)).number,
      );

      const number = (await f.smartLaw.law(PERSONNEL_ACT)).number;
      expect(await f.smartLaw.isLawNumberInForce(number)).to.equal(true);
      await enact(f, f.legislators, PERSONNEL_ACT, [await call(f.smartLaw, "repeal", [PERSONNEL_ACT])]);
      expect(await f.smartLaw.isLawNumberInForce(number)).to.equal(false);
      await expect(clerk.enroll(PERSON, DONGCHENG, attributes(), freshKey()))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.citizen1.address, registry, enroll);
      expect(await f.identityRegistry.standing(f.signers.citizen1.address, CLERK, DONGCHENG)).to.deep.equal([
        f.citizenId,
        false,
        false,
      ]);
      // the registrar, appointed under the civil act, still acts
      const key = await enrollableKey(f.identityRegistry);
      await expect(f.identityRegistry.connect(f.signers.registrar).enroll(PERSON, DONGCHENG, attributes(), key)).not.to
        .be.reverted;
    });

    it("lapses an appointment made under a law numbered past the first 96 once that law is repealed", async function () {
      // enact empty laws until the next law's number lies past the repeals SmartLaw keeps in one word
      const count = Number((await f.smartLaw.law(lawId("DATA_PROTECTION_ACT"))).number); // the last genesis law
      for (let i = count; i < 97; ++i) await enact(f, f.legislators, lawId(`LAW_${i}`), []);
      const LATE_ACT = lawId("LATE_ACT");
      const CLERK = roleId("CLERK");
      const registry = await f.identityRegistry.getAddress();
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      await enact(f, f.legislators, LATE_ACT, [
        await call(f.smartLaw, "grantOn", [LATE_ACT, PERSONNEL_OFFICER, registry, appointSelector(), CLERK, 1]),
      ]);
      const number = (await f.smartLaw.law(LATE_ACT)).number;
      expect(number).to.equal(98n);
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "grant", [CIVIL_ACT, CLERK, registry, enroll, 1]),
      ]);
      await asDirector().appoint(f.citizenId, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR);
      const clerk = f.identityRegistry.connect(f.signers.citizen1);
      await expect(clerk.enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry))).not.to.be
        .reverted;
      await enact(f, f.legislators, LATE_ACT, [await call(f.smartLaw, "repeal", [LATE_ACT])]);
      expect(await f.smartLaw.isLawNumberInForce(number)).to.equal(false);
      await expect(clerk.enroll(PERSON, DONGCHENG, attributes(), freshKey()))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.citizen1.address, registry, enroll);
    });
  });
});
