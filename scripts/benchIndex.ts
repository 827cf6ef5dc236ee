/**
 * bench:index: the data service's catch-up rate, on this machine. Starts anvil, deploys GovChain with its genesis,
 * then produces BENCH_INDEX_EVENTS events (default 100,000) the way the Treasury pays a benefit: the central banker
 * mints to his own key, then pays 1 fen to each of the genesis identities' keys in `FiatToken.disburse` calls of
 * BENCH_INDEX_BATCH payees (default 1,000: one Transfer each, one transaction per block). The events are counted
 * from the receipts; BENCH_INDEX_TAIL empty blocks follow (default 32, see TAIL). Then it starts the data service
 * (Ponder) on that chain, in a fresh PGlite folder or in a schema of its own on the Postgres server named by
 * DATABASE_URL (dropped afterwards), and times:
 *
 * - the catch-up: from the process's start until the index holds the events of the last block that has some;
 * - the indexing: from the first event Ponder counts as indexed (its /metrics) to the same end, without startup.
 *
 * Ponder's own metrics, read at the end, say where the time went (handlers, RPC requests, database methods, the
 * backfill's steps). Writes reports/index.json, reports/index.md and the service's log, each line stamped with the
 * seconds since its start, to reports/index-service.log. BENCH_PROFILE=1 writes the service's CPU profile to
 * reports/index-profile/ (Chrome DevTools).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { JsonRpcProvider, type ContractTransactionResponse } from "ethers";

import { FiatToken__factory, IdentityRegistry__factory } from "../typechain-types";
import { devAccount, startAnvil } from "./lib/network/anvil";
import { LOCAL_CHAIN } from "./lib/network/chain";
import { freePort } from "./lib/network/ports";
import { forgetChain } from "./lib/data/ponderSync";

const ROOT = resolve(__dirname, "..");
const EVENTS = Number(process.env.BENCH_INDEX_EVENTS ?? 100_000);
const BATCH = Number(process.env.BENCH_INDEX_BATCH ?? 1_000);
const PROFILE = process.env.BENCH_PROFILE === "1";
/** hardhat.config.ts's centralBanker: the minter the genesis Currency Act configures. */
const BANKER = 18;
/** The development accounts the genesis may have enrolled: those whose key may receive are the payees. */
const ACCOUNTS = LOCAL_CHAIN.accounts;
/**
 * Ponder treats blocks within 30 of the head as not yet final on a chain it does not know (its finality depth), and
 * indexes those one by one as they come (its realtime mode, the cache dropped, a commit per block). Empty blocks
 * mined after the events put them all in the range it catches up on in bulk, as on a live chain a minute later;
 * BENCH_INDEX_TAIL=0 measures the other case.
 */
const TAIL = Number(process.env.BENCH_INDEX_TAIL ?? 32);
/**
 * The benchmark's chain id, not the local chain's 20260. On a Postgres server Ponder keeps what it fetches in one
 * schema shared by every app (ponder_sync), by chain id and block number, and keeps a row already there over a new
 * one: the benchmark's 100,000 logs left under 20260 would be read as their own by the next service or test indexing
 * a fresh local chain on that server. Under an id of its own they mix with nobody's, and are deleted afterwards.
 */
const CHAIN_ID = 20261;
/** How long the catch-up may take before the run is given up (2 cores shared with other jobs). */
const CATCH_UP_LIMIT_MS = 3 * 3600_000;

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Ponder's Prometheus metrics as name{labels} → value. */
async function metrics(api: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${api}/metrics`)).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) ([-0-9.eE+]+|NaN)$/.exec(line);
    if (match) values.set(match[1], Number(match[2]));
  }
  return values;
}

/** The sum of a metric over its labels, and its values by one label. */
function metric(values: Map<string, number>, name: string, label?: string) {
  let total = 0;
  const by: Record<string, number> = {};
  for (const [key, value] of values) {
    if (key !== name && !key.startsWith(`${name}{`)) continue;
    total += value;
    const labelValue = label && new RegExp(`${label}="([^"]*)"`).exec(key)?.[1];
    if (labelValue) by[labelValue] = (by[labelValue] ?? 0) + value;
  }
  return { total, by };
}

/** The genesis identities' keys that may receive the token, with their identities: the disbursement's payees. */
async function payees(provider: JsonRpcProvider, token: string, registry: string) {
  const fiatToken = FiatToken__factory.connect(token, provider);
  const identities = IdentityRegistry__factory.connect(registry, provider);
  const found: { key: string; identity: bigint }[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const key = devAccount(i).address;
    if (i === BANKER || !(await fiatToken.canHold(key))) continue;
    const identity = await identities.activeIdentityOf(key);
    if (identity !== 0n) found.push({ key, identity });
  }
  if (found.length === 0) throw new Error("no genesis key may receive the token: nobody to pay");
  return found;
}

/** Mints to the central banker and disburses 1 fen per Transfer; the events and blocks, counted from the receipts. */
async function produceEvents(provider: JsonRpcProvider, deployments: string) {
  const address = (name: string) =>
    JSON.parse(readFileSync(join(deployments, `${name}.json`), "utf8")).address as string;
  const banker = devAccount(BANKER, provider);
  const token = FiatToken__factory.connect(address("FiatToken"), banker);
  const paid = await payees(provider, address("FiatToken"), address("IdentityRegistry"));
  const first = (await provider.getBlockNumber()) + 1;
  let events = 0;
  let transactions = 0;
  let gasUsed = 0n;
  let maxGas = 0n;
  const count = async (sent: Promise<ContractTransactionResponse>) => {
    const receipt = await (await sent).wait();
    if (receipt?.status !== 1) throw new Error("a transaction of the benchmark reverted");
    events += receipt.logs.length;
    transactions++;
    gasUsed += receipt.gasUsed;
    if (receipt.gasUsed > maxGas) maxGas = receipt.gasUsed;
  };
  await count(token.mint(banker.address, BigInt(EVENTS)));
  const started = performance.now();
  while (events < EVENTS) {
    const size = Math.min(BATCH, EVENTS - events);
    const batch = Array.from({ length: size }, (_, i) => paid[(events + i) % paid.length]);
    await count(
      token.disburse(
        batch.map((p) => p.key),
        batch.map((p) => p.identity),
        1n,
      ),
    );
    if (transactions % 20 === 0) console.log(`  ${events} events in ${transactions} transactions…`);
  }
  const head = await provider.getBlockNumber();
  return {
    events,
    transactions,
    firstBlock: first,
    head,
    payees: paid.length,
    gasUsed: gasUsed.toString(),
    maxGasPerTransaction: maxGas.toString(),
    seconds: round((performance.now() - started) / 1000),
  };
}

async function stop(service: ChildProcess | undefined) {
  if (!service || service.exitCode !== null) return;
  const exited = once(service, "exit");
  service.kill();
  await exited;
}

/** Drops the run's schema, and what Ponder's shared sync store keeps of the benchmark's chain (see CHAIN_ID). */
const cleanServer = (schema: string) => forgetChain(process.env.DATABASE_URL!, CHAIN_ID, [schema]);

async function main() {
  if (!Number.isInteger(EVENTS) || EVENTS < 1) throw new Error("BENCH_INDEX_EVENTS must be a whole number ≥ 1");
  if (!Number.isInteger(BATCH) || BATCH < 1) throw new Error("BENCH_INDEX_BATCH must be a whole number ≥ 1");
  if (!Number.isInteger(TAIL) || TAIL < 0) throw new Error("BENCH_INDEX_TAIL must be a whole number ≥ 0");
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "govchain-bench-index-"));
  const chain = await startAnvil({ port, chainId: CHAIN_ID, automine: true });
  const schema = `catchup_${Date.now()}`;
  let service: ChildProcess | undefined;
  try {
    const deployments = join(dir, "deployments");
    const env = {
      ...process.env,
      GOVCHAIN_RPC_PORT: String(port),
      GOVCHAIN_CHAIN_ID: String(CHAIN_ID),
      GOVCHAIN_DEPLOYMENTS_DIR: deployments,
      GOVCHAIN_SIGNATURES_DIR: join(dir, "signatures"),
      CI: "true",
    };
    console.log("deploying GovChain with its genesis…");
    const ran = spawnSync(join(ROOT, "node_modules/.bin/hardhat"), ["deploy", "--network", "localhost"], {
      cwd: ROOT,
      env,
      encoding: "utf8",
    });
    if (ran.status !== 0) throw new Error(`hardhat deploy failed:\n${ran.stdout}\n${ran.stderr}`);

    // ethers caches the nonce for a while: transactions sent back to back to anvil would reuse one
    const provider = new JsonRpcProvider(`http://127.0.0.1:${port}`, CHAIN_ID, {
      staticNetwork: true,
      cacheTimeout: -1,
      // a receipt is there as soon as the transaction is sent (automine): ask for it at once, not every 4 s
      pollingInterval: 20,
    });
    console.log(`producing ${EVENTS} events, ${BATCH} per transaction…`);
    const produced = await produceEvents(provider, join(deployments, "localhost"));
    if (TAIL > 0) await provider.send("anvil_mine", [`0x${TAIL.toString(16)}`]);
    provider.destroy();
    console.log(`${produced.events} events in ${produced.transactions} transactions (${produced.seconds} s)`);

    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    const log: string[] = [];
    const loadBefore = loadavg()[0];
    const started = performance.now();
    service = spawn(
      process.execPath,
      [
        ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${join(ROOT, "reports/index-profile")}`] : []),
        join(ROOT, "node_modules/ponder/dist/esm/bin/ponder.js"),
        "start",
        "--schema",
        schema,
        "--hostname",
        "127.0.0.1",
        "--port",
        String(apiPort),
      ],
      {
        cwd: join(ROOT, "data-service"),
        env: {
          ...env,
          PONDER_TELEMETRY_DISABLED: "true",
          GOVCHAIN_PGLITE_DIR: join(dir, "pglite"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let backfillStarted: number | undefined;
    const keep = (chunk: Buffer) => {
      const at = performance.now();
      if (String(chunk).includes("Started backfill indexing")) backfillStarted ??= at;
      log.push(`${round((at - started) / 1000)} s ${chunk}`);
    };
    service.stdout!.on("data", keep);
    service.stderr!.on("data", keep);

    let firstIndexed: number | undefined;
    let listening: number | undefined;
    let caughtUp: number | undefined;
    let lastReport = 0;
    while (caughtUp === undefined) {
      if (service.exitCode !== null) throw new Error(`the data service stopped:\n${log.slice(-100).join("")}`);
      if (performance.now() - started > CATCH_UP_LIMIT_MS) throw new Error("the catch-up took over 3 hours");
      try {
        const values = await metrics(api);
        listening ??= performance.now();
        const done = metric(values, "ponder_indexing_completed_events").total;
        if (done > 0) firstIndexed ??= performance.now();
        const { events } = (await (await fetch(`${api}/events?fromBlock=${produced.head}&limit=1`)).json()) as {
          events?: unknown[];
        };
        if (events?.length) caughtUp = performance.now();
        else if (performance.now() - lastReport > 30_000) {
          lastReport = performance.now();
          console.log(`  ${round((lastReport - started) / 1000, 0)} s: ${done} events indexed`);
        }
      } catch {
        // not listening yet
      }
      if (caughtUp === undefined) await sleep(500);
    }
    const values = await metrics(api);
    const loadAfter = loadavg()[0];
    const indexed = metric(values, "ponder_indexing_completed_events").total;
    const seconds = (caughtUp - started) / 1000;
    const indexingSeconds = firstIndexed === undefined ? undefined : (caughtUp - firstIndexed) / 1000;
    const inSeconds = ({ total, by }: ReturnType<typeof metric>) => ({
      total: round(total / 1000),
      by: Object.fromEntries(Object.entries(by).map(([k, v]) => [k, round(v / 1000)])),
    });
    const ms = (name: string, label: string) => inSeconds(metric(values, `${name}_sum`, label));
    const rpcCalls = metric(values, "ponder_rpc_request_duration_count", "method");
    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), shared with anvil and other jobs`,
      loadAverage: { before: round(loadBefore, 2), after: round(loadAfter, 2) },
      database: process.env.DATABASE_URL ? `Postgres server (DATABASE_URL), schema ${schema}` : "PGlite (embedded)",
      workload:
        `FiatToken.disburse by the central banker: ${produced.transactions - 1} transactions of up to ${BATCH} payees ` +
        `(1 fen each, ${produced.payees} genesis keys in turn), after one mint; anvil automining one transaction per block`,
      // produced: counted from the benchmark's receipts; indexed: Ponder's count, the deployment's events included
      events: { produced: produced.events, indexed },
      // the last block with events, the blocks the benchmark's transactions took, and the empty blocks after them
      blocks: { lastEvents: produced.head, produced: produced.head - produced.firstBlock + 1, emptyAfter: TAIL },
      transactions: produced.transactions,
      gas: { total: produced.gasUsed, maxPerTransaction: produced.maxGasPerTransaction },
      productionSeconds: produced.seconds,
      catchUp: {
        seconds: round(seconds),
        eventsPerSecond: round(indexed / seconds),
        untilListening: listening === undefined ? undefined : round((listening - started) / 1000),
        // Ponder's "Started backfill indexing": its build, the database's migrations and the server are done
        untilBackfillStarted: backfillStarted === undefined ? undefined : round((backfillStarted - started) / 1000),
        untilFirstIndexedEvent: firstIndexed === undefined ? undefined : round((firstIndexed - started) / 1000),
      },
      indexing:
        indexingSeconds === undefined
          ? undefined
          : { seconds: round(indexingSeconds), eventsPerSecond: round(indexed / indexingSeconds) },
      // Ponder's own timings (seconds, summed over calls, some of them concurrent): where the time went
      ponder: {
        handlers: ms("ponder_indexing_function_duration", "event"),
        rpc: { ...ms("ponder_rpc_request_duration", "method"), calls: rpcCalls.by },
        database: ms("ponder_database_method_duration", "method"),
        // the handlers' reads and writes, by kind: a "miss" or "load" goes to the database
        cacheRequests: metric(values, "ponder_indexing_cache_requests_total", "type").by,
        cacheQueries: ms("ponder_indexing_cache_query_duration", "method"),
        storeQueries: metric(values, "ponder_indexing_store_queries_total", "method").by,
        // the backfill's two phases, by step: reading the fetched logs back, then indexing and committing them
        extract: inSeconds(metric(values, "ponder_historical_extract_duration", "step")),
        transform: inSeconds(metric(values, "ponder_historical_transform_duration", "step")),
      },
      profile: PROFILE ? "reports/index-profile/ (the service's CPU profile)" : undefined,
    };
    await stop(service);

    mkdirSync(join(ROOT, "reports"), { recursive: true });
    writeFileSync(join(ROOT, "reports/index.json"), JSON.stringify(report, null, 2) + "\n");
    // the service's own log, each chunk stamped with the seconds since its start: what it did when
    writeFileSync(join(ROOT, "reports/index-service.log"), log.join(""));
    const top = (by: Record<string, number>) =>
      Object.entries(by)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 6)
        .map(([k, v]) => `${k} ${v} s`)
        .join(", ");
    const md = [
      "# The indexer's catch-up (bench:index)",
      "",
      `${report.date}; ${report.machine}; load average ${report.loadAverage.before} at the start, ` +
        `${report.loadAverage.after} at the end; ${report.database}.`,
      "",
      `Workload: ${report.workload}.`,
      "",
      "| events | blocks | catch-up s | events/s | to backfill start s | to first indexed event s | indexing s | indexing events/s |",
      "| --- | --- | --- | --- | --- | --- | --- | --- |",
      `| ${report.events.indexed} (${report.events.produced} produced) | ` +
        `${report.blocks.lastEvents} (${report.blocks.produced} produced; ${TAIL} empty after) | ` +
        `${report.catchUp.seconds} | ` +
        `${report.catchUp.eventsPerSecond} | ${report.catchUp.untilBackfillStarted ?? "?"} | ` +
        `${report.catchUp.untilFirstIndexedEvent ?? "?"} | ${report.indexing?.seconds ?? "?"} | ` +
        `${report.indexing?.eventsPerSecond ?? "?"} |`,
      "",
      "The catch-up runs from the service's start until the index holds the last block's events; the indexing from " +
        "the first event Ponder counts as indexed (its /metrics, read every 0.5 s) to the same end.",
      "",
      "Ponder's timings, summed over calls (some concurrent):",
      "",
      `- handlers: ${report.ponder.handlers.total} s (${top(report.ponder.handlers.by)})`,
      `- RPC requests: ${report.ponder.rpc.total} s (${top(report.ponder.rpc.by)})`,
      `- database methods: ${report.ponder.database.total} s (${top(report.ponder.database.by)})`,
      `- backfill, extract: ${report.ponder.extract.total} s (${top(report.ponder.extract.by)})`,
      `- backfill, transform: ${report.ponder.transform.total} s (${top(report.ponder.transform.by)})`,
      "",
    ].join("\n");
    writeFileSync(join(ROOT, "reports/index.md"), md);
    console.log(md);
    if (indexed < produced.events)
      throw new Error(`Ponder counts ${indexed} events indexed, fewer than the ${produced.events} produced`);
  } finally {
    await stop(service);
    chain.stop();
    if (process.env.DATABASE_URL)
      await cleanServer(schema).catch((error) => console.error(`the server was not cleaned: ${error.message}`));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
