import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import hre, { ethers } from "hardhat";
import { HDNodeWallet, Signature, Wallet, concat, encryptKeystoreJson, encryptKeystoreJsonSync, toBeHex } from "ethers";

import { checkEnactment, enactLawUpdate } from "../../scripts/lib/law/enact";
import { draftLawUpdate, identityCommitment, loadLawFile, type LawFile } from "../../scripts/lib/law/draft";
import {
  LAW_UPDATE_TYPES,
  domainOfFile,
  identityCountGuard,
  isEnrolment,
  lawUpdateDigest,
  readLawUpdateFile,
  writeJson,
  type LawUpdateFile,
  type SignatureFile,
} from "../../scripts/lib/law/lawUpdate";
import { callDecoder, decodeCalls } from "../../scripts/lib/law/describe";
import { dryRunLawUpdate, formatReview, reviewLawUpdate } from "../../scripts/lib/law/review";
import { formatLawReport, lawReport } from "../../scripts/lib/law/show";
import { openKeystore, signLawUpdate } from "../../scripts/lib/law/sign";
import { enactWithSigners } from "../../scripts/lib/law/genesis";
import { readableId } from "../../scripts/lib/common/ids";
import { READ_PERSONAL_DATA, READ_RECORD, SUBJECT_ROLE } from "../../scripts/lib/common/reads";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { DONGCHENG, GENESIS, time } from "../helpers/identity";
import { BIRTH } from "../helpers/registry";
import { PENSION_ACT, REGISTRAR, paramKey, roleId } from "../helpers/law";

const MNEMONIC = "test test test test test test test test test test test junk";
const PASSWORD = "correct horse battery staple";
const FAST_SCRYPT = { scrypt: { N: 1 << 10 } };

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

  /** A keystore of the Hardhat network's account `index`, written into the test folder. */
  function keystore(index: number): string {
    const path = join(dir, `keystore${index}.json`);
    if (!existsSync(path)) writeFileSync(path, encryptKeystoreJsonSync(hardhatAccount(index), PASSWORD, FAST_SCRYPT));
    return path;
  }

  async function withPassword<T>(action: () => Promise<T>): Promise<T> {
    process.env.GOVCHAIN_KEYSTORE_PASSWORD = PASSWORD;
    try {
      return await action();
    } finally {
      delete process.env.GOVCHAIN_KEYSTORE_PASSWORD;
    }
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
      expect(file.summary).to.deep.equal([
        "SmartLaw.setParam(lawId: PENSION_ACT, key: RETIREMENT_AGE, value: 65 years)",
        "SmartLaw.grant(lawId: PENSION_ACT, role: REGISTRAR, target: IdentityRegistry, selector: IdentityRegistry.defineJurisdiction, scope: Jurisdiction)",
        "IdentityRegistry.defineJurisdiction(code: CN-11-01-A, parent: CN-11-01)",
      ]);
      expect(file.digest).to.equal(await f.legislature.hashLawUpdate(file.update));
    });

    it("shows each parameter in its own unit, says when a unit is unknown, and never prints a role name that is not plain", async function () {
      const lookalike = "REGISTR\u0410R"; // a Cyrillic A: prints as REGISTRAR, hashes to another role
      const decoder = await callDecoder(hre, ["REGISTRAR", lookalike, "NEW_ROLE_2"]);
      const setParam = (key: string, value: number) => ({
        target: f.smartLaw.target as string,
        data: f.smartLaw.interface.encodeFunctionData("setParam", [PENSION_ACT, paramKey(key), value]),
      });
      const grant = async (role: string) => ({
        target: f.smartLaw.target as string,
        data: f.smartLaw.interface.encodeFunctionData("grant", [
          PENSION_ACT,
          roleId(role),
          await f.identityRegistry.getAddress(),
          f.identityRegistry.interface.getFunction("enroll").selector,
          1n,
        ]),
      });
      const lines = decodeCalls(decoder, [
        setParam("DECLARATION_PERIOD", 3650),
        setParam("PENSION_PERIOD", 60),
        setParam("BONUS", 5),
        await grant(lookalike),
        await grant("NEW_ROLE_2"),
      ]).map((c) => c.line);
      expect(lines.slice(0, 3)).to.deep.equal([
        "SmartLaw.setParam(lawId: PENSION_ACT, key: DECLARATION_PERIOD, value: 3650 days)",
        "SmartLaw.setParam(lawId: PENSION_ACT, key: PENSION_PERIOD, value: 60 seconds (60 s))",
        "SmartLaw.setParam(lawId: PENSION_ACT, key: BONUS, value: 5 (unit unknown to the tools: read the legal text))",
      ]);
      expect(lines[3]).to.contain(`role: ${roleId(lookalike)} (UNKNOWN ROLE)`);
      expect(lines[3]).not.to.contain("REGISTR");
      expect(lines[4]).to.contain("role: NEW_ROLE_2,");
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

    it("refuses a deadline within ten minutes of the latest block: no time to sign and enact", async function () {
      const latest = BigInt(await time.latest());
      await expect(draft({ params: { RETIREMENT_AGE: 65 }, deadline: Number(latest + 300n) })).to.be.rejectedWith(
        /is 300 s after the latest block, within the 10-minute margin: there is no time to sign and enact it/,
      );
    });

    it("reads JSON law files too", async function () {
      const file = await draftLawUpdate(hre, loadLawFile(lawFile({ params: { RETIREMENT_AGE: 63 } }, "law.json")));
      expect(file.summary).to.deep.equal([
        "SmartLaw.setParam(lawId: PENSION_ACT, key: RETIREMENT_AGE, value: 63 years)",
      ]);
    });

    for (const [label, law, message] of [
      [
        "an unknown contract",
        { calls: [{ contract: "Treasure", function: "pay", args: [] }] },
        /unknown contract "Treasure" \(deployed: AccessLog, BirthRegistrationRule, CivilRegistry, FiatToken, IdentityRegistry,/,
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
      [
        "an unknown field in an entry",
        {
          grants: [{ role: "R", contract: "SmartLaw", function: ["repeal"], scope: "Any" }],
        } as unknown as Partial<LawFile>,
        /grants\[0\] has an unknown field "function" \(known: role, contract, functions, resources, scope\)/,
      ],
      ["a text too long for an id", { params: { A_PARAMETER_NAME_LONGER_THAN_31_BYTES: 1 } }, /longer than 31 bytes/],
      [
        "registers named for a read that has none (personal data)",
        {
          grants: [
            {
              role: "SUBJECT",
              contract: "IdentityRegistry",
              functions: ["readPersonalData"],
              resources: ["BIRTH"],
              scope: "Any",
            },
          ],
        },
        /grant of SUBJECT: IdentityRegistry.readPersonalData takes no "resources"/,
      ],
      [
        "a read of another contract",
        { grants: [{ role: "REGISTRAR", contract: "IdentityRegistry", functions: ["readRecord"], scope: "Any" }] },
        /IdentityRegistry has no function "readRecord" \(its functions that write: .*; the reads a law may grant: readPersonalData\)/,
      ],
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
      const plan = await checkEnactment(hre, file, [one, one], { submitter: f.signers.outsider.address });
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

      it("a check within ten minutes of the deadline (not Ready); sending then goes on, with a note", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 }, validForDays: 1 });
        const sigs = await signatures(file);
        await time.increaseTo(file.update.deadline - 300n);
        const submitter = f.signers.outsider.address;
        await expect(checkEnactment(hre, file, sigs, { submitter, check: true })).to.be.rejectedWith(
          /the signatures expire at .*, 300 s after the latest block, within the 10-minute margin: it may expire before it is mined/,
        );
        const { plan } = await enactLawUpdate(hre, file, sigs, f.signers.outsider);
        expect(plan.notes).to.have.length(1);
        expect(plan.notes[0]).to.match(/^the signatures expire at .*, \d+ s after the latest block: sent at once$/);
      });

      it("an enactment that needs more gas than a block holds, naming both", async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 } });
        const sigs = await signatures(file);
        await ethers.provider.send("evm_setBlockGasLimit", [toBeHex(100_000)]);
        await ethers.provider.send("evm_mine", []);
        try {
          expect(await dryRunLawUpdate(hre, file)).to.deep.equal({
            simulated: true,
            ok: false,
            reason:
              "the update needs more gas than a block holds (the latest block's gas limit is 100000): split it into smaller updates",
          });
          await refused(
            file,
            sigs,
            /the enactment needs (\d+ gas, more|more gas) than a block holds \(the latest block's gas limit is 100000\)/,
          );
        } finally {
          await ethers.provider.send("evm_setBlockGasLimit", [toBeHex(60_000_000)]);
        }
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

  describe("what a legislator sees", function () {
    const ROLES = ["REGISTRAR", "PERSONNEL_OFFICER", "CIVIL_AFFAIRS_OFFICER"];

    it("decodes every call from its calldata in a legislator's terms", async function () {
      const file = await draft({
        params: { PENSION_PERIOD: 2_592_000, PENSION_AMOUNT: 300_000 },
        appointments: [
          {
            official: 5,
            role: "REGISTRAR",
            department: 2,
            jurisdiction: "CN-11-01",
            from: "2027-01-01",
            until: "2031-01-01",
          },
        ],
        calls: [{ contract: "Treasury", function: "fundProgramme", args: ["PENSION", 200_000_000] }],
      });
      const review = await reviewLawUpdate(hre, file, ROLES, { textFile: join(dir, "amendment.md") });
      expect(review.calls.map((c) => c.line)).to.deep.equal([
        "IdentityRegistry.appoint(official: identity 5, role: REGISTRAR, department: identity 2, jurisdiction: CN-11-01, from: 2027-01-01 00:00 UTC, until: 2031-01-01 00:00 UTC)",
        "SmartLaw.setParam(lawId: PENSION_ACT, key: PENSION_PERIOD, value: 2592000 seconds (30 days))",
        "SmartLaw.setParam(lawId: PENSION_ACT, key: PENSION_AMOUNT, value: 300000 fen (3,000.00 yuan))",
        "Treasury.fundProgramme(programmeId: PENSION, amount: 2,000,000.00 yuan)",
      ]);
      expect(review.calls[0].notes).to.deep.equal([
        "identity 5: person in CN-11-01, active, keys registrar",
        "identity 2: organisation in CN-11-01, active, keys dongchengOffice",
      ]);
      expect(review.text).to.deep.equal({ file: join(dir, "amendment.md"), matches: true });
      expect(review.problems).to.deep.equal([]);
      const text = formatReview(review);
      expect(text).to.match(/network +hardhat \(chain 31337\), Legislature 0x/);
      expect(text).to.match(/epoch 1, nonce \d+/);
      expect(text).to.match(/valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
      expect(text).to.match(/legal text .*amendment.md: matches its hash/);
    });

    it("refuses a file whose summary does not say what its call does (the tampered summary)", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      const update = join(dir, "update.json");
      writeJson(update, {
        ...file,
        summary: ["SmartLaw.setParam(PENSION_ACT, RETIREMENT_AGE, 60) (no change: a clerical re-publication)"],
      });
      const review = await reviewLawUpdate(hre, readLawUpdateFile(update), ROLES);
      expect(review.problems).to.have.length(1);
      expect(review.problems[0]).to.match(
        /summary line 1 says "SmartLaw.setParam\(PENSION_ACT, RETIREMENT_AGE, 60\) \(no change.*", but call 1 is SmartLaw.setParam\(lawId: PENSION_ACT, key: RETIREMENT_AGE, value: 65 years\)/,
      );
      expect(formatReview(review)).to.not.match(/^ +1\. .*no change/m);

      const out = join(dir, "signature.json");
      await expect(withPassword(() => hre.run("law:sign", { update, keystore: keystore(1), out }))).to.be.rejectedWith(
        /not signed: the file's summary line 1 says/,
      );
      expect(existsSync(out)).to.equal(false);
    });

    it("asks before signing: without a terminal and without --yes nothing is signed", async function () {
      const update = join(dir, "update.json");
      writeJson(update, await draft({ params: { RETIREMENT_AGE: 65 } }));
      const out = join(dir, "signature.json");
      const tty = process.stdin.isTTY;
      process.stdin.isTTY = false;
      try {
        await expect(
          withPassword(() => hre.run("law:sign", { update, keystore: keystore(1), out })),
        ).to.be.rejectedWith(/^not confirmed, nothing signed; without a terminal, add --yes to confirm$/);
      } finally {
        process.stdin.isTTY = tty;
      }
      expect(existsSync(out)).to.equal(false);
    });

    it("shows the text hash, and shows as text only ids in capitals, digits and _ : . -", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      const review = await reviewLawUpdate(hre, file, ROLES);
      expect(formatReview(review)).to.include(`  text hash ${file.update.textHash} (keccak256 of the legal text)`);
      expect(readableId(ethers.encodeBytes32String("CN-11-01:A.B_C"))).to.equal("CN-11-01:A.B_C");
      for (const text of ["pension act", "PENSION ACT", "PENSION\u0410CT", 'PENSION"ACT'])
        expect(readableId(ethers.encodeBytes32String(text))).to.equal(ethers.encodeBytes32String(text));
    });

    it("refuses to sign when the legal text given does not match the update's text hash", async function () {
      const file = await draft({ params: { RETIREMENT_AGE: 65 } });
      const update = join(dir, "update.json");
      writeJson(update, file);
      writeFileSync(join(dir, "other.md"), "# Pension Act, amendment 1\n\nThe retirement age is 60.\n");
      const out = join(dir, "signature.json");
      await expect(
        withPassword(() => hre.run("law:sign", { update, keystore: keystore(1), out, text: join(dir, "other.md") })),
      ).to.be.rejectedWith(/not signed: the legal text .*other.md DOES NOT MATCH the update's text hash/);
      expect(existsSync(out)).to.equal(false);
      await withPassword(() =>
        hre.run("law:sign", { update, keystore: keystore(1), out, text: join(dir, "amendment.md"), yes: true }),
      );
      expect(existsSync(out)).to.equal(true);
    });
  });

  describe("identities the update enrols", function () {
    const ROLES = ["REGISTRAR"];

    it("knows enroll and requireIdentityCount by the IdentityRegistry's own selectors", async function () {
      const registry = f.identityRegistry;
      const at = await registry.getAddress();
      expect(identityCountGuard(at, 7n).data).to.equal(
        registry.interface.encodeFunctionData("requireIdentityCount", [7n]),
      );
      const enrol = registry.interface.encodeFunctionData("enroll", [1, DONGCHENG, ethers.ZeroHash, at]);
      expect(isEnrolment({ target: at, data: enrol }, at)).to.equal(true);
      expect(isEnrolment({ target: at, data: identityCountGuard(at, 7n).data }, at)).to.equal(false);
    });
    const JUDGE_KEY = Wallet.createRandom().address;
    const ENROL_AND_APPOINT: Partial<LawFile> = {
      identities: [
        { ref: "judge", kind: "person", jurisdiction: "CN-11-01", key: JUDGE_KEY, attributesHash: ethers.id("judge") },
      ],
      appointments: [
        { official: "@judge", role: "REGISTRAR", department: 2, jurisdiction: "CN-11-01", until: "2031-01-01" },
      ],
    };

    /** The same update with other calls, its digest and summary made again, as a careless or hostile tool would. */
    async function withCalls(file: LawUpdateFile, calls: LawUpdateFile["update"]["calls"]): Promise<LawUpdateFile> {
      const update = { ...file.update, calls };
      const decoder = await callDecoder(hre, ROLES);
      return {
        ...file,
        update,
        digest: lawUpdateDigest(domainOfFile(file), update),
        summary: decodeCalls(decoder, calls).map((c) => c.line),
      };
    }

    /** Another law, enacted meanwhile, that enrols one identity. */
    async function interposeEnrolment() {
      const other = lawFile(
        {
          lawId: "CIVIL_SERVICE_ACT",
          identities: [
            {
              ref: "x",
              kind: "person",
              jurisdiction: "CN-11-01",
              key: Wallet.createRandom().address,
              attributesHash: ethers.id("x"),
            },
          ],
        },
        "other.yaml",
      );
      await enactWithSigners(hre, loadLawFile(other), f.legislators, f.signers.outsider);
    }

    it("binds the identity count as the first call, and shows each new id as enrolled by its call", async function () {
      const count = await f.identityRegistry.identityCount();
      const file = await draft(ENROL_AND_APPOINT);
      expect(file.update.calls[0]).to.deep.equal({
        target: await f.identityRegistry.getAddress(),
        data: f.identityRegistry.interface.encodeFunctionData("requireIdentityCount", [count]),
      });
      const review = await reviewLawUpdate(hre, file, ROLES);
      expect(review.problems).to.deep.equal([]);
      expect(review.identityCount).to.equal(count.toString());
      expect(review.calls[0].line).to.equal(`IdentityRegistry.requireIdentityCount(expected: ${count})`);
      expect(review.calls[1].notes).to.deep.equal([`enrols identity ${count + 1n}`]);
      expect(review.calls[2].notes[0]).to.equal(`identity ${count + 1n} (enrolled by call 2 of this update)`);
      expect(formatReview(review)).to.include(
        `identities enrolled before it: ${count} (bound by call 1, signed); the ids it enrols follow`,
      );

      await enactLawUpdate(hre, file, await signatures(file), f.signers.outsider);
      expect((await f.identityRegistry.keyRecord(JUDGE_KEY)).identityId).to.equal(count + 1n);
      const [appointment] = await f.identityRegistry.appointmentsOf(count + 1n);
      expect((await f.identityRegistry.appointment(appointment)).official).to.equal(count + 1n);
    });

    it("makes the whole enactment fail when an identity was enrolled after signing", async function () {
      const count = await f.identityRegistry.identityCount();
      const file = await draft(ENROL_AND_APPOINT);
      const sigs = await signatures(file);
      await interposeEnrolment();

      const reason = f.identityRegistry.interface.encodeErrorResult("IdentityRegistryIdentityCountChanged", [
        count,
        count + 1n,
      ]);
      await expect(
        f.legislature.enact(
          file.update,
          sigs.map((s) => s.signature),
        ),
      )
        .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
        .withArgs(0, await f.identityRegistry.getAddress(), reason);
      const submitter = f.signers.outsider.address;
      await expect(checkEnactment(hre, file, sigs, { submitter })).to.be.rejectedWith(
        `the update is bound to ${count} enrolled identities (its first call, signed), there are now ${count + 1n}`,
      );
      const review = await reviewLawUpdate(hre, file, ROLES);
      expect(review.problems).to.deep.equal([
        `the update is bound to ${count} enrolled identities (its call 1), there are ${count + 1n}: its enactment would fail (IdentityRegistryIdentityCountChanged); draft it again`,
      ]);
      // the id the update gives its judge is now another person's: not described as the one appointed
      expect(review.calls[2].notes[0]).to.equal(`identity ${count + 1n} (enrolled by call 2 of this update)`);
      expect((await f.identityRegistry.keyRecord(JUDGE_KEY)).identityId).to.equal(0n);
    });

    it("refuses an update that enrols without the binding, or names an identity nobody enrols", async function () {
      const count = await f.identityRegistry.identityCount();
      const drafted = await draft(ENROL_AND_APPOINT);
      const unbound = await reviewLawUpdate(hre, await withCalls(drafted, drafted.update.calls.slice(1)), ROLES);
      expect(unbound.problems).to.deep.equal([
        "the update enrols identities but its first call is not IdentityRegistry.requireIdentityCount: the ids of the identities it enrols are not bound by the signatures; draft it again with law:draft",
        `call 2 names identity ${count + 1n}, which is not enrolled (${count} are) and which no call of this update enrols`,
      ]);

      const stranger = { ...ENROL_AND_APPOINT.appointments![0], official: Number(count + 5n) };
      const orphan = await reviewLawUpdate(hre, await draft({ appointments: [stranger] }), ROLES);
      expect(orphan.problems).to.deep.equal([
        `call 1 names identity ${count + 5n}, which is not enrolled (${count} are) and which no call of this update enrols`,
      ]);
      const early = [drafted.update.calls[0], drafted.update.calls[2], drafted.update.calls[1]];
      expect((await reviewLawUpdate(hre, await withCalls(drafted, early), ROLES)).problems).to.deep.equal([
        `call 2 names identity ${count + 1n} before call 3 enrols it`,
      ]);
      const out = join(dir, "never.json");
      await expect(hre.run("law:draft", { law: lawFile({ appointments: [stranger] }), out })).to.be.rejectedWith(
        /not drafted: call 1 names identity \d+, which is not enrolled/,
      );
      expect(existsSync(out)).to.equal(false);
    });

    it("checks the binding offline too, from the signed count alone", async function () {
      const drafted = await draft(ENROL_AND_APPOINT);
      const review = await reviewLawUpdate(hre, drafted, ROLES, { offline: true });
      expect(review.online).to.equal(false);
      expect(review.unchecked[0]).to.match(/^reviewed offline \(--offline\)/);
      const count = BigInt(review.identityCount!);
      expect(review.calls[2].notes).to.deep.equal([`identity ${count + 1n} (enrolled by call 2 of this update)`]);
    });
  });

  describe("simulation before signatures and before sending", function () {
    const EXISTING_JURISDICTION = {
      calls: [{ contract: "IdentityRegistry", function: "defineJurisdiction", args: ["CN-11", "CN"] }],
    };
    const FAILURE =
      /LegislatureCallFailed\(0, IdentityRegistry \(0x[0-9a-fA-F]{40}\), IdentityRegistryJurisdictionExists\(CN-11\)\)/;

    it("dry-runs an unsigned update as the Legislature: a passing one passes, a failing one names its error", async function () {
      const passing = await dryRunLawUpdate(hre, await draft({ params: { RETIREMENT_AGE: 65 } }));
      expect(passing.simulated && passing.ok).to.equal(true);
      const failing = await dryRunLawUpdate(hre, await draft(EXISTING_JURISDICTION));
      expect(failing.simulated && !failing.ok && failing.reason).to.match(FAILURE);
      expect(await f.smartLaw.param(PENSION_ACT, paramKey("RETIREMENT_AGE"))).to.equal(60n);
    });

    it("law:draft writes no update that would fail", async function () {
      const out = join(dir, "update.json");
      await expect(hre.run("law:draft", { law: lawFile(EXISTING_JURISDICTION), out })).to.be.rejectedWith(
        new RegExp(`not drafted: the update would fail: ${FAILURE.source}`),
      );
      expect(existsSync(out)).to.equal(false);
    });

    it("law:enact --check is not Ready for a signed update whose call fails", async function () {
      const file = await draftLawUpdate(hre, loadLawFile(lawFile(EXISTING_JURISDICTION)));
      const submitter = f.signers.outsider.address;
      await expect(checkEnactment(hre, file, await signatures(file), { submitter })).to.be.rejectedWith(
        new RegExp(`the enactment would fail: ${FAILURE.source}`),
      );
    });

    for (const [label, encode] of [
      ["64-byte compact (EIP-2098)", (sig: string) => Signature.from(sig).compactSerialized],
      [
        "v = 0/1 (go-ethereum's crypto.Sign)",
        (sig: string) => {
          const parsed = Signature.from(sig);
          return concat([parsed.r, parsed.s, toBeHex(parsed.v - 27, 1)]);
        },
      ],
    ] as const) {
      it(`enacts signatures given as ${label}`, async function () {
        const file = await draft({ params: { RETIREMENT_AGE: 65 } });
        const sigs = (await signatures(file)).map((s) => ({ ...s, signature: encode(s.signature) }));
        expect(sigs.every((s) => s.signature.length !== 132 || !/(1b|1c)$/.test(s.signature))).to.equal(true);
        await checkEnactment(hre, file, sigs, { submitter: f.signers.outsider.address });
        await enactLawUpdate(hre, file, sigs, f.signers.outsider);
        expect(await f.smartLaw.param(PENSION_ACT, paramKey("RETIREMENT_AGE"))).to.equal(65n);
      });
    }
  });

  describe("bad input, as one plain message", function () {
    it("names what is wrong", async function () {
      const law = lawFile({ params: { RETIREMENT_AGE: 65 } });
      const out = join(dir, "update.json");
      await expect(hre.run("law:draft", { law, out, nonce: "abc" })).to.be.rejectedWith(
        /^--nonce must be a whole number, not "abc"$/,
      );
      await expect(hre.run("law:draft", { law: join(dir, "missing.yaml"), out })).to.be.rejectedWith(
        /^cannot read the law file .*missing.yaml$/,
      );
      await expect(hre.run("law:draft", { law, out: join(dir, "no-such-folder", "u.json") })).to.be.rejectedWith(
        /^--out .*u.json: the folder .*no-such-folder does not exist$/,
      );
      await hre.run("law:draft", { law, out });
      // the folder is checked before the password is asked for: no terminal here, so a prompt would fail otherwise
      await expect(
        hre.run("law:sign", { update: out, keystore: keystore(1), out: join(dir, "no-such-folder", "s.json") }),
      ).to.be.rejectedWith(/^--out .*s.json: the folder .*no-such-folder does not exist$/);
      process.env.GOVCHAIN_KEYSTORE_PASSWORD = "";
      try {
        await expect(
          hre.run("law:sign", { update: out, keystore: keystore(1), out: join(dir, "s.json"), yes: true }),
        ).to.be.rejectedWith(/^GOVCHAIN_KEYSTORE_PASSWORD is set but empty/);
      } finally {
        delete process.env.GOVCHAIN_KEYSTORE_PASSWORD;
      }
      await expect(
        hre.run("law:enact", { update: out, signatures: [join(dir, "missing-signature.json")], check: true }),
      ).to.be.rejectedWith(/^cannot read .*missing-signature.json$/);
      await expect(hre.run("law:show", { law: "NO_SUCH_LAW" })).to.be.rejectedWith(
        /no law "NO_SUCH_LAW" was ever enacted \(laws: CIVIL_ADMINISTRATION_ACT, .*PENSION_ACT/,
      );
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
      expect(pension.versions[0].signers).to.deep.equal([
        `legislator1 (${f.signers.legislator1.address})`,
        `legislator2 (${f.signers.legislator2.address})`,
      ]);
      expect(pension.versions[0].changes).to.include(
        "SmartLaw.setParam(lawId: PENSION_ACT, key: PENSION_PERIOD, value: 2592000 seconds (30 days))",
      );
      await expect(lawReport(hre, "NO_SUCH_LAW")).to.be.rejectedWith(/no law "NO_SUCH_LAW" was ever enacted/);
    });
  });

  describe("reads granted in law files", function () {
    const READS: LawFile["grants"] = [
      {
        role: "REGISTRAR",
        contract: "CivilRegistry",
        functions: ["readRecord"],
        resources: ["BIRTH", "RESIDENCE"],
        scope: "Jurisdiction",
      },
      { role: "SUBJECT", contract: "IdentityRegistry", functions: ["readPersonalData"], scope: "Any" },
    ];

    it("law:draft encodes readRecord per register and readPersonalData as SmartLaw's read pseudo-selectors", async function () {
      const file = await draft({ params: { COVERT_PERIOD: 7_776_000 }, grants: READS });
      const [, birth, residence, personalData] = file.update.calls;
      const civil = await f.civilRegistry.getAddress();
      expect(f.smartLaw.interface.decodeFunctionData("grantOn", birth.data)).to.deep.equal([
        PENSION_ACT,
        REGISTRAR,
        civil,
        READ_RECORD,
        ethers.encodeBytes32String("BIRTH"),
        1n,
      ]);
      expect(f.smartLaw.interface.decodeFunctionData("grantOn", residence.data)[4]).to.equal(
        ethers.encodeBytes32String("RESIDENCE"),
      );
      expect(f.smartLaw.interface.decodeFunctionData("grant", personalData.data)).to.deep.equal([
        PENSION_ACT,
        SUBJECT_ROLE,
        await f.identityRegistry.getAddress(),
        READ_PERSONAL_DATA,
        0n,
      ]);
      expect(file.summary).to.deep.equal([
        "SmartLaw.setParam(lawId: PENSION_ACT, key: COVERT_PERIOD, value: 7776000 seconds (90 days))",
        "SmartLaw.grantOn(lawId: PENSION_ACT, role: REGISTRAR, target: CivilRegistry, selector: CivilRegistry.readRecord (read), resource: BIRTH, scope: Jurisdiction)",
        "SmartLaw.grantOn(lawId: PENSION_ACT, role: REGISTRAR, target: CivilRegistry, selector: CivilRegistry.readRecord (read), resource: RESIDENCE, scope: Jurisdiction)",
        "SmartLaw.grant(lawId: PENSION_ACT, role: SUBJECT, target: IdentityRegistry, selector: IdentityRegistry.readPersonalData (read), scope: Any)",
      ]);
    });

    it("law:review says of each that it is a read, not a write", async function () {
      const file = await draft({
        grants: READS,
        calls: [
          {
            contract: "SmartLaw",
            function: "revokeGrantOn",
            args: ["CIVIL_REGISTRATION_ACT", "REGISTRAR", "CivilRegistry", "CivilRegistry.record", "DEATH"],
          },
        ],
      });
      const review = await reviewLawUpdate(hre, file, ["REGISTRAR"]);
      expect(review.problems).to.deep.equal([]);
      expect(review.calls.map((c) => c.notes)).to.deep.equal([
        [
          "a read, not a write: REGISTRAR may read through the data service (CivilRegistry.readRecord on BIRTH), as SmartLaw.authorizeRead decides; it unlocks no function of CivilRegistry",
        ],
        [
          "a read, not a write: REGISTRAR may read through the data service (CivilRegistry.readRecord on RESIDENCE), as SmartLaw.authorizeRead decides; it unlocks no function of CivilRegistry",
        ],
        [
          "a read, not a write: SUBJECT may read through the data service (IdentityRegistry.readPersonalData), as SmartLaw.authorizeRead decides; it unlocks no function of IdentityRegistry",
        ],
        [],
      ]);
    });

    it("once enacted, SmartLaw decides reads by them, and law:show lists them as reads", async function () {
      const file = await draft({ grants: READS });
      await enactLawUpdate(hre, file, await signatures(file), f.signers.outsider);
      const civil = await f.civilRegistry.getAddress();
      const subject = GENESIS.hospitalRegistrar; // a person in Dongcheng, the registrar's jurisdiction
      const read = await f.smartLaw.authorizeRead(f.signers.registrar.address, civil, READ_RECORD, BIRTH, subject);
      expect([read.lawId, read.role, read.reader]).to.deep.equal([PENSION_ACT, REGISTRAR, GENESIS.registrar]);

      const report = await lawReport(hre, "PENSION_ACT", ["REGISTRAR", "CIVIL_AFFAIRS_OFFICER"]);
      expect(report.grants).to.deep.include({
        role: "REGISTRAR",
        contract: "CivilRegistry",
        function: "readRecord",
        resource: "BIRTH",
        scope: "Jurisdiction",
        read: true,
      });
      expect(report.grants).to.deep.include({
        role: "SUBJECT",
        contract: "IdentityRegistry",
        function: "readPersonalData",
        scope: "Any",
        read: true,
      });
      const text = formatLawReport(report);
      expect(text).to.contain("REGISTRAR may read CivilRegistry.readRecord on BIRTH (scope: Jurisdiction)");
      expect(text).to.contain("SUBJECT may read IdentityRegistry.readPersonalData (scope: Any)");
      expect(text).to.contain("CIVIL_AFFAIRS_OFFICER may call CivilRegistry.record on PENSION_ENROLMENT");
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
          await hre.run("law:sign", { update, keystore, out, yes: true });
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
