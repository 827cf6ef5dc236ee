/**
 * The offices' commands as their users run them: each a separate headless `hardhat` process against an anvil node
 * deployed as deploy:local deploys it. What is checked is what a person sees (the exit code, one plain line, JSON
 * for scripts) and what the node holds afterwards: a refused command leaves the sender's nonce where it was.
 */
import { expect } from "chai";

import { startLocalNode, type LocalNode, type ToolRun } from "../helpers/node";

/** Anvil's development accounts, as hardhat.config.ts names them. */
const REGISTRAR = "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65";
const CITIZEN1 = "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955";
const CENTRAL_BANKER = "0xdD2FD4581271e230360230F9337D5c0430Bf44C0";

/** A refusal as a person sees it: exit code 1 and one plain line, no stack trace. */
function expectPlainError(run: ToolRun, message: RegExp): void {
  expect(run.status, run.stdout + run.stderr).to.equal(1);
  const error = run.stderr
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("Error: "));
  expect(error, run.stderr).to.have.length(1);
  expect(error[0]).to.match(message);
  expect(run.stderr).not.to.match(/^\s+at /m);
}

function expectSuccess(run: ToolRun, output: RegExp): void {
  expect(run.status, run.stdout + run.stderr).to.equal(0);
  expect(run.stdout).to.match(output);
}

describe("the offices' commands on a node", function () {
  this.timeout(600_000);
  let node: LocalNode;

  before(async function () {
    const started = await startLocalNode();
    if (!started) this.skip();
    node = started!;
  });

  after(function () {
    node?.stop();
  });

  it("identities: a key consents, a registrar enrols it, and its identity is shown as JSON", async function () {
    expectSuccess(node.tool(["identity:consent", "--from", "citizen1"]), /first key of a new identity/);
    const enrol = ["identity:enrol", "--kind", "person", "--jurisdiction", "CN-11-01", "--from", "registrar"];
    expectSuccess(
      node.tool([...enrol, "--key", "citizen1", "--attributes", '{"name":"Zhou Min"}', "--salt", "zhou-min"]),
      /Enrolled identity 18: person in CN-11-01/,
    );
    const nonce = await node.nonceOf(REGISTRAR);
    const hash = `0x${"11".repeat(32)}`;
    expectPlainError(
      node.tool([...enrol, "--key", "citizen2", "--attributes-hash", hash]),
      /^Error: refused, nothing sent: IdentityRegistryNoConsent\(citizen2 \(0x[0-9a-fA-F]{40}\), 0\)$/,
    );
    expect(await node.nonceOf(REGISTRAR)).to.equal(nonce);
    const shown = node.tool(["identity:show", "--identity", "citizen1", "--json"]);
    expect(shown.status, shown.stderr).to.equal(0);
    expect(JSON.parse(shown.stdout)).to.deep.include({ id: 18, kind: "person", status: "active" });
  });

  it("officials: an unknown role named among those that exist", function () {
    expectPlainError(node.tool(["official:list", "--role", "KING"]), /no law grants a role "KING" \(roles: REGISTRAR/);
  });

  it("services and registers: an application decided by its rule, and the registers listed as JSON", function () {
    expectSuccess(
      node.tool(["service:apply", "--service", "PENSION_ENROLMENT", "--from", "citizen1"]),
      /Application 1 to PENSION_ENROLMENT: rejected \(NO_BIRTH_RECORD\)/,
    );
    const registers = node.tool(["registry:list", "--json"]);
    expect(registers.status, registers.stderr).to.equal(0);
    expect(JSON.parse(registers.stdout)).to.have.length(6);
  });

  it("money: headless without --yes nothing moves; amounts are strict; refusals are decoded with nothing sent", async function () {
    const mint = ["treasury:mint", "--to", "citizen1", "--from", "centralBanker"];
    const nonce = await node.nonceOf(CENTRAL_BANKER);
    const unconfirmed = node.tool([...mint, "--amount", "1000.00"]);
    expectPlainError(unconfirmed, /nothing sent; without a terminal, add --yes/);
    expect(unconfirmed.stdout).to.match(/To send: mint: 1,000.00 yuan of new money, by centralBanker .* to citizen1/);
    expectPlainError(node.tool([...mint, "--amount", "10,00", "--yes"]), /"10,00" is not an amount in yuan/);
    expect(await node.nonceOf(CENTRAL_BANKER)).to.equal(nonce);
    expectSuccess(node.tool([...mint, "--amount", "1,000.00", "--yes"]), /Minted 1,000.00 to citizen1/);

    const citizenNonce = await node.nonceOf(CITIZEN1);
    expectPlainError(
      node.tool(["token:transfer", "--to", "outsider", "--amount", "1.00", "--from", "citizen1", "--yes"]),
      /^Error: refused, nothing sent: FiatTokenAccountNotAdmitted\(outsider \(0x[0-9a-fA-F]{40}\)\)$/,
    );
    expectPlainError(
      node.tool(["treasury:claim", "--programme", "PENSION", "--from", "citizen1", "--yes"]),
      /^Error: refused, nothing sent: TreasuryNotEnrolled\(PENSION, 18\)$/,
    );
    expect(await node.nonceOf(CITIZEN1)).to.equal(citizenNonce);
  });
});
