/**
 * The legislators' tools as legislators run them: separate `hardhat` processes against an anvil node. A failing
 * update is neither drafted nor Ready, and its enactment sends nothing; a tampered summary is refused; signatures as
 * go-ethereum and EIP-2098 encode them are enacted.
 */
import { expect } from "chai";
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  Contract,
  HDNodeWallet,
  Interface,
  Signature,
  concat,
  encryptKeystoreJsonSync,
  keccak256,
  toBeHex,
  type InterfaceAbi,
} from "ethers";

import { decodeCalls, type CallDecoder } from "../../scripts/lib/law/describe";
import { signLawUpdate } from "../../scripts/lib/law/sign";
import {
  lawUpdateDigest,
  readLawUpdateFile,
  writeJson,
  type LawUpdateFile,
  type SignatureFile,
} from "../../scripts/lib/law/lawUpdate";
import { lawId, paramKey, textId } from "../../scripts/lib/common/ids";
import { freePort, startLocalNode, type LocalNode } from "../helpers/node";

const MNEMONIC = "test test test test test test test test test test test junk";
const account = (index: number) => HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
const DEPLOYER = account(0).address;
const FAILURE =
  /LegislatureCallFailed\(0, IdentityRegistry \(0x[0-9a-fA-F]{40}\), IdentityRegistryJurisdictionExists\(CN-11\)\)/;

describe("legislators' tools on a node", function () {
  let node: LocalNode;
  let deployments: Record<string, { address: string; abi: InterfaceAbi }>;

  before(async function () {
    const started = await startLocalNode();
    if (!started) return this.skip();
    node = started;
    const folder = join(node.dir, "deployments", "localhost");
    deployments = Object.fromEntries(
      readdirSync(folder)
        .filter((f) => f.endsWith(".json"))
        .map((f) => [f.slice(0, -5), JSON.parse(readFileSync(join(folder, f), "utf8"))]),
    );
    writeFileSync(join(node.dir, "amendment.md"), "# Pension Act, amendment 1\n\nThe retirement age is 65.\n");
  });

  after(function () {
    node?.stop();
  });

  /** Legislator 1's encrypted keystore (password "pw"), as law:sign takes it. */
  function legislatorKeystore(): string {
    const path = join(node.dir, "legislator1.json");
    const key = { address: account(1).address, privateKey: account(1).privateKey };
    writeFileSync(path, encryptKeystoreJsonSync(key, "pw", { scrypt: { N: 1 << 10 } }));
    return path;
  }

  const contract = (name: string) => new Contract(deployments[name].address, deployments[name].abi, node.provider);

  /** Signature files by legislators 1 and 2, each signature re-encoded by its `encodings` entry. */
  async function signatureFiles(
    file: LawUpdateFile,
    name: string,
    encodings: ((signature: string) => string)[] = [],
  ): Promise<string[]> {
    return Promise.all(
      [1, 2].map(async (index) => {
        const signature: SignatureFile = await signLawUpdate(account(index), file);
        const path = join(node.dir, `${name}-${index}.json`);
        const encode = encodings[index - 1] ?? ((s: string) => s);
        writeJson(path, { ...signature, signature: encode(signature.signature) });
        return path;
      }),
    );
  }

  // Nonces of updates written by hand here: far past the first words of the bitmap, where law:draft picks the
  // nonces of this file's other updates, so that none of those takes them first.
  const APART = 1n << 128n;

  /**
   * An update that defines the jurisdiction CN-11 again, written as law:draft would (law:draft itself refuses to
   * write it): its call fails when enacted.
   */
  async function failingUpdate(): Promise<string> {
    const registry = new Interface(deployments.IdentityRegistry.abi);
    const data = registry.encodeFunctionData("defineJurisdiction", [textId("CN-11"), textId("CN")]);
    return writtenUpdate("failing-update.json", { target: deployments.IdentityRegistry.address, data }, APART + 7n);
  }

  /** A Pension Act update of one call, written as law:draft would, without a process of its own. */
  async function writtenUpdate(file: string, call: { target: string; data: string }, nonce: bigint): Promise<string> {
    const legislature = contract("Legislature");
    const [, name, version, chainId, verifyingContract] = await legislature.eip712Domain();
    const domain = { name, version, chainId, verifyingContract };
    const now = (await node.provider.getBlock("latest"))!.timestamp;
    const update = {
      lawId: lawId("PENSION_ACT"),
      version: Number(await contract("SmartLaw").lawVersion(lawId("PENSION_ACT"))) + 1,
      textHash: keccak256(readFileSync(join(node.dir, "amendment.md"))),
      calls: [call],
      nonce,
      epoch: await legislature.epoch(),
      deadline: BigInt(now + 86_400),
    };
    const decoder: CallDecoder = {
      contracts: new Map(
        Object.entries(deployments).map(([n, d]) => [
          d.address.toLowerCase(),
          { name: n, iface: new Interface(d.abi) },
        ]),
      ),
      roles: [],
    };
    const path = join(node.dir, file);
    writeJson(path, {
      kind: "govchain.law-update",
      domain: { name, version, chainId: chainId.toString(), verifyingContract },
      digest: lawUpdateDigest(domain, update),
      update,
      summary: decodeCalls(decoder, update.calls).map((c) => c.line),
    });
    return path;
  }

  it("does not draft, call Ready or send an update whose call fails, and names the innermost error", async function () {
    const law = join(node.dir, "failing.yaml");
    writeFileSync(
      law,
      "lawId: PENSION_ACT\ntext: amendment.md\ncalls:\n  - { contract: IdentityRegistry, function: defineJurisdiction, args: [CN-11, CN] }\n",
    );
    const drafted = node.tool(["law:draft", "--law", law, "--out", join(node.dir, "never.json")]);
    expect(drafted.status).to.equal(1);
    expect(drafted.stderr).to.match(new RegExp(`^Error: not drafted: the update would fail: ${FAILURE.source}\\n$`));
    expect(existsSync(join(node.dir, "never.json"))).to.equal(false);

    const update = await failingUpdate();
    const signatures = await signatureFiles(readLawUpdateFile(update), "failing");
    const checked = node.tool(["law:enact", "--update", update, ...signatures, "--check"]);
    expect(checked.status).to.equal(1);
    expect(checked.stdout).to.not.match(/Ready/);
    expect(checked.stderr).to.match(new RegExp(`^Error: the enactment would fail: ${FAILURE.source}\\n$`));

    const nonce = await node.nonceOf(DEPLOYER);
    const enacted = node.tool(["law:enact", "--update", update, ...signatures]);
    expect(enacted.status).to.equal(1);
    expect(enacted.stderr).to.match(FAILURE);
    expect(await node.nonceOf(DEPLOYER)).to.equal(nonce);
  });

  it("refuses a tampered summary, and enacts signatures given as EIP-2098 compact and as v = 0/1", async function () {
    const law = join(node.dir, "amendment.yaml");
    writeFileSync(law, "lawId: PENSION_ACT\ntext: amendment.md\nparams: { RETIREMENT_AGE: 65 }\n");
    const update = join(node.dir, "update.json");
    const drafted = node.tool(["law:draft", "--law", law, "--out", update]);
    expect(drafted.status, drafted.stderr).to.equal(0);
    expect(drafted.stdout).to.match(/Simulated: every call passes/);

    const tampered = join(node.dir, "tampered.json");
    writeFileSync(
      tampered,
      JSON.stringify({
        ...JSON.parse(readFileSync(update, "utf8")),
        summary: ["setParam(PENSION_ACT, RETIREMENT_AGE, 60) (no change: a clerical re-publication)"],
      }),
    );
    const keystore = legislatorKeystore();
    const out = join(node.dir, "tampered-signature.json");
    const signed = node.tool(["law:sign", "--update", tampered, "--keystore", keystore, "--out", out], {
      env: { GOVCHAIN_KEYSTORE_PASSWORD: "pw" },
    });
    expect(signed.status).to.equal(1);
    expect(signed.stdout).to.match(
      /1\. SmartLaw\.setParam\(lawId: PENSION_ACT, key: RETIREMENT_AGE, value: 65 years\)/,
    );
    expect(signed.stdout).to.not.match(/^ +1\. .*no change/m);
    expect(signed.stderr).to.match(/^Error: not signed: the file's summary line 1 says .*the file was altered/);
    expect(existsSync(out)).to.equal(false);

    // legislator1 signs as a hardware wallet may (64-byte compact), legislator2 as go-ethereum's crypto.Sign (v = 0/1)
    const encodings = [
      (sig: string) => Signature.from(sig).compactSerialized,
      (sig: string) => {
        const parsed = Signature.from(sig);
        return concat([parsed.r, parsed.s, toBeHex(parsed.v - 27, 1)]);
      },
    ];
    const signatures = await signatureFiles(readLawUpdateFile(update), "age", encodings);
    expect(JSON.parse(readFileSync(signatures[0], "utf8")).signature).to.have.length(2 + 128);
    expect(JSON.parse(readFileSync(signatures[1], "utf8")).signature).to.match(/0[01]$/);
    const checked = node.tool(["law:enact", "--update", update, ...signatures, "--check"]);
    expect(checked.status, checked.stderr).to.equal(0);
    expect(checked.stdout).to.match(/Ready: signed by legislator1 \(0x[0-9a-fA-F]{40}\), legislator2/);
    expect(checked.stdout).to.match(
      /simulated from deployer \(0x[0-9a-fA-F]{40}\) passes, \d+ gas \(a block holds \d+\)/,
    );
    const enacted = node.tool(["law:enact", "--update", update, ...signatures]);
    expect(enacted.status, enacted.stderr).to.equal(0);
    expect(await contract("SmartLaw").param(lawId("PENSION_ACT"), paramKey("RETIREMENT_AGE"))).to.equal(65n);
  });

  it("reviews on the poa network without the deployer's keystore, and offline only when asked", async function () {
    // the poa network reads this node's deployments; no POA_KEYSTORE: only the legislator's key is at hand
    cpSync(join(node.dir, "deployments", "localhost"), join(node.dir, "deployments", "poa"), { recursive: true });
    const smartLaw = new Interface(deployments.SmartLaw.abi);
    const data = smartLaw.encodeFunctionData("setParam", [lawId("PENSION_ACT"), paramKey("RETIREMENT_AGE"), 66]);
    const update = await writtenUpdate("poa-update.json", { target: deployments.SmartLaw.address, data }, APART + 8n);
    const keystore = legislatorKeystore();
    const sign = (url: string, extra: string[]) =>
      node.tool(["law:sign", "--update", update, "--keystore", keystore, "--yes", ...extra], {
        network: "poa",
        env: { POA_RPC_URL: url, POA_KEYSTORE: "", POA_CHAIN_ID: "", GOVCHAIN_KEYSTORE_PASSWORD: "pw" },
      });

    const online = sign(`http://127.0.0.1:${node.port}`, ["--out", join(node.dir, "poa-1.json")]);
    expect(online.status, online.stderr).to.equal(0);
    expect(online.stdout).to.match(/network +poa \(chain \d+\), Legislature/);
    expect(online.stdout).to.match(/recomputed with the chain's domain/);
    expect(online.stdout).to.not.match(/OFFLINE/);

    const dead = `http://127.0.0.1:${await freePort()}`;
    const unreachable = sign(dead, ["--out", join(node.dir, "poa-2.json")]);
    expect(unreachable.status).to.equal(1);
    expect(unreachable.stderr).to.match(new RegExp(`^Error: no node answers at ${dead} \\(network "poa"\\)`));
    expect(existsSync(join(node.dir, "poa-2.json"))).to.equal(false);

    const offline = sign(dead, ["--out", join(node.dir, "poa-3.json"), "--offline"]);
    expect(offline.status, offline.stderr).to.equal(0);
    expect(offline.stdout).to.match(/network +poa \(chain \d+, OFFLINE\)/);
    expect(offline.stdout).to.match(/Not checked: reviewed offline \(--offline\)/);
    expect(existsSync(join(node.dir, "poa-3.json"))).to.equal(true);
  });
});
