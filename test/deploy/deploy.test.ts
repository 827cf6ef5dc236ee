import { expect } from "chai";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import hre, { deployments, ethers } from "hardhat";
import { Interface, type FunctionFragment } from "ethers";

import { identityCommitment } from "../../scripts/lib/law/draft";
import { loadGenesis, resolveAccounts } from "../../scripts/lib/law/genesis";
import { jurisdictionCode, lawId, paramKey, resourceId, roleId } from "../../scripts/lib/common/ids";
import { readLawUpdateFile, writeJson } from "../../scripts/lib/law/lawUpdate";
import { signLawUpdate } from "../../scripts/lib/law/sign";
import { getSystem } from "../../scripts/lib/common/system";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";

const genesis = loadGenesis();

describe("deploy scripts", function () {
  // Each step alone: without fallbackToGlobal false, hardhat-deploy answers a tagged fixture with the whole system
  // when an earlier test file of the same run has deployed it.
  const only = { fallbackToGlobal: false };

  // The whole system first: hardhat-deploy forgets every fixture taken after the one it reverts to, so a later
  // file's whole system taken after this file's partial ones would be deployed anew each time a test returns to
  // a partial one (minutes under coverage).
  before(async function () {
    await deployments.fixture();
  });

  describe("001 to 004: the core", function () {
    it("001 deploys SmartLaw unwired", async function () {
      await deployments.fixture(["SmartLaw"], only);
      const smartLaw = await ethers.getContractAt("SmartLaw", (await deployments.get("SmartLaw")).address);
      expect(await smartLaw.legislature()).to.equal(ethers.ZeroAddress);
      expect(await deployments.getOrNull("Legislature")).to.not.exist;
    });

    it("002 and 003 point the IdentityRegistry and the Legislature at SmartLaw, with the genesis legislators", async function () {
      await deployments.fixture(["IdentityRegistry", "Legislature"], only);
      const smartLaw = (await deployments.get("SmartLaw")).address;
      const registry = await ethers.getContractAt(
        "IdentityRegistry",
        (await deployments.get("IdentityRegistry")).address,
      );
      const legislature = await ethers.getContractAt("Legislature", (await deployments.get("Legislature")).address);
      expect(await registry.smartLaw()).to.equal(smartLaw);
      expect(await legislature.smartLaw()).to.equal(smartLaw);
      expect(await legislature.legislators()).to.deep.equal(
        await resolveAccounts(hre, genesis.legislature.legislators),
      );
      expect(await legislature.quorum()).to.equal(BigInt(genesis.legislature.quorum));
    });

    it("004 wires SmartLaw to the Legislature and the IdentityRegistry, and enacts no law", async function () {
      await deployments.fixture(["core"], only);
      const { smartLaw, legislature, identityRegistry } = await getSystem(hre);
      expect(await smartLaw.legislature()).to.equal(await legislature.getAddress());
      expect(await smartLaw.identityRegistry()).to.equal(await identityRegistry.getAddress());
      expect(await smartLaw.lawVersion(lawId(genesis.laws[0].law.lawId))).to.equal(0n);
    });
  });

  describe("005 to 009: registers, services and the treasury", function () {
    it("point the CivilRegistry, the FiatToken and the Treasury at the contracts they ask, before any law", async function () {
      await deployments.fixture(["core", "registers", "services", "treasury"], only);
      const { smartLaw, identityRegistry } = await getSystem(hre);
      const civilRegistry = await ethers.getContractAt(
        "CivilRegistry",
        (await deployments.get("CivilRegistry")).address,
      );
      const treasury = await ethers.getContractAt("Treasury", (await deployments.get("Treasury")).address);
      const token = await ethers.getContractAt("FiatToken", (await deployments.get("FiatToken")).address);
      expect(await civilRegistry.smartLaw()).to.equal(await smartLaw.getAddress());
      expect(await civilRegistry.identityRegistry()).to.equal(await identityRegistry.getAddress());
      expect(await token.smartLaw()).to.equal(await smartLaw.getAddress());
      expect(await token.identityRegistry()).to.equal(await identityRegistry.getAddress());
      expect(await treasury.token()).to.equal(await token.getAddress());
      expect(await treasury.paymentCount()).to.equal(0n);
    });
  });

  describe("009a: the access log", function () {
    it("points the AccessLog at SmartLaw and its IdentityRegistry, signs in the GovChainData domain, anchors nothing", async function () {
      await deployments.fixture(["log"], only);
      const { smartLaw, identityRegistry } = await getSystem(hre);
      const accessLog = await ethers.getContractAt("AccessLog", (await deployments.get("AccessLog")).address);
      expect(await accessLog.smartLaw()).to.equal(await smartLaw.getAddress());
      expect(await accessLog.identityRegistry()).to.equal(await identityRegistry.getAddress());
      const domain = await accessLog.eip712Domain();
      expect([domain.name, domain.version, domain.chainId, domain.verifyingContract]).to.deep.equal([
        "GovChainData",
        "1",
        (await ethers.provider.getNetwork()).chainId,
        await accessLog.getAddress(),
      ]);
      expect(await accessLog.batchCount()).to.equal(0n);
      expect(await smartLaw.lawVersion(lawId("DATA_PROTECTION_ACT"))).to.equal(0n);
    });
  });

  describe("010: the genesis law", function () {
    let f: SystemFixture;

    beforeEach(async function () {
      f = await deploySystem();
    });

    it("enacts every law of the genesis file, with the hash of its text", async function () {
      for (const { law, baseDir } of genesis.laws) {
        const id = lawId(law.lawId);
        expect(await f.smartLaw.lawVersion(id)).to.equal(1n);
        expect(await f.smartLaw.isInForce(id)).to.equal(true);
        expect(await f.smartLaw.textHash(id, 1)).to.equal(ethers.keccak256(readFileSync(resolve(baseDir, law.text))));
        for (const [key, value] of Object.entries(law.params ?? {})) {
          expect(await f.smartLaw.param(id, paramKey(key))).to.equal(BigInt(value));
        }
      }
    });

    it("leaves the grants of the genesis file", async function () {
      for (const { law } of genesis.laws) {
        for (const grant of law.grants ?? []) {
          const target = await deployments.get(grant.contract);
          const iface = new Interface(target.abi);
          for (const fn of grant.functions) {
            const selector = (iface.getFunction(fn) as FunctionFragment).selector;
            const lists = grant.resources
              ? await Promise.all(
                  grant.resources.map((r) =>
                    f.smartLaw.grantsOn(target.address, selector, resourceId(grant.contract, fn, r)),
                  ),
                )
              : [await f.smartLaw.grantsFor(target.address, selector)];
            for (const grants of lists) {
              expect(grants.map((g) => [g.role, g.lawId, g.scope])).to.deep.include([
                roleId(grant.role),
                lawId(law.lawId),
                grant.scope === "Any" ? 0n : 1n,
              ]);
            }
          }
        }
      }
    });

    it("leaves the jurisdiction tree, identities and appointments of the genesis file", async function () {
      for (const j of genesis.laws[0].law.jurisdictions ?? []) {
        const node = await f.identityRegistry.jurisdiction(jurisdictionCode(j.code));
        expect([node.defined, node.parent]).to.deep.equal([
          true,
          j.parent ? jurisdictionCode(j.parent) : ethers.ZeroHash,
        ]);
      }
      // identities numbered in the order of the file, law after law
      let expectedId = 0n;
      for (const { law } of genesis.laws) {
        const ids = new Map<string, bigint>();
        for (const entry of law.identities ?? []) {
          const [key] = await resolveAccounts(hre, [entry.key]);
          const id = await f.identityRegistry.identityOf(key);
          expect(id, entry.ref).to.equal(++expectedId);
          ids.set(entry.ref, id);
          const identity = await f.identityRegistry.identity(id);
          expect(identity.attributesHash).to.equal(identityCommitment(entry.attributes!, entry.salt!));
          expect(identity.jurisdiction).to.equal(jurisdictionCode(entry.jurisdiction));
        }
        for (const a of law.appointments ?? []) {
          const official = ids.get(String(a.official).slice(1))!;
          const [appointmentId] = await f.identityRegistry.appointmentsOf(official);
          const record = await f.identityRegistry.appointment(appointmentId);
          const department = typeof a.department === "number" ? BigInt(a.department) : ids.get(a.department.slice(1));
          expect([record.role, record.department, record.jurisdiction, record.until]).to.deep.equal([
            roleId(a.role),
            department,
            jurisdictionCode(a.jurisdiction),
            BigInt(Date.parse(String(a.until)) / 1000),
          ]);
        }
      }
      expect(await f.identityRegistry.identityCount()).to.equal(expectedId);
    });

    it("lets the data service's key, and no other, anchor the read log", async function () {
      const accessLog = await ethers.getContractAt("AccessLog", (await deployments.get("AccessLog")).address);
      const anchor = accessLog.interface.getFunction("anchor").selector;
      const target = await accessLog.getAddress();
      expect(await f.smartLaw.canCall(f.signers.dataService.address, target, anchor)).to.equal(true);
      for (const name of ["deployer", "registrar", "dataAdministration", "director"] as const) {
        expect(await f.smartLaw.canCall(f.signers[name].address, target, anchor), name).to.equal(false);
      }
    });

    it("leaves the deployer no power at all", async function () {
      const deployer = f.signers.deployer.address;
      expect(await f.legislature.isLegislator(deployer)).to.equal(false);
      expect(await f.identityRegistry.identityOf(deployer)).to.equal(0n);
      await expect(f.smartLaw.connect(f.signers.deployer).initialize(deployer, deployer)).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawInitializationRefused",
      );
      const accessLog = await ethers.getContractAt("AccessLog", (await deployments.get("AccessLog")).address);
      for (const contract of [f.smartLaw, f.legislature, f.identityRegistry, accessLog]) {
        for (const fragment of contract.interface.fragments) {
          if (fragment.type !== "function" || (fragment as FunctionFragment).constant) continue;
          const selector = (fragment as FunctionFragment).selector;
          expect(
            await f.smartLaw.canCall(deployer, await contract.getAddress(), selector),
            (fragment as FunctionFragment).name,
          ).to.equal(false);
        }
      }
    });
  });

  describe("reruns", function () {
    it("change nothing once the deployment is complete", async function () {
      await deploySystem();
      const before = await ethers.provider.getBlockNumber();
      const addresses = Object.fromEntries(
        Object.entries(await deployments.all()).map(([name, d]) => [name, d.address]),
      );
      await deployments.run(undefined, { resetMemory: false, writeDeploymentsToFiles: false });
      expect(await ethers.provider.getBlockNumber()).to.equal(before);
      const after = Object.fromEntries(Object.entries(await deployments.all()).map(([name, d]) => [name, d.address]));
      expect(after).to.deep.equal(addresses);
    });

    it("complete a deployment cut off before the genesis law, deploying nothing twice @enacts-genesis-again", async function () {
      await deployments.fixture(["core", "registers", "services", "treasury", "log"], only);
      const addresses = Object.fromEntries(
        Object.entries(await deployments.all()).map(([name, d]) => [name, d.address]),
      );
      await deployments.run(undefined, { resetMemory: false, writeDeploymentsToFiles: false });
      const after = Object.fromEntries(Object.entries(await deployments.all()).map(([name, d]) => [name, d.address]));
      expect(after).to.deep.equal(addresses);
      const { smartLaw } = await getSystem(hre);
      for (const { law } of genesis.laws) expect(await smartLaw.lawVersion(lawId(law.lawId))).to.equal(1n);
    });
  });

  describe("genesis from legislators' signature files", function () {
    const dir = join(hre.config.paths.root, "genesis", "signed", hre.network.name);

    beforeEach(function () {
      rmSync(dir, { recursive: true, force: true });
      process.env.GOVCHAIN_GENESIS_FROM_FILES = "1";
    });

    afterEach(function () {
      delete process.env.GOVCHAIN_GENESIS_FROM_FILES;
      rmSync(dir, { recursive: true, force: true });
    });

    it("stops before the genesis, saying whose signatures are missing, and completes when rerun with them @enacts-genesis-again", async function () {
      const [legislator1, legislator2] = await Promise.all(
        ["legislator1", "legislator2"].map(async (name) => ethers.getSigner((await hre.getNamedAccounts())[name])),
      );
      await deployments.fixture(["core", "registers", "services", "treasury", "log"], { fallbackToGlobal: false });
      const run = () => deployments.run(undefined, { resetMemory: false, writeDeploymentsToFiles: false });
      let refusal = "";
      await run().catch((error: Error) => (refusal = error.message));
      expect(refusal).to.match(/the genesis laws need the legislators' signatures \(quorum 2\)/);
      expect(refusal).to.include(`CIVIL_ADMINISTRATION_ACT: 0 of 2 signatures`);
      expect(refusal).to.include(legislator1.address.toLowerCase());
      const { smartLaw } = await getSystem(hre);
      expect(await smartLaw.lawVersion(lawId("CIVIL_ADMINISTRATION_ACT"))).to.equal(0n);

      const updates = readdirSync(dir).filter((name) => name.endsWith(".update.json"));
      expect(updates).to.have.length(genesis.laws.length);
      // legislator1 signs everything; legislator2 all but the last law
      const lastLaw = genesis.laws[genesis.laws.length - 1].law.lawId;
      for (const name of updates) {
        const file = readLawUpdateFile(join(dir, name));
        const law = name.replace(".update.json", "");
        writeJson(join(dir, `${law}.sig.legislator1.json`), await signLawUpdate(legislator1, file));
        if (law !== lastLaw)
          writeJson(join(dir, `${law}.sig.legislator2.json`), await signLawUpdate(legislator2, file));
      }
      refusal = "";
      await run().catch((error: Error) => (refusal = error.message));
      expect(refusal).to.include(`${lastLaw}: 1 of 2 signatures`);
      expect(refusal).not.to.include("CIVIL_ADMINISTRATION_ACT:");

      const last = readLawUpdateFile(join(dir, `${lastLaw}.update.json`));
      writeJson(join(dir, `${lastLaw}.sig.legislator2.json`), await signLawUpdate(legislator2, last));
      await run();
      for (const { law } of genesis.laws) expect(await smartLaw.lawVersion(lawId(law.lawId))).to.equal(1n);
      // each law's identities got the ids its draft gave them, though all were drafted before any was enacted
      const { identityRegistry } = await getSystem(hre);
      const named = await hre.getNamedAccounts();
      expect(await identityRegistry.identityOf(named.financeOfficer)).to.equal(15n);
      expect(await identityRegistry.identityOf(named.centralBanker)).to.equal(11n);
      expect(await identityRegistry.identityOf(named.dataService)).to.equal(17n);

      const block = await ethers.provider.getBlockNumber();
      await run();
      expect(await ethers.provider.getBlockNumber()).to.equal(block);
    });
  });
});
