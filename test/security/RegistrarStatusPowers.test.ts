/**
 * The power over an identity's status is granted per kind and target status (SmartLaw is asked with the resource
 * "PERSON:SUSPENDED", "ORGANISATION:DISSOLVED"...). In the genesis law a registrar suspends, reinstates and marks
 * deceased the persons of his jurisdiction; organisations (departments among them) change status by law alone.
 */
import { expect } from "chai";
import { ethers } from "hardhat";

import { CN, GENESIS, KIND, STATUS, time } from "../helpers/identity";
import { CIVIL_ACT, REGISTRAR, SCOPE_JURISDICTION, call, enact } from "../helpers/law";
import { BIRTH, birthData, chainDate, enrollPerson } from "../helpers/registry";
import { newPerson, treasuryFixture, type TreasuryFixture } from "../helpers/treasury";

const status = (text: string) => ethers.encodeBytes32String(text);

describe("Registrar status powers", function () {
  let f: TreasuryFixture;

  beforeEach(async function () {
    f = await treasuryFixture();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);
  const setStatus = () => f.identityRegistry.interface.getFunction("setStatus").selector;
  const unauthorized = async (tx: Promise<unknown>, caller: string) =>
    expect(tx)
      .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
      .withArgs(caller, await f.identityRegistry.getAddress(), setStatus());

  describe("a registrar and a department", function () {
    it("is refused dissolving, suspending or reinstating an organisation of his jurisdiction", async function () {
      const { registrar } = f.signers;
      await unauthorized(asRegistrar().setStatus(GENESIS.hospital, STATUS.Dissolved, "none"), registrar.address);
      await unauthorized(asRegistrar().setStatus(GENESIS.hospital, STATUS.Suspended, "none"), registrar.address);
      expect((await f.identityRegistry.identity(GENESIS.hospital)).status).to.equal(STATUS.Active);
      // the hospital registrar still records births
      const child = await enrollPerson(f);
      await expect(
        f.civilRegistry.connect(f.signers.hospitalRegistrar).record(BIRTH, child, birthData(await chainDate())),
      ).to.emit(f.civilRegistry, "RecordAdded");
      // a law suspends the department, and only a law reinstates it
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.identityRegistry, "setStatus", [GENESIS.hospital, STATUS.Suspended, "audit"]),
      ]);
      await unauthorized(asRegistrar().setStatus(GENESIS.hospital, STATUS.Active, "undo"), registrar.address);
      await expect(
        enact(f, f.legislators, CIVIL_ACT, [
          await call(f.identityRegistry, "setStatus", [GENESIS.hospital, STATUS.Active, "audit closed"]),
        ]),
      )
        .to.emit(f.identityRegistry, "IdentityStatusChanged")
        .withArgs(
          GENESIS.hospital,
          STATUS.Suspended,
          STATUS.Active,
          ethers.id("audit closed"),
          "audit closed",
          CIVIL_ACT,
          await f.legislature.getAddress(),
        );
    });

    it("refuses a country-wide registrar (the personnel officer's accomplice) the Ministry, the Court and the Bank", async function () {
      const now = BigInt(await time.latest());
      const accomplice = await newPerson(f);
      await f.identityRegistry
        .connect(f.signers.director)
        .appoint(accomplice.id, REGISTRAR, GENESIS.dongchengOffice, CN, now, now + 365n * 86_400n);
      for (const org of [GENESIS.ministry, GENESIS.court, GENESIS.centralBank]) {
        await unauthorized(
          f.identityRegistry.connect(accomplice.wallet).setStatus(org, STATUS.Dissolved, "none"),
          accomplice.wallet.address,
        );
        expect((await f.identityRegistry.identity(org)).status).to.equal(STATUS.Active);
      }
      // the Legislature's judge keeps his powers, and the Ministry its account
      await expect(f.fiatToken.connect(f.signers.judge).freeze(accomplice.wallet.address, ethers.id("x"))).to.emit(
        f.fiatToken,
        "AccountFrozen",
      );
      expect((await f.treasury.account(GENESIS.ministry)).open).to.equal(true);
    });

    it("lets a law grant the suspension of organisations per status, and that grant does what it says", async function () {
      const registry = await f.identityRegistry.getAddress();
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.smartLaw, "grantOn", [
          CIVIL_ACT,
          REGISTRAR,
          registry,
          setStatus(),
          status("ORGANISATION:SUSPENDED"),
          SCOPE_JURISDICTION,
        ]),
      ]);
      await expect(asRegistrar().setStatus(GENESIS.hospital, STATUS.Suspended, "inspection"))
        .to.emit(f.identityRegistry, "IdentityStatusChanged")
        .withArgs(
          GENESIS.hospital,
          STATUS.Active,
          STATUS.Suspended,
          ethers.id("inspection"),
          "inspection",
          CIVIL_ACT,
          f.signers.registrar.address,
        );
      // suspension only: dissolution and reinstatement stay the Legislature's
      await unauthorized(asRegistrar().setStatus(GENESIS.hospital, STATUS.Active, "undo"), f.signers.registrar.address);
      await unauthorized(
        asRegistrar().setStatus(GENESIS.hospital, STATUS.Dissolved, "close"),
        f.signers.registrar.address,
      );
    });
  });

  describe("a registrar and a person", function () {
    it("suspends, reinstates and marks deceased a person of his jurisdiction, naming the law", async function () {
      const person = await newPerson(f);
      for (const [from, to] of [
        [STATUS.Active, STATUS.Suspended],
        [STATUS.Suspended, STATUS.Active],
        [STATUS.Active, STATUS.Deceased],
      ]) {
        await expect(asRegistrar().setStatus(person.id, to, "reason"))
          .to.emit(f.identityRegistry, "IdentityStatusChanged")
          .withArgs(person.id, from, to, ethers.id("reason"), "reason", CIVIL_ACT, f.signers.registrar.address);
      }
    });

    it("is refused outside his jurisdiction", async function () {
      const person = await newPerson(f); // in Dongcheng
      await expect(f.identityRegistry.connect(f.signers.registrar2).setStatus(person.id, STATUS.Suspended, ""))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawOutsideJurisdiction")
        .withArgs(f.signers.registrar2.address, (await f.identityRegistry.identity(person.id)).jurisdiction);
    });
  });

  it("asks SmartLaw with the kind and target status that the genesis grants name", async function () {
    const registry = await f.identityRegistry.getAddress();
    for (const text of ["PERSON:SUSPENDED", "PERSON:ACTIVE", "PERSON:DECEASED"]) {
      const grants = await f.smartLaw.grantsOn(registry, setStatus(), status(text));
      expect(grants.map((g) => g.role)).to.deep.equal([REGISTRAR]);
    }
    for (const text of ["ORGANISATION:SUSPENDED", "ORGANISATION:ACTIVE", "ORGANISATION:DISSOLVED"]) {
      expect(await f.smartLaw.grantsOn(registry, setStatus(), status(text))).to.deep.equal([]);
    }
    expect(await f.smartLaw.grantsFor(registry, setStatus())).to.deep.equal([]);
    expect(await f.identityRegistry.statusResource(KIND.Organisation, STATUS.Dissolved)).to.equal(
      status("ORGANISATION:DISSOLVED"),
    );
  });
});
