import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { Refused } from "../../scripts/lib/common/tx";
import { identityCommitment } from "../../scripts/lib/law/draft";
import {
  addKey,
  consentToIdentity,
  enrolIdentity,
  formatIdentity,
  recoverKey,
  revokeKey,
  setIdentityStatus,
  showIdentity,
} from "../../scripts/lib/identity/identity";
import { appointOfficial, dismissOfficial, listAppointments } from "../../scripts/lib/identity/officials";
import { citizenFixture, type CitizenFixture } from "../helpers/fixtures";
import { FIRST_NEW_APPOINTMENT, FIRST_NEW_IDENTITY, GENESIS, STATUS } from "../helpers/identity";

/** A key we hold, funded, that nobody enrolled. */
async function wallet() {
  const key = ethers.Wallet.createRandom(ethers.provider);
  await ethers.provider.send("hardhat_setBalance", [key.address, "0x56BC75E2D63100000"]);
  return key;
}

describe("identity tools", function () {
  let f: CitizenFixture;

  beforeEach(async function () {
    f = await citizenFixture();
  });

  describe("identity:show", function () {
    it("shows an identity by a named account of its key, with its keys and posts", async function () {
      const view = await showIdentity(hre, "registrar");
      expect([view.id, view.kind, view.status, view.jurisdiction]).to.deep.equal([
        Number(GENESIS.registrar),
        "person",
        "active",
        "CN-11-01",
      ]);
      expect(view.keys).to.have.length(1);
      expect([view.keys[0].name, view.keys[0].live]).to.deep.equal(["registrar", true]);
      expect(view.posts.map((p) => [p.role, p.current])).to.deep.equal([["REGISTRAR", true]]);
      expect(formatIdentity(view)).to.match(/appointment 2: REGISTRAR in identity 2 \(dongchengOffice\), CN-11-01/);
    });

    it("names the identities that exist when an id or a name is unknown", async function () {
      await expect(showIdentity(hre, "99")).to.be.rejectedWith(/there is no identity 99 \(the ids are 1 to 18\)/);
      await expect(showIdentity(hre, "nobody")).to.be.rejectedWith(/give its id \(1 to 18\)/);
      await expect(showIdentity(hre, "outsider")).to.be.rejectedWith(/is not a key of any identity/);
    });
  });

  describe("identity:enrol", function () {
    it("enrols a person whose key consented, the commitment computed from attributes and salt", async function () {
      await consentToIdentity(hre, f.signers.citizen2, 0n);
      const attributes = { name: "Zhou Min", born: "1950-03-02" };
      const id = await enrolIdentity(hre, f.signers.registrar, {
        kind: "person",
        jurisdiction: "CN-11-01",
        key: "citizen2",
        attributes,
        salt: "zhou-min",
      });
      expect(id).to.equal(FIRST_NEW_IDENTITY + 1n);
      const identity = await f.identityRegistry.identity(id);
      expect(identity.attributesHash).to.equal(identityCommitment(attributes, "zhou-min"));
      expect((await showIdentity(hre, "citizen2")).id).to.equal(Number(id));
    });

    it("refuses an unknown jurisdiction by name, and a key that did not consent with nothing sent", async function () {
      const hash = ethers.id("x");
      const enrolment = { kind: "person" as const, key: "citizen2", attributesHash: hash };
      await expect(enrolIdentity(hre, f.signers.registrar, { ...enrolment, jurisdiction: "CN-99" })).to.be.rejectedWith(
        /no jurisdiction "CN-99" \(jurisdictions: CN, CN-11, CN-11-01/,
      );
      const nonce = await f.signers.registrar.getNonce();
      const refusal = await enrolIdentity(hre, f.signers.registrar, { ...enrolment, jurisdiction: "CN-11-01" }).catch(
        (e) => e,
      );
      expect(refusal).to.be.instanceOf(Refused);
      expect(refusal.message).to.match(/^refused, nothing sent: IdentityRegistryNoConsent\(citizen2 \(0x/);
      expect(await f.signers.registrar.getNonce()).to.equal(nonce);
    });
  });

  describe("keys", function () {
    it("adds a key that consented, revokes it, and a registrar recovers a lost key", async function () {
      const second = await wallet();
      await consentToIdentity(hre, second, f.citizenId);
      await addKey(hre, f.signers.citizen1, "citizen1", second.address);
      expect(await f.identityRegistry.identityOf(second.address)).to.equal(f.citizenId);
      await revokeKey(hre, f.signers.citizen1, second.address);

      const replacement = await wallet();
      await consentToIdentity(hre, replacement, f.citizenId);
      await recoverKey(hre, f.signers.registrar, "citizen1", replacement.address);
      const view = await showIdentity(hre, String(f.citizenId));
      expect(view.keys.map((k) => [k.key, k.live])).to.deep.equal([
        [f.signers.citizen1.address, false],
        [second.address, false],
        [replacement.address, true],
      ]);
    });
  });

  describe("identity:status", function () {
    it("suspends with the reason kept as text, and refuses a status that does not exist", async function () {
      await setIdentityStatus(hre, f.signers.registrar, "citizen1", "suspended", "COURT_ORDER_17");
      expect((await f.identityRegistry.identity(f.citizenId)).status).to.equal(STATUS.Suspended);
      const [event] = await f.identityRegistry.queryFilter(
        f.identityRegistry.filters.IdentityStatusChanged(f.citizenId),
      );
      expect(event.args.reason).to.equal("COURT_ORDER_17");
      expect(event.args.reasonHash).to.equal(ethers.id("COURT_ORDER_17"));
      await expect(setIdentityStatus(hre, f.signers.registrar, "citizen1", "asleep", "x")).to.be.rejectedWith(
        /one of active, suspended, deceased, dissolved/,
      );
    });
  });

  describe("officials", function () {
    it("appoints, lists by role and department, and dismisses with the reason", async function () {
      const id = await appointOfficial(hre, f.signers.director, {
        official: "citizen1",
        role: "REGISTRAR",
        department: "dongchengOffice",
        jurisdiction: "CN-11-01",
        until: "2030-01-01",
      });
      expect(id).to.equal(FIRST_NEW_APPOINTMENT);
      const registrars = await listAppointments(hre, { role: "REGISTRAR", department: "dongchengOffice" });
      expect(registrars.map((a) => [a.official, a.current])).to.deep.equal([
        [Number(GENESIS.registrar), true],
        [Number(f.citizenId), true],
      ]);
      await dismissOfficial(hre, f.signers.director, id, "MISCONDUCT");
      const [after] = (await listAppointments(hre, { role: "REGISTRAR" })).filter(
        (a) => a.appointmentId === Number(id),
      );
      expect([after.current, after.dismissalReason]).to.deep.equal([false, "MISCONDUCT"]);
    });

    it("names the roles when one is unknown, and refuses an appointment beyond the appointer's grant", async function () {
      const request = { official: "citizen1", department: "1", jurisdiction: "CN", until: "2030-01-01" };
      await expect(appointOfficial(hre, f.signers.director, { ...request, role: "KING" })).to.be.rejectedWith(
        /no law grants a role "KING" \(roles: (?=.*\bREGISTRAR\b)(?=.*\bPERSONNEL_OFFICER\b)/,
      );
      await expect(appointOfficial(hre, f.signers.director, { ...request, role: "JUDGE" })).to.be.rejectedWith(
        /^refused, nothing sent: SmartLaw/,
      );
      await expect(dismissOfficial(hre, f.signers.director, 99n, "x")).to.be.rejectedWith(/no appointment 99/);
    });
  });
});
