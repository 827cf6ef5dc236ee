/**
 * npx hardhat run scripts/gasTrace.ts: where the gas of SmartLaw's check, an enactment and a birth record goes,
 * from debug_traceTransaction on the in-process network after the real deployment. For each operation and each
 * contract it runs in: cold and warm storage reads, storage writes, calls, logs, and the rest; beside the
 * transaction's intrinsic gas (21,000 and the call data), as scripts/lib/bench/trace.ts accounts them. The figures
 * behind docs/gas.md.
 */
import hre, { deployments, ethers, network } from "hardhat";

import { jurisdictionCode, lawId, textId } from "./lib/common/ids";
import { benchLawUpdates } from "./lib/bench/lawUpdates";
import { registerInfo } from "./lib/registry/registry";
import { sealValues } from "./lib/registry/schema";
import { birthProof } from "./lib/services/services";
import { getServices, getSystem } from "./lib/common/system";
import { accountGas, describeGas } from "./lib/bench/trace";

async function names(): Promise<Map<string, string>> {
  const all = await deployments.all();
  return new Map(Object.entries(all).map(([name, d]) => [d.address.toLowerCase(), name]));
}

async function trace(title: string, hash: string, known: Map<string, string>): Promise<void> {
  const account = await accountGas(network.provider, hash, known);
  console.log(`\n## ${title}: ${account.gasUsed} gas`);
  for (const line of describeGas(account)) console.log(line);
}

async function main(): Promise<void> {
  if (network.name !== "hardhat") throw new Error("the trace runs on the in-process network");
  await deployments.fixture();
  const known = await names();
  const { smartLaw, legislature, identityRegistry } = await getSystem(hre);
  const { civilRegistry } = await getServices(hre);
  const named = await hre.getNamedAccounts();
  const signer = (name: string) => ethers.getSigner(named[name]);
  const [registrar, hospitalRegistrar, legislator1, legislator2, legislator3] = await Promise.all(
    ["registrar", "hospitalRegistrar", "legislator1", "legislator2", "legislator3"].map(signer),
  );
  const DONGCHENG = jurisdictionCode("CN-11-01");
  const PENSION_ACT = lawId("PENSION_ACT");

  // the warm-up enrolment of the benchmark: the registrar's first-use slots turned from zero
  const key = async () => {
    const wallet = ethers.Wallet.createRandom(ethers.provider);
    await network.provider.request({ method: "hardhat_setBalance", params: [wallet.address, "0x56BC75E2D63100000"] });
    await identityRegistry.connect(wallet).consentToIdentity(0n);
    return wallet.address;
  };
  await identityRegistry.connect(registrar).enroll(1, DONGCHENG, ethers.id("trace person 0"), await key());

  // SmartLaw's check alone, as the benchmark measures it, but sent so that it can be traced
  const registryAddress = await identityRegistry.getAddress();
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [registryAddress] });
  await network.provider.request({ method: "hardhat_setBalance", params: [registryAddress, "0x56BC75E2D63100000"] });
  const asRegistry = await ethers.getSigner(registryAddress);
  const check = await asRegistry.sendTransaction({
    to: smartLaw.target,
    data: smartLaw.interface.encodeFunctionData("authorize", [
      registrar.address,
      identityRegistry.interface.getFunction("enroll").selector,
      DONGCHENG,
    ]),
  });
  await check.wait();
  await network.provider.request({ method: "hardhat_stopImpersonatingAccount", params: [registryAddress] });
  await trace("SmartLaw.authorize for the registrar's enroll, as the IdentityRegistry", check.hash, known);

  const { update, sign, setParam } = benchLawUpdates(smartLaw, legislature);
  const two = await update(PENSION_ACT, [setParam(61)]);
  const enactTwo = await legislature.enact(two, await sign(two, [legislator1, legislator2]));
  await enactTwo.wait();
  await trace("legislature.enact, 2 signatures, 1 setParam changing a parameter", enactTwo.hash, known);
  const three = await update(PENSION_ACT, [setParam(62)]);
  const enactThree = await legislature.enact(three, await sign(three, [legislator1, legislator2, legislator3]));
  await enactThree.wait();
  await trace("legislature.enact, 3 signatures", enactThree.hash, known);

  // a birth record by the hospital registrar, after a warm-up record, as the benchmark measures it
  const first = (await identityRegistry.identityCount()) + 1n;
  const enrol = await update(lawId("CIVIL_ADMINISTRATION_ACT"), [
    ...[0, 1].map((i) => ({
      target: identityRegistry.target as string,
      data: identityRegistry.interface.encodeFunctionData("enroll", [
        1,
        DONGCHENG,
        ethers.id(`trace citizen ${i}`),
        ethers.Wallet.createRandom().address,
      ]),
    })),
  ]);
  await (await legislature.enact(enrol, await sign(enrol, [legislator1, legislator2]))).wait();
  // births keep their date and place private: sealed with a fixed salt each, as the benchmark seals them
  const { layout } = await registerInfo(civilRegistry, "BIRTH");
  const sealedBirth = (date: number, n: number) =>
    sealValues(layout, [date, DONGCHENG, ethers.id(`doc ${n}`)], ethers.id(`salt ${n}`));
  const birth = (date: number, n: number) => sealedBirth(date, n).onChain;
  const BIRTH = textId("BIRTH");
  await (await civilRegistry.connect(hospitalRegistrar).record(BIRTH, first, birth(20260101, 0))).wait();
  const record = await civilRegistry.connect(hospitalRegistrar).record(BIRTH, first + 1n, birth(20260102, 1));
  await record.wait();
  await trace("registry.record of a birth, by the hospital registrar", record.hash, known);

  // a pension enrolment approved by the rule and recorded at once, the applicant's birth on record
  const { serviceDesk } = await getServices(hre);
  const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
  await (await hospitalRegistrar.sendTransaction({ to: wallet.address, value: ethers.parseEther("1") })).wait();
  const pensioner = (await identityRegistry.identityCount()) + 1n;
  const enrolPensioner = await update(lawId("CIVIL_ADMINISTRATION_ACT"), [
    {
      target: identityRegistry.target as string,
      data: identityRegistry.interface.encodeFunctionData("enroll", [
        1,
        DONGCHENG,
        ethers.id("trace pensioner"),
        wallet.address,
      ]),
    },
  ]);
  await (await legislature.enact(enrolPensioner, await sign(enrolPensioner, [legislator1, legislator2]))).wait();
  const born = sealedBirth(19600315, 9999);
  await (await civilRegistry.connect(registrar).record(BIRTH, pensioner, born.onChain)).wait();
  const application = birthProof(ethers.id("doc 9999"), born.opening);
  const apply = await serviceDesk.connect(wallet).submit(textId("PENSION_ENROLMENT"), application);
  await apply.wait();
  await trace("services.apply: a pension enrolment approved, its record included", apply.hash, known);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
