import { expect } from "chai";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import hre, { deployments, ethers } from "hardhat";
import { Interface, type FunctionFragment } from "ethers";

import { identityCommitment } from "../../scripts/lib/draft";
import { loadGenesis, resolveAccounts } from "../../scripts/lib/genesis";
import { jurisdictionCode, lawId, paramKey, roleId, textId } from "../../scripts/lib/ids";
import { getSystem } from "../../scripts/lib/system";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";

const genesis = loadGenesis();

describe("deploy scripts", function () {
  describe("001 to 004: the core", function () {
    it("001 deploys SmartLaw unwired", async function () {
      await deployments.fixture(["SmartLaw"]);
      const smartLaw = await ethers.getContractAt("SmartLaw", (await deployments.get("SmartLaw")).address);
      expect(await smartLaw.legislature()).to.equal(ethers.ZeroAddress);
      expect(await deployments.getOrNull("Legislature")).to.not.exist;
    });

    it("002 and 003 point the IdentityRegistry and the Legislature at SmartLaw, with the genesis legislators", async function () {
      await deployments.fixture(["IdentityRegistry", "Legislature"]);
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
      await deployments.fixture(["core"]);
      const { smartLaw, legislature, identityRegistry } = await getSystem(hre);
      expect(await smartLaw.legislature()).to.equal(await legislature.getAddress());
      expect(await smartLaw.identityRegistry()).to.equal(await identityRegistry.getAddress());
      expect(await smartLaw.lawVersion(lawId(genesis.laws[0].law.lawId))).to.equal(0n);
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
              ? await Promise.all(grant.resources.map((r) => f.smartLaw.grantsOn(target.address, selector, textId(r))))
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
      const law = genesis.laws[0].law;
      for (const j of law.jurisdictions ?? []) {
        const node = await f.identityRegistry.jurisdiction(jurisdictionCode(j.code));
        expect([node.defined, node.parent]).to.deep.equal([
          true,
          j.parent ? jurisdictionCode(j.parent) : ethers.ZeroHash,
        ]);
      }
      const ids = new Map<string, bigint>();
      for (const entry of law.identities ?? []) {
        const [key] = await resolveAccounts(hre, [entry.key]);
        const id = await f.identityRegistry.identityOf(key);
        ids.set(entry.ref, id);
        const identity = await f.identityRegistry.identity(id);
        expect(identity.attributesHash).to.equal(identityCommitment(entry.attributes!, entry.salt!));
        expect(identity.jurisdiction).to.equal(jurisdictionCode(entry.jurisdiction));
      }
      for (const a of law.appointments ?? []) {
        const official = ids.get(String(a.official).slice(1))!;
        const [appointmentId] = await f.identityRegistry.appointmentsOf(official);
        const record = await f.identityRegistry.appointment(appointmentId);
        expect([record.role, record.department, record.jurisdiction, record.until]).to.deep.equal([
          roleId(a.role),
          ids.get(String(a.department).slice(1)),
          jurisdictionCode(a.jurisdiction),
          BigInt(Date.parse(String(a.until)) / 1000),
        ]);
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
      for (const contract of [f.smartLaw, f.legislature, f.identityRegistry]) {
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

    it("complete a deployment cut off before the genesis law, deploying nothing twice", async function () {
      await deployments.fixture(["core", "registers", "services"]);
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
});
