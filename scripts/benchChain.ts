/**
 * npm run bench (second part): GovChain on a local node with a block period, as on the private network. Starts
 * anvil (2 s blocks, free gas), times a full deployment with the genesis law (`hardhat deploy`, as an operator
 * runs it), then measures the sustained rate of registry records and of token transfers: at least 2,000
 * transactions each, all sent at once from several officials or holders (with a gas limit set, as a gateway sends
 * them, rather than an estimate each), from the first sent to the last mined.
 * Writes reports/chain.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AbiCoder, NonceManager, Wallet, id, type Signer } from "ethers";

import {
  CivilRegistry__factory,
  FiatToken__factory,
  IdentityRegistry__factory,
  Legislature__factory,
  SmartLaw__factory,
} from "../typechain-types";
import { anvilInstalled, devAccount, startAnvil } from "./lib/network/anvil";
import { freePort } from "./lib/network/ports";
import { LAW_UPDATE_TYPES, type LawCall, type LawUpdate } from "./lib/law/lawUpdate";

const ROOT = resolve(__dirname, "..");
const CHAIN_ID = 20260;
const BLOCK_PERIOD = 2;
const COUNT = Number(process.env.BENCH_CHAIN_TRANSACTIONS ?? 2000);
const coder = AbiCoder.defaultAbiCoder();

/** Sends every transaction at once and waits for all to be mined: the sustained rate, first sent to last mined. */
async function rate(label: string, sends: (() => Promise<{ wait: () => Promise<unknown> }>)[]) {
  const started = Date.now();
  const sent = await Promise.all(sends.map((send) => send()));
  await Promise.all(sent.map((tx) => tx.wait()));
  const seconds = (Date.now() - started) / 1000;
  const perSecond = Math.round((sends.length / seconds) * 10) / 10;
  console.log(`${label}: ${sends.length} transactions in ${seconds.toFixed(1)} s = ${perSecond} per second`);
  return { transactions: sends.length, seconds, perSecond };
}

async function main(): Promise<void> {
  if (!anvilInstalled()) {
    console.log("anvil is not installed here (Linux x64 only): the local-chain benchmark is skipped");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "govchain-bench-chain-"));
  const port = await freePort();
  const { provider, stop } = await startAnvil({ port, chainId: CHAIN_ID, blockPeriod: BLOCK_PERIOD });
  try {
    // a full deployment with the genesis law, as an operator runs it
    const started = Date.now();
    const deploy = spawnSync(join(ROOT, "node_modules", ".bin", "hardhat"), ["deploy", "--network", "localhost"], {
      cwd: ROOT,
      env: { ...process.env, GOVCHAIN_RPC_PORT: String(port), GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments") },
      encoding: "utf8",
    });
    if (deploy.status !== 0) throw new Error(`the deployment failed:\n${deploy.stdout}\n${deploy.stderr}`);
    const deploySeconds = (Date.now() - started) / 1000;
    console.log(`deployment with the genesis law: ${deploySeconds.toFixed(1)} s at ${BLOCK_PERIOD} s blocks`);
    const at = (name: string) =>
      (JSON.parse(readFileSync(join(dir, "deployments", "localhost", `${name}.json`), "utf8")) as { address: string })
        .address;

    // hardhat.config.ts's named accounts: deployer 0, legislator1 1, legislator2 2, registrar 4,
    // hospitalRegistrar 15, centralBanker 18
    const [deployer, legislator1, legislator2, registrar, hospitalRegistrar, banker] = [0, 1, 2, 4, 15, 18].map(
      (i) => new NonceManager(devAccount(i, provider)),
    );
    const legislature = Legislature__factory.connect(at("Legislature"), deployer);
    const smartLaw = SmartLaw__factory.connect(at("SmartLaw"), provider);
    const registry = IdentityRegistry__factory.connect(at("IdentityRegistry"), provider);

    // subjects to record about and holders to transfer between, enrolled by law updates of 150 (within the block gas limit)
    const holders = Array.from({ length: 40 }, () => Wallet.createRandom(provider));
    const enrol = async (keys: string[]) => {
      const first = (await registry.identityCount()) + 1n;
      const DONGCHENG = "0x434e2d31312d3031000000000000000000000000000000000000000000000000";
      for (let i = 0; i < keys.length; i += 150) {
        const calls: LawCall[] = keys.slice(i, i + 150).map((key, j) => ({
          target: at("IdentityRegistry"),
          data: registry.interface.encodeFunctionData("enroll", [
            1,
            DONGCHENG,
            id(`person ${first + BigInt(i + j)}`),
            key,
          ]),
        }));
        const law = "0x434956494c5f41444d494e495354524154494f4e5f4143540000000000000000"; // CIVIL_ADMINISTRATION_ACT
        const now = BigInt((await provider.getBlock("latest"))!.timestamp);
        const update: LawUpdate = {
          lawId: law,
          version: Number(await smartLaw.lawVersion(law)) + 1,
          textHash: id(`enrolments ${first}`),
          calls,
          nonce: BigInt(id(`nonce ${first} ${i}`)),
          epoch: await legislature.epoch(),
          deadline: now + 3600n,
        };
        const domain = { name: "Legislature", version: "1", chainId: CHAIN_ID, verifyingContract: at("Legislature") };
        const sign = (s: Signer) => s.signTypedData(domain, LAW_UPDATE_TYPES, update);
        await (await legislature.enact(update, [await sign(legislator1), await sign(legislator2)])).wait();
      }
      return Array.from({ length: keys.length }, (_, i) => first + BigInt(i));
    };
    const subjects = await enrol(Array.from({ length: COUNT }, () => Wallet.createRandom().address));
    await enrol(holders.map((h) => h.address));

    // registry records: births, by the two officials who may record them, all sent at once
    const civil = CivilRegistry__factory.connect(at("CivilRegistry"), provider);
    const BIRTH = "0x4249525448000000000000000000000000000000000000000000000000000000";
    const officials = [registrar, hospitalRegistrar];
    const records = await rate(
      "registry.record",
      subjects.map(
        (subject, i) => () =>
          civil
            .connect(officials[i % 2])
            .record(
              BIRTH,
              subject,
              coder.encode(["uint32", "bytes32", "bytes32"], [20260101, "0x" + "00".repeat(32), id(`doc ${i}`)]),
            ),
      ),
    );

    // token transfers between citizens' keys: the holders are funded first, then each sends to the next
    const token = FiatToken__factory.connect(at("FiatToken"), provider);
    const mints = await Promise.all(holders.map((h) => token.connect(banker).mint(h.address, 1_000_000n)));
    await Promise.all(mints.map((tx) => tx.wait()));
    const senders = holders.map((h) => new NonceManager(h));
    const transfers = await rate(
      "token.transfer",
      Array.from(
        { length: COUNT },
        (_, i) => () =>
          token
            .connect(senders[i % senders.length])
            .transfer(holders[(i + 1) % holders.length].address, 1n, { gasPrice: 0 }),
      ),
    );

    const report = {
      network: `anvil 1.7.1 on 127.0.0.1, chain id ${CHAIN_ID}, a block every ${BLOCK_PERIOD} s, free gas, cancun, 30M gas per block`,
      deployment: {
        seconds: deploySeconds,
        note: "hardhat deploy --network localhost: every contract and the genesis law",
      },
      "registry.record": { ...records, note: "births by 2 officials, all sent at once, first sent to last mined" },
      "token.transfer": { ...transfers, note: `between ${holders.length} citizens' keys, all sent at once` },
    };
    mkdirSync(join(ROOT, "reports"), { recursive: true });
    writeFileSync(join(ROOT, "reports", "chain.json"), JSON.stringify(report, null, 2) + "\n");
    console.log("→ reports/chain.json");
  } finally {
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
