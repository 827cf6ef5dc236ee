/**
 * End to end, the `poa` network's path on nodes unlike the private network: one that charges fees (the deployer pays
 * them) and one that mines nothing (the deployment gives up with a clear message). Each on its own node, apart from
 * poa.e2e.test.ts's, so that the two files run side by side.
 */
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Wallet } from "ethers";

import { anvilInstalled, startAnvil } from "../../scripts/lib/network/anvil";
import { freePort } from "../../scripts/lib/network/ports";
import { CHAIN_ID, DEV_KEYS, HARDHAT, PASSWORD, ROOT, genesisWithAddresses, keystore } from "../helpers/poa";

describe("end to end: the poa network's path on a node with fees, and on one that mines nothing", function () {
  this.timeout(900_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;

  const run = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    spawnSync(HARDHAT, args, { cwd: ROOT, env: { ...env, ...extra }, encoding: "utf8", timeout: 600_000 });

  before(async function () {
    if (!anvilInstalled()) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    dir = mkdtempSync(join(tmpdir(), "govchain-e2e-network-"));
    env = {
      ...process.env,
      POA_CHAIN_ID: String(CHAIN_ID),
      POA_GAS_PRICE: "0",
      POA_CONFIRMATIONS: "2",
      POA_KEYSTORE: await keystore(dir, "deployer", DEV_KEYS[0]),
      GOVCHAIN_KEYSTORE_PASSWORD: PASSWORD,
      GOVCHAIN_GENESIS: await genesisWithAddresses(dir),
    };
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true }); // it holds the deployer's keystore
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
        GOVCHAIN_SIGNATURES_DIR: join(dir, "signatures-stalled"),
      });
      expect(result.status).to.equal(1);
      expect(result.stderr).to.match(/The deployment stopped \(no new block for 5 s .*\)\. Run it again/);
    } finally {
      stop();
    }
  });
});
