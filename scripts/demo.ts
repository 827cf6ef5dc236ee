/**
 * npm run demo: GovChain on the in-process chain, told step by step.
 * Deploys the system and enacts the genesis law, shows the legislature, the laws and the officials, has a
 * registrar enrol people in and out of its jurisdiction, records births and decides applications, has the
 * legislators change a parameter by signing, and pays pensions from the Treasury month by month. Last, on a local
 * stack of its own (when anvil is installed), a police officer reads under law through the registers' data service
 * (scripts/demoData.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import hre, { deployments, ethers } from "hardhat";

import { draftLawUpdate, loadLawFile } from "./lib/law/draft";
import { enactLawUpdate } from "./lib/law/enact";
import { explainRevert } from "./lib/common/errors";
import { loadGenesis, roleNames } from "./lib/law/genesis";
import { jurisdictionCode, lawId, paramKey, readableId, roleName, textId } from "./lib/common/ids";
import { signLawUpdate } from "./lib/law/sign";
import { formatLawReport, lawReport, listLaws } from "./lib/law/show";
import { recordByName, verifyDocument } from "./lib/registry/registry";
import { newSalt } from "./lib/registry/schema";
import { openedBirth, signMarriageTerms } from "./lib/services/services";
import { anvilInstalled } from "./lib/network/anvil";
import { freePort } from "./lib/network/ports";
import { startStack } from "./lib/network/stack";
import { getFinance, getServices, getSystem, systemInterfaces } from "./lib/common/system";
import {
  draftAllocation,
  formatAmount,
  formatPayoutSummary,
  formatStatement,
  mintTokens,
  parseAmount,
  payFromAccount,
  payoutPeriod,
  statement,
} from "./lib/treasury/treasury";

const heading = (text: string) => console.log(`\n━━ ${text} ${"━".repeat(Math.max(0, 72 - text.length))}`);
const say = (text: string) => console.log(`   ${text}`);
const date = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().slice(0, 10);

async function main(): Promise<void> {
  const genesis = loadGenesis();
  const roles = roleNames(genesis);

  heading("1. Deploying GovChain and enacting the genesis law");
  const started = Date.now();
  // the in-process chain is deployed here; a node (`--network localhost`) must hold a deployment already
  if (hre.network.name === "hardhat") await deployments.fixture();
  else say(`using the deployment of network "${hre.network.name}" (${hre.config.paths.deployments})`);
  const system = await getSystem(hre);
  const { smartLaw, legislature, identityRegistry } = system;
  const named = await hre.getNamedAccounts();
  const contracts = Object.fromEntries(Object.entries(await deployments.all()).map(([name, d]) => [d.address, name]));
  const nameOf = (address: string) =>
    Object.entries(named).find(([, a]) => a === address)?.[0] ?? contracts[address] ?? address;
  const withNames = (text: string) => text.replace(/0x[0-9a-fA-F]{40}/g, (a) => nameOf(ethers.getAddress(a)));
  for (const name of ["SmartLaw", "Legislature", "IdentityRegistry"])
    say(`${name.padEnd(17)} ${(await deployments.get(name)).address}`);
  if (hre.network.name === "hardhat")
    say(
      `deployed and genesis law enacted in ${((Date.now() - started) / 1000).toFixed(1)} s, from genesis/genesis.yaml`,
    );
  say(`the deployer (${named.deployer}) now holds no power: it is no legislator and no official`);

  heading("2. The Legislature");
  const legislators = await legislature.legislators();
  say(`${legislators.length} legislators, quorum ${await legislature.quorum()}, epoch ${await legislature.epoch()}:`);
  for (const l of legislators) say(`  • ${nameOf(l)} (${l})`);

  heading("3. The laws in force");
  for (const id of await listLaws(hre))
    console.log(formatLawReport(await lawReport(hre, id, roles)).replace(/^/gm, "   "));

  heading("4. The officials");
  for (const e of await identityRegistry.queryFilter(identityRegistry.filters.OfficialAppointed())) {
    const [appointmentId, official, role, department, jurisdiction, , until] = e.args;
    const key = nameOf(
      (await identityRegistry.queryFilter(identityRegistry.filters.IdentityEnrolled(official)))[0].args.key,
    );
    say(
      `#${appointmentId} identity ${official} (${key}) is ${roleName(role, roles)} of department ${department} for ${readableId(jurisdiction)}, until ${date(until)}`,
    );
  }

  heading("5. A registrar at work");
  const registrar = await ethers.getSigner(named.registrar);
  const asRegistrar = identityRegistry.connect(registrar);
  const interfaces = [smartLaw.interface, identityRegistry.interface, legislature.interface];
  const commitment = (who: string) => ethers.id(`${who}|born 1990-05-01|salt ${who.length}`);
  say("The Dongcheng registrar (jurisdiction CN-11-01) enrols Chen Jie, who lives in Dongcheng.");
  say("Only a salted hash of Chen Jie's personal data goes on chain. Her key first consents, by its own transaction.");
  const consent = (key: string) =>
    ethers.getSigner(key).then(async (s) => (await identityRegistry.connect(s).consentToIdentity(0)).wait());
  await consent(named.citizen1);
  const receipt = await (
    await asRegistrar.enroll(1, jurisdictionCode("CN-11-01"), commitment("Chen Jie"), named.citizen1)
  ).wait();
  const enrolled = identityRegistry.interface.parseLog(
    receipt!.logs.find((l) => l.address === identityRegistry.target)!,
  )!;
  say(
    `  ✔ enrolled as identity ${enrolled.args.identityId}, under law ${readableId(enrolled.args.lawId)} (gas ${receipt!.gasUsed})`,
  );

  say("The same registrar tries to enrol Liu Yang, who lives in Shanghai (CN-31); Liu Yang's key has consented.");
  await consent(named.citizen2);
  try {
    await asRegistrar.enroll(1, jurisdictionCode("CN-31"), commitment("Liu Yang"), named.citizen2);
    say("  ✘ unexpectedly accepted");
  } catch (error) {
    say(`  ✘ refused: ${withNames(explainRevert(error, interfaces))}`);
    say("    a Dongcheng registrar is not competent for Shanghai; nothing was written.");
  }
  const shanghai = identityRegistry.connect(await ethers.getSigner(named.registrar2));
  await (await shanghai.enroll(1, jurisdictionCode("CN-31-01"), commitment("Liu Yang"), named.citizen2)).wait();
  say(
    `  ✔ the Shanghai registrar enrols Liu Yang in Huangpu (CN-31-01, within CN-31): identity ${await identityRegistry.identityOf(named.citizen2)}`,
  );

  say("A citizen with no appointment tries to enrol someone.");
  const enrollSelector = identityRegistry.interface.getFunction("enroll").selector;
  try {
    await identityRegistry
      .connect(await ethers.getSigner(named.outsider))
      .enroll(1, jurisdictionCode("CN-11-01"), commitment("X"), ethers.Wallet.createRandom().address);
  } catch (error) {
    say(`  ✘ refused: ${withNames(explainRevert(error, interfaces)).replace(enrollSelector, "enroll")}`);
  }

  heading("6. Civil registers and citizens' services");
  const PENSION_ACT = lawId("PENSION_ACT");
  const RETIREMENT_AGE = paramKey("RETIREMENT_AGE");
  const { civilRegistry, serviceDesk } = await getServices(hre);
  const hospitalRegistrar = await ethers.getSigner(named.hospitalRegistrar);
  const officer = await ethers.getSigner(named.officer);
  const coder = ethers.AbiCoder.defaultAbiCoder();
  const DONGCHENG = jurisdictionCode("CN-11-01");
  // the registrars' openings of private fields (the data service will hold them): a scratch folder for the demo
  const openings = mkdtempSync(join(tmpdir(), "govchain-demo-openings-"));
  /** A citizen with a key of their own, enrolled by the registrar, born on `birthDate` (yyyymmdd). */
  async function citizen(label: string, birthDate?: number) {
    const wallet = ethers.Wallet.createRandom().connect(ethers.provider);
    await (await registrar.sendTransaction({ to: wallet.address, value: ethers.parseEther("1") })).wait();
    await (await identityRegistry.connect(wallet).consentToIdentity(0)).wait(); // the key consents to its enrolment
    await (await identityRegistry.connect(registrar).enroll(1, DONGCHENG, ethers.id(label), wallet.address)).wait();
    const id = await identityRegistry.identityOf(wallet.address);
    let birth = "0x";
    if (birthDate !== undefined) {
      const document = Buffer.from(`birth certificate of ${label}`);
      const values = {
        birthDate: String(birthDate),
        placeOfBirth: "CN-11-01",
        documentHash: ethers.keccak256(document),
      };
      const uid = await recordByName(hre, hospitalRegistrar, "BIRTH", id, values, ".", openings);
      // the record keeps the date and place private: the citizen opens it for a rule with the registrar's opening
      birth = await openedBirth(civilRegistry, id, openings);
      say(
        `the hospital registrar records the birth of ${label} (identity ${id}, born ${birthDate}): ${uid.slice(0, 10)}…${uid.slice(-12)}`,
      );
      return { id, wallet, birth, uid, document };
    }
    return { id, wallet, birth, uid: ethers.ZeroHash, document: Buffer.alloc(0) };
  }
  const outcome = async (tx: Promise<{ wait: () => Promise<unknown> }>) => {
    const receipt = (await (await tx).wait()) as { logs: { topics: string[]; data: string }[]; gasUsed: bigint };
    for (const log of receipt.logs) {
      const parsed = serviceDesk.interface.parseLog(log);
      if (parsed?.name === "ApplicationApproved")
        return `APPROVED by the rule (application ${parsed.args[0]}, gas ${receipt.gasUsed})`;
      if (parsed?.name === "ApplicationRejected")
        return `REJECTED: ${ethers.decodeBytes32String(parsed.args.reason)} (application ${parsed.args[0]})`;
      if (parsed?.name === "ApplicationReferred")
        return `REFERRED to the department: ${ethers.decodeBytes32String(parsed.args.reason)} (application ${parsed.args[0]})`;
    }
    return "no decision";
  };
  const [mei, jun, lan] = [await citizen("Mei", 19960412), await citizen("Jun", 19950920), await citizen("Lan")];
  say("  (a birth's date and place are private: its event and state hold the certificate's hash and a salted");
  say("  commitment; a rule that needs the date gets it from the applicant as an opening, checked against it)");
  const marriageRule = await smartLaw.ruleOf(lawId("MARRIAGE_LAW"));
  const chainId = (await ethers.provider.getNetwork()).chainId;
  let consentNonce = 0n;
  async function marriage(a: typeof mei, b: typeof mei) {
    const documentHash = ethers.id(`marriage of ${a.id} and ${b.id}`);
    const nonce = ++consentNonce; // a consent serves one application: the partner signs a fresh nonce each time
    const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
    const terms = { applicant: a.id, partner: b.id, documentHash, nonce, deadline };
    const { signature: consent } = await signMarriageTerms(b.wallet, marriageRule, chainId, terms);
    return coder.encode(
      ["uint256", "bytes32", "bytes", "bytes", "uint256", "uint256", "bytes", "bytes32"],
      [b.id, documentHash, a.birth, b.birth, nonce, deadline, consent, newSalt()],
    );
  }
  /** An official's approval: the application's data again (the chain keeps their hash), the proposed records. */
  const approval = (data: string) => coder.encode(["bytes", "bytes[]"], [data, []]);
  const MARRIAGE_REGISTRATION = ethers.encodeBytes32String("MARRIAGE_REGISTRATION");
  say(`Mei applies to marry Jun, who consents by signature; both have birth records:`);
  say(`  ${await outcome(serviceDesk.connect(mei.wallet).submit(MARRIAGE_REGISTRATION, await marriage(mei, jun)))}`);
  const [wei] = [await citizen("Wei", 19900101)];
  say(`Wei applies to marry Lan, who has no birth record:`);
  const weiAndLan = await marriage(wei, lan);
  say(`  ${await outcome(serviceDesk.connect(wei.wallet).submit(MARRIAGE_REGISTRATION, weiAndLan))}`);
  const referred = await serviceDesk.applicationCount();
  await (
    await serviceDesk
      .connect(officer)
      .decide(referred, true, approval(weiAndLan), "age checked on the household register")
  ).wait();
  const steps = await serviceDesk.history(referred);
  say(
    `  the civil affairs officer approves it: ${steps.map((st) => ["", "submitted", "approved", "rejected", "referred"][Number(st.status)]).join(" → ")}`,
  );
  const weiMarriage = await civilRegistry.getRecord(await civilRegistry.latest(textId("MARRIAGE"), wei.id));
  say(
    `  the rule reviewed his decision first; the records are his: official ${weiMarriage.official}, under ${readableId(weiMarriage.lawId)} (his grant on MARRIAGE within Lan's and Wei's jurisdiction)`,
  );

  const BIRTH_REGISTRATION = ethers.encodeBytes32String("BIRTH_REGISTRATION");
  const [daughter, son] = [await citizen("Mei and Jun's daughter"), await citizen("a boy born at the hospital")];
  const bornOn = Number(
    new Date(((await ethers.provider.getBlock("latest"))!.timestamp - 2 * 86_400) * 1000)
      .toISOString()
      .slice(0, 10)
      .replaceAll("-", ""),
  );
  const declaration = (child: bigint, parents: [bigint, bigint]) =>
    coder.encode(
      ["uint256", "uint32", "bytes32", "bytes32", "uint256", "uint256", "bytes32"],
      [child, bornOn, DONGCHENG, ethers.id(`medical birth certificate of ${child}`), ...parents, newSalt()],
    );
  say(`Wei, neither the hospital nor a parent named, declares the birth of Mei and Jun's daughter:`);
  say(
    `  ${await outcome(serviceDesk.connect(wei.wallet).submit(BIRTH_REGISTRATION, declaration(daughter.id, [0n, 0n])))}`,
  );
  say(`Mei, naming herself and Jun as the parents, declares it (no register proves parentage: the officer checks it):`);
  const byParents = declaration(daughter.id, [mei.id, jun.id]);
  say(`  ${await outcome(serviceDesk.connect(mei.wallet).submit(BIRTH_REGISTRATION, byParents))}`);
  const declared = await serviceDesk.applicationCount();
  await (
    await serviceDesk
      .connect(officer)
      .decide(declared, true, approval(byParents), "parents' identity cards and hospital certificate seen")
  ).wait();
  const daughterBirth = await civilRegistry.getRecord(await civilRegistry.latest(textId("BIRTH"), daughter.id));
  say(
    `  the civil affairs officer sees the parents in person and approves it: the record is his (official ${daughterBirth.official}, under ${readableId(daughterBirth.lawId)})`,
  );
  say(`The Dongcheng hospital's registrar declares the birth of a boy born there:`);
  say(
    `  ${await outcome(serviceDesk.connect(hospitalRegistrar).submit(BIRTH_REGISTRATION, declaration(son.id, [0n, 0n])))}`,
  );

  const verdict = await verifyDocument(hre, mei.uid, { file: mei.document });
  say(`Verify Mei's birth certificate against ${mei.uid.slice(0, 10)}…: ${verdict.explanation}`);
  const forged = await verifyDocument(hre, mei.uid, { file: Buffer.from("a forged certificate") });
  say(`Verify a forged certificate: ${forged.verdict.toUpperCase()}: ${forged.explanation}`);

  const PENSION = ethers.encodeBytes32String("PENSION_ENROLMENT");
  const [zhou, qian] = [await citizen("Zhou", 19620110), await citizen("Qian", 19630502)];
  say(`Zhou (62) applies for a pension while RETIREMENT_AGE is ${await smartLaw.param(PENSION_ACT, RETIREMENT_AGE)}:`);
  say(`  ${await outcome(serviceDesk.connect(zhou.wallet).submit(PENSION, zhou.birth))}`);

  heading("7. The legislators change the law by signing");
  say(`Today the Pension Act says RETIREMENT_AGE = ${await smartLaw.param(PENSION_ACT, RETIREMENT_AGE)}.`);
  const amendment = loadLawFile(resolve(__dirname, "../genesis/amendments/pension-act-amendment-1.yaml"));
  const file = await draftLawUpdate(hre, amendment);
  say(`Drafted amendment: PENSION_ACT v${file.update.version}, digest ${file.digest.slice(0, 18)}…`);
  for (const line of file.summary) say(`  · ${line}`);
  const l1 = await ethers.getSigner(named.legislator1);
  const l3 = await ethers.getSigner(named.legislator3);
  const signatures = [await signLawUpdate(l1, file)];
  say(`legislator1 signs (EIP-712, offline-capable).`);
  try {
    await enactLawUpdate(hre, file, signatures, registrar);
  } catch (error) {
    say(`  ✘ submitting with one signature is refused before anything is sent: ${withNames((error as Error).message)}`);
  }
  signatures.push(await signLawUpdate(l3, file));
  say(`legislator3 signs too. Anyone may now submit it; the registrar's office does.`);
  const { receipt: enacted } = await enactLawUpdate(hre, file, signatures, registrar);
  say(
    `  ✔ enacted in block ${enacted.blockNumber} (gas ${enacted.gasUsed}): RETIREMENT_AGE = ${await smartLaw.param(PENSION_ACT, RETIREMENT_AGE)}`,
  );
  say(`  the Pension Act is now at version ${await smartLaw.lawVersion(PENSION_ACT)}; no contract was redeployed.`);
  say(`Qian (63) applies for a pension under the amended law, with the same rule contract:`);
  say(`  ${await outcome(serviceDesk.connect(qian.wallet).submit(PENSION, qian.birth))}`);

  heading("8. The Treasury: money by law");
  const { fiatToken, treasury } = await getFinance(hre);
  const banker = await ethers.getSigner(named.centralBanker);
  const finance = await ethers.getSigner(named.financeOfficer);
  const PENSION_PROGRAMME = ethers.encodeBytes32String("PENSION");
  const treasuryInterfaces = await systemInterfaces(hre);
  const nextMonth = async () => {
    await ethers.provider.send("evm_increaseTime", [
      Number(await smartLaw.param(PENSION_ACT, paramKey("PENSION_PERIOD"))),
    ]);
    await ethers.provider.send("evm_mine", []);
  };
  await mintTokens(hre, banker, "Treasury", parseAmount("10,000,000.00"));
  say(`The central bank's issuance officer mints 10,000,000.00 GCNY to the Treasury, under the Currency Act.`);
  const allocation = await draftAllocation(
    hre,
    "PUBLIC_FINANCE_ACT",
    resolve(__dirname, "../genesis/texts/public-finance-act.md"),
    [
      { organisation: 1n, amount: parseAmount("2,000,000.00") },
      { programme: "PENSION", amount: parseAmount("1,000,000.00") },
    ],
  );
  await enactLawUpdate(
    hre,
    allocation,
    [await signLawUpdate(l1, allocation), await signLawUpdate(l3, allocation)],
    registrar,
  );
  say(`The legislators sign a budget law: 2,000,000.00 to the Ministry of Civil Affairs' account (identity 1) and`);
  say(
    `1,000,000.00 to the pension programme (${allocation.summary.length} calls, digest ${allocation.digest.slice(0, 18)}…).`,
  );
  say(`  the Treasury's reserve is now ${formatAmount(await treasury.reserve())}`);

  const [sun, ma] = [await citizen("Sun", 19550301), await citizen("Ma", 19580716)];
  for (const p of [sun, ma]) await (await serviceDesk.connect(p.wallet).submit(PENSION, p.birth)).wait();
  say(`Sun (71) and Ma (68) are enrolled for a pension by the same rule; with Zhou, three pensioners.`);

  const payout = async () => formatPayoutSummary(await payoutPeriod(hre, officer, "PENSION")).replace(/\n/g, "\n   ");
  say(`The civil affairs officer pays this month's pensions in one batch:`);
  say(`  ${await payout()}`);
  try {
    await (await treasury.connect(zhou.wallet).claim(PENSION_PROGRAMME)).wait();
  } catch (error) {
    say(`Zhou claims a second time this month: ✘ refused: ${explainRevert(error, treasuryInterfaces)}`);
  }
  const sent = await (await fiatToken.connect(zhou.wallet).transfer(sun.wallet.address, parseAmount("100.00"))).wait();
  say(`Zhou sends 100.00 to Sun: a transfer between two citizens' keys, gas ${sent!.gasUsed}.`);

  await recordByName(
    hre,
    hospitalRegistrar,
    "DEATH",
    ma.id,
    { deathDate: "20261115", placeOfDeath: "CN-11-01", documentHash: ethers.id("death certificate of Ma") },
    ".",
    openings,
  );
  say(`The hospital registrar registers Ma's death.`);
  await nextMonth();
  say(`A month later, the officer runs the payout again:`);
  say(`  ${await payout()}`);

  const raise = await draftLawUpdate(hre, {
    law: { lawId: "PENSION_ACT", text: "texts/pension-act.md", params: { PENSION_AMOUNT: 330000 } },
    baseDir: resolve(__dirname, "../genesis"),
  });
  await enactLawUpdate(hre, raise, [await signLawUpdate(l1, raise), await signLawUpdate(l3, raise)], registrar);
  say(
    `The legislators raise PENSION_AMOUNT to ${formatAmount(await smartLaw.param(PENSION_ACT, paramKey("PENSION_AMOUNT")))}; it applies from the next period.`,
  );
  await nextMonth();
  say(`The next month's payout, with no contract redeployed:`);
  say(`  ${await payout()}`);
  console.log(formatStatement(await statement(hre, { programme: "PENSION" })).replace(/^/gm, "   "));
  const { paymentId } = await payFromAccount(
    hre,
    finance,
    1n,
    named.hospital,
    parseAmount("50,000.00"),
    "maternity ward",
  );
  say(
    `The Ministry's finance officer pays the Dongcheng hospital 50,000.00 for its maternity ward (payment ${paymentId}):`,
  );
  console.log(withNames(formatStatement(await statement(hre, { organisation: 1n }))).replace(/^/gm, "   "));

  rmSync(openings, { recursive: true, force: true });
  await dataScene();

  heading("Done");
  say("Every step above is an event on chain. To go on against a node: `npm run chain` in one terminal, then in");
  say("another `npm run deploy:local`, `npx hardhat run scripts/demo.ts --network localhost` (this scenario on it)");
  say("and `npx hardhat law:show --network localhost` (the laws it enacted).");
}

/**
 * Reads under law need the data service, which follows a node over JSON-RPC: the in-process chain has none. So the
 * scene runs on a stack of its own (a local chain, a deployment, the service) on free ports, stopped after it.
 */
async function dataScene(): Promise<void> {
  if (hre.network.name !== "hardhat") {
    say("The data scene: with `npm run stack` running, `GOVCHAIN_DATA_URL=http://127.0.0.1:42069 npx hardhat run");
    say("scripts/demoData.ts --network localhost`.");
    return;
  }
  if (!anvilInstalled()) {
    heading("Reads under law: the registers' data service");
    say(
      "skipped: it runs on a local node, and anvil installs on Linux x64 only (npm run stack, then scripts/demoData.ts)",
    );
    return;
  }
  heading("Starting a local stack for the data service");
  const dir = mkdtempSync(join(tmpdir(), "govchain-demo-stack-"));
  const [rpcPort, servicePort] = [await freePort(), await freePort()];
  const started = Date.now();
  const stack = await startStack({
    rpcPort,
    servicePort,
    dir,
    deploymentsDir: join(dir, "deployments"),
    output: "ignore",
    say: (line) => say(line),
    anchorInterval: 2,
  });
  try {
    say(`up in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    const scene = spawnSync(
      join(__dirname, "..", "node_modules", ".bin", "hardhat"),
      ["run", "scripts/demoData.ts", "--network", "localhost"],
      {
        stdio: "inherit",
        env: {
          ...process.env,
          GOVCHAIN_RPC_PORT: String(rpcPort),
          GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments"),
          GOVCHAIN_DATA_URL: stack.serviceUrl,
        },
      },
    );
    if (scene.status !== 0) throw new Error(`the data scene failed (exit code ${scene.status})`);
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
