import { expect } from "chai";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { HDNodeWallet, Wallet, encryptKeystoreJson } from "ethers";

import { checkEnactment, enactLawUpdate } from "../../scripts/lib/law/enact";
import { draftLawUpdate, identityCommitment, loadLawFile, type LawFile } from "../../scripts/lib/law/draft";
import {
  LAW_UPDATE_TYPES,
  readLawUpdateFile,
  writeJson,
  type LawUpdateFile,
  type SignatureFile,
} from "../../scripts/lib/law/lawUpdate";
import { formatLawReport, lawReport } from "../../scripts/lib/law/show";
import { openKeystore, signLawUpdate } from "../../scripts/lib/law/sign";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, time } from "../helpers/identity";
import { PENSION_ACT, REGISTRAR, paramKey, roleId } from "../helpers/law";

const MNEMONIC = "test test test test test test test test test test test junk";
const PASSWORD = "correct horse battery staple";

/** The key of the Hardhat network's account `index`, as a legislator would hold it. */
function hardhatAccount(index: number): Wallet {
  return new Wallet(HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`).privateKey);
}

describe("legislators' tools", function () {
  let f: SystemFixture;
  let dir: string;

  beforeEach(async function () {
    f = await deploySystem();
    dir = mkdtempSync(join(tmpdir(), "govchain-law-"));
    writeFileSync(join(dir, "amendment.md"), "# Pension Act, amendment 1\n\nThe retirement age is 65.\n");
  });
  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a law file into the test folder and loads it. */
  function lawFile(law: Partial<LawFile>, name = "law.yaml") {
    const path = join(dir, name);
    const content = { lawId: "PENSION_ACT", text: "amendment.md", ...law };
    writeFileSync(
      path,
      name.endsWith(".json")
        ? JSON.stringify(content)
        : Object.entries(content)
            .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
            .join("\n"),
    );
    return path;
  }

  async function draft(law: Partial<LawFile>): Promise<LawUpdateFile> {
    return draftLawUpdate(hre, loadLawFile(lawFile(law)));
  }

  async function signatures(file: LawUpdateFile, signers = f.legislators): Promise<SignatureFile[]> {
    return Promise.all(signers.map((s) => signLawUpdate(s, file)));
  }

  describe("law:draft", function () {
    it("encodes parameters, grants and named calls, hashes the text and takes the next version", async function () {
      const file = await draft({
        params: { RETIREMENT_AGE: 65 },
        grants: [
          { role: "REGISTRAR", contract: "IdentityRegistry", functions: ["defineJurisdiction"], scope: "Jurisdiction" },
        ],
        calls: [{ contract: "IdentityRegistry", function: "defineJurisdiction", args: ["CN-11-01-A", "CN-11-01"] }],
      });
      expect(file.update.lawId).to.equal(PENSION_ACT);
      expect(file.update.version).to.equal(2);
      expect(file.update.epoch).to.equal(1n);
      expect(file.update.textHash).to.equal(ethers.keccak256(readFileSync(join(dir, "amendment.md"))));
      const [setParam, grant, define] = file.update.calls;
      expect(setParam.target).to.equal(await f.smartLaw.getAddress());
      expect(f.smartLaw.interface.decodeFunctionData("setParam", setParam.data)).to.deep.equal([
        PENSION_ACT,
        paramKey("RETIREMENT_AGE"),
        65n,
      ]);
      expect(f.smartLaw.interface.decodeFunctionData("grant", grant.data)).to.deep.equal([
        PENSION_ACT,
        REGISTRAR,
        await f.identityRegistry.getAddress(),
        f.identityRegistry.interface.getFunction("defineJurisdiction").selector,
        1n,
      ]);
      expect(f.identityRegistry.interface.decodeFunctionData("defineJurisdiction", define.data)).to.deep.equal([
        ethers.encodeBytes32String("CN-11-01-A"),
        DONGCHENG,
      ]);
      expect(file.summary[0]).to.equal("SmartLaw.setParam(PENSION_ACT, RETIREMENT_AGE, 65)");
      expect(file.digest).to.equal(await f.legislature.hashLawUpdate(file.update));
    });

    it("encodes the resources of an appointing power as roles, in grants and in named calls", async function () {
      const file = await draft({
        grants: [
          {
            role: "PERSONNEL_OFFICER",
            contract: "IdentityRegistry",
            functions: ["appoint"],
            resources: ["CLERK"],
            scope: "Jurisdiction",
          },
          { role: "REGISTRAR", contract: "CivilRegistry", functions: ["record"], resources: ["BIRTH"], scope: "Any" },
        ],
        calls: [
          {
            contract: "SmartLaw",
            function: "grantOn",
            args: ["PENSION_ACT", "PERSONNEL_OFFICER", "IdentityRegistry", "IdentityRegistry.dismiss", "CLERK", 1],
          },
        ],
      });
      const resources = file.update.calls.map((c) => f.smartLaw.interface.decodeFunctionData("grantOn", c.data)[4]);
      expect(resources).to.deep.equal([roleId("CLERK"), ethers.encodeBytes32String("BIRTH"), roleId("CLERK")]);
    });

    it("encodes a register's kind of subject, and a grant on a service of the ServiceDesk", async function () {
      const file = await draft({
        registers: [{ id: "CHARITY", name: "Charities", schema: "bytes32 documentHash", subject: "organisation" }],
        grants: [
          {
            role: "CIVIL_AFFAIRS_OFFICER",
            contract: "ServiceDesk",
            functions: ["decide"],
            resources: ["PENSION_ENROLMENT"],
            scope: "Jurisdiction",
          },
        ],
      });
      const [create, grant] = file.update.calls;
      expect(create.target).to.equal(await f.civilRegistry.getAddress());
      expect(f.civilRegistry.interface.decodeFunctionData("createRegisterOfKind", create.data)).to.deep.equal([
        ethers.encodeBytes32String("CHARITY"),
        "Charities",
        "bytes32 documentHash",
        PENSION_ACT,
        2n,
      ]);
      expect(f.smartLaw.interface.decodeFunctionData("grantOn", grant.data)).to.deep.equal([
        PENSION_ACT,
        ethers.id("CIVIL_AFFAIRS_OFFICER"),
        await f.serviceDesk.getAddress(),
        f.serviceDesk.interface.getFunction("decide").selector,
        ethers.encodeBytes32String("PENSION_ENROLMENT"),
        1n,
      ]);
    });

    it("reads JSON law files too", async function () {
      const file = await draftLawUpdate(hre, loadLawFile(lawFile({ params: { RETIREMENT_AGE: 63 } }, "law.json")));
      expect(file.summary).to.deep.equal(["SmartLaw.setParam(PENSION_ACT, RETIREMENT_AGE, 63)"]);
    });

    for (const [label, law, message] of [
      [
        "an unknown contract",
        { calls: [{ contract: "Treasure", function: "pay", args: [] }] },
        /unknown contract "Treasure" \(deployed: BirthRegistrationRule, CivilRegistry, FiatToken, IdentityRegistry,/,
      ],
      [
        "an unknown function",
        { calls: [{ contract: "IdentityRegistry", function: "enrol", args: [] }] },
        /IdentityRegistry has no function "enrol" \(its functions that write: .*enroll/,
      ],
      [
        "a wrong number of arguments",
        { calls: [{ contract: "SmartLaw", function: "setParam", args: ["PENSION_ACT"] }] },
        /SmartLaw.setParam takes 3 arguments \(bytes32 lawId, bytes32 key, uint256 value\), not 1/,
      ],
      [
        "a wrong argument type",
        { params: { RETIREMENT_AGE: "sixty-five" } },
        /SmartLaw.setParam argument "value" must be a whole number, not "sixty-five"/,
      ],
      [
        "a number out of range",
        {
          calls: [
            { contract: "SmartLaw", function: "grant", args: ["PENSION_ACT", "R", "SmartLaw", "SmartLaw.repeal", 300] },
          ],
        },
        /argument "scope" is out of range for uint8: 300/,
      ],
      [
        "an unknown account",
        { calls: [{ contract: "SmartLaw", function: "assignRole", args: ["nobody", "R", "PENSION_ACT"] }] },
        /"nobody" is not an address, a named account or a deployed contract/,
      ],
      [
        "a call of SmartLaw.recordVersion (another law's version, which the Legislature refuses)",
        { calls: [{ contract: "SmartLaw", function: "recordVersion", args: ["CIVIL_ADMINISTRATION_ACT", 2, "TEXT"] }] },
        /SmartLaw.recordVersion\(CIVIL_ADMINISTRATION_ACT, 2, TEXT\): a law update may not call SmartLaw.recordVersion/,
      ],
      ["a wrong version", { version: 5 }, /PENSION_ACT is at version 1: this update must enact version 2, not 5/],
      ["a missing legal text", { text: "missing.md" }, /cannot read the legal text .*missing.md/],
      ["an unknown field", { parameters: {} } as Partial<LawFile>, /unknown field "parameters"/],
      ["a text too long for an id", { params: { A_PARAMETER_NAME_LONGER_THAN_31_BYTES: 1 } }, /longer than 31 bytes/],
    ] as const) {
      it(`refuses ${label} with a clear message`, async function () {
        await expect(draft(law as Partial<LawFile>)).to.be.rejectedWith(message);
      });
    }

    it("refuses a file that is not valid YAML", async function () {
      const path = join(dir, "broken.yaml");
      writeFileSync(path, "lawId: [unclosed");
      expect(() => loadLawFile(path)).to.throw(/broken.yaml is not valid YAML/);
    });
  });

  describe("identityCommitment", function () {
    it("commits to every attribute, nested ones included, whatever the order of the fields", function () {
      const salt = ethers.id("salt");
      const person = { name: "Chen Jie", birth: { date: "1990-05-01", place: "CN-11-01" } };
      const reordered = { birth: { place: "CN-11-01", date: "1990-05-01" }, name: "Chen Jie" };
      const otherPlace = { name: "Chen Jie", birth: { date: "1990-05-01", place: "CN-31" } };
      expect(identityCommitment(reordered, salt)).to.equal(identityCommitment(person, salt));
      expect(identityCommitment(otherPlace, salt)).to.not.equal(identityCommitment(person, salt));
      expect(identityCommitment(person, ethers.id("other salt"))).to.not.equal(identityCommitment(person, salt));
    });
  });

  describe("law:sign", function () {
    it("signs exactly as a wallet's eth_signTypedData_v4 does", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      const account = hardhatAccount(1);
      const keystore = join(dir, "legislator1.json");
      writeFileSync(keystore, await encryptKeystoreJson(account, PASSWORD, { scrypt: { N: 1 << 10 } }));
      const wallet: Wallet = await openKeystore(keystore, PASSWORD);
      const ours = await signLawUpdate(wallet, file);

      const typedData = {
        types: {
          EIP712Domain: [
            { name: "name", type: "string" },
            { name: "version", type: "string" },
            { name: "chainId", type: "uint256" },
            { name: "verifyingContract", type: "address" },
          ],
          ...LAW_UPDATE_TYPES,
        },
        primaryType: "LawUpdate",
        domain: file.domain,
        message: JSON.parse(JSON.stringify(file.update, (_, v) => (typeof v === "bigint" ? v.toString() : v))),
      };
      const walletSignature = await hre.network.provider.request({
        method: "eth_signTypedData_v4",
        params: [f.signers.legislator1.address, JSON.stringify(typedData)],
      });
      expect(ours.signer).to.equal(f.signers.legislator1.address);
      expect(ours.signature).to.equal(walletSignature);
    });

    it("refuses a wrong password and a file that is not a keystore", async function () {
      const keystore = join(dir, "k.json");
      writeFileSync(keystore, await encryptKeystoreJson(hardhatAccount(2), PASSWORD, { scrypt: { N: 1 << 10 } }));
      await expect(openKeystore(keystore, "wrong")).to.be.rejectedWith(/wrong password for the keystore/);
      writeFileSync(join(dir, "not.json"), "{}");
      await expect(openKeystore(join(dir, "not.json"), PASSWORD)).to.be.rejectedWith(
        /is not an encrypted JSON keystore/,
      );
    });

    it("refuses a LawUpdate file altered after drafting", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      const path = join(dir, "update.json");
      writeJson(path, { ...file, update: { ...file.update, deadline: file.update.deadline + 1n } });
      expect(() => readLawUpdateFile(path)).to.throw(/was altered: its digest .* is not the hash of its content/);
    });
  });

  describe("law:enact", function () {
    it("submits an update signed by a quorum", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      const { receipt, plan } = await enactLawUpdate(hre, file, await signatures(file), f.signers.outsider);
      expect(receipt.status).to.equal(1);
      expect(plan.signers).to.deep.equal([f.signers.legislator1.address, f.signers.legislator2.address]);
      expect(await f.smartLaw.param(PENSION_ACT, paramKey("RETIREMENT_AGE"))).to.equal(65n);
    });

    it("counts on-chain approvals, and a signature given twice once", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      await f.legislature.connect(f.signers.legislator3).approve(file.digest);
      const [one] = await signatures(file, [f.signers.legislator1]);
      const plan = await checkEnactment(hre, file, [one, one]);
      expect(plan.approvals).to.deep.equal([f.signers.legislator3.address]);
      expect(plan.notes).to.deep.equal([`${f.signers.legislator1.address} signed more than once; counted once`]);
    });

    describe("refuses before sending anything", function () {
      async function refused(file: LawUpdateFile, sigs: SignatureFile[], message: RegExp) {
        const block = await ethers.provider.getBlockNumber();
        await expect(enactLawUpdate(hre, file, sigs, f.signers.outsider)).to.be.rejectedWith(message);
        expect(await ethers.provider.getBlockNumber()).to.equal(block);
      }

      it("a signature by a non-legislator", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 } });
        await refused(
          file,
          await signatures(file, [f.signers.legislator1, f.signers.outsider]),
          new RegExp(`${f.signers.outsider.address} is not a current legislator`),
        );
      });

      it("too few signatures, naming who has yet to sign", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 } });
        await refused(
          file,
          await signatures(file, [f.signers.legislator2]),
          new RegExp(
            `1 of the 2 legislators needed have signed or approved; still to sign: ${f.signers.legislator1.address}, ${f.signers.legislator3.address}`,
          ),
        );
      });

      it("an expired update", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 }, validForDays: 1 });
        const sigs = await signatures(file);
        await time.increase(2 * 86_400);
        await refused(file, sigs, /the update expired at/);
      });

      it("an update already enacted", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 } });
        const sigs = await signatures(file);
        await enactLawUpdate(hre, file, sigs, f.signers.outsider);
        await refused(file, sigs, /already enacted \(its nonce .* is used\)/);
      });

      it("a signature for another update, and a signature file that lies about its signer", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 } });
        const other = await draft({ params: { RETIREMENT_AGE: 66 } });
        const [foreign] = await signatures(other, [f.signers.legislator1]);
        const [mine] = await signatures(file, [f.signers.legislator2]);
        await refused(file, [foreign, mine], /is for another law update/);
        await refused(
          file,
          [{ ...mine, signer: f.signers.legislator1.address }],
          new RegExp(
            `says it is by ${f.signers.legislator1.address}, but it was signed by ${f.signers.legislator2.address}`,
          ),
        );
      });

      it("an update signed for a past epoch", async function () {
        const stale = await draft({ params: { RETIREMENT_AGE: 65 } });
        const change = await draft({
          calls: [{ contract: "Legislature", function: "setLegislators", args: [["legislator1", "legislator2"], 2] }],
        });
        await enactLawUpdate(hre, change, await signatures(change), f.signers.outsider);
        await refused(stale, await signatures(stale), /signed for epoch 1, the current epoch is 2/);
      });
    });
  });

  describe("law:show", function () {
    it("reports versions, grants and parameters", async function () {
      const report = await lawReport(hre, "CIVIL_ADMINISTRATION_ACT", ["REGISTRAR", "PERSONNEL_OFFICER"]);
      expect(report.version).to.equal(1);
      expect(report.inForce).to.equal(true);
      expect(report.grants).to.deep.include({
        role: "REGISTRAR",
        contract: "IdentityRegistry",
        function: "enroll",
        scope: "Jurisdiction",
      });
      const pension = await lawReport(hre, "PENSION_ACT");
      expect(pension.params).to.deep.include({ key: "RETIREMENT_AGE", value: 60n });
      expect(formatLawReport(pension)).to.match(/PENSION_ACT — version 1, in force[\s\S]*RETIREMENT_AGE = 60/);
      await expect(lawReport(hre, "NO_SUCH_LAW")).to.be.rejectedWith(/no law "NO_SUCH_LAW" was ever enacted/);
    });
  });

  describe("the tasks, end to end", function () {
    it("draft, sign with keystores, enact and show", async function () {
      const law = lawFile({ params: { RETIREMENT_AGE: 65 } });
      const update = join(dir, "update.json");
      await hre.run("law:draft", { law, out: update });
      const sigs = [];
      for (const index of [1, 2]) {
        const keystore = join(dir, `legislator${index}.json`);
        writeFileSync(keystore, await encryptKeystoreJson(hardhatAccount(index), PASSWORD, { scrypt: { N: 1 << 10 } }));
        const out = join(dir, `signature${index}.json`);
        process.env.GOVCHAIN_KEYSTORE_PASSWORD = PASSWORD;
        try {
          await hre.run("law:sign", { update, keystore, out });
        } finally {
          delete process.env.GOVCHAIN_KEYSTORE_PASSWORD;
        }
        sigs.push(out);
      }
      await expect(hre.run("law:enact", { update, signatures: sigs.slice(0, 1), check: false })).to.be.rejectedWith(
        /1 of the 2 legislators/,
      );
      await hre.run("law:enact", { update, signatures: sigs, check: false });
      expect(await f.smartLaw.param(PENSION_ACT, paramKey("RETIREMENT_AGE"))).to.equal(65n);
    });
  });
});
