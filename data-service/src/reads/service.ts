/**
 * The gated side of the service, opened once per process: the vault's database and keys, the chain a read is
 * decided on, the EIP-712 domain of the requests, the rate limits, and the anchorer's loop. Kept on `globalThis`
 * because Ponder may evaluate the API module more than once (a second vault or anchorer would be a second writer).
 */
import { readFileSync } from "node:fs";
import type { Hex, TypedDataDomain } from "viem";

import { Anchorer } from "../anchor/anchorer";
import { accessLogChain } from "../anchor/accessLog";
import { vaultAnchorStore } from "../anchor/store";
import { loadDeployments } from "../deployments";
import { Keyring, masterKeyFromEnv, openKeystore } from "../vault/crypto";
import { sharedVault, type Vault, type VaultDb } from "../vault/db";
import { ReadChain, blockMaxAgeFromEnv } from "./chain";
import { logger } from "./logger";
import { limitsFromEnv } from "./rateLimit";
import { RequestDigests, dataDomain } from "./requests";

export interface ReadService {
  vault: Vault;
  /** The database the access log is written through (with the crash test's hook when it is set). */
  logDb: VaultDb;
  keyring: Keyring;
  chain: ReadChain;
  domain: TypedDataDomain;
  /** The digests of read requests and tracker queries in that domain. */
  digests: RequestDigests;
  limits: ReturnType<typeof limitsFromEnv>;
  /** Undefined when the service has no key to anchor with (GOVCHAIN_SERVICE_KEY). */
  anchorer: Anchorer | undefined;
}

export function sharedReadService(): Promise<ReadService> {
  const holder = globalThis as { govchainReads?: Promise<ReadService> };
  holder.govchainReads ??= openReadService().catch((error) => {
    delete holder.govchainReads; // tried again on the next request (the node or the database down at start)
    throw error;
  });
  return holder.govchainReads;
}

async function openReadService(env: NodeJS.ProcessEnv = process.env): Promise<ReadService> {
  const rpc = env.GOVCHAIN_RPC_URL ?? `http://127.0.0.1:${env.GOVCHAIN_RPC_PORT ?? 8545}`;
  const chain = new ReadChain(rpc, loadDeployments(env.GOVCHAIN_NETWORK ?? "localhost"), blockMaxAgeFromEnv(env));
  const keyring = new Keyring(masterKeyFromEnv(env));
  const vault = await sharedVault();
  const serviceKey = serviceKeyFromEnv(env);
  const anchorer = serviceKey
    ? new Anchorer(
        vaultAnchorStore(vault.db, (refusal) => chain.refusalSelector(refusal)),
        accessLogChain(chain.client, rpc, chain.accessLog, serviceKey, Number(env.GOVCHAIN_CONFIRMATIONS ?? 2)),
        {
          intervalMs: Number(env.GOVCHAIN_ANCHOR_INTERVAL ?? 30) * 1000,
          maxEntries: Number(env.GOVCHAIN_ANCHOR_MAX ?? 1000),
        },
      )
    : undefined;
  const domain = dataDomain(chain.chainId, chain.accessLog);
  if (anchorer) anchorer.start();
  else logger.warn("no service key (GOVCHAIN_SERVICE_KEY or _KEYSTORE): the access log is kept but not anchored");
  return {
    vault,
    logDb: withCrashBeforeCommit(vault.db, env.GOVCHAIN_TEST_CRASH),
    keyring,
    chain,
    domain,
    digests: new RequestDigests(domain),
    limits: limitsFromEnv(env),
    anchorer,
  };
}

/**
 * The key the service anchors with: GOVCHAIN_SERVICE_KEYSTORE (a JSON keystore, the tools' format) opened with
 * GOVCHAIN_SERVICE_PASSWORD, or GOVCHAIN_SERVICE_KEY in hex on a local chain; none: the log is not anchored.
 */
export function serviceKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Hex | undefined {
  if (env.GOVCHAIN_SERVICE_KEYSTORE) {
    if (env.GOVCHAIN_SERVICE_PASSWORD === undefined)
      throw new Error("GOVCHAIN_SERVICE_KEYSTORE is set: set GOVCHAIN_SERVICE_PASSWORD too");
    const key = openKeystore(readFileSync(env.GOVCHAIN_SERVICE_KEYSTORE, "utf8"), env.GOVCHAIN_SERVICE_PASSWORD);
    return `0x${key.toString("hex")}`;
  }
  return env.GOVCHAIN_SERVICE_KEY ? (env.GOVCHAIN_SERVICE_KEY as Hex) : undefined;
}

/**
 * The crash test's hook (GOVCHAIN_TEST_CRASH): the process is killed at that point, as a power cut would, to show
 * that a read's reply is never sent without its log entry (`after-log`: the entry stays; `before-commit`: neither).
 */
export function crashAt(point: "after-log" | "before-commit", hook = process.env.GOVCHAIN_TEST_CRASH) {
  if (hook === point) process.kill(process.pid, "SIGKILL");
}

/** The vault's database whose transactions die just before they commit, when the crash test asks for it. */
function withCrashBeforeCommit(db: VaultDb, hook: string | undefined): VaultDb {
  if (hook !== "before-commit") return db;
  return new Proxy(db, {
    get(target, property) {
      if (property !== "transaction") {
        const value = Reflect.get(target, property);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return (run: (tx: unknown) => Promise<unknown>, config?: unknown) =>
        target.transaction(
          async (tx) => {
            const result = await run(tx);
            crashAt("before-commit", hook);
            return result;
          },
          config as Parameters<VaultDb["transaction"]>[1],
        );
    },
  });
}
