/**
 * A local setup that cannot break itself: `npm run chain` stops its node when it is stopped by its process id, a
 * node is started only on a port nothing else holds, and a deployments folder of another chain, or a node that is
 * not there, is reported with what to do before any tool uses them.
 */
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { anvilInstalled, startAnvil } from "../../scripts/lib/network/anvil";
import { checkNodeAndDeployments } from "../../scripts/lib/network/deployments";
import { freePort, portIsFree } from "../../scripts/lib/network/ports";

const ROOT = resolve(__dirname, "../..");
const CHAIN_ID = 20260;
const TS_NODE = join(ROOT, "node_modules", "ts-node", "dist", "bin.js");

/** Just what checkNodeAndDeployments reads of a Hardhat runtime: the network and the deployments folder. */
function runtimeFor(url: string, deployments: string) {
  return {
    network: { name: "localhost", config: { url, chainId: CHAIN_ID } },
    config: { paths: { deployments } },
  } as unknown as HardhatRuntimeEnvironment;
}

async function until(condition: () => Promise<boolean>, seconds: number): Promise<boolean> {
  for (let i = 0; i < seconds * 4; i++) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

describe("the local setup", function () {
  this.timeout(60_000);
  let dir: string;
  before(function () {
    if (!anvilInstalled()) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    dir = mkdtempSync(join(tmpdir(), "govchain-local-"));
  });
  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("npm run chain, stopped by its process id, leaves no node behind", async function () {
    const port = await freePort();
    const chain = spawn("npm", ["run", "chain"], {
      cwd: ROOT,
      env: { ...process.env, GOVCHAIN_RPC_PORT: String(port), GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments") },
      stdio: "ignore",
    });
    try {
      expect(await until(async () => !(await portIsFree(port)), 30), "the node started").to.equal(true);
      chain.kill("SIGTERM"); // npm's own process id, as `kill <pid>` does
      expect(await until(() => portIsFree(port), 10), "the node stopped with it").to.equal(true);
    } finally {
      chain.kill("SIGKILL");
    }
  });

  it("scripts/chain.ts killed with SIGKILL leaves no node behind", async function () {
    const port = await freePort();
    const chain = spawn(process.execPath, [TS_NODE, "--transpile-only", "scripts/chain.ts"], {
      cwd: ROOT,
      env: { ...process.env, GOVCHAIN_RPC_PORT: String(port), GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments") },
      stdio: "ignore",
    });
    try {
      expect(await until(async () => !(await portIsFree(port)), 30), "the node started").to.equal(true);
      chain.kill("SIGKILL"); // no handler of its own runs
      expect(await until(() => portIsFree(port), 10), "the node stopped with it").to.equal(true);
    } finally {
      chain.kill("SIGKILL");
    }
  });

  it("refuses to start a node on a port another node holds", async function () {
    const port = await freePort();
    const first = await startAnvil({ port, chainId: CHAIN_ID, automine: true });
    try {
      await expect(startAnvil({ port, chainId: CHAIN_ID, automine: true })).to.be.rejectedWith(
        new RegExp(`port ${port} is in use`),
      );
    } finally {
      first.stop();
    }
  });

  it("says what to do when no node answers, or the deployments folder is another chain's", async function () {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const deployments = join(dir, "deployments");
    await expect(checkNodeAndDeployments(runtimeFor(url, deployments))).to.be.rejectedWith(
      `no node answers at ${url} (network "localhost"): start it with \`npm run chain\``,
    );
    const node = await startAnvil({ port, chainId: CHAIN_ID, automine: true });
    try {
      mkdirSync(join(deployments, "localhost"), { recursive: true });
      writeFileSync(join(deployments, "localhost", ".chainId"), "31337");
      await expect(checkNodeAndDeployments(runtimeFor(url, deployments))).to.be.rejectedWith(
        /holds a deployment on chain 31337, but the node at .* is chain 20260: it was left by another chain\. Remove it \(rm -r .*\) and deploy again \(npm run deploy:local\)/,
      );
      writeFileSync(join(deployments, "localhost", ".chainId"), String(CHAIN_ID));
      await checkNodeAndDeployments(runtimeFor(url, deployments));
    } finally {
      node.stop();
    }
  });
});
