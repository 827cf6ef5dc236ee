import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { jurisdictionCode } from "../../scripts/lib/common/ids";
import { shouldBehaveLikeLawGated, type GatedWrite } from "../helpers/behaviours";
import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import {
  BEIJING,
  CN,
  DONGCHENG,
  FIRST_NEW_APPOINTMENT,
  FIRST_NEW_IDENTITY,
  GENESIS,
  GENESIS_APPOINTMENTS,
  HUANGPU,
  KIND,
  ORGANISATION,
  PERSON,
  SHANGHAI,
  STATUS,
  XICHENG,
  attributes,
  consentedKey,
  freshKey,
  signKeyConsent,
  time,
  consentToEnrol,
  enrollableKey,
} from "../helpers/identity";
import { CIVIL_ACT, PERSONNEL_OFFICER, REGISTRAR, call, enact, roleId } from "../helpers/law";

/** A role the personnel officer may give and take (the genesis law names it among his appointing powers). */
const CLERK = roleId("MARKET_REGULATOR");
/** The id of the identity a test enrols after the fixture's two. */
const NEXT_ID = FIRST_NEW_IDENTITY + 2n;
const YEAR = 365n * 86_400n;

interface RegistryFixture extends SystemFixture {
  /** citizen1, a person in Dongcheng enrolled by the Dongcheng registrar. */
  citizenId: bigint;
  /** citizen2, a person in Dongcheng, appointed CLERK of the Dongcheng office for a year. */
  clerkId: bigint;
  clerkAppointmentId: bigint;
}

const registryFixture = deployments.createFixture(async (hre): Promise<RegistryFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const { registrar, director, citizen1, citizen2 } = f.signers;
  await consentToEnrol(f.identityRegistry, citizen1, citizen2);
  await f.identityRegistry.connect(registrar).enroll(PERSON, DONGCHENG, attributes(), citizen1.address);
  await f.identityRegistry.connect(registrar).enroll(PERSON, DONGCHENG, attributes(), citizen2.address);
  const now = BigInt(await time.latest());
  await f.identityRegistry
    .connect(director)
    .appoint(FIRST_NEW_IDENTITY + 1n, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR);
  return {
    ...f,
    citizenId: FIRST_NEW_IDENTITY,
    clerkId: FIRST_NEW_IDENTITY + 1n,
    clerkAppointmentId: FIRST_NEW_APPOINTMENT,
  };
});

describe("IdentityRegistry", function () {
  let f: RegistryFixture;

  beforeEach(async function () {
    f = await registryFixture();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);

  /** The law-gated behaviour of an IdentityRegistry function granted by the Civil Administration Act. */
  const gatedByCivilAct = (
    fn: string,
    role: string,
    official: keyof RegistryFixture["signers"],
    send: GatedWrite<RegistryFixture>["send"],
    resource?: string,
  ) =>
    shouldBehaveLikeLawGated(
      fn,
      () => f,
      () => ({
        target: f.identityRegistry,
        law: CIVIL_ACT,
        role,
        resource,
        official: (x) => x.signers[official],
        send,
      }),
    );

  describe("enroll", function () {
    it("enrols a person in the registrar's jurisdiction, naming the authorising law", async function () {
      const key = await enrollableKey(f.identityRegistry);
      const hash = attributes();
      await expect(asRegistrar().enroll(PERSON, DONGCHENG, hash, key))
        .to.emit(f.identityRegistry, "IdentityEnrolled")
        .withArgs(NEXT_ID, KIND.Person, DONGCHENG, hash, key, CIVIL_ACT, f.signers.registrar.address);
      expect(await f.identityRegistry.identityOf(key)).to.equal(NEXT_ID);
      const identity = await f.identityRegistry.identity(NEXT_ID);
      expect([identity.kind, identity.status, identity.jurisdiction, identity.attributesHash]).to.deep.equal([
        BigInt(KIND.Person),
        BigInt(STATUS.Active),
        DONGCHENG,
        hash,
      ]);
      expect(identity.enrolledAt).to.equal(BigInt(await time.latest()));
      expect(await f.identityRegistry.isActive(NEXT_ID)).to.equal(true);
      expect(await f.identityRegistry.identityCount()).to.equal(NEXT_ID);
    });

    it("enrols an organisation", async function () {
      await expect(asRegistrar().enroll(ORGANISATION, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry)))
        .to.emit(f.identityRegistry, "IdentityEnrolled")
        .withArgs(
          NEXT_ID,
          KIND.Organisation,
          DONGCHENG,
          ethers.isHexString,
          ethers.isAddress,
          CIVIL_ACT,
          f.signers.registrar.address,
        );
    });

    it("lets a registrar act anywhere in the subtree of its jurisdiction", async function () {
      await expect(
        f.identityRegistry
          .connect(f.signers.registrar2)
          .enroll(PERSON, HUANGPU, attributes(), await enrollableKey(f.identityRegistry)),
      ).to.emit(f.identityRegistry, "IdentityEnrolled");
    });

    for (const [label, code] of [
      ["in another district", XICHENG],
      ["in the parent jurisdiction", BEIJING],
      ["in another province", SHANGHAI],
    ] as const) {
      it(`refuses a registrar ${label} with SmartLawOutsideJurisdiction`, async function () {
        await expect(asRegistrar().enroll(PERSON, code, attributes(), freshKey()))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
          .withArgs(f.signers.registrar.address, code);
      });
    }

    it("refuses an unknown jurisdiction", async function () {
      const code = jurisdictionCode("XX");
      await expect(asRegistrar().enroll(PERSON, code, attributes(), freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownJurisdiction")
        .withArgs(code);
    });

    it("refuses a kind other than person or organisation", async function () {
      await expect(asRegistrar().enroll(3, DONGCHENG, attributes(), freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidKind")
        .withArgs(3);
    });

    it("refuses an empty attributes hash and a zero key", async function () {
      await expect(asRegistrar().enroll(PERSON, DONGCHENG, ethers.ZeroHash, freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryZeroValue")
        .withArgs("attributesHash");
      await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), ethers.ZeroAddress))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryZeroValue")
        .withArgs("key");
    });

    it("refuses a key that belongs to an identity, even once revoked", async function () {
      const { citizen1 } = f.signers;
      await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), citizen1.address))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyInUse")
        .withArgs(citizen1.address, f.citizenId);
      await asRegistrar().revokeKey(citizen1.address);
      await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), citizen1.address))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyInUse")
        .withArgs(citizen1.address, f.citizenId);
    });

    describe("officials who may not act", function () {
      const enrolAs = async (signer: HardhatEthersSigner) =>
        f.identityRegistry
          .connect(signer)
          .enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry));
      const refused = async (signer: HardhatEthersSigner) =>
        expect(enrolAs(signer))
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
          .withArgs(
            signer.address,
            await f.identityRegistry.getAddress(),
            f.identityRegistry.interface.getFunction("enroll").selector,
          );

      it("refuses an official before the term starts", async function () {
        const now = BigInt(await time.latest());
        await f.identityRegistry
          .connect(f.signers.director)
          .appoint(f.citizenId, REGISTRAR, GENESIS.dongchengOffice, DONGCHENG, now + 1000n, now + YEAR);
        await refused(f.signers.citizen1);
        await time.increaseTo(now + 1000n);
        await expect(enrolAs(f.signers.citizen1)).to.emit(f.identityRegistry, "IdentityEnrolled");
      });

      it("refuses an official after the term ends", async function () {
        const { until } = await f.identityRegistry.appointment(GENESIS_APPOINTMENTS.registrar);
        const key = await enrollableKey(f.identityRegistry); // consented before the last second of the term
        await time.setNextBlockTimestamp(until - 1n);
        await expect(asRegistrar().enroll(PERSON, DONGCHENG, attributes(), key)).to.emit(
          f.identityRegistry,
          "IdentityEnrolled",
        );
        await refused(f.signers.registrar);
      });

      it("refuses a dismissed official", async function () {
        await f.identityRegistry.connect(f.signers.director).dismiss(GENESIS_APPOINTMENTS.registrar, "misconduct");
        await refused(f.signers.registrar);
      });

      it("refuses an official's revoked key, and accepts its new one", async function () {
        const { registrar } = f.signers;
        const newKey = f.signers.citizen3;
        await f.identityRegistry.connect(newKey).consentToIdentity(GENESIS.registrar);
        await f.identityRegistry.connect(registrar).addKey(GENESIS.registrar, newKey.address);
        await f.identityRegistry.connect(newKey).revokeKey(registrar.address);
        await refused(registrar);
        await expect(enrolAs(newKey)).to.emit(f.identityRegistry, "IdentityEnrolled");
      });

      it("refuses a suspended official", async function () {
        await enact(f, f.legislators, CIVIL_ACT, [
          await call(f.identityRegistry, "setStatus", [GENESIS.registrar, STATUS.Suspended, "inquiry"]),
        ]);
        await refused(f.signers.registrar);
      });
    });
  });

  gatedByCivilAct("enroll", REGISTRAR, "registrar", async (x, s) =>
    x.identityRegistry.connect(s).enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(x.identityRegistry)),
  );

  describe("requireIdentityCount", function () {
    it("passes at the identity count, for anyone", async function () {
      const count = await f.identityRegistry.identityCount();
      await f.identityRegistry.connect(f.signers.outsider).requireIdentityCount(count);
    });

    it("reverts with the expected and the actual count once an identity was enrolled", async function () {
      const count = await f.identityRegistry.identityCount();
      await asRegistrar().enroll(PERSON, DONGCHENG, attributes(), await enrollableKey(f.identityRegistry));
      await expect(f.identityRegistry.requireIdentityCount(count))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryIdentityCountChanged")
        .withArgs(count, count + 1n);
    });
  });

  describe("addKey", function () {
    it("lets an identity add a key itself (no law needed)", async function () {
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      await expect(f.identityRegistry.connect(f.signers.citizen1).addKey(f.citizenId, key))
        .to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(f.citizenId, key, ethers.ZeroHash, f.signers.citizen1.address);
      expect(await f.identityRegistry.identityOf(key)).to.equal(f.citizenId);
    });

    it("refuses a key already in use, even with its consent", async function () {
      const deadline = BigInt(await time.latest()) + 3600n;
      const { citizen2 } = f.signers;
      const signature = await signKeyConsent(f.identityRegistry, citizen2, f.citizenId, deadline);
      await expect(
        f.identityRegistry.connect(f.signers.citizen1).addKeyBySig(f.citizenId, citizen2.address, deadline, signature),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyInUse")
        .withArgs(f.signers.citizen2.address, f.clerkId);
    });

    it("refuses an unknown or inactive identity", async function () {
      await expect(asRegistrar().addKey(99n, freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownIdentity")
        .withArgs(99n);
      await asRegistrar().setStatus(f.citizenId, STATUS.Suspended, "inquiry");
      await expect(asRegistrar().addKey(f.citizenId, freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInactiveIdentity")
        .withArgs(f.citizenId, STATUS.Suspended);
    });
  });

  describe("addKey, by the identity alone", function () {
    it("refuses a registrar, another identity's key and the Legislature, even with the key's consent", async function () {
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      for (const caller of [f.signers.registrar, f.signers.citizen2, f.signers.outsider]) {
        await expect(f.identityRegistry.connect(caller).addKey(f.citizenId, key))
          .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNotOwnKey")
          .withArgs(caller.address, f.citizenId);
      }
      const legislature = await f.legislature.getAddress();
      await expect(enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "addKey", [f.citizenId, key])]))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(
          0,
          await f.identityRegistry.getAddress(),
          f.identityRegistry.interface.encodeErrorResult("IdentityRegistryNotOwnKey", [legislature, f.citizenId]),
        );
      expect(await f.identityRegistry.identityOf(key)).to.equal(0n);
    });

    it("refuses a key of the identity once it is revoked", async function () {
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      await f.identityRegistry.connect(f.signers.citizen1).addKey(f.citizenId, key);
      await asRegistrar().revokeKey(f.signers.citizen1.address);
      await expect(
        f.identityRegistry
          .connect(f.signers.citizen1)
          .addKey(f.citizenId, await consentedKey(f.identityRegistry, f.citizenId)),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryNotOwnKey")
        .withArgs(f.signers.citizen1.address, f.citizenId);
    });
  });

  describe("revokeKey", function () {
    it("lets an identity revoke its own key, and keeps the key's validity window", async function () {
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      await f.identityRegistry.connect(f.signers.citizen1).addKey(f.citizenId, key);
      const added = BigInt(await time.latest());
      await expect(f.identityRegistry.connect(f.signers.citizen1).revokeKey(key))
        .to.emit(f.identityRegistry, "KeyRevoked")
        .withArgs(f.citizenId, key, ethers.ZeroHash, f.signers.citizen1.address);
      const record = await f.identityRegistry.keyRecord(key);
      expect([record.identityId, record.addedAt, record.revokedAt]).to.deep.equal([
        f.citizenId,
        added,
        BigInt(await time.latest()),
      ]);
      expect(await f.identityRegistry.identityOf(key)).to.equal(0n);
    });

    it("records the law when a registrar revokes", async function () {
      await expect(asRegistrar().revokeKey(f.signers.citizen1.address))
        .to.emit(f.identityRegistry, "KeyRevoked")
        .withArgs(f.citizenId, f.signers.citizen1.address, CIVIL_ACT, f.signers.registrar.address);
    });

    it("refuses an unknown or already revoked key", async function () {
      const key = freshKey();
      await expect(asRegistrar().revokeKey(key))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownKey")
        .withArgs(key);
      await asRegistrar().revokeKey(f.signers.citizen1.address);
      await expect(asRegistrar().revokeKey(f.signers.citizen1.address))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyRevoked")
        .withArgs(f.signers.citizen1.address);
    });

    it("does not let one identity revoke another's key", async function () {
      await expect(
        f.identityRegistry.connect(f.signers.citizen2).revokeKey(f.signers.citizen1.address),
      ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
    });
  });

  gatedByCivilAct("revokeKey", REGISTRAR, "registrar", (x, s) =>
    x.identityRegistry.connect(s).revokeKey(x.signers.citizen1.address),
  );

  describe("recoverKey", function () {
    it("revokes the lost key and adds the new one to the same identity", async function () {
      const lost = f.signers.citizen1.address;
      const key = await consentedKey(f.identityRegistry, f.citizenId);
      await expect(asRegistrar().recoverKey(lost, key))
        .to.emit(f.identityRegistry, "KeyRevoked")
        .withArgs(f.citizenId, lost, CIVIL_ACT, f.signers.registrar.address)
        .and.to.emit(f.identityRegistry, "KeyAdded")
        .withArgs(f.citizenId, key, CIVIL_ACT, f.signers.registrar.address);
      expect(await f.identityRegistry.identityOf(lost)).to.equal(0n);
      expect(await f.identityRegistry.identityOf(key)).to.equal(f.citizenId);
    });

    it("refuses a registrar of another jurisdiction", async function () {
      await expect(f.identityRegistry.connect(f.signers.registrar2).recoverKey(f.signers.citizen1.address, freshKey()))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.registrar2.address, DONGCHENG);
    });

    it("refuses a revoked lost key and a new key in use", async function () {
      const deadline = BigInt(await time.latest()) + 3600n;
      const { citizen2 } = f.signers;
      const signature = await signKeyConsent(f.identityRegistry, citizen2, f.citizenId, deadline);
      await expect(asRegistrar().recoverKeyBySig(f.signers.citizen1.address, citizen2.address, deadline, signature))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyInUse")
        .withArgs(f.signers.citizen2.address, f.clerkId);
      await asRegistrar().revokeKey(f.signers.citizen1.address);
      await expect(asRegistrar().recoverKey(f.signers.citizen1.address, freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryKeyRevoked")
        .withArgs(f.signers.citizen1.address);
    });

    it("refuses a lost key that belongs to no identity", async function () {
      const unknown = freshKey();
      await expect(asRegistrar().recoverKey(unknown, freshKey()))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownKey")
        .withArgs(unknown);
    });
  });

  gatedByCivilAct("recoverKey", REGISTRAR, "registrar", async (x, s) =>
    x.identityRegistry
      .connect(s)
      .recoverKey(x.signers.citizen1.address, await consentedKey(x.identityRegistry, x.citizenId)),
  );

  describe("setStatus", function () {
    it("suspends and reinstates, with the reason", async function () {
      const reason = "court order 42";
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Suspended, reason))
        .to.emit(f.identityRegistry, "IdentityStatusChanged")
        .withArgs(
          f.citizenId,
          STATUS.Active,
          STATUS.Suspended,
          ethers.id(reason),
          reason,
          CIVIL_ACT,
          f.signers.registrar.address,
        );
      expect(await f.identityRegistry.isActive(f.citizenId)).to.equal(false);
      await asRegistrar().setStatus(f.citizenId, STATUS.Active, reason);
      expect(await f.identityRegistry.isActive(f.citizenId)).to.equal(true);
    });

    it("records the death of a suspended person", async function () {
      await asRegistrar().setStatus(f.citizenId, STATUS.Suspended, "inquiry");
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Deceased, "death"))
        .to.emit(f.identityRegistry, "IdentityStatusChanged")
        .withArgs(
          f.citizenId,
          STATUS.Suspended,
          STATUS.Deceased,
          ethers.id("death"),
          "death",
          CIVIL_ACT,
          f.signers.registrar.address,
        );
    });

    it("refuses a reason longer than MAX_REASON_LENGTH bytes", async function () {
      const max = await f.identityRegistry.MAX_REASON_LENGTH();
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Suspended, "x".repeat(Number(max) + 1)))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryReasonTooLong")
        .withArgs(max + 1n, max);
    });

    it("makes death final", async function () {
      await asRegistrar().setStatus(f.citizenId, STATUS.Deceased, "death");
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Active, ""))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidStatusChange")
        .withArgs(f.citizenId, STATUS.Deceased, STATUS.Active);
    });

    it("refuses a status for the wrong kind, the same status, or none", async function () {
      // the Legislature may make any change the registry allows: what is refused here is the change itself
      const target = await f.identityRegistry.getAddress();
      const refused = async (id: bigint, to: number, from: number, shown = to) =>
        expect(enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "setStatus", [id, to, ""])]))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
          .withArgs(
            0,
            target,
            f.identityRegistry.interface.encodeErrorResult("IdentityRegistryInvalidStatusChange", [id, from, shown]),
          );
      await refused(f.citizenId, STATUS.Dissolved, STATUS.Active);
      await refused(f.citizenId, STATUS.Active, STATUS.Active);
      await refused(f.citizenId, STATUS.None, STATUS.Active);
      await refused(f.citizenId, 9, STATUS.Active, STATUS.None);
      await refused(GENESIS.dongchengOffice, STATUS.Deceased, STATUS.Active);
      // and a registrar, granted reinstatement of persons, is refused the same status
      await expect(asRegistrar().setStatus(f.citizenId, STATUS.Active, ""))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidStatusChange")
        .withArgs(f.citizenId, STATUS.Active, STATUS.Active);
    });

    it("names each kind and target status as the resource of its grant", async function () {
      const resource = (kind: number, status: number) => f.identityRegistry.statusResource(kind, status);
      expect(await resource(KIND.Person, STATUS.Suspended)).to.equal(ethers.encodeBytes32String("PERSON:SUSPENDED"));
      expect(await resource(KIND.Person, STATUS.Active)).to.equal(ethers.encodeBytes32String("PERSON:ACTIVE"));
      expect(await resource(KIND.Person, STATUS.Deceased)).to.equal(ethers.encodeBytes32String("PERSON:DECEASED"));
      expect(await resource(KIND.Organisation, STATUS.Dissolved)).to.equal(
        ethers.encodeBytes32String("ORGANISATION:DISSOLVED"),
      );
      expect(await resource(KIND.Organisation, STATUS.Suspended)).to.equal(
        ethers.encodeBytes32String("ORGANISATION:SUSPENDED"),
      );
      expect(await resource(KIND.Organisation, STATUS.Active)).to.equal(
        ethers.encodeBytes32String("ORGANISATION:ACTIVE"),
      );
      expect(await resource(KIND.Person, STATUS.Dissolved)).to.equal(ethers.ZeroHash);
      expect(await resource(KIND.Organisation, STATUS.Deceased)).to.equal(ethers.ZeroHash);
    });

    it("refuses an unknown identity", async function () {
      await expect(asRegistrar().setStatus(99n, STATUS.Suspended, ""))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownIdentity")
        .withArgs(99n);
    });
  });

  gatedByCivilAct(
    "setStatus",
    REGISTRAR,
    "registrar",
    (x, s) => x.identityRegistry.connect(s).setStatus(x.citizenId, STATUS.Suspended, ""),
    ethers.encodeBytes32String("PERSON:SUSPENDED"),
  );

  describe("defineJurisdiction", function () {
    it("defines a jurisdiction through a law update, below its parent", async function () {
      const code = jurisdictionCode("CN-11-03");
      await expect(
        enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "defineJurisdiction", [code, BEIJING])]),
      )
        .to.emit(f.identityRegistry, "JurisdictionDefined")
        .withArgs(code, BEIJING, 2, CIVIL_ACT);
      expect(await f.identityRegistry.jurisdiction(code)).to.deep.equal([BEIJING, 2n, true]);
      expect(await f.identityRegistry.isWithin(code, CN)).to.equal(true);
      expect(await f.identityRegistry.isWithin(code, BEIJING)).to.equal(true);
      expect(await f.identityRegistry.isWithin(code, DONGCHENG)).to.equal(false);
      expect(await f.identityRegistry.isWithin(BEIJING, code)).to.equal(false);
      expect(await f.identityRegistry.isWithin(code, ethers.id("no such jurisdiction"))).to.equal(false);
    });

    it("refuses an existing code, an unknown parent, the zero code and a tree too deep", async function () {
      const define = async (code: string, parent: string) =>
        enact(f, f.legislators, CIVIL_ACT, [await call(f.identityRegistry, "defineJurisdiction", [code, parent])]);
      const failed = (error: string, args: unknown[]) => f.identityRegistry.interface.encodeErrorResult(error, args);
      const target = await f.identityRegistry.getAddress();
      await expect(define(DONGCHENG, BEIJING))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, target, failed("IdentityRegistryJurisdictionExists", [DONGCHENG]));
      const unknown = jurisdictionCode("XX");
      await expect(define(jurisdictionCode("XX-1"), unknown))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, target, failed("IdentityRegistryUnknownJurisdiction", [unknown]));
      await expect(define(ethers.ZeroHash, CN))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, target, failed("IdentityRegistryZeroValue", ["code"]));
      let parent = DONGCHENG; // depth 2
      for (let depth = 3; depth <= 6; depth++) {
        const code = jurisdictionCode(`D${depth}`);
        await define(code, parent);
        parent = code;
      }
      const tooDeep = jurisdictionCode("D7");
      await expect(define(tooDeep, parent))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, target, failed("IdentityRegistryJurisdictionTooDeep", [tooDeep, 6]));
    });

    it("refuses an official without a grant", async function () {
      await expect(asRegistrar().defineJurisdiction(jurisdictionCode("CN-11-09"), BEIJING))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.registrar.address,
          await f.identityRegistry.getAddress(),
          f.identityRegistry.interface.getFunction("defineJurisdiction").selector,
        );
    });
  });

  describe("appoint", function () {
    const appointAs = (
      signer: HardhatEthersSigner,
      official: bigint,
      department: bigint,
      from: bigint,
      until: bigint,
    ) => f.identityRegistry.connect(signer).appoint(official, REGISTRAR, department, DONGCHENG, from, until);

    it("appoints an official and keeps the history", async function () {
      const now = BigInt(await time.latest());
      await expect(appointAs(f.signers.director, f.citizenId, GENESIS.dongchengOffice, now, now + YEAR))
        .to.emit(f.identityRegistry, "OfficialAppointed")
        .withArgs(
          FIRST_NEW_APPOINTMENT + 1n,
          f.citizenId,
          REGISTRAR,
          GENESIS.dongchengOffice,
          DONGCHENG,
          now,
          now + YEAR,
          CIVIL_ACT,
          f.signers.director.address,
        );
      const record = await f.identityRegistry.appointment(FIRST_NEW_APPOINTMENT + 1n);
      expect([record.official, record.department, record.role, record.jurisdiction, record.dismissedAt]).to.deep.equal([
        f.citizenId,
        GENESIS.dongchengOffice,
        REGISTRAR,
        DONGCHENG,
        0n,
      ]);
      expect(await f.identityRegistry.appointmentsOf(f.citizenId)).to.deep.equal([FIRST_NEW_APPOINTMENT + 1n]);
    });

    it("refuses a non-person official, a non-organisation department, and inactive ones", async function () {
      const now = BigInt(await time.latest());
      await expect(appointAs(f.signers.director, GENESIS.dongchengOffice, GENESIS.dongchengOffice, now, now + YEAR))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryWrongKind")
        .withArgs(GENESIS.dongchengOffice, KIND.Person);
      await expect(appointAs(f.signers.director, f.citizenId, f.clerkId, now, now + YEAR))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryWrongKind")
        .withArgs(f.clerkId, KIND.Organisation);
      await asRegistrar().setStatus(f.citizenId, STATUS.Suspended, "");
      await expect(appointAs(f.signers.director, f.citizenId, GENESIS.dongchengOffice, now, now + YEAR))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInactiveIdentity")
        .withArgs(f.citizenId, STATUS.Suspended);
    });

    it("refuses a term that ends before it starts or has already ended", async function () {
      const now = BigInt(await time.latest());
      await expect(appointAs(f.signers.director, f.citizenId, GENESIS.dongchengOffice, now + 10n, now + 10n))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidTerm")
        .withArgs(now + 10n, now + 10n);
      await expect(appointAs(f.signers.director, f.citizenId, GENESIS.dongchengOffice, now - 100n, now - 10n))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryInvalidTerm")
        .withArgs(now - 100n, now - 10n);
    });

    it("refuses a second unexpired appointment to the same role, and allows one after dismissal", async function () {
      const now = BigInt(await time.latest());
      await expect(
        f.identityRegistry
          .connect(f.signers.director)
          .appoint(f.clerkId, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryAlreadyAppointed")
        .withArgs(f.clerkId, CLERK, f.clerkAppointmentId);
      await f.identityRegistry.connect(f.signers.director).dismiss(f.clerkAppointmentId, "");
      await expect(
        f.identityRegistry
          .connect(f.signers.director)
          .appoint(f.clerkId, CLERK, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR),
      ).to.emit(f.identityRegistry, "OfficialAppointed");
    });

    it("refuses a zero role and an unknown jurisdiction", async function () {
      const now = BigInt(await time.latest());
      await expect(
        f.identityRegistry
          .connect(f.signers.director)
          .appoint(f.citizenId, ethers.ZeroHash, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryZeroValue")
        .withArgs("role");
      const unknown = jurisdictionCode("XX");
      await expect(
        f.identityRegistry
          .connect(f.signers.director)
          .appoint(f.citizenId, REGISTRAR, GENESIS.dongchengOffice, unknown, now, now + YEAR),
      )
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownJurisdiction")
        .withArgs(unknown);
    });
  });

  // the power to appoint is granted per role: the grant is on the role appointed
  shouldBehaveLikeLawGated(
    "appoint",
    () => f,
    () => ({
      target: f.identityRegistry,
      law: CIVIL_ACT,
      role: PERSONNEL_OFFICER,
      resource: REGISTRAR,
      official: (x) => x.signers.director,
      send: async (x, s) => {
        const now = BigInt(await time.latest());
        return x.identityRegistry
          .connect(s)
          .appoint(x.citizenId, REGISTRAR, GENESIS.dongchengOffice, DONGCHENG, now, now + YEAR);
      },
    }),
  );

  describe("dismiss", function () {
    it("dismisses with a reason and keeps the appointment on record", async function () {
      const reason = "reorganisation";
      await expect(f.identityRegistry.connect(f.signers.director).dismiss(f.clerkAppointmentId, reason))
        .to.emit(f.identityRegistry, "OfficialDismissed")
        .withArgs(f.clerkAppointmentId, f.clerkId, ethers.id(reason), reason, CIVIL_ACT, f.signers.director.address);
      const record = await f.identityRegistry.appointment(f.clerkAppointmentId);
      expect(record.dismissedAt).to.equal(BigInt(await time.latest()));
      expect(record.dismissalReason).to.equal(ethers.id(reason));
      expect(record.role).to.equal(CLERK);
    });

    it("refuses a reason longer than MAX_REASON_LENGTH bytes", async function () {
      const max = await f.identityRegistry.MAX_REASON_LENGTH();
      await expect(f.identityRegistry.connect(f.signers.director).dismiss(f.clerkAppointmentId, "x".repeat(300)))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryReasonTooLong")
        .withArgs(300n, max);
    });

    it("refuses an unknown, dismissed or ended appointment", async function () {
      const director = f.identityRegistry.connect(f.signers.director);
      await expect(director.dismiss(99n, ""))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryUnknownAppointment")
        .withArgs(99n);
      await director.dismiss(f.clerkAppointmentId, "");
      await expect(director.dismiss(f.clerkAppointmentId, ""))
        .to.be.revertedWithCustomError(f.identityRegistry, "IdentityRegistryAppointmentClosed")
        .withArgs(f.clerkAppointmentId);
      await time.increase(2n * YEAR);
      await expect(director.dismiss(GENESIS_APPOINTMENTS.registrar2, "")).to.not.be.reverted;
    });

    it("refuses a personnel officer outside the appointment's jurisdiction", async function () {
      const now = BigInt(await time.latest());
      // personnel officers are appointed by the Legislature alone, in a law
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.identityRegistry, "appoint", [
          f.citizenId,
          PERSONNEL_OFFICER,
          GENESIS.shanghaiBureau,
          SHANGHAI,
          now,
          now + YEAR,
        ]),
      ]);
      await expect(f.identityRegistry.connect(f.signers.citizen1).dismiss(f.clerkAppointmentId, ""))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.citizen1.address, DONGCHENG);
    });
  });

  shouldBehaveLikeLawGated(
    "dismiss",
    () => f,
    () => ({
      target: f.identityRegistry,
      law: CIVIL_ACT,
      role: PERSONNEL_OFFICER,
      resource: CLERK,
      official: (x) => x.signers.director,
      send: (x, s) => x.identityRegistry.connect(s).dismiss(x.clerkAppointmentId, ""),
    }),
  );

  describe("standing", function () {
    it("tells SmartLaw who the key is, whether it holds the role now, and whether the subject is within reach", async function () {
      const { registrar, outsider } = f.signers;
      expect(await f.identityRegistry.standing(registrar.address, REGISTRAR, DONGCHENG)).to.deep.equal([
        GENESIS.registrar,
        true,
        true,
      ]);
      expect(await f.identityRegistry.standing(registrar.address, REGISTRAR, XICHENG)).to.deep.equal([
        GENESIS.registrar,
        true,
        false,
      ]);
      expect(await f.identityRegistry.standing(registrar.address, PERSONNEL_OFFICER, DONGCHENG)).to.deep.equal([
        GENESIS.registrar,
        false,
        false,
      ]);
      expect(await f.identityRegistry.standing(outsider.address, REGISTRAR, DONGCHENG)).to.deep.equal([
        0n,
        false,
        false,
      ]);
      expect(await f.identityRegistry.standing(registrar.address, REGISTRAR, jurisdictionCode("XX"))).to.deep.equal([
        GENESIS.registrar,
        true,
        false,
      ]);
    });
  });
});
