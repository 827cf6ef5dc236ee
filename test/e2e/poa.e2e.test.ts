/**
 * End to end, against a node: a local chain with a block period (anvil), deployed through the `poa` network's own
 * path (the deployer's encrypted keystore, free gas, the genesis enacted from legislators' signature files), a
 * deployment killed mid-way and completed by a rerun, a rerun that changes nothing, and the demo scenario run
 * against the deployed system. Each step is a separate process, as an operator runs it.
 */
import { expect } from "chai";
import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import hre from "hardhat";
import { Wallet, encryptKeystoreJson, type JsonRpcProvider, type Signer } from "ethers";

import { anvilInstalled, devAccount, startAnvil } from "../../scripts/lib/network/anvil";
import { freePort } from "../../scripts/lib/network/ports";
import { readLawUpdateFile, writeJson } from "../../scripts/lib/law/lawUpdate";
import { signLawUpdate } from "../../scripts/lib/law/sign";

const ROOT = resolve(__dirname, "../..");
const HARDHAT = join(ROOT, "node_modules", ".bin", "hardhat");
const CHAIN_ID = 20260;
const PASSWORD = "e2e password";
/** The development mnemonic's first keys: anvil's accounts; the deployer's and two legislators'. */
const DEV_KEYS = [0, 1, 2].map((i) => devAccount(i).privateKey);

async function keystore(dir: string, name: string, key: string): Promise<string> {
  const path = join(dir, `${name}.keystore.json`);
  const wallet = new Wallet(key);
  writeFileSync(
    path,
    await encryptKeystoreJson({ address: wallet.address, privateKey: key }, PASSWORD, { scrypt: { N: 1024 } }),
  );
  return path;
}

/** genesis.yaml with the named accounts written as addresses, as an operator writes a network's own. */
async function genesisWithAddresses(dir: string): Promise<string> {
  const named = await hre.getNamedAccounts();
  let text = readFileSync(join(ROOT, "genesis", "genesis.yaml"), "utf8").replace(/texts\//g, `${ROOT}/genesis/texts/`);
  for (const [name, address] of Object.entries(named).sort((a, b) => b[0].length - a[0].length)) {
    text = text.replace(new RegExp(`(key: |\\[|, )${name}\\b`, "g"), (m) => m.replace(name, `"${address}"`));
  }
  const path = join(dir, "genesis.yaml");
  writeFileSync(path, text);
  return path;
}

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

  it("pays the node's fees on a network with a base fee", async function () {
    const otherPort = await freePort();
    const { stop, provider: other } = await startAnvil({
      port: otherPort,
      chainId: CHAIN_ID,
      blockPeriod: 1,
      freeGas: false,
    });
    try {
      const deployer = new Wallet(DEV_KEYS[0]).address;
      // raw requests: the provider would answer a repeated request from its cache
      const balance = async () => BigInt(await other.send("eth_getBalance", [deployer, "latest"]));
      const before = await balance();
      const result = run(["deploy", "--network", "poa"], {
        POA_RPC_URL: `http://127.0.0.1:${otherPort}`,
        POA_GAS_PRICE: "",
        GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments-fees"),
        GOVCHAIN_SIGNATURES_DIR: join(dir, "signatures-fees"),
      });
      expect(result.stdout + result.stderr).to.match(/the genesis laws need the legislators' signatures/);
      expect(await balance()).to.be.lessThan(before);
    } finally {
      stop();
    }
  });

  it("gives up with a clear message, not a hang, when no block comes", async function () {
    const stalledPort = await freePort();
    const { stop } = await startAnvil({ port: stalledPort, chainId: CHAIN_ID, blockPeriod: 0 });
    try {
      const result = run(["deploy", "--network", "poa"], {
        POA_RPC_URL: `http://127.0.0.1:${stalledPort}`,
        POA_MINING_TIMEOUT: "5",
        GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments-stalled"),
      });
      expect(result.status).to.equal(1);
      expect(result.stderr).to.match(/The deployment stopped \(no new block for 5 s .*\)\. Run it again/);
    } finally {
      stop();
    }
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
