/**
 * End to end, against a node: a local chain with a block period (anvil), deployed through the `poa` network's own
 * path (the deployer's encrypted keystore, free gas, the genesis enacted from legislators' signature files), a
 * deployment killed mid-way and completed by a rerun, a rerun that changes nothing, and the demo scenario run
 * against the deployed system. Each step is a separate process, as an operator runs it. A network with fees and one
 * that mines nothing are in poa-network.e2e.test.ts, each on its own node, so that the two files run side by side.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet, type JsonRpcProvider, type Signer } from "ethers";

import { anvilInstalled, startAnvil } from "../../scripts/lib/network/anvil";
import { freePort } from "../../scripts/lib/network/ports";
import { readLawUpdateFile, writeJson } from "../../scripts/lib/law/lawUpdate";
import { signLawUpdate } from "../../scripts/lib/law/sign";
import { CHAIN_ID, DEV_KEYS, HARDHAT, PASSWORD, ROOT, genesisWithAddresses, keystore } from "../helpers/poa";

describe("end to end on a local chain, through the poa network's path", function () {
  this.timeout(900_000);
  let chain: { provider: JsonRpcProvider; stop: () => void } | undefined;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  /** The port of this test's own node, free when it started. */
  let port: number;
  /** An account's nonce, asked of the node each time (the provider would answer a repeated request from cache). */
  const nonceOf = async (address: string) =>
    Number(await chain!.provider.send("eth_getTransactionCount", [address, "latest"]));

  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(HARDHAT, args, { cwd: ROOT, env: { ...env, ...extra }, encoding: "utf8", timeout: 600_000 });
  const deploy = () => run(["deploy", "--network", "poa"]);

  before(async function () {
    if (!anvilInstalled()) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    dir = mkdtempSync(join(tmpdir(), "govchain-e2e-"));
    port = await freePort();
    env = {
      ...process.env,
      POA_RPC_URL: `http://127.0.0.1:${port}`,
      POA_CHAIN_ID: String(CHAIN_ID),
      POA_GAS_PRICE: "0",
      POA_CONFIRMATIONS: "2",
      POA_KEYSTORE: await keystore(dir, "deployer", DEV_KEYS[0]),
      GOVCHAIN_KEYSTORE_PASSWORD: PASSWORD,
      GOVCHAIN_GENESIS: await genesisWithAddresses(dir),
      GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments"),
      GOVCHAIN_SIGNATURES_DIR: join(dir, "signatures"),
    };
    chain = await startAnvil({ port, chainId: CHAIN_ID, blockPeriod: 1 });
  });

  after(function () {
    chain?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true }); // it holds the deployer's keystore
  });

  it("deploys with the keystore, survives being killed mid-way, and stops before the genesis for signatures", async function () {
    // a first run, killed once three contracts are deployed
    const first = spawn(HARDHAT, ["deploy", "--network", "poa"], { cwd: ROOT, env });
    let output = "";
    await new Promise<void>((done) => {
      first.stdout!.on("data", (chunk) => {
        output += String(chunk);
        if ((output.match(/deployed at/g) ?? []).length >= 3) first.kill("SIGKILL");
      });
      first.on("exit", () => done());
    });
    expect((output.match(/deployed at/g) ?? []).length).to.be.at.least(3);

    const second = deploy();
    expect(second.status, second.stderr).to.not.equal(0);
    expect(second.stdout + second.stderr).to.match(/the genesis laws need the legislators' signatures \(quorum 2\)/);
    const deployed = readdirSync(join(dir, "deployments", "poa")).filter((f) => f.endsWith(".json"));
    expect(deployed).to.include.members([
      "SmartLaw.json",
      "IdentityRegistry.json",
      "Legislature.json",
      "Treasury.json",
    ]);
    // nothing deployed twice: every contract the deployer created is a recorded deployment
    const nonce = await nonceOf(new Wallet(DEV_KEYS[0]).address);
    const addresses = deployed.map((f) => JSON.parse(readFileSync(join(dir, "deployments", "poa", f), "utf8")).address);
    expect(new Set(addresses).size).to.equal(addresses.length);
    expect(nonce).to.equal(addresses.length + 1); // the contracts, and SmartLaw's one-time wiring
  });

  it("enacts the genesis from the legislators' signature files, and a rerun changes nothing", async function () {
    const signatures = join(dir, "signatures");
    const legislators: Signer[] = [new Wallet(DEV_KEYS[1]), new Wallet(DEV_KEYS[2])];
    for (const name of readdirSync(signatures).filter((f) => f.endsWith(".update.json"))) {
      const file = readLawUpdateFile(join(signatures, name));
      for (const [i, legislator] of legislators.entries()) {
        writeJson(
          join(signatures, name.replace(".update.json", `.sig.legislator${i + 1}.json`)),
          await signLawUpdate(legislator, file),
        );
      }
    }
    const third = deploy();
    expect(third.status, third.stdout + third.stderr).to.equal(0);
    expect(third.stdout).to.match(/enacted genesis law PUBLIC_FINANCE_ACT v1 from 2 signature files/);

    const status = run(["network:status", "--network", "poa"]);
    expect(status.status, status.stdout + status.stderr).to.equal(0);
    expect(status.stdout).to.match(/Treasury +0x[0-9a-fA-F]{40} +code 0x[0-9a-f]+… +matches the artifact/);
    expect(status.stdout).to.match(/PUBLIC_FINANCE_ACT v1, in force/);
    expect(status.stdout).not.to.match(/DOES NOT MATCH/);

    const deployer = new Wallet(DEV_KEYS[0]).address;
    const nonce = await nonceOf(deployer);
    const fourth = deploy();
    expect(fourth.status, fourth.stderr).to.equal(0);
    expect(await nonceOf(deployer)).to.equal(nonce);
  });

  it("runs the demo scenario against the deployed system", async function () {
    // the same chain, as the `localhost` network, whose node holds the officials' development keys
    cpSync(join(dir, "deployments", "poa"), join(dir, "deployments", "localhost"), { recursive: true });
    writeFileSync(join(dir, "deployments", "localhost", ".chainId"), String(CHAIN_ID));
    const demo = run(["run", "scripts/demo.ts", "--network", "localhost"], { GOVCHAIN_RPC_PORT: String(port) });
    expect(demo.status, demo.stdout.slice(-3000) + demo.stderr).to.equal(0);
    expect(demo.stdout).to.match(/PENSION, period \d+: 3,300\.00 each/);
    expect(demo.stdout).to.match(/matches the Treasury's balance/);
  });
});
