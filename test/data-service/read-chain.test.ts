/**
 * Which block a read is decided at: the node is asked for the latest block for every request by default (requests
 * arriving while it is asked share its answer); with GOVCHAIN_BLOCK_MAX_AGE_MS its answer serves the requests of that
 * many ms after it was asked, and a new block is seen once they have passed. Against a JSON-RPC stand-in that counts
 * the calls.
 */
import { expect } from "chai";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import { MOST_BLOCK_MAX_AGE_MS, ReadChain, blockMaxAgeFromEnv } from "../../data-service/src/reads/chain";

const CONTRACTS = ["SmartLaw", "CivilRegistry", "IdentityRegistry", "AccessLog"].map((name, i) => ({
  name,
  address: `0x${String(i + 1).padStart(40, "0")}` as const,
  abi: [],
  startBlock: 0,
}));

/** A node whose head is `head`, answering eth_blockNumber and eth_getBlockByNumber, counting the former. */
class StubNode {
  head = 7;
  asked = 0;
  /** Answers every call with a JSON-RPC error (the node's trouble). */
  failing = false;
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString("utf8")));
      req.on("end", () => {
        const parsed = JSON.parse(body) as { id: number; method: string } | { id: number; method: string }[];
        const answer = (call: { id: number; method: string }) => {
          if (call.method === "eth_blockNumber") this.asked++;
          if (this.failing) return { jsonrpc: "2.0", id: call.id, error: { code: -32000, message: "node trouble" } };
          const result =
            call.method === "eth_blockNumber"
              ? `0x${this.head.toString(16)}`
              : {
                  number: `0x${this.head.toString(16)}`,
                  hash: `0x${this.head.toString(16).padStart(64, "0")}`,
                  timestamp: "0x1",
                };
          return { jsonrpc: "2.0", id: call.id, result };
        };
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)));
      });
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop() {
    this.server?.close();
  }
}

describe("the block a read is decided at", function () {
  let node: StubNode;
  let rpc: string;

  beforeEach(async function () {
    node = new StubNode();
    rpc = await node.start();
  });
  afterEach(function () {
    node.stop();
  });

  it("is asked of the node for every request by default; those arriving meanwhile share the answer", async function () {
    const chain = new ReadChain(rpc, { chainId: 1, contracts: CONTRACTS });
    expect((await chain.latestBlock()).number).to.equal(7n);
    expect((await chain.latestBlock()).number).to.equal(7n);
    expect(node.asked).to.equal(2);
    const together = await Promise.all([chain.latestBlock(), chain.latestBlock(), chain.latestBlock()]);
    expect(together.map((b) => b.number)).to.deep.equal([7n, 7n, 7n]);
    expect(node.asked).to.equal(3);
    node.head = 8;
    expect((await chain.latestBlock()).number).to.equal(8n);
  });

  it("serves the node's answer for GOVCHAIN_BLOCK_MAX_AGE_MS after it was asked, then asks again", async function () {
    let now = 1_000;
    const chain = new ReadChain(rpc, { chainId: 1, contracts: CONTRACTS }, 25, () => now);
    expect((await chain.latestBlock()).number).to.equal(7n);
    node.head = 8;
    now += 25; // the window counts from the moment the node was asked
    expect((await chain.latestBlock()).number).to.equal(7n);
    expect(node.asked).to.equal(1);
    now += 1;
    expect((await chain.latestBlock()).number).to.equal(8n);
    expect(node.asked).to.equal(2);
  });

  it("asks the node whatever the window when the block must be fresh (an upload right after its record)", async function () {
    const now = 1_000;
    const chain = new ReadChain(rpc, { chainId: 1, contracts: CONTRACTS }, 1_000, () => now);
    await chain.latestBlock();
    node.head = 9;
    expect((await chain.latestBlock(true)).number).to.equal(9n);
    expect(node.asked).to.equal(2);
  });

  it("does not start a window on an ask that failed: the next request asks again", async function () {
    let now = 1_000;
    const chain = new ReadChain(rpc, { chainId: 1, contracts: CONTRACTS }, 1_000, () => now);
    await chain.latestBlock();
    now += 1_001;
    node.failing = true;
    await expect(chain.latestBlock()).to.be.rejected;
    node.failing = false;
    node.head = 10;
    now += 1;
    expect((await chain.latestBlock()).number).to.equal(10n);
    expect(node.asked).to.equal(3);
  });

  it("is configured by a whole number of ms from 0 to 1,000; anything else is refused, naming the variable", function () {
    expect(blockMaxAgeFromEnv({})).to.equal(0);
    expect(blockMaxAgeFromEnv({ GOVCHAIN_BLOCK_MAX_AGE_MS: "25" })).to.equal(25);
    expect(blockMaxAgeFromEnv({ GOVCHAIN_BLOCK_MAX_AGE_MS: String(MOST_BLOCK_MAX_AGE_MS) })).to.equal(1000);
    for (const bad of ["", " ", "-1", "2.5", "1001", "ten", "Infinity"])
      expect(() => blockMaxAgeFromEnv({ GOVCHAIN_BLOCK_MAX_AGE_MS: bad }), bad).to.throw(
        /GOVCHAIN_BLOCK_MAX_AGE_MS must be a whole number of ms from 0 to 1000/,
      );
  });
});
