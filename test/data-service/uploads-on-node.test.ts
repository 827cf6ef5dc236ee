/**
 * Signed uploads into the vault against a node: GovChain deployed with its genesis, UPLOAD_TEST_ACT's registers with
 * a private field, identity 8's birth and private residence recorded; then the service started on the node. Each
 * kind is kept when it matches the chain and its signer may write it, and refused otherwise (400 mismatch, 401 bad
 * signature, 403 no write grant, 404 unknown record or identity); the private part kept is what a granted read then
 * returns; and registry:record uploads an opening and deletes its file only after a 200.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { expect } from "chai";
import {
  AbiCoder,
  encodeBytes32String,
  id as keccakText,
  keccak256,
  toUtf8Bytes,
  ZeroHash,
  type HDNodeWallet,
} from "ethers";

import { AccessLog__factory } from "../../typechain-types";
import { devAccount } from "../../scripts/lib/network/anvil";
import { openingPath, readOpeningFile } from "../../scripts/lib/registry/openings";
import { UPLOAD_TYPES } from "../../scripts/lib/registry/upload";
import { CERTIFICATE } from "../helpers/uploadOperations";
import { onServer } from "../helpers/vault";
import { freePort, startLocalNode, type LocalNode } from "../helpers/node";
import { forgetLocalChain } from "../../scripts/lib/data/ponderSync";

const SERVICE = resolve(__dirname, "../../data-service");
const PONDER = resolve(__dirname, "../../node_modules/.bin/ponder");
const PRIVATE_RESIDENCE = encodeBytes32String("PRIVATE_RESIDENCE");
const PRIVATE_NOTE = encodeBytes32String("PRIVATE_NOTE");
const RUN = `${Date.now()}_${randomBytes(3).toString("hex")}`;
const VAULT_SCHEMA = `vault_uploads_${RUN}`;
const MASTER_KEY = randomBytes(32).toString("hex");
/** The hardhat.config.ts named accounts these tests sign with. */
const registrar = devAccount(4); // Dongcheng's REGISTRAR (CN-11-01), identity 5
const citizen = devAccount(15); // identity 8 himself
const judge = devAccount(20); // a judge: no write granted on registers or identities
/** Identity 8's personal data, as the genesis law committed it. */
const PERSONAL = {
  attributes: { name: "Chen Jing", office: "Hospital Registrar" },
  salt: "0x686f73706974616c000000000000000000000000000000000000000000000002",
};
const coder = AbiCoder.defaultAbiCoder();

type Kind = "DOCUMENT" | "RECORD_PRIVATE" | "IDENTITY_DATA";
interface Answer {
  status: number;
  body: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

describe("signed uploads into the vault on a node", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let service: ChildProcess | undefined;
  let api: string;
  let log = "";
  let made: { birth: string; residence: string; publicNote: string; clear: string; salt: string };
  let domain: { name: string; version: string; chainId: bigint; verifyingContract: string };
  let nonce = BigInt(Date.now()) * 1000n;
  /** The nonce of the first upload kept, which no later upload of the same key may use. */
  let firstNonce: bigint;

  const openings = () => join(node.dir, "records");
  const vaultDir = () => join(node.dir, "vault", "pglite");

  before(async function () {
    const started = await startLocalNode();
    if (!started) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    node = started!;
    const ran = node.tool(["run", "test/helpers/uploadOperations.ts"], { env: { UPLOAD_OPENINGS_DIR: openings() } });
    expect(ran.status, ran.stderr).to.equal(0);
    made = JSON.parse(ran.stdout.trim().split("\n").pop()!);
    const at = JSON.parse(readFileSync(join(node.dir, "deployments", "localhost", "AccessLog.json"), "utf8")).address;
    const d = await AccessLog__factory.connect(at, node.provider).eip712Domain();
    domain = { name: d.name, version: d.version, chainId: d.chainId, verifyingContract: d.verifyingContract };
    await forgetLocalChain();
    await startService();
  });
  after(async function () {
    await stopService();
    if (process.env.DATABASE_URL)
      await onServer(process.env.DATABASE_URL, (c) => c.query(`DROP SCHEMA IF EXISTS "${VAULT_SCHEMA}" CASCADE`));
    node?.stop();
  });

  async function startService() {
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    service = spawn(
      PONDER,
      ["start", "--schema", `test_uploads_${RUN}`, "--hostname", "127.0.0.1", "--port", `${port}`],
      {
        cwd: SERVICE,
        env: {
          ...process.env,
          PONDER_TELEMETRY_DISABLED: "true",
          GOVCHAIN_DEPLOYMENTS_DIR: join(node.dir, "deployments"),
          GOVCHAIN_RPC_PORT: String(node.port),
          GOVCHAIN_PGLITE_DIR: join(node.dir, "pglite"),
          GOVCHAIN_VAULT_DIR: vaultDir(),
          VAULT_SCHEMA,
          GOVCHAIN_VAULT_MASTER_KEY: MASTER_KEY,
          GOVCHAIN_SERVICE_KEY: "",
          GOVCHAIN_SERVICE_KEYSTORE: "",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
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

  async function stopService() {
    if (!service || service.exitCode !== null || service.signalCode !== null) return;
    const exited = once(service, "exit");
    service.kill();
    await exited;
  }

  const chainNow = async () => Number((await node.provider.send("eth_getBlockByNumber", ["latest", false])).timestamp);

  async function post(path: string, body: unknown): Promise<Answer> {
    const response = await fetch(api + path, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  /** An upload signed by `by`, valid for an hour of the chain's time. */
  async function upload(
    by: HDNodeWallet,
    kind: Kind,
    target: string,
    content: Uint8Array,
    extra: { mediaType?: string; nonce?: bigint } = {},
  ) {
    const message = {
      kind: encodeBytes32String(kind),
      target: kind === "IDENTITY_DATA" ? coder.encode(["uint256"], [target]) : target,
      contentHash: keccak256(content),
      nonce: extra.nonce ?? ++nonce,
      deadline: (await chainNow()) + 3600,
    };
    const body = {
      kind,
      target,
      content: Buffer.from(content).toString("base64"),
      nonce: message.nonce.toString(),
      deadline: message.deadline.toString(),
      signature: await by.signTypedData(domain, UPLOAD_TYPES, message),
      mediaType: extra.mediaType,
    };
    return post("/vault/uploads", body);
  }

  /** A gated read (`POST /reads`) signed by `reader`: registerId zero for the subject's personal data. */
  async function signedRead(reader: HDNodeWallet, registerId: string, subject: string) {
    const purposeText = "checking what the vault keeps";
    const request = {
      registerId,
      subject,
      purpose: keccakText(purposeText),
      nonce: String(++nonce),
      deadline: String((await chainNow()) + 3600),
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
    return post("/reads", { request, purposeText, signature: await reader.signTypedData(domain, types, request) });
  }

  const opening = (clear: string, salt: string) =>
    Buffer.from(coder.encode(["bytes", "bytes32"], [clear, salt]).slice(2), "hex");
  const personal = (data: object) => Buffer.from(JSON.stringify(data));

  describe("DOCUMENT", function () {
    it("keeps the document whose hash the record holds, from an official who may write the record", async function () {
      firstNonce = nonce + 1n;
      const kept = await upload(registrar, "DOCUMENT", made.birth, toUtf8Bytes(CERTIFICATE), {
        mediaType: "text/plain",
      });
      expect(kept.status, JSON.stringify(kept.body)).to.equal(200);
      expect(kept.body).to.include({ stored: true, uploadedBy: "5", contentHash: keccakText(CERTIFICATE) });
    });

    it("answers the same document again with a 200 that stores nothing", async function () {
      const again = await upload(registrar, "DOCUMENT", made.birth, toUtf8Bytes(CERTIFICATE));
      expect(again.status).to.equal(200);
      expect(again.body.stored).to.equal(false);
    });

    it("refuses a document of another hash (400)", async function () {
      const wrong = await upload(registrar, "DOCUMENT", made.birth, toUtf8Bytes("another certificate"));
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error).to.equal(`content does not match record ${made.birth} (documentHash)`);
    });

    it("refuses a signer whom no law lets write the record (403, SmartLaw's reason)", async function () {
      const refused = await upload(judge, "DOCUMENT", made.birth, toUtf8Bytes(CERTIFICATE));
      expect(refused.status).to.equal(403);
      expect(refused.body.error).to.match(/^SmartLawUnauthorized\(/);
    });

    it("refuses an unknown record (404)", async function () {
      const unknown = `0x${"ab".repeat(32)}`;
      const missing = await upload(registrar, "DOCUMENT", unknown, toUtf8Bytes(CERTIFICATE));
      expect(missing.status).to.equal(404);
      expect(missing.body.error).to.equal(`no record ${unknown}`);
    });

    it("refuses a signature that recovers no key (401)", async function () {
      const body = {
        kind: "DOCUMENT",
        target: made.birth,
        content: Buffer.from(CERTIFICATE).toString("base64"),
        nonce: "1",
        deadline: String((await chainNow()) + 3600),
        signature: `0x${"00".repeat(65)}`,
      };
      const bad = await post("/vault/uploads", body);
      expect(bad.status).to.equal(401);
      expect(bad.body.error).to.equal("the signature recovers no key");
    });
  });

  describe("RECORD_PRIVATE", function () {
    it("refuses an opening with another salt (400, privateHash)", async function () {
      const wrong = await upload(registrar, "RECORD_PRIVATE", made.residence, opening(made.clear, keccakText("salt")));
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error).to.equal(`content does not match record ${made.residence} (privateHash)`);
    });

    it("refuses an opening whose public fields are not the record's (400)", async function () {
      const [jurisdiction, since, street, documentHash] = coder.decode(
        ["bytes32", "uint32", "bytes32", "bytes32"],
        made.clear,
      );
      const changed = coder.encode(
        ["bytes32", "uint32", "bytes32", "bytes32"],
        [jurisdiction, since + 1n, street, documentHash],
      );
      const wrong = await upload(registrar, "RECORD_PRIVATE", made.residence, opening(changed, made.salt));
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error).to.equal(`content does not match record ${made.residence} (public fields)`);
    });

    it("refuses content that is not an opening of the register's schema (400)", async function () {
      const garbage = await upload(registrar, "RECORD_PRIVATE", made.residence, toUtf8Bytes("not an opening"));
      expect(garbage.status).to.equal(400);
      expect(garbage.body.error).to.match(/^content: not abi.encode\(bytes clear, bytes32 salt\)/);
      const padded = await upload(registrar, "RECORD_PRIVATE", made.residence, opening(`${made.clear}00`, made.salt));
      expect(padded.status).to.equal(400);
      expect(padded.body.error).to.equal("content: the clear form is not the schema's canonical encoding");
    });

    it("refuses private content for a record of a register without private fields (400)", async function () {
      const refused = await upload(registrar, "RECORD_PRIVATE", made.publicNote, opening(made.clear, made.salt));
      expect(refused.status).to.equal(400);
      expect(refused.body.error).to.equal(`record ${made.publicNote}'s register has no private fields`);
    });

    it("keeps the record's opening, which a granted read then returns", async function () {
      const content = opening(made.clear, made.salt);
      const kept = await upload(registrar, "RECORD_PRIVATE", made.residence, content);
      expect(kept.status, JSON.stringify(kept.body)).to.equal(200);
      expect(kept.body.stored).to.equal(true);

      const read = await signedRead(registrar, PRIVATE_RESIDENCE, "8");
      expect(read.status, JSON.stringify(read.body)).to.equal(200);
      expect(read.body.uid).to.equal(made.residence);
      expect(read.body.private).to.equal(`0x${content.toString("hex")}`);
    });
  });

  describe("IDENTITY_DATA", function () {
    it("keeps a person's data from himself, which his own read then returns", async function () {
      const kept = await upload(citizen, "IDENTITY_DATA", "8", personal(PERSONAL));
      expect(kept.status, JSON.stringify(kept.body)).to.equal(200);
      expect(kept.body).to.include({ stored: true, uploadedBy: "8" });

      const read = await signedRead(citizen, ZeroHash, "8");
      expect(read.status, JSON.stringify(read.body)).to.equal(200);
      expect(read.body.personalData).to.equal(JSON.stringify(PERSONAL));
    });

    it("refuses attributes with another salt (400)", async function () {
      const wrong = await upload(registrar, "IDENTITY_DATA", "8", personal({ ...PERSONAL, salt: keccakText("x") }));
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error).to.equal("content does not match identity 8 (attributesHash)");
    });

    it("refuses content that is not personal data, or a target that is not a record's uid for a record's kind (400)", async function () {
      const garbage = await upload(citizen, "IDENTITY_DATA", "8", toUtf8Bytes("Chen Jing"));
      expect(garbage.status).to.equal(400);
      expect(garbage.body.error).to.match(/^content: the JSON/);
      const target = await post("/vault/uploads", {
        kind: "DOCUMENT",
        target: "8",
        content: Buffer.from(CERTIFICATE).toString("base64"),
        nonce: "1",
        deadline: String((await chainNow()) + 3600),
        signature: `0x${"00".repeat(65)}`,
      });
      expect(target.status).to.equal(400);
      expect(target.body.error).to.equal("target: a record's uid, 32 bytes in hex");
    });

    it("refuses a registrar outside the identity's jurisdiction (403)", async function () {
      const refused = await upload(registrar, "IDENTITY_DATA", "6", personal(PERSONAL));
      expect(refused.status).to.equal(403);
      expect(refused.body.error).to.match(/^SmartLawOutsideJurisdiction\(/);
    });

    it("refuses an unknown identity (404)", async function () {
      const missing = await upload(registrar, "IDENTITY_DATA", "9999", personal(PERSONAL));
      expect(missing.status).to.equal(404);
      expect(missing.body.error).to.equal("no identity 9999");
    });
  });

  it("describes the upload route in the OpenAPI document", async function () {
    const doc = (await (await fetch(`${api}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(doc.paths).to.have.property("/vault/uploads");
  });

  describe("registry:record with GOVCHAIN_DATA_URL", function () {
    const record = (register: string, subject: string, url: string) =>
      node.tool(
        [
          "registry:record",
          "--register",
          register,
          "--subject",
          subject,
          "--from",
          "registrar",
          "--openings",
          openings(),
          "--data",
          JSON.stringify({
            jurisdiction: "CN-11-01",
            since: "20240101",
            streetAddress: "2 Beiheyan Street",
            documentHash: `0x${"22".repeat(32)}`,
          }),
        ],
        { env: { GOVCHAIN_DATA_URL: url } },
      );

    it("uploads the opening after the receipt and deletes its file after the 200", async function () {
      const ran = record("PRIVATE_NOTE", "8", api);
      expect(ran.status, ran.stderr).to.equal(0);
      const path = openingPath(openings(), PRIVATE_NOTE, 8n);
      expect(ran.stdout).to.include(`their opening ${path} was deleted`);
      expect(existsSync(path)).to.equal(false);
    });

    it("keeps the file when the service is down", async function () {
      const down = record("PRIVATE_NOTE", "5", `http://127.0.0.1:${await freePort()}`);
      expect(down.status, down.stderr).to.equal(0);
      const path = openingPath(openings(), PRIVATE_NOTE, 5n);
      expect(down.stdout).to.include(`did not answer`).and.to.include(`their opening stays in ${path}`);
      expect(existsSync(path)).to.equal(true);
    });

    it("leaves a kept opening to be uploaded again, each upload with a nonce of its own", async function () {
      const { clear, salt, uid } = readOpeningFile(openingPath(openings(), PRIVATE_NOTE, 5n));
      const reused = await upload(registrar, "RECORD_PRIVATE", uid!, opening(clear, salt), { nonce: firstNonce });
      expect(reused.status).to.equal(400);
      expect(reused.body.error).to.equal(
        `nonce ${firstNonce} used: ${registrar.address} already sent a upload request with it`,
      );
      const kept = await upload(registrar, "RECORD_PRIVATE", uid!, opening(clear, salt));
      expect(kept.status, JSON.stringify(kept.body)).to.equal(200);
      expect(kept.body.stored).to.equal(true);
    });

    it("keeps the file when the service answers other than 200", async function () {
      const refused = record("PRIVATE_RESIDENCE", "5", `${api}/not-the-vault`);
      expect(refused.status, refused.stderr).to.equal(0);
      const path = openingPath(openings(), PRIVATE_RESIDENCE, 5n);
      expect(refused.stdout).to.include("the data service refused it (404)").and.to.include(`stays in ${path}`);
      expect(existsSync(path)).to.equal(true);
    });
  });
});
