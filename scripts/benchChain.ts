/**
 * npm run bench (second part): GovChain on a local node with a block period, as on the private network. Starts
 * anvil (2 s blocks, free gas), times a full deployment with the genesis law (`hardhat deploy`, as an operator
 * runs it), then measures the sustained rate of registry records and of token transfers (2,000 transactions each,
 * from several officials or holders) against the chain's ceiling: block gas limit ÷ gas per transaction ÷ block
 * period (see {rate}). Writes reports/chain.json.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import {
  AbiCoder,
  NonceManager,
  Wallet,
  id,
  type HDNodeWallet,
  type JsonRpcProvider,
  type Signer,
  type TransactionRequest,
} from "ethers";

import {
  CivilRegistry__factory,
  FiatToken__factory,
  IdentityRegistry__factory,
  Legislature__factory,
  SmartLaw__factory,
} from "../typechain-types";
import { GOAL_OF_CEILING, limitOf } from "./lib/bench/ceiling";
import { anvilInstalled, devAccount, startAnvil } from "./lib/network/anvil";
import { freePort } from "./lib/network/ports";
import { LAW_UPDATE_TYPES, type LawCall, type LawUpdate } from "./lib/law/lawUpdate";

const ROOT = resolve(__dirname, "..");
const CHAIN_ID = 20260;
const BLOCK_PERIOD = 2;
const COUNT = Number(process.env.BENCH_CHAIN_TRANSACTIONS ?? 2000);
const coder = AbiCoder.defaultAbiCoder();

/** A signer of raw transactions and the contract call it signs. */
interface Job {
  wallet: Wallet | HDNodeWallet;
  request: () => Promise<TransactionRequest>;
}

/**
 * The chain's sustained rate for one kind of transaction, against its ceiling (block gas limit ÷ gas per
 * transaction ÷ block period). Every transaction is signed first (with a gas limit a little above the node's
 * estimate, as a gateway sends them), then all are handed to the node while it holds its next block, so that each
 * block is built from a pool that holds more than a block: what limits the rate is then the block gas limit, not
 * the client. The client's own pace (signing and sending) is timed too, to show that it would keep up. The rate is
 * counted over the full blocks (all but the last, which holds what was left), by the blocks' own count and period.
 */
async function rate(provider: JsonRpcProvider, label: string, jobs: Job[]) {
  const requests = await Promise.all(jobs.map((job) => job.request()));
  // one estimate per sender (its first transaction; the others differ only in arguments of the same size)
  const limits = new Map<string, bigint>();
  const nonces = new Map<string, number>();
  for (const [i, job] of jobs.entries()) {
    const from = job.wallet.address;
    if (limits.has(from)) continue;
    const estimate = await provider.estimateGas({ ...requests[i], from });
    limits.set(from, (estimate * 102n) / 100n);
    nonces.set(from, await provider.getTransactionCount(from, "pending"));
  }
  const { chainId } = await provider.getNetwork();
  const clientStarted = Date.now();
  const signed = await Promise.all(
    jobs.map((job, i) => {
      const from = job.wallet.address;
      const nonce = nonces.get(from)!;
      nonces.set(from, nonce + 1);
      const tx = { ...requests[i], nonce, gasLimit: limits.get(from)!, gasPrice: 0n, chainId, type: 0 };
      return job.wallet.signTransaction(tx);
    }),
  );
  await provider.send("evm_setIntervalMining", [0]); // the node holds its next block while the pool fills
  const hashes = await Promise.all(
    signed.map((raw) => provider.send("eth_sendRawTransaction", [raw]) as Promise<string>),
  );
  const clientSeconds = (Date.now() - clientStarted) / 1000;
  const first = (await provider.getBlockNumber()) + 1;
  await provider.send("evm_setIntervalMining", [BLOCK_PERIOD]);

  // the blocks that carry the transactions, read until all are in
  const pending = new Set(hashes);
  const blocks: { transactions: number; gasUsed: bigint; gasLimit: bigint }[] = [];
  for (let n = first; pending.size > 0;) {
    const block = await provider.getBlock(n);
    if (!block) {
      await new Promise((r) => setTimeout(r, 250));
      continue;
    }
    const ours = block.transactions.filter((hash) => pending.delete(hash)).length;
    if (ours !== block.transactions.length) throw new Error(`block ${n} carries transactions of another kind`);
    blocks.push({ transactions: ours, gasUsed: block.gasUsed, gasLimit: block.gasLimit });
    n++;
  }
  const gasPerTransaction = Number(blocks.reduce((sum, b) => sum + b.gasUsed, 0n)) / jobs.length;
  const ceiling = Number(blocks[0].gasLimit) / gasPerTransaction / BLOCK_PERIOD;
  const full = blocks.length > 1 ? blocks.slice(0, -1) : blocks;
  const perSecond = full.reduce((sum, b) => sum + b.transactions, 0) / (full.length * BLOCK_PERIOD);
  const round = (x: number) => Math.round(x * 10) / 10;
  const ofCeiling = Math.round((perSecond / ceiling) * 1000) / 10;
  const clientPerSecond = round(jobs.length / clientSeconds);
  const result = {
    transactions: jobs.length,
    blocks: blocks.map((b) => b.transactions),
    perSecond: round(perSecond),
    gasPerTransaction: Math.round(gasPerTransaction),
    ceiling: round(ceiling),
    ofCeiling,
    goal: `≥ ${GOAL_OF_CEILING}% of the ceiling`,
    met: ofCeiling >= GOAL_OF_CEILING,
    limit: limitOf(full, Math.min(...[...limits.values()].map(Number)), Math.max(...[...limits.values()].map(Number))),
    clientPerSecond,
    client:
      clientPerSecond >= ceiling
        ? "faster than the ceiling: it would keep the chain at its rate"
        : "slower than the ceiling: fed live at its pace, it would limit the rate",
  };
  console.log(
    `${label}: ${result.perSecond} per second over ${full.length} full blocks = ${result.ofCeiling}% of the ceiling ` +
      `${result.ceiling} (${blocks[0].gasLimit} gas per block ÷ ${result.gasPerTransaction} gas ÷ ${BLOCK_PERIOD} s), ` +
      `goal ${result.goal} ${result.met ? "met" : "NOT MET"}; per block ${result.blocks.join(", ")}; ` +
      `${result.limit}; the client signed and sent ${clientPerSecond} per second, ${result.client}`,
  );
  return result;
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
    const [deployer, legislator1, legislator2, banker] = [0, 1, 2, 18].map(
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

    // registry records: births, by the two officials who may record them
    const civil = CivilRegistry__factory.connect(at("CivilRegistry"), provider);
    const BIRTH = "0x4249525448000000000000000000000000000000000000000000000000000000";
    const officials = [devAccount(4, provider), devAccount(15, provider)]; // registrar, hospitalRegistrar
    const records = await rate(
      provider,
      "registry.record",
      subjects.map((subject, i) => ({
        wallet: officials[i % 2],
        request: () =>
          civil.record.populateTransaction(
            BIRTH,
            subject,
            // the on-chain form of a birth: its document's hash and the commitment to its private date and place
            coder.encode(["bytes32", "bytes32"], [id(`doc ${i}`), id(`commitment ${i}`)]),
          ),
      })),
    );

    // token transfers between citizens' keys: the holders are funded first, then each sends to the next
    const token = FiatToken__factory.connect(at("FiatToken"), provider);
    const mints = await Promise.all(holders.map((h) => token.connect(banker).mint(h.address, 1_000_000n)));
    await Promise.all(mints.map((tx) => tx.wait()));
    const transfers = await rate(
      provider,
      "token.transfer",
      Array.from({ length: COUNT }, (_, i) => ({
        wallet: holders[i % holders.length],
        request: () => token.transfer.populateTransaction(holders[(i + 1) % holders.length].address, 1n),
      })),
    );

    const report = {
      network: `anvil 1.7.1 on 127.0.0.1, chain id ${CHAIN_ID}, a block every ${BLOCK_PERIOD} s, free gas, cancun, 30M gas per block`,
      deployment: {
        seconds: deploySeconds,
        note: "hardhat deploy --network localhost: every contract and the genesis law",
      },
      "registry.record": { ...records, note: "births by 2 officials" },
      "token.transfer": { ...transfers, note: `between ${holders.length} citizens' keys` },
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
