import { expect } from "chai";
import { ethers } from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

import { textId } from "../../scripts/lib/common/ids";
import { shouldBehaveLikeLawGated } from "../helpers/behaviours";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, GENESIS, GENESIS_APPOINTMENTS, KIND, SHANGHAI, time } from "../helpers/identity";
import { call, enact, lawId, legislatureSigner, roleId } from "../helpers/law";
import {
  BIRTH,
  CIVIL_REGISTRATION_ACT,
  MARRIAGE,
  MARRIAGE_SCHEMA,
  PENSION_ENROLMENT,
  RECORD_STATUS,
  birthData,
  coder,
  documentHash,
  enrollPerson,
  seal,
  uidOf,
} from "../helpers/registry";

const REASON = "correction of the date of birth";
const BIRTH_NUMBER = 1n; // the first register the genesis creates

describe("CivilRegistry", function () {
  let f: SystemFixture;
  let child: bigint;
  let hospitalRegistrar: HardhatEthersSigner;

  beforeEach(async function () {
    f = await deploySystem();
    hospitalRegistrar = f.signers.hospitalRegistrar;
    child = await enrollPerson(f);
  });

  const byLaw = async (law: string, fn: string, args: unknown[]) =>
    enact(f, f.legislators, law, [await call(f.civilRegistry, fn, args)]);

  /** A law update's inner revert, as the Legislature reports it. */
  async function expectLawCallError(tx: Promise<unknown>, error: string, args: unknown[]) {
    const data = f.civilRegistry.interface.encodeErrorResult(error, args);
    await expect(tx)
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(0, await f.civilRegistry.getAddress(), data);
  }

  describe("createRegister", function () {
    it("creates the genesis registers, numbered, with their law", async function () {
      const birth = await f.civilRegistry.register(BIRTH);
      expect(birth.number).to.equal(BIRTH_NUMBER);
      expect(birth.name).to.equal("Births");
      expect(birth.schema).to.equal("uint32 birthDate private,bytes32 placeOfBirth private,bytes32 documentHash");
      expect(birth.lawId).to.equal(CIVIL_REGISTRATION_ACT);
      // on chain: the document's hash and the commitment to the date and place
      expect([birth.words, birth.dynamic]).to.deep.equal([2n, false]);
      expect(await f.civilRegistry.registerIdOf(BIRTH_NUMBER)).to.equal(BIRTH);
      // what kind of subject each genesis register holds
      for (const id of ["BIRTH", "DEATH", "MARRIAGE", "RESIDENCE", "PENSION_ENROLMENT"]) {
        expect((await f.civilRegistry.register(textId(id))).subjectKind).to.equal(BigInt(KIND.Person));
      }
      expect((await f.civilRegistry.register(textId("BUSINESS_LICENCE"))).subjectKind).to.equal(
        BigInt(KIND.Organisation),
      );
    });

    it("creates a register of organisations by law, and refuses a kind that is neither", async function () {
      const id = textId("CHARITY");
      await expect(
        byLaw(CIVIL_REGISTRATION_ACT, "createRegisterOfKind", [
          id,
          "Charities",
          "bytes32 documentHash",
          CIVIL_REGISTRATION_ACT,
          KIND.Organisation,
        ]),
      )
        .to.emit(f.civilRegistry, "RegisterCreated")
        .withArgs(id, 7n, "Charities", "bytes32 documentHash", CIVIL_REGISTRATION_ACT, KIND.Organisation);
      for (const kind of [0, 3]) {
        await expectLawCallError(
          byLaw(CIVIL_REGISTRATION_ACT, "createRegisterOfKind", [
            textId("X"),
            "X",
            "uint8 x",
            CIVIL_REGISTRATION_ACT,
            kind,
          ]),
          "CivilRegistryInvalidSubjectKind",
          [kind],
        );
      }
      await expect(
        f.civilRegistry
          .connect(f.signers.registrar)
          .createRegisterOfKind(textId("X"), "X", "uint8 x", CIVIL_REGISTRATION_ACT, KIND.Person),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.registrar.address,
          await f.civilRegistry.getAddress(),
          f.civilRegistry.interface.getFunction("createRegisterOfKind").selector,
        );
    });

    it("creates a register by law, with an event", async function () {
      const id = textId("ADOPTION");
      await expect(
        byLaw(CIVIL_REGISTRATION_ACT, "createRegister", [id, "Adoptions", "uint256 parent x", CIVIL_REGISTRATION_ACT]),
      ).to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed");
      await expect(
        byLaw(CIVIL_REGISTRATION_ACT, "createRegister", [
          id,
          "Adoptions",
          "uint256 parent, bytes32 documentHash",
          CIVIL_REGISTRATION_ACT,
        ]),
      )
        .to.emit(f.civilRegistry, "RegisterCreated")
        .withArgs(id, 7n, "Adoptions", "uint256 parent, bytes32 documentHash", CIVIL_REGISTRATION_ACT, KIND.Person);
    });

    it("refuses anyone but the Legislature (or a role a law grants it to)", async function () {
      await expect(
        f.civilRegistry
          .connect(f.signers.registrar)
          .createRegister(textId("X"), "X", "uint8 x", CIVIL_REGISTRATION_ACT),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.registrar.address,
          await f.civilRegistry.getAddress(),
          f.civilRegistry.interface.getFunction("createRegister").selector,
        );
    });

    it("refuses an existing id, a zero id, no name, a law not in force", async function () {
      const law = CIVIL_REGISTRATION_ACT;
      await expectLawCallError(
        byLaw(law, "createRegister", [BIRTH, "B", "uint8 x", law]),
        "CivilRegistryRegisterExists",
        [BIRTH],
      );
      await expectLawCallError(
        byLaw(law, "createRegister", [ethers.ZeroHash, "B", "uint8 x", law]),
        "CivilRegistryZeroValue",
        ["registerId"],
      );
      await expectLawCallError(
        byLaw(law, "createRegister", [textId("X"), "", "uint8 x", law]),
        "CivilRegistryZeroValue",
        ["name"],
      );
      const never = lawId("NEVER_ENACTED");
      await expectLawCallError(
        byLaw(law, "createRegister", [textId("X"), "X", "uint8 x", never]),
        "CivilRegistryLawNotInForce",
        [never],
      );
    });

    for (const [schema, position] of [
      ["", 0],
      ["uint32", 6],
      ["uint7 x", 0],
      ["uint264 x", 0],
      ["bytes33 x", 0],
      ["tuple(uint8) x", 0],
      ["uint8[][] x", 0],
      ["string[] x", 0],
      ["uint8[0] x", 0],
      ["uint8 1x", 6],
      ["uint8 x,", 8],
      ["uint8 x y", 8],
      ["uint256[23] x", 0],
      ["uint256[20] a,uint8 b,uint8 c,uint8 d", 30],
      ["[3] x", 0],
      ["uint8[x] x", 0],
      ["foo x", 0],
      ["uint0 x", 0],
      ["uint000008 x", 0],
      [`${"a".repeat(33)} x`, 0],
    ] as const) {
      it(`refuses the schema "${schema}" at byte ${position}`, async function () {
        await expectLawCallError(
          byLaw(CIVIL_REGISTRATION_ACT, "createRegister", [textId("X"), "X", schema, CIVIL_REGISTRATION_ACT]),
          "CivilRegistryInvalidSchema",
          [schema, position],
        );
      });
    }
  });

  describe("createRegister with bare types", function () {
    it("reads uint and int as 256-bit words, and names of letters, digits and underscores", async function () {
      const id = textId("BARE");
      await byLaw(CIVIL_REGISTRATION_ACT, "createRegister", [id, "Bare", "uint a,int B_2", CIVIL_REGISTRATION_ACT]);
      const register = await f.civilRegistry.register(id);
      expect([register.schema, register.words, register.dynamic]).to.deep.equal(["uint a,int B_2", 2n, false]);
    });
  });

  describe("record", function () {
    it("records a birth, naming the official, the key and the law", async function () {
      const data = birthData(20260105);
      const uid = uidOf(BIRTH_NUMBER, child, 1n);
      await expect(f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, data))
        .to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(
          uid,
          BIRTH,
          child,
          GENESIS.hospitalRegistrar,
          hospitalRegistrar.address,
          CIVIL_REGISTRATION_ACT,
          data,
        );
      const record = await f.civilRegistry.getRecord(uid);
      expect(record.registerId).to.equal(BIRTH);
      expect(record.subject).to.equal(child);
      expect(record.version).to.equal(1n);
      expect(record.status).to.equal(RECORD_STATUS.Current);
      expect(record.dataHash).to.equal(ethers.keccak256(data));
      expect(record.official).to.equal(GENESIS.hospitalRegistrar);
      expect(record.key).to.equal(hospitalRegistrar.address);
      expect(record.lawId).to.equal(CIVIL_REGISTRATION_ACT);
      expect(record.recordedAt).to.equal(BigInt(await time.latest()));
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(uid);
      expect(await f.civilRegistry.verify(uid, data)).to.equal(true);
      expect(await f.civilRegistry.verify(uid, birthData(20260106))).to.equal(false);
    });

    it("tells which of many subjects have a current record, 256 to a word", async function () {
      await f.civilRegistry.connect(f.signers.hospitalRegistrar).record(BIRTH, child, birthData(20260105));
      const subjects = Array.from({ length: 300 }, () => 1n); // identity 1 is an organisation: no birth record
      for (const i of [0, 256, 299]) subjects[i] = child;
      expect(await f.civilRegistry.currentOf(BIRTH, subjects)).to.deep.equal([1n, 1n | (1n << 43n)]);
      expect(await f.civilRegistry.currentOf(textId("NONE"), subjects)).to.deep.equal([0n, 0n]);
      expect(await f.civilRegistry.currentOf(BIRTH, [])).to.deep.equal([]);
    });

    it("answers zero and false for what does not exist", async function () {
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
      expect(await f.civilRegistry.latest(textId("NONE"), child)).to.equal(ethers.ZeroHash);
      expect(await f.civilRegistry.latest(BIRTH, 1n << 64n)).to.equal(ethers.ZeroHash);
      const uid = uidOf(BIRTH_NUMBER, child, 1n);
      expect(await f.civilRegistry.verify(uid, "0x")).to.equal(false);
      await expect(f.civilRegistry.getRecord(uid))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryUnknownRecord")
        .withArgs(uid);
      await expect(f.civilRegistry.register(textId("NONE")))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryUnknownRegister")
        .withArgs(textId("NONE"));
    });

    it("refuses a second current record for the subject: amend it instead", async function () {
      await f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, birthData(20260105));
      await expect(f.civilRegistry.connect(f.signers.registrar).record(BIRTH, child, birthData(20260105)))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryRecordExists")
        .withArgs(BIRTH, child, uidOf(BIRTH_NUMBER, child, 1n));
    });

    it("refuses an unknown register and an unknown subject", async function () {
      await expect(f.civilRegistry.connect(hospitalRegistrar).record(textId("NONE"), child, birthData(20260105)))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryUnknownRegister")
        .withArgs(textId("NONE"));
      await expect(f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, 999n, birthData(20260105)))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryWrongSubjectKind")
        .withArgs(BIRTH, 999n, KIND.Person, KIND.None);
    });

    it("refuses a subject of the kind the register does not hold, in every form of write", async function () {
      // the hospital (an organisation, in the registrar's jurisdiction) cannot be born
      const data = birthData(20260105);
      const refused = (tx: Promise<unknown>) =>
        expect(tx)
          .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryWrongSubjectKind")
          .withArgs(BIRTH, GENESIS.hospital, KIND.Person, KIND.Organisation);
      await refused(f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, GENESIS.hospital, data));
      await refused(
        f.civilRegistry.connect(hospitalRegistrar).recordBatch(BIRTH, [child, GENESIS.hospital], [data, data]),
      );
      const deadline = BigInt(await time.latest()) + 3600n;
      const digest = await f.civilRegistry.hashRecord(BIRTH, GENESIS.hospital, ethers.keccak256(data), 1n, deadline);
      const signature = ethers.Signature.from(new ethers.SigningKey(ethers.id("not used")).sign(digest)).serialized;
      await refused(f.civilRegistry.recordBySig(BIRTH, GENESIS.hospital, data, 1n, deadline, signature));
      // a person is not a business
      const licence = coder.encode(["bytes32", "uint32", "bytes32"], [textId("BAKERY"), 20300101, documentHash()]);
      await expect(f.civilRegistry.connect(f.signers.registrar).record(textId("BUSINESS_LICENCE"), child, licence))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryWrongSubjectKind")
        .withArgs(textId("BUSINESS_LICENCE"), child, KIND.Organisation, KIND.Person);
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
    });
  });

  describe("recordFor", function () {
    const recordFor = () => f.civilRegistry.interface.getFunction("recordFor").selector;
    const record = () => f.civilRegistry.interface.getFunction("record").selector;

    it("refuses a caller the law does not grant recordFor, even an official who may record", async function () {
      await expect(
        f.civilRegistry.connect(hospitalRegistrar).recordFor(BIRTH, child, birthData(20260105), hospitalRegistrar),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(hospitalRegistrar.address, await f.civilRegistry.getAddress(), recordFor());
    });

    describe("by the ServiceDesk, which a law grants it", function () {
      let desk: Awaited<ReturnType<typeof ethers.getImpersonatedSigner>>;
      beforeEach(async function () {
        desk = await ethers.getImpersonatedSigner(await f.serviceDesk.getAddress());
        await ethers.provider.send("hardhat_setBalance", [desk.address, "0x56BC75E2D63100000"]);
      });

      it("writes the record in the official's name, under the law of his grant", async function () {
        const data = birthData(20260105);
        const uid = uidOf(BIRTH_NUMBER, child, 1n);
        await expect(f.civilRegistry.connect(desk).recordFor(BIRTH, child, data, hospitalRegistrar.address))
          .to.emit(f.civilRegistry, "RecordAdded")
          .withArgs(
            uid,
            BIRTH,
            child,
            GENESIS.hospitalRegistrar,
            hospitalRegistrar.address,
            CIVIL_REGISTRATION_ACT,
            data,
          );
        const written = await f.civilRegistry.getRecord(uid);
        expect([written.official, written.key, written.lawId]).to.deep.equal([
          GENESIS.hospitalRegistrar,
          hospitalRegistrar.address,
          CIVIL_REGISTRATION_ACT,
        ]);
      });

      it("refuses an official with no grant on the register, or outside the subject's jurisdiction", async function () {
        await expect(
          f.civilRegistry.connect(desk).recordFor(BIRTH, child, birthData(20260105), f.signers.financeOfficer.address),
        )
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
          .withArgs(f.signers.financeOfficer.address, await f.civilRegistry.getAddress(), record());
        const faraway = await enrollPerson(f, SHANGHAI);
        await expect(
          f.civilRegistry.connect(desk).recordFor(BIRTH, faraway, birthData(20260105), hospitalRegistrar.address),
        )
          .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
          .withArgs(hospitalRegistrar.address, SHANGHAI);
        // the Legislature names no official: a write in its name goes through a law update, not a service
        const legislature = await legislatureSigner(f);
        for (const key of [await legislature.getAddress(), await f.treasury.getAddress()]) {
          await expect(f.civilRegistry.connect(desk).recordFor(BIRTH, child, birthData(20260105), key))
            .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryNotAnOfficial")
            .withArgs(key);
        }
      });
    });

    it("refuses data of the wrong length or out of the schema's range", async function () {
      // the clear form (three words) is not the on-chain form (two)
      const clear = coder.encode(["uint32", "bytes32", "bytes32"], [20260105, DONGCHENG, documentHash()]);
      await expect(f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, clear))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataLength")
        .withArgs(BIRTH, 64, 96);
      const tooBig = coder.encode(["uint256", "bytes32"], [1n << 32n, ethers.ZeroHash]);
      await expect(f.civilRegistry.connect(f.signers.officer).record(PENSION_ENROLMENT, child, tooBig))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataMismatch")
        .withArgs(PENSION_ENROLMENT, 0);
    });

    it("refuses an official outside the subject's jurisdiction", async function () {
      await expect(f.civilRegistry.connect(f.signers.registrar2).record(BIRTH, child, birthData(20260105)))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.registrar2.address, DONGCHENG);
    });

    it("refuses a role granted on other registers only", async function () {
      const spouse = await enrollPerson(f);
      const data = seal(MARRIAGE_SCHEMA, [spouse, 20260105, documentHash()]).onChain;
      await expect(f.civilRegistry.connect(hospitalRegistrar).record(MARRIAGE, child, data))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          hospitalRegistrar.address,
          await f.civilRegistry.getAddress(),
          f.civilRegistry.interface.getFunction("record").selector,
        );
    });

    it("refuses an official whose term has ended, or who was dismissed", async function () {
      const { until } = await f.identityRegistry.appointment(GENESIS_APPOINTMENTS.hospitalRegistrar);
      const snapshot = await ethers.provider.send("evm_snapshot", []);
      await time.increaseTo(until);
      await expect(
        f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, birthData(20260105)),
      ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
      await ethers.provider.send("evm_revert", [snapshot]);
      await f.identityRegistry
        .connect(f.signers.director)
        .dismiss(GENESIS_APPOINTMENTS.hospitalRegistrar, "transferred");
      await expect(
        f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, birthData(20260105)),
      ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
    });

    it("records by law update, naming the law being enacted", async function () {
      const data = birthData(19600315);
      const migration = lawId("LEGACY_MIGRATION_ACT");
      await expect(byLaw(migration, "record", [BIRTH, child, data]))
        .to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(uidOf(BIRTH_NUMBER, child, 1n), BIRTH, child, 0n, await f.legislature.getAddress(), migration, data);
    });
  });

  shouldBehaveLikeLawGated(
    "record",
    () => f,
    () => ({
      target: f.civilRegistry,
      law: CIVIL_REGISTRATION_ACT,
      role: roleId("HOSPITAL_REGISTRAR"),
      resource: BIRTH,
      official: (x) => x.signers.hospitalRegistrar,
      send: async (x, signer) =>
        x.civilRegistry.connect(signer).record(BIRTH, await enrollPerson(x), birthData(20260105)),
    }),
  );

  describe("amend and revoke", function () {
    let uid: string;
    beforeEach(async function () {
      await f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, birthData(20260105));
      uid = uidOf(BIRTH_NUMBER, child, 1n);
    });

    it("amends: a new version supersedes, the old one stays readable", async function () {
      const data = birthData(20260104);
      const newUid = uidOf(BIRTH_NUMBER, child, 2n);
      await expect(f.civilRegistry.connect(f.signers.registrar).amend(uid, data, REASON))
        .to.emit(f.civilRegistry, "RecordAmended")
        .withArgs(uid, newUid, ethers.id(REASON), REASON)
        .and.to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(newUid, BIRTH, child, GENESIS.registrar, f.signers.registrar.address, CIVIL_REGISTRATION_ACT, data);
      expect((await f.civilRegistry.getRecord(uid)).status).to.equal(RECORD_STATUS.Superseded);
      expect((await f.civilRegistry.getRecord(newUid)).version).to.equal(2n);
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(newUid);
      expect(await f.civilRegistry.verify(newUid, data)).to.equal(true);
      expect(await f.civilRegistry.verify(uid, data)).to.equal(false);
    });

    it("revokes with a reason: no current record remains, and a new record may follow", async function () {
      await expect(f.civilRegistry.connect(f.signers.registrar).revoke(uid, REASON))
        .to.emit(f.civilRegistry, "RecordRevoked")
        .withArgs(
          uid,
          ethers.id(REASON),
          REASON,
          GENESIS.registrar,
          f.signers.registrar.address,
          CIVIL_REGISTRATION_ACT,
        );
      expect((await f.civilRegistry.getRecord(uid)).status).to.equal(RECORD_STATUS.Revoked);
      expect(await f.civilRegistry.reasonHashOf(uid)).to.equal(ethers.id(REASON));
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
      await f.civilRegistry.connect(hospitalRegistrar).record(BIRTH, child, birthData(20260106));
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(uidOf(BIRTH_NUMBER, child, 2n));
      expect((await f.civilRegistry.getRecord(uid)).status).to.equal(RECORD_STATUS.Revoked);
    });

    it("refuses to amend or revoke a revoked or superseded record, an unknown one, or without a reason", async function () {
      const registrar = f.civilRegistry.connect(f.signers.registrar);
      await expect(registrar.amend(uid, birthData(20260104), ""))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryZeroValue")
        .withArgs("reason");
      await expect(registrar.revoke(uid, ""))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryZeroValue")
        .withArgs("reason");
      const unknown = uidOf(BIRTH_NUMBER, child, 9n);
      await expect(registrar.revoke(unknown, REASON))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryUnknownRecord")
        .withArgs(unknown);
      await registrar.amend(uid, birthData(20260104), REASON);
      await expect(registrar.amend(uid, birthData(20260103), REASON))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryNotCurrent")
        .withArgs(uid, RECORD_STATUS.Superseded);
      const second = uidOf(BIRTH_NUMBER, child, 2n);
      await registrar.revoke(second, REASON);
      await expect(registrar.amend(second, birthData(20260103), REASON))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryNotCurrent")
        .withArgs(second, RECORD_STATUS.Revoked);
      await expect(registrar.revoke(second, REASON))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryNotCurrent")
        .withArgs(second, RECORD_STATUS.Revoked);
    });

    it("keeps a reason of at most MAX_REASON_LENGTH bytes, and refuses a longer one", async function () {
      const registrar = f.civilRegistry.connect(f.signers.registrar);
      const max = await f.civilRegistry.MAX_REASON_LENGTH();
      await expect(registrar.revoke(uid, "x".repeat(Number(max) + 1)))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryReasonTooLong")
        .withArgs(max + 1n, max);
      await expect(registrar.amend(uid, birthData(20260104), "x".repeat(Number(max) + 1)))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryReasonTooLong")
        .withArgs(max + 1n, max);
      expect(await f.civilRegistry.reasonHashOf(uid)).to.equal(ethers.ZeroHash);
      await registrar.amend(uid, birthData(20260104), "x".repeat(Number(max)));
      expect(await f.civilRegistry.reasonHashOf(uid)).to.equal(ethers.id("x".repeat(Number(max))));
    });

    it("refuses an official whose role may record but not amend", async function () {
      await expect(f.civilRegistry.connect(hospitalRegistrar).amend(uid, birthData(20260104), REASON))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          hospitalRegistrar.address,
          await f.civilRegistry.getAddress(),
          f.civilRegistry.interface.getFunction("amend").selector,
        );
    });
  });

  describe("recordBatch", function () {
    it("writes many records in one transaction", async function () {
      const subjects = [child, await enrollPerson(f), await enrollPerson(f)];
      const data = subjects.map((_, i) => birthData(20260101 + i));
      await expect(f.civilRegistry.connect(hospitalRegistrar).recordBatch(BIRTH, subjects, data))
        .to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(
          uidOf(BIRTH_NUMBER, subjects[2], 1n),
          BIRTH,
          subjects[2],
          GENESIS.hospitalRegistrar,
          hospitalRegistrar.address,
          CIVIL_REGISTRATION_ACT,
          data[2],
        );
      for (const [i, subject] of subjects.entries()) {
        expect(await f.civilRegistry.verify(await f.civilRegistry.latest(BIRTH, subject), data[i])).to.equal(true);
      }
    });

    it("writes all or nothing: one refused record refuses the batch", async function () {
      const shanghai = await enrollPerson(f, SHANGHAI);
      await expect(
        f.civilRegistry
          .connect(hospitalRegistrar)
          .recordBatch(BIRTH, [child, shanghai], [birthData(20260101), birthData(20260102)]),
      )
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(hospitalRegistrar.address, SHANGHAI);
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
      await expect(
        f.civilRegistry
          .connect(hospitalRegistrar)
          .recordBatch(BIRTH, [child, child], [birthData(20260101), birthData(20260102)]),
      ).to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryRecordExists");
      expect(await f.civilRegistry.latest(BIRTH, child)).to.equal(ethers.ZeroHash);
    });

    it("refuses an empty batch and one whose lists differ in length", async function () {
      await expect(f.civilRegistry.connect(hospitalRegistrar).recordBatch(BIRTH, [], []))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryInvalidBatch")
        .withArgs(0, 0);
      await expect(f.civilRegistry.connect(hospitalRegistrar).recordBatch(BIRTH, [child], []))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryInvalidBatch")
        .withArgs(1, 0);
    });
  });

  describe("recordBySig", function () {
    const TYPES = {
      Record: [
        { name: "registerId", type: "bytes32" },
        { name: "subject", type: "uint256" },
        { name: "dataHash", type: "bytes32" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    async function signed(signer: HardhatEthersSigner, subject: bigint, data: string, nonce = 1n, deadline?: bigint) {
      const domain = {
        name: "CivilRegistry",
        version: "1",
        chainId: (await ethers.provider.getNetwork()).chainId,
        verifyingContract: await f.civilRegistry.getAddress(),
      };
      const message = {
        registerId: BIRTH,
        subject,
        dataHash: ethers.keccak256(data),
        nonce,
        deadline: deadline ?? BigInt(await time.latest()) + 3600n,
      };
      const signature = await signer.signTypedData(domain, TYPES, message);
      expect(await f.civilRegistry.hashRecord(BIRTH, subject, message.dataHash, nonce, message.deadline)).to.equal(
        ethers.TypedDataEncoder.hash(domain, TYPES, message),
      );
      return { ...message, signature };
    }
    const submit = (m: Awaited<ReturnType<typeof signed>>, data: string) =>
      f.civilRegistry.connect(f.signers.outsider).recordBySig(BIRTH, m.subject, data, m.nonce, m.deadline, m.signature);

    it("records what an official signed, submitted by anyone, in the official's name", async function () {
      const data = birthData(20260105);
      const m = await signed(hospitalRegistrar, child, data);
      await expect(submit(m, data))
        .to.emit(f.civilRegistry, "RecordAdded")
        .withArgs(
          uidOf(BIRTH_NUMBER, child, 1n),
          BIRTH,
          child,
          GENESIS.hospitalRegistrar,
          hospitalRegistrar.address,
          CIVIL_REGISTRATION_ACT,
          data,
        );
      expect(await f.civilRegistry.isNonceUsed(hospitalRegistrar.address, 1n)).to.equal(true);
    });

    it("refuses a signer without the right, as if it had called record", async function () {
      const data = birthData(20260105);
      await expect(submit(await signed(f.signers.outsider, child, data), data))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.outsider.address,
          await f.civilRegistry.getAddress(),
          f.civilRegistry.interface.getFunction("record").selector,
        );
    });

    it("refuses other data than signed (another signer is recovered)", async function () {
      const m = await signed(hospitalRegistrar, child, birthData(20260105));
      await expect(submit(m, birthData(20260106))).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
    });

    it("refuses a replayed nonce, an expired deadline and an unreadable signature", async function () {
      const data = birthData(20260105);
      const m = await signed(hospitalRegistrar, child, data, 7n);
      await submit(m, data);
      const other = await enrollPerson(f);
      const again = await signed(hospitalRegistrar, other, data, 7n);
      await expect(submit(again, data))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryNonceUsed")
        .withArgs(hospitalRegistrar.address, 7n);
      const past = BigInt(await time.latest()) - 1n;
      await expect(submit(await signed(hospitalRegistrar, other, data, 8n, past), data))
        .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryExpiredSignature")
        .withArgs(past);
      await expect(
        submit({ ...(await signed(hospitalRegistrar, other, data, 9n)), signature: "0x1234" }, data),
      ).to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryInvalidSignature");
    });
  });

  describe("schemas with every supported type", function () {
    const id = textId("TEST_REGISTER");
    const schema = "string note,uint8[] scores,int8 delta,bool flag,address who,bytes4 tag,uint16[2] pair";
    const types = ["string", "uint8[]", "int8", "bool", "address", "bytes4", "uint16[2]"];
    const valid = (): unknown[] => ["hello", [1, 2, 3], -5, true, ethers.ZeroAddress, "0x01020304", [7, 8]];
    beforeEach(async function () {
      await byLaw(CIVIL_REGISTRATION_ACT, "createRegister", [id, "Test", schema, CIVIL_REGISTRATION_ACT]);
      await enact(f, f.legislators, CIVIL_REGISTRATION_ACT, [
        await call(f.smartLaw, "grantOn", [
          CIVIL_REGISTRATION_ACT,
          roleId("REGISTRAR"),
          await f.civilRegistry.getAddress(),
          f.civilRegistry.interface.getFunction("record").selector,
          id,
          1,
        ]),
      ]);
    });
    const record = (data: string) => f.civilRegistry.connect(f.signers.registrar).record(id, child, data);
    /** The encoding of valid values with one head word replaced. */
    const withWord = (word: number, value: bigint) => {
      const bytes = ethers.getBytes(coder.encode(types, valid()));
      bytes.set(ethers.getBytes(ethers.toBeHex(value, 32)), word * 32);
      return ethers.hexlify(bytes);
    };

    it("reads the layout: 8 head words, dynamic", async function () {
      const register = await f.civilRegistry.register(id);
      expect([register.words, register.dynamic]).to.deep.equal([8n, true]);
      await expect(record(coder.encode(types, valid()))).to.emit(f.civilRegistry, "RecordAdded");
    });

    for (const [label, word, value] of [
      ["a string offset inside the head", 0, 32n],
      ["an array offset past the end", 1, 4096n],
      ["an int8 below its range", 2, ethers.MaxUint256 - 200n],
      ["an int8 above its range", 2, 128n],
      ["a bool of 2", 3, 2n],
      ["an address with high bits", 4, 1n << 160n],
      ["bytes4 with low bits", 5, 1n],
      ["a uint16 array element too big", 7, 1n << 16n],
    ] as const) {
      it(`refuses ${label}`, async function () {
        await expect(record(withWord(word, value)))
          .to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataMismatch")
          .withArgs(id, word);
      });
    }

    it("refuses data whose dynamic part is cut off, or not whole words", async function () {
      const data = coder.encode(types, valid());
      await expect(record(data.slice(0, data.length - 64))).to.be.revertedWithCustomError(
        f.civilRegistry,
        "CivilRegistryDataMismatch",
      );
      await expect(record(data + "00")).to.be.revertedWithCustomError(f.civilRegistry, "CivilRegistryDataLength");
    });
  });
});
