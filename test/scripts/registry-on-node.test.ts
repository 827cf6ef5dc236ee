/**
 * The registry tools against a separate node, as an agency runs them: a write the registry would refuse is refused
 * with its decoded error and nothing is sent (the sender's nonce does not move); a write that passes is sent at
 * the free-gas chain's price, 0; bad input is one plain line.
 */
import { expect } from "chai";
import hre from "hardhat";

import { startLocalNode, type LocalNode } from "../helpers/node";

const DATA = JSON.stringify({
  birthDate: "1980-02-03",
  placeOfBirth: "CN-11-01",
  documentHash: "0x1111111111111111111111111111111111111111111111111111111111111111",
});
/** The genesis law's identity 5: a person of Dongcheng (CN-11-01), where the hospital registrar records. */
const DONGCHENG_PERSON = "5";

describe("registry tools on a node", function () {
  this.timeout(300_000);
  let node: LocalNode;
  let named: Record<string, string>;

  before(async function () {
    const started = await startLocalNode();
    if (!started) this.skip(); // anvil installs on Linux x64 only (an optional dependency)
    node = started!;
    named = await hre.getNamedAccounts();
  });
  after(function () {
    node?.stop();
  });

  const record = (subject: string, from: string) =>
    node.tool(["registry:record", "--register", "BIRTH", "--subject", subject, "--from", from, "--data", DATA]);

  /** Runs `send` and expects it refused with `message`, one plain line, the sender's nonce unchanged. */
  async function expectRefused(from: string, send: () => ReturnType<LocalNode["tool"]>, message: RegExp) {
    const nonce = await node.nonceOf(named[from]);
    const result = send();
    expect(result.status, result.stdout).to.equal(1);
    expect(result.stderr).to.match(message);
    expect(result.stderr.trim().split("\n")).to.have.length(1);
    expect(await node.nonceOf(named[from])).to.equal(nonce);
  }

  it("refuses the README's example (subject 12, an organisation) with the decoded error, nothing sent", async function () {
    await expectRefused(
      "hospitalRegistrar",
      () => record("12", "hospitalRegistrar"),
      /^Error: refused, nothing sent: CivilRegistryWrongSubjectKind\(BIRTH, 12, Person, Organisation\)\n/,
    );
  });

  it("refuses an outsider, nothing sent", async function () {
    await expectRefused(
      "outsider",
      () => record(DONGCHENG_PERSON, "outsider"),
      /^Error: refused, nothing sent: SmartLawUnauthorized\(outsider \(0x[0-9a-fA-F]{40}\), CivilRegistry \(0x[0-9a-fA-F]{40}\), record \(0x[0-9a-f]{8}\)\)$/m,
    );
  });

  it("records at gas price 0 on a free-gas chain, then refuses a second record of the subject, nothing sent", async function () {
    const written = record(DONGCHENG_PERSON, "hospitalRegistrar");
    expect(written.status, written.stderr).to.equal(0);
    expect(written.stdout).to.match(/Recorded in BIRTH for identity 5: uid 0x/);
    const block = await node.provider.getBlock("latest", true);
    const tx = block!.prefetchedTransactions.find((t) => t.from === named.hospitalRegistrar)!;
    expect(tx.gasPrice).to.equal(0n);
    expect((await node.provider.getTransactionReceipt(tx.hash))!.gasPrice).to.equal(0n);

    await expectRefused(
      "hospitalRegistrar",
      () => record(DONGCHENG_PERSON, "hospitalRegistrar"),
      /^Error: refused, nothing sent: CivilRegistryRecordExists\(BIRTH, 5, 0x/,
    );
  });

  it("answers bad input with one plain line", async function () {
    const result = node.tool(["registry:history", "--register", "BIRTH", "--subject", "abc"]);
    expect(result.status).to.equal(1);
    expect(result.stderr.trim()).to.equal('Error: --subject must be a whole number of 1 or more, not "abc"');
  });
});
