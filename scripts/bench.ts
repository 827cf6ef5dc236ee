/**
 * npm run bench: the gas of each user-facing operation of the governance core, measured from transaction
 * receipts on the in-process network after the real deployment, compared with the budgets.
 */
import hre, { deployments, ethers, network } from "hardhat";
import type { ContractTransactionResponse, Signer } from "ethers";

import { writeGasReport, type Measure } from "./lib/bench";
import { jurisdictionCode, lawId, paramKey, roleId } from "./lib/ids";
import { LAW_UPDATE_TYPES, legislatureDomain, type LawCall, type LawUpdate } from "./lib/lawUpdate";
import { getSystem } from "./lib/system";

const REPORT = "reports/gas.json";

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
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
  const domain = await legislatureDomain(legislature);
  let n = 0;
  const person = () => ethers.id(`bench person ${++n}`);
  const key = () => ethers.Wallet.createRandom().address;

  async function update(law: string, calls: LawCall[]): Promise<LawUpdate> {
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    // a random nonce, as law:draft gives: each update's nonce lands in a fresh word of the nonce bitmap
    const nonce = ethers.toBigInt(ethers.randomBytes(32));
    return {
      lawId: law,
      version: Number(await smartLaw.lawVersion(law)) + 1,
      textHash: ethers.id(`text ${nonce}`),
      calls,
      nonce,
      epoch: await legislature.epoch(),
      deadline: now + 3600n,
    };
  }
  const sign = (u: LawUpdate, signers: Signer[]) =>
    Promise.all(signers.map((s) => s.signTypedData(domain, LAW_UPDATE_TYPES, u)));
  const setParam = (value: number): LawCall => ({
    target: smartLaw.target as string,
    data: smartLaw.interface.encodeFunctionData("setParam", [PENSION_ACT, paramKey("RETIREMENT_AGE"), value]),
  });

  const measures: Measure[] = [];

  // identity.enroll by an appointed registrar, in jurisdiction. The first enrolment after the genesis is a
  // warm-up (it turns the registrar's first-use slots from zero); every figure is a steady-state one.
  await identityRegistry.connect(registrar).enroll(1, DONGCHENG, person(), key());
  const enrollByRegistrar = await gasOf(identityRegistry.connect(registrar).enroll(1, DONGCHENG, person(), key()));
  measures.push({
    operation: "identity.enroll",
    gas: enrollByRegistrar,
    budget: 130_000n,
    note: "by an appointed registrar, in jurisdiction",
  });

  // The same write made by the Legislature: SmartLaw is called all the same, but lets the Legislature through
  // at once. The difference is what SmartLaw's check of an official costs (grants, the official's key, identity,
  // appointment and jurisdiction).
  const legislatureAddress = await legislature.getAddress();
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [legislatureAddress] });
  await network.provider.request({ method: "hardhat_setBalance", params: [legislatureAddress, "0x56BC75E2D63100000"] });
  const asLegislature = await ethers.getSigner(legislatureAddress);
  const enrollByLegislature = await gasOf(
    identityRegistry.connect(asLegislature).enroll(1, DONGCHENG, person(), key()),
  );
  await network.provider.request({ method: "hardhat_stopImpersonatingAccount", params: [legislatureAddress] });
  measures.push({
    operation: "identity.enroll (same write by the Legislature)",
    gas: enrollByLegislature,
    note: "the Legislature's key sends the same call directly (impersonated)",
  });
  measures.push({
    operation: "smartLaw.check share of a gated write",
    gas: enrollByRegistrar - enrollByLegislature,
    budget: 8_000n,
    note: "identity.enroll by the registrar minus the same enroll by the Legislature",
  });

  const citizenId = await identityRegistry.identityOf(named.citizen1).then(async (id) => {
    if (id !== 0n) return id;
    await identityRegistry.connect(registrar).enroll(1, DONGCHENG, person(), named.citizen1);
    return identityRegistry.identityOf(named.citizen1);
  });
  const extraKey = key();
  measures.push({
    operation: "identity.addKey (by the identity itself)",
    gas: await gasOf(identityRegistry.connect(citizen1).addKey(citizenId, extraKey)),
  });
  measures.push({
    operation: "identity.addKey (by a registrar)",
    gas: await gasOf(identityRegistry.connect(registrar).addKey(citizenId, key())),
  });
  measures.push({
    operation: "identity.revokeKey (by a registrar)",
    gas: await gasOf(identityRegistry.connect(registrar).revokeKey(extraKey)),
  });
  const lostKey = key();
  await identityRegistry.connect(registrar).addKey(citizenId, lostKey);
  measures.push({
    operation: "identity.recoverKey",
    gas: await gasOf(identityRegistry.connect(registrar).recoverKey(lostKey, key())),
  });
  measures.push({
    operation: "identity.setStatus",
    gas: await gasOf(identityRegistry.connect(registrar).setStatus(citizenId, 2, ethers.id("reason"))),
  });
  await identityRegistry.connect(registrar).setStatus(citizenId, 1, ethers.id("reason"));
  const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
  const appointTx = identityRegistry
    .connect(director)
    .appoint(citizenId, roleId("CLERK"), 2n, DONGCHENG, now, now + 86_400n * 365n);
  measures.push({ operation: "identity.appoint", gas: await gasOf(appointTx) });
  const appointmentId = (await identityRegistry.appointmentsOf(citizenId)).at(-1)!;
  measures.push({
    operation: "identity.dismiss",
    gas: await gasOf(identityRegistry.connect(director).dismiss(appointmentId, ethers.id("reason"))),
  });

  // legislature.enact: two signatures and one setParam changing an existing parameter (a typical amendment),
  // then the same with three signatures: the difference is the cost of one more signature.
  const two = await update(PENSION_ACT, [setParam(61)]);
  const enactTwo = await gasOf(legislature.enact(two, await sign(two, [legislator1, legislator2])));
  const three = await update(PENSION_ACT, [setParam(62)]);
  const enactThree = await gasOf(legislature.enact(three, await sign(three, [legislator1, legislator2, legislator3])));
  measures.push({
    operation: "legislature.enact (2 signatures, 1 setParam)",
    gas: enactTwo,
    budget: 130_000n,
    note: "setParam changes an existing parameter",
  });
  measures.push({ operation: "legislature.enact (3 signatures, 1 setParam)", gas: enactThree });
  measures.push({
    operation: "legislature.enact extra signature",
    gas: enactThree - enactTwo,
    budget: 8_000n,
    note: "3 signatures minus 2, same update otherwise",
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

  const { met, missed } = writeGasReport(REPORT, measures);
  const width = Math.max(...measures.map((m) => m.operation.length));
  for (const m of measures) {
    const verdict = m.budget === undefined ? "" : m.gas <= m.budget ? `  ≤ ${m.budget} met` : `  > ${m.budget} NOT MET`;
    console.log(`${m.operation.padEnd(width)}  ${m.gas.toString().padStart(9)}${verdict}`);
  }
  console.log(
    `\n${met} budgets met, ${missed.length} missed. Written to ${REPORT} and ${REPORT.replace(/\.json$/, ".md")}.`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
