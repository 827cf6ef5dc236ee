import { expect } from "chai";
import hre, { deployments, ethers } from "hardhat";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import {
  QBFT_MIX_HASH,
  accountsAllowlistToml,
  allowedAccounts,
  decodeQbftExtraData,
  qbftExtraData,
  qbftGenesis,
  writeNetworkKit,
} from "../../scripts/lib/network/besu";
import { systemFixture } from "../helpers/fixtures";
import { STATUS, enrollableKey } from "../helpers/identity";
import { enrollPerson } from "../helpers/registry";

/** Besu's documentation, "Configure QBFT consensus", example genesis (block header validator selection). */
const BESU_DOC_VALIDATORS = [
  "0x64a702e6263b7297a96638cac6ae65e6541f4169",
  "0x3923390ad55e90c237593b3b0e401f3b08a03185",
  "0xaefdb9a738c9f433e5b6b212a6d62f6370c2f692",
  "0xc7eeb9a4e00ce683cf93039b212648e01c6c6b78",
];
const BESU_DOC_EXTRA_DATA =
  "0xf87aa00000000000000000000000000000000000000000000000000000000000000000f8549464a702e6263b7297a96638cac6ae65e6541f4169943923390ad55e90c237593b3b0e401f3b08a0318594aefdb9a738c9f433e5b6b212a6d62f6370c2f69294c7eeb9a4e00ce683cf93039b212648e01c6c6b78c080c0";

const options = { validators: 4, blockPeriod: 2, chainId: 20260, evmVersion: "cancun" };

describe("Besu QBFT network kit", function () {
  const dirs: string[] = [];
  /** A new temporary folder for a kit, removed after the tests (it holds node keys). */
  const kitDir = () => {
    dirs.push(mkdtempSync(join(tmpdir(), "govchain-kit-")));
    return join(dirs[dirs.length - 1], "net");
  };
  after(function () {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("encodes extraData exactly as Besu's documented example, and decodes it back", function () {
    expect(qbftExtraData(BESU_DOC_VALIDATORS)).to.equal(BESU_DOC_EXTRA_DATA);
    expect(decodeQbftExtraData(BESU_DOC_EXTRA_DATA).validators).to.deep.equal(
      BESU_DOC_VALIDATORS.map((v) => ethers.getAddress(v)),
    );
  });

  it("refuses what is not a genesis extraData", function () {
    expect(() => qbftExtraData([])).to.throw(/at least one validator/);
    expect(() => decodeQbftExtraData(ethers.encodeRlp(["0x01", []]))).to.throw(/list of 5/);
    const withSeal = ethers.encodeRlp([ethers.ZeroHash, BESU_DOC_VALIDATORS, [], "0x", ["0x01"]]);
    expect(() => decodeQbftExtraData(withSeal)).to.throw(/no seals/);
  });

  it("writes a genesis with the forks up to the compiler's EVM version, free gas and QBFT's parameters", function () {
    const genesis = qbftGenesis(options, BESU_DOC_VALIDATORS) as {
      config: Record<string, unknown> & { qbft: Record<string, number> };
      extraData: string;
      mixHash: string;
    };
    expect(genesis.extraData).to.equal(BESU_DOC_EXTRA_DATA);
    expect(genesis.mixHash).to.equal(QBFT_MIX_HASH);
    expect(genesis.config).to.include({
      chainId: 20260,
      londonBlock: 0,
      shanghaiTime: 0,
      cancunTime: 0,
      zeroBaseFee: true,
    });
    expect(genesis.config).not.to.have.property("pragueTime");
    expect(genesis.config.qbft.blockperiodseconds).to.equal(2);
    expect(() => qbftGenesis({ ...options, evmVersion: "osaka" }, BESU_DOC_VALIDATORS)).to.throw(
      /not one this kit knows/,
    );
    expect(() => qbftGenesis({ ...options, blockPeriod: 0 }, BESU_DOC_VALIDATORS)).to.throw(/block period/);
  });

  it("writes node keys readable by their owner only, the validators in the genesis, and RPC on localhost", function () {
    const dir = kitDir();
    const deployer = ethers.Wallet.createRandom().address;
    const kit = writeNetworkKit(dir, { ...options, allow: [deployer] });
    expect(readFileSync(join(dir, "permissions_config.toml"), "utf8")).to.include(deployer);
    const genesis = JSON.parse(readFileSync(join(dir, "genesis.json"), "utf8"));
    expect(decodeQbftExtraData(genesis.extraData).validators).to.deep.equal(kit.validators);
    for (let i = 1; i <= 4; i++) {
      const key = readFileSync(join(dir, `validator${i}`, "key"), "utf8");
      expect(new ethers.Wallet(key).address).to.equal(kit.validators[i - 1]);
      expect(statSync(join(dir, `validator${i}`, "key")).mode & 0o077).to.equal(0);
    }
    const enodes = JSON.parse(readFileSync(join(dir, "static-nodes.json"), "utf8")) as string[];
    expect(enodes).to.have.length(5);
    expect(enodes[0]).to.match(/^enode:\/\/[0-9a-f]{128}@validator1:30303$/);
    const compose = readFileSync(join(dir, "docker-compose.yml"), "utf8");
    expect(compose).to.include('"127.0.0.1:8545:8545"');
    expect(compose.match(/ports:/g)).to.have.length(1);
    expect(readFileSync(join(dir, "rpcnode", "config.toml"), "utf8")).to.include(
      "permissions-accounts-config-file-enabled=true",
    );
    expect(readFileSync(join(dir, "rpcnode", "config.toml"), "utf8")).to.match(/rpc-http-api=\[.*"PERM"\]/);
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).to.match(/^\*\/key$/m);
    expect(() => writeNetworkKit(dir, options)).to.throw(/not empty/);
  });

  it("network:init puts the --allow accounts, named or by address, in the kit's allowlist", async function () {
    const dir = kitDir();
    const { deployer, legislator1, legislator2 } = await hre.getNamedAccounts();
    const other = ethers.Wallet.createRandom().address;
    await hre.run("network:init", { out: dir, allow: `deployer,legislator1,legislator2,${other}` });
    const toml = readFileSync(join(dir, "permissions_config.toml"), "utf8");
    const listed = JSON.parse(toml.match(/^accounts-allowlist=(.*)$/m)![1]) as string[];
    expect(listed).to.have.members([deployer, legislator1, legislator2, other].map((a) => ethers.getAddress(a)));
    await expect(hre.run("network:init", { out: kitDir(), allow: "deployer,nobody" })).to.be.rejectedWith(
      /--allow: "nobody" is neither an address nor a named account \(deployer, legislator1, /,
    );
  });

  it("allows the live keys of active identities and the system accounts, and no others", async function () {
    await deployments.fixture();
    const f = await systemFixture(hre);
    const suspended = await enrollPerson(f);
    const revokedKey = await enrollableKey(f.identityRegistry);
    await enrollPerson(f, undefined, revokedKey);
    await f.identityRegistry.connect(f.signers.registrar).setStatus(suspended, STATUS.Suspended, "inquiry");
    await f.identityRegistry.connect(f.signers.registrar).revokeKey(revokedKey);
    const gateway = ethers.Wallet.createRandom().address;
    const accounts = await allowedAccounts(hre, [gateway]);
    expect(accounts).to.include.members([f.signers.registrar.address, gateway, f.signers.legislator1.address]);
    const keyOf = async (id: bigint) => (await f.identityRegistry.keysOf(id))[0];
    expect(accounts).not.to.include(await keyOf(suspended));
    expect(accounts).not.to.include(revokedKey);
    const toml = accountsAllowlistToml(accounts);
    expect(toml).to.match(/^accounts-allowlist=\["0x/m);
    expect(toml.match(/0x[0-9a-fA-F]{40}/g)!.length).to.equal(new Set(accounts).size);
  });
});
