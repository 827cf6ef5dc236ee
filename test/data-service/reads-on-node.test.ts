/**
 * Reads under law against a node: GovChain deployed with its genesis, a RESIDENCE record of identity 8, and two laws
 * granting reads (registrars in their jurisdiction, everyone his own, civil affairs officers covertly); then the
 * service started on the node. Each gated read and refusal is checked with its log entry, the data tracker shows the
 * subject who read his data (a covert read only once disclosed), the anchored proofs verify on chain with
 * AccessLog.verifyEntry, and a crash between the log and the reply loses the reply, never the entry.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "chai";
import { and, eq } from "drizzle-orm";
import { ZeroHash, encodeBytes32String, id as keccakText, keccak256, type HDNodeWallet } from "ethers";

import { AccessLog__factory, CivilRegistry__factory } from "../../typechain-types";
import type { IAccessLog } from "../../typechain-types/contracts/log/AccessLog";
import { devAccount } from "../../scripts/lib/network/anvil";
import { storeBlob } from "../../data-service/src/vault/blobs";
import { Keyring, masterKeyFromHex } from "../../data-service/src/vault/crypto";
import { openVault } from "../../data-service/src/vault/db";
import { accessLog, requestNonce } from "../../data-service/src/vault/schema";
import { COVERT_PERIOD } from "../helpers/readOperations";
import { onServer } from "../helpers/vault";
import { freePort, startLocalNode, type LocalNode } from "../helpers/node";
import { forgetLocalChain } from "../../scripts/lib/data/ponderSync";

const SERVICE = resolve(__dirname, "../../data-service");
const PONDER = resolve(__dirname, "../../node_modules/.bin/ponder");
const RESIDENCE = encodeBytes32String("RESIDENCE");
const DEATH = encodeBytes32String("DEATH");
const SUBJECT = "8"; // the Dongcheng hospital's registrar, CN-11-01
const SHANGHAI_REGISTRAR = "6"; // a person of CN-31
const PERSONAL_DATA = '{"name":"Li Hua","salt":"0x01"}';
const RUN = `${Date.now()}_${randomBytes(3).toString("hex")}`;
const VAULT_SCHEMA = `vault_reads_${RUN}`;
const MASTER_KEY = randomBytes(32).toString("hex");
/** The hardhat.config.ts named accounts these tests sign with. */
const registrar = devAccount(4); // Dongcheng's REGISTRAR, identity 5
const citizen = devAccount(15); // identity 8 himself
const outsider = devAccount(10); // no identity
const officer = devAccount(16); // CIVIL_AFFAIRS_OFFICER of CN-11, identity 9
const dataService = devAccount(24); // DATA_SERVICE_OPERATOR
const judge = devAccount(20); // a judge: no read granted

/** AccessLog.Entry from a leaf's values, in the order of its fields. */
function entryOf(leaf: (string | number)[]): IAccessLog.EntryStruct {
  const [seq, at, disclosedAt, outcome, reader, key, role, department, lawId, registerId, subject, recordUid] = leaf;
  const [purpose, requestDigest, refusal] = leaf.slice(12).map(String);
  return {
    seq,
    at,
    disclosedAt,
    outcome,
    reader,
    key: String(key),
    role: String(role),
    department,
    lawId: String(lawId),
    registerId: String(registerId),
    subject,
    recordUid: String(recordUid),
    purpose,
    requestDigest,
    refusal,
  };
}

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("gated reads on a node", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let service: ChildProcess | undefined;
  let api: string;
  let log = "";
  let starts = 0;
  let residenceUid: string;
  let domain: { name: string; version: string; chainId: bigint; verifyingContract: string };
  let nonce = BigInt(Date.now()) * 1000n;

  const at = (name: string) =>
    JSON.parse(readFileSync(join(node.dir, "deployments", "localhost", `${name}.json`), "utf8")).address as string;
  const vaultOptions = () =>
    process.env.DATABASE_URL
      ? { url: process.env.DATABASE_URL, schema: VAULT_SCHEMA }
      : { dir: join(node.dir, "vault", "pglite"), schema: VAULT_SCHEMA };

  before(async function () {
    const started = await startLocalNode();
    if (!started) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    node = started!;
    const ran = node.tool(["run", "test/helpers/readOperations.ts"]);
    expect(ran.status, ran.stderr).to.equal(0);
    residenceUid = JSON.parse(ran.stdout.trim().split("\n").pop()!).residence;
    const accessLog = AccessLog__factory.connect(at("AccessLog"), node.provider);
    const d = await accessLog.eip712Domain();
    domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
    await storePrivatePart();
    await forgetLocalChain();
    await startService();
    await indexed(residenceUid);
  });
  after(async function () {
    await stopService();
    if (process.env.DATABASE_URL)
      await onServer(process.env.DATABASE_URL, (c) => c.query(`DROP SCHEMA IF EXISTS "${VAULT_SCHEMA}" CASCADE`));
    node?.stop();
  });

  /** The record's private part, as an upload would have left it in the vault (encrypted with the service's key). */
  async function storePrivatePart() {
    const vault = await openVault(vaultOptions());
    const keyring = new Keyring(masterKeyFromHex(MASTER_KEY));
    const uid = Buffer.from(residenceUid.slice(2), "hex");
    await storeBlob(
      vault.db,
      keyring,
      { kind: "record_private", uid, registerId: Buffer.from(RESIDENCE.slice(2), "hex"), subject: 8n },
      Buffer.from("the opening of the private fields"),
      { by: 5n, key: Buffer.from(registrar.address.slice(2), "hex"), digest: randomBytes(32) },
    );
    await storeBlob(
      vault.db,
      keyring,
      { kind: "identity_data", identityId: 8n, attributesHash: randomBytes(32) },
      Buffer.from(PERSONAL_DATA),
      { by: 5n, key: Buffer.from(registrar.address.slice(2), "hex"), digest: randomBytes(32) },
    );
    await vault.close();
  }

  /** Starts the service (a fresh index each time: the vault is what is kept), and waits until it is ready. */
  async function startService(crash?: "after-log" | "before-commit") {
    starts += 1;
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    const schema = `test_reads_${RUN}_${starts}`;
    service = spawn(PONDER, ["start", "--schema", schema, "--hostname", "127.0.0.1", "--port", String(port)], {
      cwd: SERVICE,
      env: {
        ...process.env,
        PONDER_TELEMETRY_DISABLED: "true",
        GOVCHAIN_DEPLOYMENTS_DIR: join(node.dir, "deployments"),
        GOVCHAIN_RPC_PORT: String(node.port),
        GOVCHAIN_PGLITE_DIR: join(node.dir, `pglite-${starts}`),
        GOVCHAIN_VAULT_DIR: vaultOptions().dir,
        VAULT_SCHEMA,
        GOVCHAIN_VAULT_MASTER_KEY: MASTER_KEY,
        GOVCHAIN_SERVICE_KEY: dataService.privateKey,
        GOVCHAIN_CONFIRMATIONS: "0",
        GOVCHAIN_ANCHOR_INTERVAL: "1",
        GOVCHAIN_RATE_PER_KEY: "5", // a burst of 10: the 429 test goes past it
        GOVCHAIN_TEST_CRASH: crash ?? "",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    service.stdout!.on("data", (chunk) => (log += chunk));
    service.stderr!.on("data", (chunk) => (log += chunk));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (service.exitCode !== null) throw new Error(`the service stopped:\n${log}`);
      const ready = await fetch(`${api}/ready`).catch(() => undefined);
      if (ready?.status === 200) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the service was not ready in 2 minutes:\n${log}`);
  }

  /** Waits until the index holds the record (a read answers its public fields from the index). */
  async function indexed(uid: string) {
    for (let tries = 0; tries < 240; tries++) {
      if ((await fetch(`${api}/records/${uid}/versions`)).status === 200) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`the index did not reach record ${uid} in 2 minutes:\n${log}`);
  }

  async function stopService() {
    if (!service || service.exitCode !== null || service.signalCode !== null) return;
    const exited = once(service, "exit");
    service.kill();
    await exited;
  }

  /** The chain's time (the provider caches blocks: asked of the node). */
  const chainNow = async () => Number((await node.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);

  async function post(path: string, body: unknown): Promise<Answer> {
    const response = await fetch(api + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, body: await response.json() };
  }

  /** A read request signed by `reader`, valid for an hour of the chain's time unless told otherwise. */
  async function signedRead(
    reader: HDNodeWallet,
    registerId: string,
    subject: string,
    options: { purposeText?: string; nonce?: bigint; deadline?: number } = {},
  ) {
    const purposeText = options.purposeText ?? "checking the declared address";
    const request = {
      registerId,
      subject,
      purpose: keccakText(purposeText),
      nonce: String(options.nonce ?? ++nonce),
      deadline: String(options.deadline ?? (await chainNow()) + 3600),
    };
    const types = {
      ReadRequest: [
        { name: "registerId", type: "bytes32" },
        { name: "subject", type: "uint256" },
        { name: "purpose", type: "bytes32" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    return { request, purposeText, signature: await reader.signTypedData(domain, types, request) };
  }

  async function tracker(person: HDNodeWallet, subject = SUBJECT) {
    const query = { subject, nonce: String(++nonce), deadline: String((await chainNow()) + 3600) };
    const types = {
      AccessQuery: [
        { name: "subject", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    };
    return post("/tracker", { query, signature: await person.signTypedData(domain, types, query) });
  }

  const read = async (...args: Parameters<typeof signedRead>) => post("/reads", await signedRead(...args));

  it("answers a granted read with the record, its private part and the read's log entry", async function () {
    const registry = CivilRegistry__factory.connect(at("CivilRegistry"), node.provider);
    const { status, body } = await read(registrar, RESIDENCE, SUBJECT);
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body.uid).to.equal((await registry.latest(RESIDENCE, SUBJECT)).toLowerCase());
    expect(keccak256(body.data)).to.equal((await registry.getRecord(body.uid)).dataHash);
    expect(Buffer.from(body.private.slice(2), "hex").toString()).to.equal("the opening of the private fields");
    expect(body.role).to.equal(keccakText("REGISTRAR"));
    expect(body.law).to.equal(encodeBytes32String("DATA_PROTECTION_ACT"));
    expect(body.entryId).to.match(/^[0-9]+$/);
  });

  it("refuses a read outside the reader's jurisdiction with SmartLaw's reason, and logs the attempt", async function () {
    const { status, body } = await read(registrar, RESIDENCE, SHANGHAI_REGISTRAR);
    expect(status).to.equal(403);
    expect(body.error).to.equal(`SmartLawOutsideJurisdiction(${registrar.address}, CN-31)`);
    expect(body.entryId).to.match(/^[0-9]+$/);
  });

  it("refuses a key that no law grants a read", async function () {
    const { status, body } = await read(outsider, RESIDENCE, SUBJECT);
    expect(status).to.equal(403);
    expect(body.error).to.match(/^(SmartLawUnauthorized|IdentityRegistryUnknownKey)\(/);
    expect(body.entryId).to.match(/^[0-9]+$/);
  });

  it("lets a person read his own record under SUBJECT", async function () {
    const { status, body } = await read(citizen, RESIDENCE, SUBJECT);
    expect(status, JSON.stringify(body)).to.equal(200);
    expect(body.role).to.equal(keccakText("SUBJECT"));
    expect(body.uid).to.equal(residenceUid.toLowerCase());
  });

  it("lets a person read his own personal data, and no official without a law granting it", async function () {
    const own = await read(citizen, ZeroHash, SUBJECT);
    expect(own.status, JSON.stringify(own.body)).to.equal(200);
    expect(own.body).to.include({ personalData: PERSONAL_DATA, uid: null, role: keccakText("SUBJECT") });
    const other = await read(judge, ZeroHash, SUBJECT);
    expect(other.status).to.equal(403);
    expect(other.body.error).to.match(/^SmartLawUnauthorized\(/);
  });

  it("answers 404 when the subject has no current record in the register, and logs the read", async function () {
    const { status, body } = await read(registrar, DEATH, SUBJECT);
    expect(status).to.equal(404);
    expect(body).to.deep.equal({ error: "subject 8 has no current record in that register", entryId: body.entryId });
  });

  it("answers 400 to a bad body, a used nonce and an expired request, 401 to a signature that recovers no key", async function () {
    expect((await post("/reads", { request: {} })).status).to.equal(400);
    const signed = await signedRead(registrar, RESIDENCE, SUBJECT);
    expect((await post("/reads", signed)).status).to.equal(200);
    const again = await post("/reads", signed);
    expect(again).to.deep.include({ status: 400 });
    expect(again.body.error).to.match(/^nonce [0-9]+ used/);
    const expired = await read(registrar, RESIDENCE, SUBJECT, { deadline: (await chainNow()) - 1 });
    expect(expired.status).to.equal(400);
    expect(expired.body.error).to.match(/^request expired/);
    const wrongPurpose = { ...signed, purposeText: "something else" };
    expect((await post("/reads", wrongPurpose)).body).to.deep.equal({
      error: "request.purpose: not the keccak256 of purposeText",
    });
    const unsigned = { ...(await signedRead(registrar, RESIDENCE, SUBJECT)), signature: `0x${"00".repeat(65)}` };
    expect(await post("/reads", unsigned)).to.deep.include({
      status: 401,
      body: { error: "the signature recovers no key" },
    });
  });

  it("answers 429 with Retry-After past a key's rate, without logging those requests", async function () {
    const signed = await signedRead(judge, RESIDENCE, SUBJECT);
    const answers = await Promise.all(Array.from({ length: 40 }, () => post("/reads", signed)));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    expect(Number(limited[0].headers.get("retry-after"))).to.be.greaterThan(0);
    // the first was logged (refused), the rest were either its nonce used again or over the limit
    expect(answers.filter((a) => a.status === 403)).to.have.length(1);
    expect(answers.every((a) => [403, 400, 429].includes(a.status))).to.equal(true);
  });

  it("shows the subject who read his data and who was refused, a covert read only once disclosed", async function () {
    const seen = await read(registrar, RESIDENCE, SUBJECT, { purposeText: "tracker: a registrar's check" });
    const refused = await read(outsider, RESIDENCE, SUBJECT, { purposeText: "tracker: an outsider's try" });
    const covert = await read(officer, RESIDENCE, SUBJECT, { purposeText: "tracker: an investigation" });
    expect([seen.status, refused.status, covert.status]).to.deep.equal([200, 403, 200]);

    const { status, body } = await tracker(citizen);
    expect(status, JSON.stringify(body)).to.equal(200);
    const byId = new Map(body.entries.map((e: { entryId: string }) => [e.entryId, e]));
    expect(byId.get(seen.body.entryId)).to.include({
      outcome: "read",
      purpose: "tracker: a registrar's check",
      reader: "5",
      readerKey: registrar.address.toLowerCase(),
      role: keccakText("REGISTRAR"),
      department: "2",
    });
    expect(byId.get(refused.body.entryId)).to.include({ outcome: "refused", refusal: refused.body.error });
    expect(byId.has(covert.body.entryId)).to.equal(false);

    expect((await tracker(registrar)).status).to.equal(401); // not a key of identity 8

    await node.provider.send("evm_increaseTime", [COVERT_PERIOD + 1]);
    await node.provider.send("evm_mine", []);
    const later = await tracker(citizen);
    const disclosed = later.body.entries.find((e: { entryId: string }) => e.entryId === covert.body.entryId);
    expect(disclosed).to.include({ outcome: "read", reader: "9", purpose: "tracker: an investigation" });
  });

  it("anchors the log; the tracker's proofs verify on chain with AccessLog.verifyEntry, a changed field does not", async function () {
    const accessLog = AccessLog__factory.connect(at("AccessLog"), node.provider);
    await read(registrar, RESIDENCE, SUBJECT, { purposeText: "to be anchored" });
    let entries: { anchored: { batchId: string; leaf: (string | number)[]; proof: string[]; root: string } | null }[] =
      [];
    for (let tries = 0; tries < 60; tries++) {
      entries = (await tracker(citizen)).body.entries;
      if (entries.length && entries.every((e) => e.anchored)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(entries.length).to.be.greaterThan(0);
    for (const { anchored } of entries) {
      expect(anchored, "every entry anchored").to.not.equal(null);
      const { batchId, leaf, proof, root } = anchored!;
      expect((await accessLog.batch(batchId)).root).to.equal(root);
      const batch = await fetch(`${api}/access-log/batches/${batchId}`).then((r) => r.json());
      expect(batch).to.include({ root, status: "anchored" });
      const entry = entryOf(leaf);
      expect(await accessLog.verifyEntry(batchId, entry, proof)).to.equal(true);
      expect(
        await accessLog.verifyEntry(batchId, { ...entry, purpose: keccakText("another purpose") }, proof),
      ).to.equal(false);
    }
    expect(await fetch(`${api}/access-log/batches/999`).then((r) => r.status)).to.equal(404);
  });

  it("serves the gated routes in its OpenAPI document", async function () {
    const body = await fetch(`${api}/openapi.json`).then((r) => r.json());
    expect(Object.keys(body.paths)).to.include.members(["/reads", "/tracker", "/access-log/batches/{id}"]);
  });
  it("keeps the entry when the process dies between the log and the reply, and writes neither before the commit", async function () {
    /** What the vault holds of a purpose, read by this process once the service is gone (its database reopened). */
    const inVault = async (purposeText: string, nonce: string) => {
      const vault = await openVault(vaultOptions());
      try {
        const entries = await vault.db.select().from(accessLog).where(eq(accessLog.purposeText, purposeText));
        const nonces = await vault.db
          .select()
          .from(requestNonce)
          .where(and(eq(requestNonce.kind, "read"), eq(requestNonce.nonce, nonce)));
        return { entries: entries.length, nonces: nonces.length };
      } finally {
        await vault.close();
      }
    };
    const crashed = async (point: "after-log" | "before-commit", purposeText: string) => {
      await stopService();
      await startService(point);
      const signed = await signedRead(registrar, RESIDENCE, SUBJECT, { purposeText });
      const answer = await post("/reads", signed).catch((error: Error) => error);
      expect(answer, "the reply is lost with the process").to.be.instanceOf(Error);
      if (service!.exitCode === null && service!.signalCode === null) await once(service!, "exit");
      expect(service!.signalCode).to.equal("SIGKILL");
      return inVault(purposeText, signed.request.nonce);
    };
    expect(await crashed("after-log", "crash: after the log")).to.deep.equal({ entries: 1, nonces: 1 });
    expect(await crashed("before-commit", "crash: before the commit")).to.deep.equal({ entries: 0, nonces: 0 });
  });
});
