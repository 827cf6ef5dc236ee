import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import type { FunctionFragment, Signer } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import {
  COVERT_PERIOD,
  READ_PERSONAL_DATA,
  READ_RECORD,
  SUBJECT_ROLE,
  readName,
  readSelector,
} from "../../scripts/lib/common/reads";
import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, GENESIS, GENESIS_APPOINTMENTS, SHANGHAI, STATUS, consentToEnrol, time } from "../helpers/identity";
import {
  CIVIL_ACT,
  REGISTRAR,
  SCOPE_ANY,
  SCOPE_JURISDICTION,
  call,
  enact,
  lawId,
  legislatureSigner,
  roleId,
} from "../helpers/law";
import { BIRTH, DEATH, chainDate, deathData, enrollPerson } from "../helpers/registry";
import { textId } from "../../scripts/lib/common/ids";

const DATA_ACCESS_ACT = lawId("DATA_ACCESS_ACT");
const OTHER_ACT = lawId("OTHER_DATA_ACT");
const RESIDENCE = textId("RESIDENCE");
const HOSPITAL_REGISTRAR = roleId("HOSPITAL_REGISTRAR");
const CIVIL_AFFAIRS_OFFICER = roleId("CIVIL_AFFAIRS_OFFICER");
const SERVICE_DESK = roleId("SERVICE_DESK");
const NO_RESOURCE = ethers.ZeroHash;

interface ReadFixture extends SystemFixture {
  asLegislature: Signer;
  civil: string;
  identities: string;
  /** citizen1, a person in Dongcheng. */
  dongcheng: bigint;
  /** A person in Shanghai, no key here. */
  shanghai: bigint;
}

/**
 * The genesis system with DATA_ACCESS_ACT granting reads: the Dongcheng registrar reads births and residence in his
 * jurisdiction, the civil affairs officer (Beijing) every register anywhere, the hospital registrar personal data in
 * his jurisdiction, and every subject his own records and personal data.
 */
const readFixture = deployments.createFixture(async (hre): Promise<ReadFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const asLegislature = await legislatureSigner(f);
  const law = f.smartLaw.connect(asLegislature);
  const civil = await f.civilRegistry.getAddress();
  const identities = await f.identityRegistry.getAddress();
  await law.recordVersion(DATA_ACCESS_ACT, 1, ethers.id("text of DATA_ACCESS_ACT"));
  for (const register of [BIRTH, RESIDENCE])
    await law.grantOn(DATA_ACCESS_ACT, REGISTRAR, civil, READ_RECORD, register, SCOPE_JURISDICTION);
  await law.grant(DATA_ACCESS_ACT, CIVIL_AFFAIRS_OFFICER, civil, READ_RECORD, SCOPE_ANY);
  await law.grant(DATA_ACCESS_ACT, HOSPITAL_REGISTRAR, identities, READ_PERSONAL_DATA, SCOPE_JURISDICTION);
  await law.grant(DATA_ACCESS_ACT, SUBJECT_ROLE, civil, READ_RECORD, SCOPE_ANY);
  // the subject's grant is scoped Jurisdiction here to show that the scope does not apply to him
  await law.grant(DATA_ACCESS_ACT, SUBJECT_ROLE, identities, READ_PERSONAL_DATA, SCOPE_JURISDICTION);
  await consentToEnrol(f.identityRegistry, f.signers.citizen1);
  const dongcheng = await enrollPerson(f, DONGCHENG, f.signers.citizen1.address);
  const shanghai = await enrollPerson(f, SHANGHAI);
  return { ...f, asLegislature, civil, identities, dongcheng, shanghai };
});

describe("SmartLaw read grants", function () {
  let f: ReadFixture;

  beforeEach(async function () {
    f = await readFixture();
  });

  const readRecord = (key: HardhatEthersSigner | string, register: string, subject: bigint) =>
    f.smartLaw.authorizeRead(keyOf(key), f.civil, READ_RECORD, register, subject);
  const readPersonalData = (key: HardhatEthersSigner | string, subject: bigint) =>
    f.smartLaw.authorizeRead(keyOf(key), f.identities, READ_PERSONAL_DATA, NO_RESOURCE, subject);
  const keyOf = (key: HardhatEthersSigner | string) => (typeof key === "string" ? key : key.address);
  /** The answer of authorizeRead as plain values. */
  const authority = (lawId: string, role: string, reader: bigint, covertPeriod = 0n) => [
    lawId,
    role,
    reader,
    covertPeriod,
  ];
  const unauthorized = async (
    read: Promise<unknown>,
    key: HardhatEthersSigner | string,
    target: string,
    selector: string,
  ) =>
    expect(read)
      .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
      .withArgs(keyOf(key), target, selector);

  describe("a register's records", function () {
    describe("under a grant scoped Jurisdiction", function () {
      it("lets an official read a subject within his appointment's jurisdiction, naming the law, role and reader", async function () {
        expect(await readRecord(f.signers.registrar, BIRTH, f.dongcheng)).to.deep.equal(
          authority(DATA_ACCESS_ACT, REGISTRAR, GENESIS.registrar),
        );
        expect(await readRecord(f.signers.registrar, RESIDENCE, f.dongcheng)).to.deep.equal(
          authority(DATA_ACCESS_ACT, REGISTRAR, GENESIS.registrar),
        );
      });

      it("refuses a subject outside it, naming the key and the subject's jurisdiction", async function () {
        await expect(readRecord(f.signers.registrar, BIRTH, f.shanghai))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
          .withArgs(f.signers.registrar.address, SHANGHAI);
      });

      it("refuses a register the grant does not name", async function () {
        await unauthorized(
          readRecord(f.signers.registrar, DEATH, f.dongcheng),
          f.signers.registrar,
          f.civil,
          READ_RECORD,
        );
      });
    });

    describe("under a grant scoped Any on every register", function () {
      it("lets the official read any register of a subject anywhere", async function () {
        for (const register of [BIRTH, DEATH, RESIDENCE]) {
          expect(await readRecord(f.signers.officer, register, f.shanghai)).to.deep.equal(
            authority(DATA_ACCESS_ACT, CIVIL_AFFAIRS_OFFICER, GENESIS.officer),
          );
        }
      });

      it("is asked for without a register too (the grants on every register only)", async function () {
        expect(await readRecord(f.signers.officer, NO_RESOURCE, f.dongcheng)).to.deep.equal(
          authority(DATA_ACCESS_ACT, CIVIL_AFFAIRS_OFFICER, GENESIS.officer),
        );
        await unauthorized(
          readRecord(f.signers.registrar, NO_RESOURCE, f.dongcheng),
          f.signers.registrar,
          f.civil,
          READ_RECORD,
        );
      });
    });

    it("tries the register's grants before those on every register, first allowing grant first", async function () {
      const law = f.smartLaw.connect(f.asLegislature);
      await law.recordVersion(OTHER_ACT, 1, ethers.ZeroHash);
      await law.grant(OTHER_ACT, REGISTRAR, f.civil, READ_RECORD, SCOPE_JURISDICTION);
      expect((await readRecord(f.signers.registrar, BIRTH, f.dongcheng)).lawId).to.equal(DATA_ACCESS_ACT);
      expect((await readRecord(f.signers.registrar, DEATH, f.dongcheng)).lawId).to.equal(OTHER_ACT);
    });

    it("refuses a key with no granted role", async function () {
      await unauthorized(readRecord(f.signers.director, BIRTH, f.dongcheng), f.signers.director, f.civil, READ_RECORD);
      await unauthorized(readRecord(f.signers.outsider, BIRTH, f.dongcheng), f.signers.outsider, f.civil, READ_RECORD);
    });
  });

  describe("identities' personal data", function () {
    it("lets the granted official read it within his jurisdiction and refuses it outside", async function () {
      expect(await readPersonalData(f.signers.hospitalRegistrar, f.dongcheng)).to.deep.equal(
        authority(DATA_ACCESS_ACT, HOSPITAL_REGISTRAR, GENESIS.hospitalRegistrar),
      );
      await expect(readPersonalData(f.signers.hospitalRegistrar, f.shanghai))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.hospitalRegistrar.address, SHANGHAI);
    });

    it("is a grant of its own: a grant on records does not read personal data, nor the reverse", async function () {
      await unauthorized(
        readPersonalData(f.signers.officer, f.dongcheng),
        f.signers.officer,
        f.identities,
        READ_PERSONAL_DATA,
      );
      await unauthorized(
        readRecord(f.signers.hospitalRegistrar, BIRTH, f.dongcheng),
        f.signers.hospitalRegistrar,
        f.civil,
        READ_RECORD,
      );
    });
  });

  describe("the subject himself (SUBJECT)", function () {
    it("reads his own records and personal data, whatever the grant's scope", async function () {
      expect(await readRecord(f.signers.citizen1, BIRTH, f.dongcheng)).to.deep.equal(
        authority(DATA_ACCESS_ACT, SUBJECT_ROLE, f.dongcheng),
      );
      expect(await readPersonalData(f.signers.citizen1, f.dongcheng)).to.deep.equal(
        authority(DATA_ACCESS_ACT, SUBJECT_ROLE, f.dongcheng),
      );
    });

    it("does not read another's", async function () {
      await unauthorized(readRecord(f.signers.citizen1, BIRTH, f.shanghai), f.signers.citizen1, f.civil, READ_RECORD);
      await unauthorized(
        readPersonalData(f.signers.citizen1, f.shanghai),
        f.signers.citizen1,
        f.identities,
        READ_PERSONAL_DATA,
      );
    });

    it("reads nothing once his identity is inactive or his key revoked", async function () {
      await f.identityRegistry.connect(f.signers.registrar).setStatus(f.dongcheng, STATUS.Suspended, "inquiry");
      await unauthorized(readRecord(f.signers.citizen1, BIRTH, f.dongcheng), f.signers.citizen1, f.civil, READ_RECORD);
      await f.identityRegistry.connect(f.signers.registrar).setStatus(f.dongcheng, STATUS.Active, "cleared");
      expect((await readRecord(f.signers.citizen1, BIRTH, f.dongcheng)).reader).to.equal(f.dongcheng);
      await f.identityRegistry.connect(f.signers.registrar).revokeKey(f.signers.citizen1.address);
      await unauthorized(readRecord(f.signers.citizen1, BIRTH, f.dongcheng), f.signers.citizen1, f.civil, READ_RECORD);
    });

    it("is a reserved role: appoint and assignRole refuse it, and isServiceRole says so", async function () {
      expect(await f.smartLaw.isServiceRole(SUBJECT_ROLE)).to.equal(true);
      const now = BigInt(await time.latest());
      await expect(
        f.identityRegistry
          .connect(f.asLegislature)
          .appoint(f.dongcheng, SUBJECT_ROLE, GENESIS.dongchengOffice, DONGCHENG, now, now + 86_400n),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryServiceRole")
        .withArgs(SUBJECT_ROLE);
      await expect(
        f.smartLaw.connect(f.asLegislature).assignRole(await f.serviceDesk.getAddress(), SUBJECT_ROLE, DATA_ACCESS_ACT),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawReservedRole")
        .withArgs(SUBJECT_ROLE);
    });
  });

  describe("when the grant or the official lapses", function () {
    it("refuses every read granted by a repealed law", async function () {
      await f.smartLaw.connect(f.asLegislature).repeal(DATA_ACCESS_ACT);
      await unauthorized(
        readRecord(f.signers.registrar, BIRTH, f.dongcheng),
        f.signers.registrar,
        f.civil,
        READ_RECORD,
      );
      await unauthorized(readRecord(f.signers.citizen1, BIRTH, f.dongcheng), f.signers.citizen1, f.civil, READ_RECORD);
      // a lapsed grant held outside the jurisdiction is no reason either: the refusal is not "outside"
      await unauthorized(readRecord(f.signers.registrar, BIRTH, f.shanghai), f.signers.registrar, f.civil, READ_RECORD);
    });

    it("refuses a dismissed official", async function () {
      await f.identityRegistry.connect(f.signers.director).dismiss(GENESIS_APPOINTMENTS.registrar, "misconduct");
      await unauthorized(
        readRecord(f.signers.registrar, BIRTH, f.dongcheng),
        f.signers.registrar,
        f.civil,
        READ_RECORD,
      );
    });

    it("refuses an official whose term has ended", async function () {
      const { until } = await f.identityRegistry.appointment(GENESIS_APPOINTMENTS.registrar);
      await time.increaseTo(until);
      await unauthorized(
        readRecord(f.signers.registrar, BIRTH, f.dongcheng),
        f.signers.registrar,
        f.civil,
        READ_RECORD,
      );
    });

    it("refuses an official of a department that is no longer active", async function () {
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.identityRegistry, "setStatus", [GENESIS.dongchengOffice, STATUS.Suspended, "inquiry"]),
      ]);
      await unauthorized(
        readRecord(f.signers.registrar, BIRTH, f.dongcheng),
        f.signers.registrar,
        f.civil,
        READ_RECORD,
      );
    });

    it("refuses an official's revoked key, and reads with his new one as the same official", async function () {
      const { registrar, citizen3: newKey } = f.signers;
      await f.identityRegistry.connect(newKey).consentToIdentity(GENESIS.registrar);
      await f.identityRegistry.connect(registrar).addKey(GENESIS.registrar, newKey.address);
      await f.identityRegistry.connect(newKey).revokeKey(registrar.address);
      await unauthorized(readRecord(registrar, BIRTH, f.dongcheng), registrar, f.civil, READ_RECORD);
      expect(await readRecord(newKey, BIRTH, f.dongcheng)).to.deep.equal(
        authority(DATA_ACCESS_ACT, REGISTRAR, GENESIS.registrar),
      );
    });
  });

  describe("covert reads", function () {
    it("carry the granting law's COVERT_PERIOD, 0 when it sets none, and a period past 2^64 s as that bound", async function () {
      const ninetyDays = 90n * 86_400n;
      expect((await readRecord(f.signers.registrar, BIRTH, f.dongcheng)).covertPeriod).to.equal(0n);
      const law = f.smartLaw.connect(f.asLegislature);
      await law.setParam(DATA_ACCESS_ACT, COVERT_PERIOD, ninetyDays);
      expect(await readRecord(f.signers.registrar, BIRTH, f.dongcheng)).to.deep.equal(
        authority(DATA_ACCESS_ACT, REGISTRAR, GENESIS.registrar, ninetyDays),
      );
      await law.setParam(DATA_ACCESS_ACT, COVERT_PERIOD, 2n ** 64n);
      expect((await readRecord(f.signers.registrar, BIRTH, f.dongcheng)).covertPeriod).to.equal(2n ** 64n - 1n);
    });
  });

  describe("who is not a reader", function () {
    it("refuses the Legislature and a service contract holding a granted role: neither signs a read request", async function () {
      const serviceDesk = await f.serviceDesk.getAddress();
      await f.smartLaw.connect(f.asLegislature).grant(DATA_ACCESS_ACT, SERVICE_DESK, f.civil, READ_RECORD, SCOPE_ANY);
      await unauthorized(readRecord(serviceDesk, BIRTH, f.dongcheng), serviceDesk, f.civil, READ_RECORD);
      const legislature = await f.legislature.getAddress();
      await unauthorized(readRecord(legislature, BIRTH, f.dongcheng), legislature, f.civil, READ_RECORD);
    });
  });

  describe("what authorizeRead refuses to answer", function () {
    it("a selector that is not a read's", async function () {
      const record = f.civilRegistry.interface.getFunction("record").selector;
      await expect(f.smartLaw.authorizeRead(f.signers.registrar.address, f.civil, record, BIRTH, f.dongcheng))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawNotAReadSelector")
        .withArgs(record);
    });

    it("a subject that no identity is", async function () {
      const unknown = (await f.identityRegistry.identityCount()) + 1n;
      await expect(readRecord(f.signers.registrar, BIRTH, unknown))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnknownSubject")
        .withArgs(unknown);
    });
  });

  describe("the pseudo-selectors unlock no write", function () {
    it("are no function of any deployed contract", async function () {
      for (const [name, deployment] of Object.entries(await deployments.all())) {
        const selectors = new ethers.Interface(deployment.abi).fragments
          .filter((fragment) => fragment.type === "function")
          .map((fragment) => (fragment as FunctionFragment).selector);
        expect(selectors, name).not.to.include.members([READ_RECORD, READ_PERSONAL_DATA]);
      }
    });

    it("are refused by the contracts as calls", async function () {
      for (const [to, selector] of [
        [f.civil, READ_RECORD],
        [f.identities, READ_PERSONAL_DATA],
      ]) {
        const data = ethers.concat([selector, ethers.AbiCoder.defaultAbiCoder().encode(["uint256"], [f.dongcheng])]);
        await expect(f.signers.officer.sendTransaction({ to, data })).to.be.reverted;
      }
    });

    it("lets a read grant on every register allow no write of any register", async function () {
      const { officer } = f.signers;
      expect((await readRecord(officer, DEATH, f.dongcheng)).lawId).to.equal(DATA_ACCESS_ACT);
      await expect(f.civilRegistry.connect(officer).record(DEATH, f.dongcheng, deathData(await chainDate())))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(officer.address, f.civil, f.civilRegistry.interface.getFunction("record").selector);
    });

    it("take a register as resource on the CivilRegistry only: personal data has none", async function () {
      expect(await f.civilRegistry.isResourceChecked(READ_RECORD)).to.equal(true);
      expect(await f.civilRegistry.isResourceChecked(READ_PERSONAL_DATA)).to.equal(false);
      expect(await f.identityRegistry.isResourceChecked(READ_PERSONAL_DATA)).to.equal(false);
      await expect(
        f.smartLaw
          .connect(f.asLegislature)
          .grantOn(DATA_ACCESS_ACT, REGISTRAR, f.identities, READ_PERSONAL_DATA, BIRTH, SCOPE_ANY),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawResourceNotChecked")
        .withArgs(f.identities, READ_PERSONAL_DATA);
    });

    it("are the ones the law files name", function () {
      expect(READ_RECORD).to.equal(ethers.id("readRecord(bytes32,uint256)").slice(0, 10));
      expect(READ_PERSONAL_DATA).to.equal(ethers.id("readPersonalData(uint256)").slice(0, 10));
      expect(readSelector("CivilRegistry", "readRecord")).to.equal(READ_RECORD);
      expect(readSelector("IdentityRegistry", "readPersonalData")).to.equal(READ_PERSONAL_DATA);
      expect(readSelector("IdentityRegistry", "readRecord")).to.equal(undefined);
      expect(readSelector("CivilRegistry", "toString")).to.equal(undefined);
      expect(readName("CivilRegistry", READ_RECORD)).to.equal("readRecord");
      expect(readName("CivilRegistry", READ_PERSONAL_DATA)).to.equal(undefined);
    });
  });

  describe("authorizeAt", function () {
    /** authorize asked by the target itself, as a gated contract asks. */
    const asTarget = (target: string, caller: string, selector: string, resource: string, jurisdiction: string) =>
      f.smartLaw.connect(ethers.provider).authorizeOn(caller, selector, resource, jurisdiction, { from: target });

    it("answers for a target as the target's own check does", async function () {
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      const record = f.civilRegistry.interface.getFunction("record").selector;
      const { registrar } = f.signers;
      for (const [target, selector, resource] of [
        [f.identities, enroll, NO_RESOURCE],
        [f.civil, record, BIRTH],
      ]) {
        const [expected] = await asTarget(target, registrar.address, selector, resource, DONGCHENG);
        expect(await f.smartLaw.authorizeAt(target, registrar.address, selector, resource, DONGCHENG)).to.equal(
          expected,
        );
        expect(expected).not.to.equal(ethers.ZeroHash);
      }
    });

    it("names the law of a grant on the whole function, asked with a resource", async function () {
      const law = f.smartLaw.connect(f.asLegislature);
      const amend = f.civilRegistry.interface.getFunction("amend").selector;
      await law.grant(DATA_ACCESS_ACT, CIVIL_AFFAIRS_OFFICER, f.civil, amend, SCOPE_ANY);
      expect(await f.smartLaw.authorizeAt(f.civil, f.signers.officer.address, amend, DEATH, SHANGHAI)).to.equal(
        DATA_ACCESS_ACT,
      );
    });

    it("refuses as the target's own check does, naming the target", async function () {
      const record = f.civilRegistry.interface.getFunction("record").selector;
      const { registrar, citizen1 } = f.signers;
      await expect(f.smartLaw.authorizeAt(f.civil, registrar.address, record, BIRTH, SHANGHAI))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(registrar.address, SHANGHAI);
      await expect(asTarget(f.civil, registrar.address, record, BIRTH, SHANGHAI))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(registrar.address, SHANGHAI);
      await expect(f.smartLaw.authorizeAt(f.civil, citizen1.address, record, NO_RESOURCE, DONGCHENG))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(citizen1.address, f.civil, record);
    });

    it("answers the Legislature with the law it is enacting: none outside an enactment", async function () {
      const enroll = f.identityRegistry.interface.getFunction("enroll").selector;
      const legislature = await f.legislature.getAddress();
      expect(await f.smartLaw.authorizeAt(f.identities, legislature, enroll, NO_RESOURCE, DONGCHENG)).to.equal(
        ethers.ZeroHash,
      );
    });
  });
});
