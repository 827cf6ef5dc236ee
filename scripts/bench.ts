/**
 * npm run bench: the gas of each user-facing operation of the governance core, measured from transaction
 * receipts on the in-process network after the real deployment, compared with the budgets.
 */
import hre, { deployments, ethers, network } from "hardhat";
import type { ContractTransactionResponse, Interface } from "ethers";

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { fmt, loadAnchors, reachOf } from "./lib/bench/peers";
import { tracePeers } from "./lib/bench/peerTraces";
import { writeGasReport, type Measure } from "./lib/bench/report";
import {
  accountGas,
  describeGas,
  splitDifference,
  splitGas,
  splitOfCheck,
  splitPerItem,
  stateAndData,
  type GasAccount,
} from "./lib/bench/trace";
import { jurisdictionCode, lawId, paramKey, roleId, textId } from "./lib/common/ids";
import { importCsv, registerInfo } from "./lib/registry/registry";
import { sealValues } from "./lib/registry/schema";
import { birthProof } from "./lib/services/services";
import type { LawCall, LawUpdate } from "./lib/law/lawUpdate";
import { benchLawUpdates } from "./lib/bench/lawUpdates";
import { getFinance, getServices, getSystem } from "./lib/common/system";

const REPORT = "reports/gas.json";
/** BENCH_TRACE=1: where the gas of each labelled operation goes, traced, written to reports/gas-trace.txt. */
const TRACE_REPORT = process.env.BENCH_TRACE === "1" ? "reports/gas-trace.txt" : undefined;
const traces: string[] = [];

let contractNames: Map<string, string> | undefined;

/** Where the gas of the transaction `hash` went, its contracts named as deployed. */
async function traceOf(hash: string): Promise<GasAccount> {
  contractNames ??= new Map(
    Object.entries(await deployments.all()).map(([name, d]) => [d.address.toLowerCase(), name]),
  );
  return accountGas(network.provider, hash, contractNames);
}

async function gasOf(tx: Promise<ContractTransactionResponse>, label?: string): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (TRACE_REPORT && label) traces.push(label, ...describeGas(await traceOf(receipt!.hash)), "");
  return receipt!.gasUsed;
}

/** The gas of a transaction whose operation has a goal against the peers, and where it went. */
async function traced(tx: Promise<ContractTransactionResponse>, label: string) {
  const receipt = (await (await tx).wait())!;
  const account = await traceOf(receipt.hash);
  if (TRACE_REPORT) traces.push(label, ...describeGas(account), "");
  return { gas: receipt.gasUsed, account };
}

async function main(): Promise<void> {
  if (network.name !== "hardhat") throw new Error("the benchmark runs on the in-process network: npm run bench");
  await deployments.fixture();
  const { smartLaw, legislature, identityRegistry } = await getSystem(hre);
  const named = await hre.getNamedAccounts();
  const signer = (name: string) => ethers.getSigner(named[name]);
  const [registrar, director, citizen1, legislator1, legislator2, legislator3] = await Promise.all(
    ["registrar", "director", "citizen1", "legislator1", "legislator2", "legislator3"].map(signer),
  );
  const DONGCHENG = jurisdictionCode("CN-11-01");
  const PENSION_ACT = lawId("PENSION_ACT");
  let n = 0;
  const person = () => ethers.id(`bench person ${++n}`);

  const { update, sign, setParam } = benchLawUpdates(smartLaw, legislature);

  const measures: Measure[] = [];

  // a key joins an identity only with its consent, sent on chain by the key itself (identity 0: its enrolment as a
  // new identity's first key), or signed (EIP-712)
  const consenting = async (identityId: bigint): Promise<string> => {
    const wallet = ethers.Wallet.createRandom(ethers.provider);
    await network.provider.request({ method: "hardhat_setBalance", params: [wallet.address, "0x56BC75E2D63100000"] });
    await identityRegistry.connect(wallet).consentToIdentity(identityId);
    return wallet.address;
  };
  const key = () => consenting(0n);

  // identity.enroll by an appointed registrar, in jurisdiction, of a key that consented. The first enrolment after
  // the genesis is a warm-up (it turns the registrar's first-use slots from zero); every figure is a steady-state
  // one.
  await identityRegistry.connect(registrar).enroll(1, DONGCHENG, person(), await key());
  const firstKey = await key();
  const enrollByRegistrar = await gasOf(identityRegistry.connect(registrar).enroll(1, DONGCHENG, person(), firstKey));
  measures.push({
    operation: "identity.enroll",
    gas: enrollByRegistrar,
    budget: 130_000n,
    note: "by an appointed registrar, in jurisdiction",
  });

  // SmartLaw's check of an official, alone: SmartLaw.authorize called as the IdentityRegistry (its target) for
  // the same enrolment, estimated by the node, minus the transaction's intrinsic gas (21,000 and the call data).
  const registryAddress = await identityRegistry.getAddress();
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [registryAddress] });
  await network.provider.request({ method: "hardhat_setBalance", params: [registryAddress, "0x56BC75E2D63100000"] });
  const checkData = smartLaw.interface.encodeFunctionData("authorize", [
    registrar.address,
    identityRegistry.interface.getFunction("enroll").selector,
    DONGCHENG,
  ]);
  const estimated = await ethers.provider.estimateGas({ from: registryAddress, to: smartLaw.target, data: checkData });
  // the same call sent as a transaction, to be traced
  const asRegistry = await ethers.getSigner(registryAddress);
  const checkTx = await asRegistry.sendTransaction({ to: smartLaw.target, data: checkData });
  const checkAccount = await traceOf(checkTx.hash);
  await network.provider.request({ method: "hardhat_stopImpersonatingAccount", params: [registryAddress] });
  const bytes = ethers.getBytes(checkData);
  const calldataGas = bytes.reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
  const checkGas = estimated - 21_000n - calldataGas;
  measures.push({
    operation: "smartLaw.check share of a gated write",
    gas: checkGas,
    budget: 8_000n,
    note: "SmartLaw.authorize for the registrar's enroll, called as the IdentityRegistry: estimateGas minus intrinsic gas",
    split: splitOfCheck(checkAccount, Number(checkGas)),
  });

  const citizenId = await identityRegistry.identityOf(named.citizen1).then(async (id) => {
    if (id !== 0n) return id;
    await identityRegistry.connect(citizen1).consentToIdentity(0n);
    await identityRegistry.connect(registrar).enroll(1, DONGCHENG, person(), named.citizen1);
    return identityRegistry.identityOf(named.citizen1);
  });
  const registryDomain = await identityRegistry.eip712Domain();
  const signedConsent = async (identityId: bigint) => {
    const wallet = ethers.Wallet.createRandom();
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const signature = await wallet.signTypedData(
      {
        name: registryDomain.name,
        version: registryDomain.version,
        chainId: registryDomain.chainId,
        verifyingContract: registryDomain.verifyingContract,
      },
      {
        KeyConsent: [
          { name: "identityId", type: "uint256" },
          { name: "key", type: "address" },
          { name: "deadline", type: "uint256" },
        ],
      },
      { identityId, key: wallet.address, deadline },
    );
    return { key: wallet.address, deadline, signature };
  };
  const extraKey = await consenting(citizenId);
  measures.push({
    operation: "identity.addKey (by the identity itself)",
    gas: await gasOf(identityRegistry.connect(citizen1).addKey(citizenId, extraKey)),
  });
  measures.push({
    operation: "identity.revokeKey (by a registrar)",
    gas: await gasOf(identityRegistry.connect(registrar).revokeKey(extraKey)),
  });
  const bySig = await signedConsent(citizenId);
  measures.push({
    operation: "identity.addKeyBySig (by the identity itself)",
    gas: await gasOf(
      identityRegistry.connect(citizen1).addKeyBySig(citizenId, bySig.key, bySig.deadline, bySig.signature),
    ),
  });
  const lostKey = bySig.key;
  measures.push({
    operation: "identity.recoverKey",
    gas: await gasOf(identityRegistry.connect(registrar).recoverKey(lostKey, await consenting(citizenId))),
  });
  measures.push({
    operation: "identity.setStatus",
    gas: await gasOf(identityRegistry.connect(registrar).setStatus(citizenId, 2, "reason")),
  });
  await identityRegistry.connect(registrar).setStatus(citizenId, 1, "reason");
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const appointTx = identityRegistry
    .connect(director)
    .appoint(citizenId, roleId("REGISTRAR"), 2n, DONGCHENG, now, now + 86_400n * 365n);
  measures.push({ operation: "identity.appoint", gas: await gasOf(appointTx) });
  const appointmentId = (await identityRegistry.appointmentsOf(citizenId)).at(-1)!;
  measures.push({
    operation: "identity.dismiss",
    gas: await gasOf(identityRegistry.connect(director).dismiss(appointmentId, "reason")),
  });

  // legislature.enact: two signatures and one setParam changing an existing parameter (a typical amendment),
  // then the same with three signatures: the difference is the cost of one more signature.
  const two = await update(PENSION_ACT, [setParam(61)]);
  const enactTwo = await traced(
    legislature.enact(two, await sign(two, [legislator1, legislator2])),
    "legislature.enact (2 signatures)",
  );
  const three = await update(PENSION_ACT, [setParam(62)]);
  const enactThree = await traced(
    legislature.enact(three, await sign(three, [legislator1, legislator2, legislator3])),
    "legislature.enact (3 signatures)",
  );
  const splitTwo = splitGas(enactTwo.account);
  measures.push({
    operation: "legislature.enact (2 signatures, 1 setParam)",
    gas: enactTwo.gas,
    budget: 130_000n,
    note: "setParam changes an existing parameter",
    split: splitTwo,
  });
  measures.push({ operation: "legislature.enact (3 signatures, 1 setParam)", gas: enactThree.gas });
  const extraSignature = enactThree.gas - enactTwo.gas;
  measures.push({
    operation: "legislature.enact extra signature",
    gas: extraSignature,
    budget: 8_000n,
    note: "3 signatures minus 2, same update otherwise",
    split: splitDifference(splitGas(enactThree.account), splitTwo, Number(extraSignature)),
  });
  const fresh = await update(PENSION_ACT, [
    {
      ...setParam(0),
      data: smartLaw.interface.encodeFunctionData("setParam", [PENSION_ACT, paramKey("NEW_PARAMETER"), 1]),
    },
  ]);
  measures.push({
    operation: "legislature.enact (2 signatures, 1 new parameter)",
    gas: await gasOf(legislature.enact(fresh, await sign(fresh, [legislator1, legislator2]))),
  });
  const approved = await update(PENSION_ACT, [setParam(63)]);
  const digest = await legislature.hashLawUpdate(approved);
  measures.push({
    operation: "legislature.approve",
    gas: await gasOf(legislature.connect(legislator1).approve(digest)),
  });
  await legislature.connect(legislator2).approve(digest);
  measures.push({
    operation: "legislature.enact (2 on-chain approvals, 1 setParam)",
    gas: await gasOf(legislature.enact(approved, [])),
  });

  const law = { update, sign: (u: LawUpdate) => sign(u, [legislator1, legislator2]) };
  await benchRegisters(measures, law);
  await benchTreasury(measures, law);

  const peerTraces = await tracePeers(hre, traceOf, identityRegistry.interface.getFunction("enroll").selector);
  const { met, missed, peers } = writeGasReport(REPORT, measures, peerTraces);
  if (TRACE_REPORT) writeFileSync(TRACE_REPORT, traces.join("\n"));
  const width = Math.max(...measures.map((m) => m.operation.length));
  for (const m of measures) {
    const verdict = m.budget === undefined ? "" : m.gas <= m.budget ? `  ≤ ${m.budget} met` : `  > ${m.budget} NOT MET`;
    console.log(`${m.operation.padEnd(width)}  ${m.gas.toString().padStart(9)}${verdict}`);
  }
  console.log("\nAgainst the peers (../shared/anchors/gas.json):");
  for (const c of peers) {
    const against = c.missing
      ? `  — ${c.missing}`
      : c.peerGas === undefined
        ? ""
        : `  ${(c.ratio ?? 0).toFixed(2)}× ${c.peer} (${c.peerGas})`;
    const verdict = c.missing || c.met === undefined ? "" : `  goal ${c.goal} ${c.met ? "met" : "NOT MET"}`;
    console.log(`${c.operation.padEnd(width)}  ${String(c.gas).padStart(9)}${against}${verdict}`);
    if (c.met === false) {
      const split = measures.find((m) => m.operation === c.operation)?.split;
      const reach = reachOf(
        c,
        split,
        peerTraces.find((t) => t.peer === c.peer),
      );
      console.log(`${"".padEnd(width)}  ${"".padStart(9)}  goal ${fmt(c.goalGas!)} gas: ${reach}`);
    }
  }
  const anchors = loadAnchors();
  console.log("\nPeers built and traced here, beside gas.json:");
  for (const t of peerTraces) {
    const anchored = anchors?.[t.peer];
    const against = anchored === undefined ? "not in gas.json" : anchored === t.gas ? "the same" : fmt(anchored);
    console.log(`${t.peer}: ${fmt(t.gas)} (gas.json: ${against})`);
  }
  const goals = peers.filter((c) => c.met !== undefined);
  console.log(
    `\n${met} budgets met, ${missed.length} missed; ${goals.filter((c) => c.met).length} of ${goals.length} goals ` +
      `against the peers met. Written to ${REPORT} and ${REPORT.replace(/\.json$/, ".md")}.`,
  );
}

type Law = {
  update: (law: string, calls: LawCall[]) => Promise<LawUpdate>;
  sign: (u: LawUpdate) => Promise<string[]>;
};

/**
 * Enrols `count` persons in Dongcheng by law updates of 150 enrolments each (fast: each update stays well within the
 * block gas limit, a key's check that it is no contract included), and returns their ids.
 */
async function enrolPeople(law: Law, count: number, keys?: string[]): Promise<bigint[]> {
  const { identityRegistry, legislature } = await getSystem(hre);
  const DONGCHENG = jurisdictionCode("CN-11-01");
  const first = (await identityRegistry.identityCount()) + 1n;
  for (let i = 0; i < count; i += 150) {
    const calls: LawCall[] = [];
    for (let j = i; j < Math.min(count, i + 150); j++) {
      calls.push({
        target: identityRegistry.target as string,
        data: identityRegistry.interface.encodeFunctionData("enroll", [
          1,
          DONGCHENG,
          ethers.id(`bench citizen ${first + BigInt(j)}`),
          keys?.[j] ?? ethers.Wallet.createRandom().address,
        ]),
      });
    }
    const u = await law.update(lawId("CIVIL_ADMINISTRATION_ACT"), calls);
    await (await legislature.enact(u, await law.sign(u))).wait();
  }
  return Array.from({ length: count }, (_, i) => first + BigInt(i));
}

/**
 * The civil registers and the ServiceDesk: a birth record by the hospital registrar who records births, a batch
 * of 100, a pension enrolment decided and recorded at once; then the throughput of registry:import for 10,000
 * records (BENCH_IMPORT_RECORDS), written to reports/throughput.json.
 */
async function benchRegisters(measures: Measure[], law: Law): Promise<void> {
  const { civilRegistry, serviceDesk } = await getServices(hre);
  const named = await hre.getNamedAccounts();
  const [hospitalRegistrar, registrar] = await Promise.all([
    ethers.getSigner(named.hospitalRegistrar),
    ethers.getSigner(named.registrar),
  ]);
  const DONGCHENG = jurisdictionCode("CN-11-01");
  const BIRTH = textId("BIRTH");
  // births keep their date and place private: sealed with a fixed salt each, so that the gas is the same every run
  const { layout } = await registerInfo(civilRegistry, "BIRTH");
  const sealedBirth = (date: number, n: number) =>
    sealValues(layout, [date, DONGCHENG, ethers.id(`doc ${n}`)], ethers.id(`salt ${n}`));
  const birth = (date: number, n: number) => sealedBirth(date, n).onChain;

  const people = (count: number, keys?: string[]) => enrolPeople(law, count, keys);

  const subjects = await people(110);
  await civilRegistry.connect(hospitalRegistrar).record(BIRTH, subjects[0], birth(20260101, 0)); // warm-up
  const recorded = await traced(
    civilRegistry.connect(hospitalRegistrar).record(BIRTH, subjects[1], birth(20260102, 1)),
    "registry.record (a birth)",
  );
  measures.push({
    operation: "registry.record (a birth)",
    gas: recorded.gas,
    budget: 100_000n,
    note: "by the hospital registrar (the second grant on BIRTH), in jurisdiction",
    split: splitGas(recorded.account),
  });
  measures.push({
    operation: "registry.record (a birth, by the registrar)",
    gas: await gasOf(civilRegistry.connect(registrar).record(BIRTH, subjects[2], birth(20260103, 2))),
    note: "the registrar holds the first grant on BIRTH",
  });
  const batch = subjects.slice(10, 110);
  const batched = await traced(
    civilRegistry.connect(hospitalRegistrar).recordBatch(
      BIRTH,
      batch,
      batch.map((_, i) => birth(20260101 + (i % 28), i)),
    ),
    "registry.recordBatch (100)",
  );
  const batchGas = batched.gas;
  measures.push({
    operation: "registry.recordBatch (100), per record",
    gas: batchGas / 100n,
    budget: 60_000n,
    note: `${batchGas} for the batch of 100`,
    split: splitPerItem(splitGas(batched.account), 100, Number(batchGas / 100n)),
  });

  // a pension enrolment approved by the rule and recorded at once (the applicant's birth record exists)
  const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
  await (await hospitalRegistrar.sendTransaction({ to: wallet.address, value: ethers.parseEther("1") })).wait();
  const [pensioner] = await people(1, [wallet.address]);
  const born = sealedBirth(19600315, 9999);
  await civilRegistry.connect(registrar).record(BIRTH, pensioner, born.onChain);
  const application = birthProof(ethers.id("doc 9999"), born.opening);
  const receipt = await (await serviceDesk.connect(wallet).submit(textId("PENSION_ENROLMENT"), application)).wait();
  const approved = receipt!.logs.some((l) => serviceDesk.interface.parseLog(l)?.name === "ApplicationApproved");
  if (!approved) throw new Error("the benchmark's pension application was not approved");
  measures.push({
    operation: "services.apply (pension enrolment, approved, record included)",
    gas: receipt!.gasUsed,
    budget: 180_000n,
    note: "the rule opens the birth record (its date committed), checks the death and enrolment registers and RETIREMENT_AGE",
    split: splitGas(await traceOf(receipt!.hash)),
  });

  // registry:import throughput, on this in-process network
  const count = Number(process.env.BENCH_IMPORT_RECORDS ?? 10_000);
  const ids = await people(count);
  const dir = mkdtempSync(join(tmpdir(), "govchain-bench-"));
  const file = join(dir, "births.csv");
  const lines = ["subject,birthDate,placeOfBirth,documentHash"];
  ids.forEach((id, i) =>
    lines.push(`${id},2000-01-${String((i % 28) + 1).padStart(2, "0")},CN-11-01,${ethers.id(`legacy ${id}`)}`),
  );
  writeFileSync(file, lines.join("\n"));
  // each birth's opening (its private date and place, and salt) is saved to a file before its batch is sent
  const openingsDir = join(dir, "openings");
  const summary = await importCsv(hre, hospitalRegistrar, file, "BIRTH", { batchSize: 100, openingsDir }).finally(() =>
    rmSync(dir, { recursive: true, force: true }),
  );
  if (summary.written !== count) throw new Error(`the import wrote ${summary.written} of ${count} records`);
  const throughput = {
    records: count,
    batchSize: 100,
    transactions: summary.transactions,
    seconds: summary.seconds,
    recordsPerSecond: Math.round(count / summary.seconds),
    gasPerRecord: Number(summary.gasUsed / BigInt(count)),
    network: "the in-process Hardhat network (automine), through importCsv as registry:import runs it",
  };
  mkdirSync("reports", { recursive: true });
  writeFileSync("reports/throughput.json", JSON.stringify({ "registry:import": throughput }, null, 2) + "\n");
  console.log(
    `registry:import: ${count} records in ${summary.seconds.toFixed(1)} s = ${throughput.recordsPerSecond} records/s ` +
      `(${summary.transactions} transactions; ${throughput.network}) → reports/throughput.json`,
  );
}

/**
 * The FiatToken and the Treasury: mint, transfers to a new and to an existing holder, claims, a payout of 200
 * pensioners who already hold tokens, a payment and its reversal.
 */
async function benchTreasury(measures: Measure[], law: Law): Promise<void> {
  const { smartLaw } = await getSystem(hre);
  const { civilRegistry } = await getServices(hre);
  const { fiatToken, treasury } = await getFinance(hre);
  const named = await hre.getNamedAccounts();
  const [banker, officer, finance] = await Promise.all(
    ["centralBanker", "officer", "financeOfficer"].map((name) => ethers.getSigner(named[name])),
  );
  const PENSION = textId("PENSION");
  const PENSION_ACT = lawId("PENSION_ACT");
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const enact = async (law_: string, calls: LawCall[]) => {
    const { legislature } = await getSystem(hre);
    const u = await law.update(law_, calls);
    await (await legislature.enact(u, await law.sign(u))).wait();
  };
  const callOf = (contract: { target: unknown; interface: Interface }, fn: string, args: unknown[]): LawCall => ({
    target: contract.target as string,
    data: contract.interface.encodeFunctionData(fn, args),
  });

  // three pensioners with wallets of their own (A, B, C), then 200 more who are paid by payouts
  const wallets = Array.from({ length: 3 }, () => ethers.Wallet.createRandom().connect(ethers.provider));
  for (const w of wallets)
    await (await banker.sendTransaction({ to: w.address, value: ethers.parseEther("1") })).wait();
  const [a, b, c] = wallets;
  const payees = Array.from({ length: 200 }, () => ethers.Wallet.createRandom().address);
  const [idA, idB] = await enrolPeople(
    law,
    3,
    wallets.map((w) => w.address),
  );
  const ids = await enrolPeople(law, 200, payees);
  const enrolment = coder.encode(["uint32", "bytes32"], [20250101, ethers.ZeroHash]);
  for (const chunk of [[idA, idB, ...ids.slice(0, 98)], ids.slice(98)]) {
    await enact(PENSION_ACT, [
      callOf(civilRegistry, "recordBatch", [textId("PENSION_ENROLMENT"), chunk, chunk.map(() => enrolment)]),
    ]);
  }

  measures.push({
    operation: "token.mint",
    gas: await gasOf(fiatToken.connect(banker).mint(treasury.target as string, 10_000_000_000n), "token.mint"),
    note: "by the central bank's issuance officer, to the Treasury",
  });
  await enact(lawId("PUBLIC_FINANCE_ACT"), [
    callOf(treasury, "allocate", [1, 100_000_000n]),
    callOf(treasury, "fundProgramme", [PENSION, 5_000_000_000n]),
  ]);

  measures.push({
    operation: "treasury.claim (opens the period, to a new holder)",
    gas: await gasOf(treasury.connect(a).claim(PENSION), "treasury.claim (opens the period)"),
    note: "the first claim of a period reads the law's amount and period; the claimant holds no tokens yet",
  });
  await (await treasury.connect(b).claim(PENSION)).wait();
  const [first] = await treasury.currentPeriod(PENSION);
  await (await treasury.connect(officer).payout(PENSION, first, ids, payees)).wait();

  const toNew = await traced(fiatToken.connect(a).transfer(c.address, 1_000n), "token.transfer (to a new holder)");
  measures.push({
    operation: "token.transfer (to a new holder)",
    gas: toNew.gas,
    budget: 62_000n,
    note: "between persons' keys; the receiver's standing is asked of the IdentityRegistry once, then kept",
    split: splitGas(toNew.account),
  });
  const toExisting = await traced(
    fiatToken.connect(a).transfer(b.address, 1_000n),
    "token.transfer (to an existing holder)",
  );
  measures.push({
    operation: "token.transfer (to an existing holder)",
    gas: toExisting.gas,
    budget: 44_000n,
    note: "between persons' keys that hold tokens: their standing sits beside their balances",
    split: splitGas(toExisting.account),
  });

  await network.provider.send("evm_increaseTime", [
    Number(await smartLaw.param(PENSION_ACT, paramKey("PENSION_PERIOD"))),
  ]);
  await network.provider.send("evm_mine", []);
  const [second] = await treasury.currentPeriod(PENSION);
  const paidOut = await traced(treasury.connect(officer).payout(PENSION, second, ids, payees), "treasury.payout (200)");
  const payout = paidOut.gas;
  measures.push({
    operation: "treasury.payout (200), per beneficiary",
    gas: payout / 200n,
    budget: 15_000n,
    note: `${payout} for 200 pensioners who hold tokens; the payout opens the period`,
    split: splitPerItem(splitGas(paidOut.account), 200, Number(payout / 200n)),
  });
  // the same payout to the first 100 of them, in the next period: what each beneficiary adds beyond a payout's own
  // cost, which the per-beneficiary figure above shares among 200
  await network.provider.send("evm_increaseTime", [
    Number(await smartLaw.param(PENSION_ACT, paramKey("PENSION_PERIOD"))),
  ]);
  await network.provider.send("evm_mine", []);
  const [third] = await treasury.currentPeriod(PENSION);
  const paidHalf = await traced(
    treasury.connect(officer).payout(PENSION, third, ids.slice(0, 100), payees.slice(0, 100)),
    "treasury.payout (100)",
  );
  const each = (payout - paidHalf.gas) / 100n;
  const marginal = splitPerItem(
    splitDifference(splitGas(paidOut.account), splitGas(paidHalf.account), Number(payout - paidHalf.gas)),
    100,
    Number(each),
  );
  measures.push({
    operation: "treasury.payout, each beneficiary beyond 100",
    gas: each,
    note:
      `(payout of 200 − payout of 100) ÷ 100: ${fmt(stateAndData(marginal))} of state and data, ` +
      `${fmt(marginal.code)} of code`,
    split: marginal,
  });
  const claimed = await traced(treasury.connect(a).claim(PENSION), "treasury.claim");
  measures.push({
    operation: "treasury.claim",
    gas: claimed.gas,
    budget: 90_000n,
    note: "by a pensioner who holds tokens, in a period already open",
    split: splitGas(claimed.account),
  });

  const payment = await (await treasury.connect(finance).pay(1, c.address, 50_000n, ethers.id("purpose"))).wait();
  measures.push({ operation: "treasury.pay (to a person)", gas: payment!.gasUsed });
  measures.push({
    operation: "treasury.reverse (a payment in tokens)",
    gas: await gasOf(treasury.connect(finance).reverse(await treasury.paymentCount(), ethers.id("mistake"))),
  });
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
