/**
 * bench:data: gated, logged reads per second and their latency, on this machine. Starts anvil, deploys GovChain
 * with its genesis, records a RESIDENCE and enacts the read grants of the reads' test, starts the data service
 * (Ponder + the gated routes) on PGlite, or on the Postgres server named by DATABASE_URL, then, from this process,
 * sends read requests signed beforehand (signing is not measured), after a warm-up of the closed loop below (3 s with
 * BENCH_DATA_QUICK=1, else 5 s; not counted: the JIT compiles the service's code in its first seconds under load):
 *
 * - an open loop at BENCH_DATA_RATE requests/s (default 500) for BENCH_DATA_SECONDS (default 10; 5 with
 *   BENCH_DATA_QUICK=1), each sent on schedule whatever the answers (at most 64 in flight), its latency counted from
 *   its scheduled time, so that a stall is not hidden (no coordinated omission);
 * - a closed loop of 32 connections for the same time: the most the service answers;
 * - the same closed loop on Ponder's GET /health, an empty answer: what the HTTP server alone allows on these cores.
 *
 * For each loop, the service's CPU time per answer and how busy the machine's cores were (Linux's /proc).
 *
 * Every answer must be a 200 with a log entry of its own. Writes reports/data.json and reports/data.md. The per-key
 * limit is lifted for the run (GOVCHAIN_RATE_PER_KEY=1000000), and the decisions are those of one reader and one
 * subject at one block: SmartLaw is asked once per block, the log written for every read. GOVCHAIN_BLOCK_MAX_AGE_MS
 * is the service's own setting (how long its answer to "which block is the latest" serves), named in the report.
 */
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { Agent, request as httpRequest } from "node:http";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { AbiCoder, encodeBytes32String, id as keccakText } from "ethers";

import { blockMaxAgeFromEnv } from "../data-service/src/reads/chain";
import { storeBlob } from "../data-service/src/vault/blobs";
import { Keyring, masterKeyFromHex } from "../data-service/src/vault/crypto";
import { openVault, type VaultOptions } from "../data-service/src/vault/db";
import { forgetChain } from "./lib/data/ponderSync";
import { OPENINGS_DIR } from "./lib/registry/registry";
import { openingPath, readOpeningFile } from "./lib/registry/openings";

import { devAccount, startAnvil } from "./lib/network/anvil";
import { LOCAL_CHAIN } from "./lib/network/chain";
import { freePort } from "./lib/network/ports";

const ROOT = resolve(__dirname, "..");
const QUICK = process.env.BENCH_DATA_QUICK === "1";
const RATE = Number(process.env.BENCH_DATA_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_DATA_SECONDS ?? (QUICK ? 5 : 10));
/** The service's code is compiled as it runs (V8's JIT): its first seconds under load are not its steady state. */
const WARM_UP_SECONDS = QUICK ? 3 : 5;
const IN_FLIGHT = 64;
/** BENCH_PROFILE=1: the service's CPU profile, written to reports/data-profile/ when it stops (Chrome DevTools). */
const PROFILE = process.env.BENCH_PROFILE === "1";
/** The service's setting, passed on to it with the rest of the environment, and stated in the report. */
const BLOCK_MAX_AGE_MS = blockMaxAgeFromEnv(process.env);
const CONNECTIONS = 32;
/** The goal: gated, logged reads per second, and their 99th percentile latency, on the Postgres server. */
const GOAL = { perSecond: 500, p99Ms: 50 };
/** Linux's USER_HZ: /proc counts CPU time in these ticks. */
const TICKS_PER_SECOND = 100;

interface Sample {
  status: number;
  ms: number;
  entryId?: string;
}

/** A process's CPU time so far, in ms (Linux: /proc; undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The machine's busy and total CPU time so far, in ms, over all cores (Linux: /proc/stat). */
function machineMs(): { busy: number; total: number } | undefined {
  try {
    const ticks = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const total = ticks.reduce((a, b) => a + b, 0);
    const idle = ticks[3] + ticks[4]; // idle, iowait
    return { busy: ((total - idle) * 1000) / TICKS_PER_SECOND, total: (total * 1000) / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

/**
 * What a loop cost in CPU: the service's per answered read, and how busy the whole machine was (the service, anvil,
 * Postgres and this client share its cores): the machine at 100% means the cores, not the service's waits, are the limit.
 */
function cpuDuring(servicePid: number | undefined) {
  const service = cpuMs(servicePid);
  const machine = machineMs();
  return (answered: number) => {
    const serviceNow = cpuMs(servicePid);
    const machineNow = machineMs();
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      serviceCpuMsPerRead:
        service === undefined || serviceNow === undefined || answered === 0
          ? null
          : round((serviceNow - service) / answered),
      machineBusyPercent:
        machine === undefined || machineNow === undefined
          ? null
          : Math.round((100 * (machineNow.busy - machine.busy)) / (machineNow.total - machine.total)),
    };
  };
}

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
}

function summary(samples: Sample[], seconds: number) {
  const ms = samples.map((s) => s.ms).sort((a, b) => a - b);
  const ok = samples.filter((s) => s.status === 200);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    requests: samples.length,
    ok: ok.length,
    errors: samples.length - ok.length,
    perSecond: round(ok.length / seconds),
    p50: round(percentile(ms, 50)),
    p90: round(percentile(ms, 90)),
    p99: round(percentile(ms, 99)),
    max: round(ms.at(-1) ?? NaN),
    // every 200 carries the id of its own log entry
    distinctEntries: new Set(ok.map((s) => s.entryId)).size,
  };
}

/**
 * The RESIDENCE record's private part in the vault, as the registrar's upload leaves it (the opening that
 * `registry:record` wrote under records/, then deleted): every read decrypts it, as a real one does.
 */
async function storeOpening(options: VaultOptions, masterKey: string, uid: string) {
  const path = openingPath(join(ROOT, OPENINGS_DIR), encodeBytes32String("RESIDENCE"), 8n);
  const file = readOpeningFile(path);
  const opened = await openVault(options);
  try {
    await storeBlob(
      opened.db,
      new Keyring(masterKeyFromHex(masterKey)),
      {
        kind: "record_private",
        uid: Buffer.from(uid.slice(2), "hex"),
        registerId: Buffer.from(encodeBytes32String("RESIDENCE").slice(2), "hex"),
        subject: 8n,
      },
      Buffer.from(AbiCoder.defaultAbiCoder().encode(["bytes", "bytes32"], [file.clear, file.salt]).slice(2), "hex"),
      { by: 5n, key: Buffer.from(devAccount(4).address.slice(2), "hex"), digest: randomBytes(32) },
    );
  } finally {
    await opened.close();
  }
  rmSync(path);
}

async function main() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "govchain-bench-data-"));
  const chain = await startAnvil({ port, chainId: LOCAL_CHAIN.chainId, automine: true });
  let service: ReturnType<typeof spawn> | undefined;
  let schemas: string[] = [];
  try {
    const env = {
      ...process.env,
      GOVCHAIN_RPC_PORT: String(port),
      GOVCHAIN_DEPLOYMENTS_DIR: join(dir, "deployments"),
      GOVCHAIN_SIGNATURES_DIR: join(dir, "signatures"),
      CI: "true",
    };
    const hardhat = (args: string[]) => {
      const ran = spawnSync(join(ROOT, "node_modules/.bin/hardhat"), [...args, "--network", "localhost"], {
        cwd: ROOT,
        env,
        encoding: "utf8",
      });
      if (ran.status !== 0) throw new Error(`hardhat ${args.join(" ")} failed:\n${ran.stdout}\n${ran.stderr}`);
      return ran.stdout;
    };
    console.log("deploying GovChain and the read grants…");
    hardhat(["deploy"]);
    const { residence } = JSON.parse(hardhat(["run", "test/helpers/readOperations.ts"]).trim().split("\n").pop()!);

    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    const masterKey = randomBytes(32).toString("hex");
    const vault = {
      url: process.env.DATABASE_URL || undefined,
      schema: `vault_bench_${Date.now()}`,
      indexSchema: `bench_${Date.now()}`,
      dir: join(dir, "vault", "pglite"),
    };
    schemas = [vault.schema, vault.indexSchema];
    // a fresh chain under the local chain's id: what the server's sync store kept of an earlier one is not its own
    if (vault.url) await forgetChain(vault.url, LOCAL_CHAIN.chainId);
    await storeOpening(vault, masterKey, residence);
    service = spawn(
      process.execPath,
      [
        ...(PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${join(ROOT, "reports/data-profile")}`] : []),
        join(ROOT, "node_modules/ponder/dist/esm/bin/ponder.js"),
        "start",
        "--schema",
        vault.indexSchema,
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
          GOVCHAIN_VAULT_DIR: vault.dir,
          VAULT_SCHEMA: vault.schema,
          GOVCHAIN_VAULT_MASTER_KEY: masterKey,
          GOVCHAIN_SERVICE_KEY: devAccount(24).privateKey,
          GOVCHAIN_CONFIRMATIONS: "0",
          GOVCHAIN_ANCHOR_INTERVAL: "5",
          GOVCHAIN_RATE_PER_KEY: "1000000",
          GOVCHAIN_RATE_PER_IP: "1000000",
          GOVCHAIN_LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "ignore", "inherit"],
      },
    );
    for (let i = 0; ; i++) {
      if ((await fetch(`${api}/ready`).catch(() => undefined))?.status === 200) break;
      if (i > 240 || service.exitCode !== null) throw new Error("the data service did not start");
      await new Promise((r) => setTimeout(r, 500));
    }

    const accessLog = JSON.parse(readFileSync(join(dir, "deployments/localhost/AccessLog.json"), "utf8")).address;
    const domain = { name: "GovChainData", version: "1", chainId: LOCAL_CHAIN.chainId, verifyingContract: accessLog };
    const types = {
      ReadRequest: [
        { name: "registerId", type: "bytes32" },
        { name: "subject", type: "uint256" },
        { name: "purpose", type: "bytes32" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    const registrar = devAccount(4);
    const purposeText = "benchmark: checking the declared address";
    const deadline = String(Math.floor(Date.now() / 1000) + 24 * 3600);
    // enough for the warm-up and the closed loop at up to 1,500 reads/s, and the open loop
    const total = 1500 * WARM_UP_SECONDS + Math.ceil(RATE * SECONDS) + 1500 * SECONDS;
    console.log(`signing ${total} requests…`);
    const bodies: string[] = [];
    for (let nonce = 1; nonce <= total; nonce++) {
      const request = {
        registerId: encodeBytes32String("RESIDENCE"),
        subject: "8",
        purpose: keccakText(purposeText),
        nonce: String(nonce),
        deadline,
      };
      bodies.push(
        JSON.stringify({ request, purposeText, signature: await registrar.signTypedData(domain, types, request) }),
      );
    }
    let next = 0;
    // node's http with kept-alive connections: fetch's own CPU cost, on the cores the service uses, would be counted
    // against the service
    const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
    /** One request and its answer's status, latency from `scheduled`, and log entry. */
    const exchange = (method: string, path: string, scheduled: number, body?: string): Promise<Sample> => {
      const failed = () => ({ status: 0, ms: performance.now() - scheduled });
      return new Promise((resolve) => {
        const headers = body === undefined ? {} : { "content-type": "application/json", "content-length": body.length };
        const sent = httpRequest(`${api}${path}`, { method, agent, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", () => resolve(failed()));
          response.on("end", () => {
            let entryId: string | undefined;
            try {
              entryId = (JSON.parse(Buffer.concat(chunks).toString("utf8")) as { entryId?: string }).entryId;
            } catch {
              // not JSON: counted by its status
            }
            resolve({ status: response.statusCode ?? 0, ms: performance.now() - scheduled, entryId });
          });
        });
        sent.on("error", () => resolve(failed()));
        sent.end(body);
      });
    };
    const send = (scheduled: number): Promise<Sample> => {
      const body = bodies[next++];
      if (body === undefined) throw new Error("ran out of signed requests");
      return exchange("POST", "/reads", scheduled, body);
    };
    /** As many requests as CONNECTIONS connections get answered in SECONDS, and what they cost. */
    const closedLoop = async (one: (scheduled: number) => Promise<Sample>, seconds = SECONDS) => {
      const samples: Sample[] = [];
      const cost = cpuDuring(service!.pid);
      const begun = performance.now();
      const until = begun + seconds * 1000;
      await Promise.all(
        Array.from({ length: CONNECTIONS }, async () => {
          while (performance.now() < until) samples.push(await one(performance.now()));
        }),
      );
      const took = (performance.now() - begun) / 1000;
      return {
        samples,
        loop: { ...summary(samples, took), ...cost(samples.filter((s) => s.status === 200).length) },
      };
    };

    // the reads are whole ones: the record from the index, its private part decrypted from the vault
    const first = (await (
      await fetch(`${api}/reads`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: bodies[next++],
      })
    ).json()) as { uid?: string; data?: string | null; private?: string | null; error?: string };
    if (first.uid !== residence || !first.data || !first.private)
      throw new Error(`the first read did not give the record and its private part: ${JSON.stringify(first)}`);

    console.log(`warming up: ${WARM_UP_SECONDS} s of the closed loop, not counted…`);
    const { samples: warmUp } = await closedLoop(send, WARM_UP_SECONDS);

    console.log(`open loop: ${RATE}/s for ${SECONDS} s…`);
    const open: Sample[] = [];
    const openCpu = cpuDuring(service.pid);
    const start = performance.now();
    const pending = new Set<Promise<void>>();
    for (let i = 0; i < RATE * SECONDS; i++) {
      const scheduled = start + (i * 1000) / RATE;
      const wait = scheduled - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      while (pending.size >= IN_FLIGHT) await Promise.race(pending);
      const p: Promise<void> = send(scheduled).then((s) => {
        open.push(s);
        pending.delete(p);
      });
      pending.add(p);
    }
    await Promise.all(pending);
    const openSeconds = (performance.now() - start) / 1000;
    const openCost = openCpu(open.filter((s) => s.status === 200).length);

    console.log(`closed loop: ${CONNECTIONS} connections for ${SECONDS} s…`);
    const { samples: closed, loop: closedLoopReport } = await closedLoop(send);

    console.log(`the service's floor: GET /health (an empty answer, no work) from ${CONNECTIONS} connections…`);
    const { loop: floor } = await closedLoop((scheduled) => exchange("GET", "/health", scheduled));

    const report = {
      date: new Date().toISOString(),
      machine: `${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), shared with anvil and the service`,
      database: process.env.DATABASE_URL ? "Postgres server (DATABASE_URL)" : "PGlite (embedded)",
      goal: `at least ${GOAL.perSecond} reads/s, p99 under ${GOAL.p99Ms} ms, against the Postgres server`,
      blockMaxAgeMs: BLOCK_MAX_AGE_MS,
      notes:
        "one reader, one subject, one block: SmartLaw asked once per block; for every read the signature recovered, " +
        (BLOCK_MAX_AGE_MS === 0
          ? "the latest block asked of the node (GOVCHAIN_BLOCK_MAX_AGE_MS 0, the default), "
          : `the latest block asked of the node once per ${BLOCK_MAX_AGE_MS} ms (GOVCHAIN_BLOCK_MAX_AGE_MS), `) +
        "the access log written (nonce + entry, committed with the entries that arrive meanwhile) before the record and its private part are read from the index and the vault; " +
        "GOVCHAIN_RATE_PER_KEY lifted to 1000000 for the run; latency in ms from the scheduled send (open loop) or the send (closed loop)",
      openLoop: { rate: RATE, seconds: Math.round(openSeconds * 10) / 10, ...summary(open, openSeconds), ...openCost },
      closedLoop: { connections: CONNECTIONS, ...closedLoopReport },
      floor: { connections: CONNECTIONS, ...floor },
      goalMet: false,
    };
    report.goalMet =
      Boolean(process.env.DATABASE_URL) &&
      RATE >= GOAL.perSecond &&
      report.openLoop.errors === 0 &&
      report.openLoop.perSecond >= GOAL.perSecond * 0.99 &&
      report.openLoop.p99 < GOAL.p99Ms;
    mkdirSync(join(ROOT, "reports"), { recursive: true });
    writeFileSync(join(ROOT, "reports/data.json"), JSON.stringify(report, null, 2) + "\n");
    type Loop = ReturnType<typeof summary> & ReturnType<ReturnType<typeof cpuDuring>>;
    const row = (name: string, s: Loop) =>
      `| ${name} | ${s.requests} | ${s.errors} | ${s.perSecond} | ${s.p50} | ${s.p90} | ${s.p99} | ${s.max} | ` +
      `${s.serviceCpuMsPerRead ?? "?"} | ${s.machineBusyPercent ?? "?"} |`;
    const md = [
      "# Gated reads (bench:data)",
      "",
      `${report.date}; ${report.machine}; ${report.database}. Goal: ${report.goal}.`,
      "",
      "| loop | requests | errors | reads/s | p50 ms | p90 ms | p99 ms | max ms | service CPU ms/read | machine busy % |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      row(`open, ${RATE}/s`, report.openLoop),
      row(`closed, ${CONNECTIONS} connections`, report.closedLoop),
      row(`floor: GET /health, ${CONNECTIONS} connections`, report.floor),
      "",
      `Goal ${report.goalMet ? "met" : "not met"}: the open loop at ${RATE}/s answered ${report.openLoop.perSecond} reads/s ` +
        `with p99 ${report.openLoop.p99} ms${process.env.DATABASE_URL ? "" : " (on PGlite: the goal is the Postgres server's)"}.`,
      "",
      report.notes,
      "",
    ].join("\n");
    writeFileSync(join(ROOT, "reports/data.md"), md);
    console.log(md);
    const all = [...warmUp, ...open, ...closed];
    if (all.some((s) => s.status !== 200)) throw new Error("some reads were not answered 200: see reports/data.json");
    if (new Set(all.map((s) => s.entryId)).size !== all.length) throw new Error("two reads share a log entry");
  } finally {
    if (service && service.exitCode === null) {
      const exited = once(service, "exit");
      service.kill();
      await exited;
    }
    chain.stop();
    rmSync(dir, { recursive: true, force: true });
    if (process.env.DATABASE_URL) await forgetChain(process.env.DATABASE_URL, LOCAL_CHAIN.chainId, schemas);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
