/**
 * The data service against a node: GovChain deployed with its genesis law, a few operations (a birth recorded and
 * amended, an application decided and one referred, tokens minted), then the indexer started on the node; each
 * answer of the query API is checked against the contracts' own views, and bad input against its plain 400/404.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { ZeroHash, dataLength, encodeBytes32String, keccak256, toBeHex } from "ethers";

import {
  CivilRegistry__factory,
  FiatToken__factory,
  IdentityRegistry__factory,
  ServiceDesk__factory,
  SmartLaw__factory,
  Treasury__factory,
} from "../../typechain-types";
import { indexedEvents } from "../../scripts/lib/common/events";
import { freePort, startLocalNode, type LocalNode } from "../helpers/node";
import { forgetLocalChain } from "../../scripts/lib/data/ponderSync";

const SERVICE = resolve(__dirname, "../../data-service");
const PONDER = resolve(__dirname, "../../node_modules/.bin/ponder");
const STATUS = ["none", "current", "superseded", "revoked"];
const APPLICATION_STATUS = ["none", "submitted", "approved", "rejected", "referred"];
/** hardhat.config.ts's centralBanker: the minter the genesis Currency Act configures. */
const BANKER = 18;
/** A service that relays the data service at argv[1] on port argv[2], changing the data of every RecordAdded. */
const FORGING_SERVICE = `
const [api, port] = process.argv.slice(1);
require("node:http").createServer(async (request, response) => {
  const answer = await fetch(api + request.url);
  let body = await answer.text();
  if (request.url.startsWith("/events")) {
    const events = JSON.parse(body);
    for (const e of events.events)
      if (e.name === "RecordAdded") e.args.data = e.args.data.slice(0, -2) + (e.args.data.endsWith("00") ? "01" : "00");
    body = JSON.stringify(events);
  }
  response.writeHead(answer.status, { "Content-Type": "application/json" }).end(body);
}).listen(Number(port), "127.0.0.1");
`;
/** Ponder's schema for this run: on a Postgres server (DATABASE_URL) a schema left by an earlier run is another app's. */
const SCHEMA = `test_${Date.now()}`;

describe("data service on a node", function () {
  this.timeout(180_000);
  let node: LocalNode;
  let indexer: ChildProcess | undefined;
  let api: string;
  let done: { subject: string; uids: string[]; applications: string[]; referred: string };
  let log = "";

  const get = async (path: string) => {
    const response = await fetch(api + path);
    return { status: response.status, body: await response.json() };
  };
  const at = (name: string) =>
    JSON.parse(readFileSync(join(node.dir, "deployments", "localhost", `${name}.json`), "utf8")).address as string;

  before(async function () {
    const started = await startLocalNode();
    if (!started) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    node = started!;
    const ran = node.tool(["run", "test/helpers/indexedOperations.ts"]);
    expect(ran.status, ran.stderr).to.equal(0);
    done = JSON.parse(ran.stdout.trim().split("\n").pop()!);

    await forgetLocalChain();
    await startIndexer();
    await caughtUp(await headBlock());
  });
  after(async function () {
    await stopIndexer();
    node?.stop();
  });

  /** The node's latest block, asked of the node (the provider caches it). */
  const headBlock = async () => Number(await node.provider.send("eth_blockNumber", []));

  /** Starts the service on the node, on a new port, with its database in the node's folder (kept across restarts). */
  async function startIndexer() {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    indexer = spawn(PONDER, ["start", "--schema", SCHEMA, "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: SERVICE,
      env: {
        ...process.env,
        PONDER_TELEMETRY_DISABLED: "true",
        GOVCHAIN_DEPLOYMENTS_DIR: join(node.dir, "deployments"),
        GOVCHAIN_RPC_PORT: String(node.port),
        GOVCHAIN_PGLITE_DIR: join(node.dir, "pglite"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    indexer.stdout!.on("data", (chunk) => (log += chunk));
    indexer.stderr!.on("data", (chunk) => (log += chunk));
  }

  /** Stops the service and waits for it to close its database: one process per PGlite folder. */
  async function stopIndexer() {
    if (!indexer || indexer.exitCode !== null) return;
    const exited = once(indexer, "exit");
    indexer.kill();
    await exited;
  }

  /** Waits until the indexer has indexed the events of `block` (which has some), or fails with its log. */
  async function caughtUp(block: number) {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (indexer!.exitCode !== null) throw new Error(`the indexer stopped:\n${log}`);
      try {
        const { events } = (await (await fetch(`${api}/events?fromBlock=${block}&limit=1`)).json()) as { events?: [] };
        if (events?.length) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the indexer did not reach block ${block} in 2 minutes:\n${log}`);
  }

  /** Waits until the index holds the events of transaction `hash`, mined in `block`. */
  async function indexed(hash: string, block: number) {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const { events } = (await get(`/events?fromBlock=${block}&limit=1000`)).body as {
        events: { transactionHash: string }[];
      };
      if (events.some((e) => e.transactionHash === hash)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the indexer did not index transaction ${hash} in a minute:\n${log}`);
  }

  it("gives a subject's records across registers as the CivilRegistry holds them", async function () {
    const registry = CivilRegistry__factory.connect(at("CivilRegistry"), node.provider);
    const { status, body } = await get(`/subjects/${done.subject}/records`);
    expect(status).to.equal(200);
    // every version of every register for the subject: from the latest uid back to version 1
    const onChainUids: string[] = [];
    for (let number = 1; ; number++) {
      const registerId = await registry.registerIdOf(number);
      if (registerId === ZeroHash) break;
      const latest = BigInt(await registry.latest(registerId, done.subject));
      for (let version = 1n; version <= (latest & 0xffffffffn); version++)
        onChainUids.push(toBeHex(((latest >> 32n) << 32n) | version, 32));
    }
    expect(onChainUids).to.include.members(done.uids);
    expect(body.records.map((r: { uid: string }) => r.uid)).to.deep.equal(onChainUids);
    for (const r of body.records) {
      const onChain = await registry.getRecord(r.uid);
      // a birth's date and place are not in its data: the on-chain form is the document's hash and a commitment
      if (r.register.id === encodeBytes32String("BIRTH")) expect(dataLength(r.data)).to.equal(64);
      expect(r.status).to.equal(STATUS[Number(onChain.status)]);
      expect(keccak256(r.data)).to.equal(onChain.dataHash);
      expect(r.version).to.equal(Number(onChain.version));
      expect(r.official).to.equal(onChain.official.toString());
      expect(r.key).to.equal(onChain.key.toLowerCase());
      expect(r.law.id).to.equal(onChain.lawId);
      expect(r.register.id).to.equal(onChain.registerId);
    }
    const only = await get(`/subjects/${done.subject}/records?register=DEATH`);
    expect(only.body.records).to.deep.equal([]);
  });

  it("gives a record's versions up to the register's latest, the amendment's reason on the old one", async function () {
    const registry = CivilRegistry__factory.connect(at("CivilRegistry"), node.provider);
    const { body } = await get(`/records/${done.uids[0]}/versions`);
    const latest = await registry.latest(encodeBytes32String("BIRTH"), done.subject);
    expect(body.versions.map((v: { uid: string }) => v.uid).at(-1)).to.equal(latest.toLowerCase());
    expect(body.versions[0]).to.include({ status: "superseded", reason: "day and month swapped" });
    expect(body.versions[0].supersededBy).to.equal(latest.toLowerCase());
  });

  it("gives applications' histories as ServiceDesk.history does, a referral's step included", async function () {
    const desk = ServiceDesk__factory.connect(at("ServiceDesk"), node.provider);
    expect(done.referred).to.equal("referred");
    for (const id of done.applications) {
      const { status, body } = await get(`/applications/${id}`);
      expect(status).to.equal(200);
      const onChain = await desk.application(id);
      expect(body.application.status).to.equal(APPLICATION_STATUS[Number(onChain.status)]);
      expect(body.application.applicant).to.equal(onChain.applicant.toString());
      expect(body.application.service.id).to.equal(onChain.serviceId);
      // the application's data stay off the logs: the index holds their hash, which a referral keeps too
      expect(body.application).to.not.have.property("data");
      if (onChain.status === 4n) expect(body.application.dataHash).to.equal(await desk.referralDataHash(id));
      const steps = body.history.map((s: { status: string; at: string; by: string; reason: string }) => [
        s.status,
        s.at,
        s.by,
        s.reason,
      ]);
      // a step's `at` is also the name of a method of ethers' Result: read by position
      const history = (await desk.history(id)).map(([status, at, by, reason]) => [
        APPLICATION_STATUS[Number(status)],
        at.toString(),
        by.toString(),
        reason,
      ]);
      expect(steps).to.deep.equal(history);
    }
  });

  it("lists each department's referred applications as the ServiceDesk holds them", async function () {
    const desk = ServiceDesk__factory.connect(at("ServiceDesk"), node.provider);
    const referred = new Map<string, string[]>();
    for (let id = 1n; id <= (await desk.applicationCount()); id++) {
      const application = await desk.application(id);
      if (application.status !== 4n) continue;
      const department = (await desk.service(application.serviceId)).department.toString();
      referred.set(department, [...(referred.get(department) ?? []), id.toString()]);
    }
    expect(referred.size).to.be.greaterThan(0);
    for (const [department, ids] of referred) {
      const { body } = await get(`/departments/${department}/referrals`);
      expect(body.applications.map((a: { id: string }) => a.id)).to.deep.equal(ids);
    }
  });

  it("gives a law's versions, grants and parameters as SmartLaw holds them", async function () {
    const smartLaw = SmartLaw__factory.connect(at("SmartLaw"), node.provider);
    const lawId = encodeBytes32String("PENSION_ACT");
    const { status, body } = await get("/laws/PENSION_ACT");
    expect(status).to.equal(200);
    expect(body.version).to.equal(Number(await smartLaw.lawVersion(lawId)));
    for (const v of body.versions) expect(v.textHash).to.equal(await smartLaw.textHash(lawId, v.version));
    expect(body.versions[0].signers).to.have.length.greaterThan(0);
    expect(body.parameters).to.not.be.empty;
    for (const p of body.parameters) expect(p.value).to.equal((await smartLaw.param(lawId, p.key.id)).toString());
    expect(body.grants).to.not.be.empty;
    for (const g of body.grants) {
      const onChain = await smartLaw.grantsOn(g.target, g.selector, g.resource.id);
      const found = onChain.some(
        (h) => h.role === g.role && h.lawId === lawId && ["any", "jurisdiction"][Number(h.scope)] === g.scope,
      );
      expect(found, `${g.role} on ${g.target} ${g.selector}`).to.equal(true);
    }

    // each grant names what it allows: a write by its function, a read by the read it grants
    const protection = (await get("/laws/DATA_PROTECTION_ACT")).body.grants as {
      contract: string;
      function: string;
      read: boolean;
      resource: { name: string };
    }[];
    const allowed = protection.map((g) => `${g.contract}.${g.function}${g.read ? " (read)" : ""} ${g.resource.name}`);
    expect(allowed).to.include.members([
      "AccessLog.anchor ",
      "CivilRegistry.readRecord (read) ",
      "CivilRegistry.readRecord (read) RESIDENCE",
      "IdentityRegistry.readPersonalData (read) ",
    ]);
  });

  it("gives an identity's keys, appointments and officials as the IdentityRegistry holds them", async function () {
    const identities = IdentityRegistry__factory.connect(at("IdentityRegistry"), node.provider);
    for (const id of [1n, 5n]) {
      const { body } = await get(`/identities/${id}`);
      const live = body.keys
        .filter((k: { revokedAt: string | null }) => k.revokedAt === null)
        .map((k: { key: string }) => k.key);
      expect(live).to.deep.equal((await identities.keysOf(id)).map((k) => k.toLowerCase()));
      expect(body.attributesHash).to.equal((await identities.identity(id)).attributesHash);
      const posts = (await identities.appointmentsOf(id)).map(String);
      expect(body.appointments.map((p: { appointmentId: string }) => p.appointmentId)).to.deep.equal(posts);
    }
    const ministry = await get("/identities/1");
    expect(ministry.body.officials).to.not.be.empty;
    for (const p of ministry.body.officials) {
      const onChain = await identities.appointment(p.appointmentId);
      expect(onChain.department).to.equal(1n);
      expect(onChain.official.toString()).to.equal(p.official);
    }
  });

  it("gives the Treasury's token statement, its balance the FiatToken's", async function () {
    const treasury = (await Treasury__factory.connect(at("Treasury"), node.provider).getAddress()).toLowerCase();
    const token = FiatToken__factory.connect(at("FiatToken"), node.provider);
    const { body } = await get(`/accounts/${treasury}/statement`);
    expect(body.balance).to.equal((await token.balanceOf(treasury)).toString());
    expect(body.entries.at(-1).balance).to.equal(body.balance);
    expect(body.entries[0].counterparty).to.equal(ZeroHash.slice(0, 42)); // minted
  });

  it("gives a programme's budget and an organisation's account as the Treasury holds them", async function () {
    const treasury = Treasury__factory.connect(at("Treasury"), node.provider);
    const pension = await get("/programmes/PENSION/statement");
    expect(pension.status).to.equal(200);
    expect(pension.body.movements).to.not.be.empty;
    expect(pension.body.balance).to.equal((await treasury.programme(encodeBytes32String("PENSION"))).budget.toString());
    const account = await get("/organisations/1/account");
    expect(account.status).to.equal(200);
    expect(account.body.movements[0]).to.include({
      event: "BudgetAllocated",
      law: encodeBytes32String("PUBLIC_FINANCE_ACT"),
    });
    expect(account.body.balance).to.equal((await treasury.account(1n)).balance.toString());
    expect(await get("/programmes/NOTHING/statement")).to.deep.equal({
      status: 404,
      body: { error: "no programme NOTHING" },
    });
    expect((await get("/organisations/999/account")).status).to.equal(404);
    expect((await get("/organisations/x/account")).status).to.equal(400);
  });

  it("gives the tools the events the node's logs give, selected by the same filters", async function () {
    const smartLaw = SmartLaw__factory.connect(at("SmartLaw"), node.provider);
    const registry = CivilRegistry__factory.connect(at("CivilRegistry"), node.provider);
    const identities = IdentityRegistry__factory.connect(at("IdentityRegistry"), node.provider);
    const token = FiatToken__factory.connect(at("FiatToken"), node.provider);
    const desk = ServiceDesk__factory.connect(at("ServiceDesk"), node.provider);
    const asLogs = (
      events: {
        blockNumber: number;
        transactionHash: string;
        index: number;
        topics: readonly string[];
        data: string;
      }[],
    ) =>
      events.map(({ blockNumber, transactionHash, index, topics, data }) => ({
        blockNumber,
        transactionHash,
        index,
        topics,
        data,
      }));
    const cases = [
      ["SmartLaw", smartLaw, smartLaw.filters.LawVersionRecorded()],
      ["SmartLaw", smartLaw, smartLaw.filters.Granted(encodeBytes32String("PENSION_ACT"))],
      ["CivilRegistry", registry, registry.filters.RecordAdded(done.uids[0])],
      ["IdentityRegistry", identities, identities.filters.IdentityEnrolled()],
      ["FiatToken", token, token.filters.Transfer(undefined, at("Treasury"))],
      ["ServiceDesk", desk, desk.filters.ApplicationReferred()],
    ] as const;
    for (const [name, contract, filter] of cases) {
      const fromLogs = asLogs(await contract.queryFilter(filter as never));
      expect(fromLogs, `${name} ${filter.fragment.name}`).to.not.be.empty;
      expect(asLogs(await indexedEvents(api, contract, name, filter as never))).to.deep.equal(fromLogs);
    }

    // a tool reads the service when GOVCHAIN_DATA_URL names it, and says so; what it shows is the logs' own
    const withSource = (tool: string[], env: NodeJS.ProcessEnv) => {
      const run = node.tool(tool, { env });
      expect(run.status, run.stderr).to.equal(0);
      const lines = run.stdout.trim().split("\n");
      return { source: lines.pop(), shown: lines };
    };
    const fromService = `(read from the data service at ${api} (indexed to block ${await headBlock()}))`;
    for (const tool of [
      ["treasury:statement", "--programme", "PENSION"],
      ["law:show", "--law", "PENSION_ACT"],
      ["registry:history", "--register", "BIRTH", "--subject", done.subject],
    ]) {
      const service = withSource(tool, { GOVCHAIN_DATA_URL: api });
      const logs = withSource(tool, {});
      expect(service.source?.trim(), tool[0]).to.equal(fromService);
      expect(logs.source?.trim(), tool[0]).to.equal("(read from the node's logs)");
      expect(service.shown, tool[0]).to.deep.equal(logs.shown);
    }
    // a service that does not answer is named, and the logs read instead
    const down = withSource(["law:show", "--law", "PENSION_ACT"], { GOVCHAIN_DATA_URL: "http://127.0.0.1:9" });
    expect(down.source).to.match(
      /^\(read from the node's logs \(the data service at http:\/\/127\.0\.0\.1:9 did not answer: /,
    );
  });

  it("lets no tool show an event the node does not hold, whatever a service answers", async function () {
    // a service that answers as the real one, but with the birth records' data changed; in a process of its own,
    // since the tools run synchronously here
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const forged = spawn(process.execPath, ["-e", FORGING_SERVICE, api, String(port)], { stdio: "ignore" });
    for (
      let i = 0;
      i < 50 &&
      !(await fetch(`${url}/status`).then(
        (r) => r.ok,
        () => false,
      ));
      i++
    )
      await new Promise((r) => setTimeout(r, 100));
    try {
      const tool = ["registry:history", "--register", "BIRTH", "--subject", done.subject];
      const lied = node.tool(tool, { env: { GOVCHAIN_DATA_URL: url } });
      const honest = node.tool(tool, {});
      expect(lied.status, lied.stderr).to.equal(0);
      expect(lied.stderr).to.include(`the data service at ${url} gave an event the node does not hold`);
      const shown = (run: { stdout: string }) => run.stdout.trim().split("\n").slice(0, -1);
      expect(shown(lied)).to.deep.equal(shown(honest));
      expect(lied.stdout).to.include("(read from the node's logs (the data service at");
    } finally {
      forged.kill();
    }
  });

  it("follows the chain while it runs, and gives the same answers after a restart", async function () {
    const token = FiatToken__factory.connect(at("FiatToken"), node.provider);
    const treasury = at("Treasury").toLowerCase();
    const banker = await node.provider.getSigner(BANKER);
    await (await token.connect(banker).mint(treasury, 5n)).wait();
    await caughtUp(await headBlock());
    const statement = await get(`/accounts/${treasury}/statement`);
    expect(statement.body.balance).to.equal((await token.balanceOf(treasury)).toString());
    const events = await get("/events?limit=1000");

    await stopIndexer();
    await startIndexer();
    await caughtUp(await headBlock());
    expect(await get(`/accounts/${treasury}/statement`)).to.deep.equal(statement);
    expect(await get("/events?limit=1000")).to.deep.equal(events);
  });

  it("undoes what a reorganisation of the node removes, and indexes the blocks that replace them", async function () {
    const token = FiatToken__factory.connect(at("FiatToken"), node.provider);
    const treasury = at("Treasury").toLowerCase();
    const banker = await node.provider.getSigner(BANKER);
    const balanceBefore = await token.balanceOf(treasury);
    const forkPoint = await node.provider.send("evm_snapshot", []);
    const lost = await (await token.connect(banker).mint(treasury, 7n)).wait();
    await node.provider.send("evm_mine", []);
    await caughtUp(lost!.blockNumber);
    expect((await get(`/accounts/${treasury}/statement`)).body.balance).to.equal((balanceBefore + 7n).toString());

    // the two blocks are replaced by three others, with another mint
    expect(await node.provider.send("evm_revert", [forkPoint])).to.equal(true);
    const kept = await (await token.connect(banker).mint(treasury, 11n)).wait();
    for (let i = 0; i < 2; i++) await node.provider.send("evm_mine", []);
    // block numbers repeat across the fork: wait for the new mint's own transaction
    await indexed(kept!.hash, kept!.blockNumber);
    const { body } = await get(`/accounts/${treasury}/statement`);
    expect(body.balance).to.equal((await token.balanceOf(treasury)).toString());
    expect(body.balance).to.equal((balanceBefore + 11n).toString());
    const events = (await get("/events?contract=FiatToken&name=Transfer&limit=1000")).body.events as {
      transactionHash: string;
    }[];
    expect(events.map((e) => e.transactionHash))
      .to.include(kept!.hash)
      .and.not.include(lost!.hash);
  });

  it("answers bad input with 400 and what the chain does not hold with 404", async function () {
    expect((await get("/subjects/abc/records")).status).to.equal(400);
    expect((await get("/records/0x12/versions")).status).to.equal(400);
    expect((await get("/accounts/nobody/statement")).status).to.equal(400);
    expect(await get("/applications/999")).to.deep.equal({ status: 404, body: { error: "no application 999" } });
    expect((await get("/laws/NO_SUCH_ACT")).status).to.equal(404);
    expect((await get(`/records/${ZeroHash}/versions`)).status).to.equal(404);
  });

  it("serves its OpenAPI document", async function () {
    const { status, body } = await get("/openapi.json");
    expect(status).to.equal(200);
    expect(Object.keys(body.paths)).to.include.members(["/subjects/{subject}/records", "/laws/{law}", "/events"]);
  });
});
