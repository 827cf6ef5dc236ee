/**
 * How every tool sends: simulated with the send's own overrides, "nothing sent" until the node gives the transaction
 * a hash, and a transaction that was sent and then reverted or was not mined in time named by its hash. On the
 * in-process network; the race between a simulation and the block is provoked with automining off.
 */
import { expect } from "chai";
import hre, { ethers, network } from "hardhat";

import { Refused, sendChecked } from "../../scripts/lib/common/tx";
import { citizenFixture, type CitizenFixture } from "../helpers/fixtures";
import { twoHolders } from "../helpers/treasury";

/** The refusal `send` throws, checked to be a {@link Refused}. */
async function refusal(send: Promise<unknown>): Promise<Refused> {
  const error = await send.then(
    () => expect.fail("sent"),
    (e: unknown) => e,
  );
  expect(error).to.be.instanceOf(Refused);
  return error as Refused;
}

/** Resolves once the node holds `count` transactions waiting for a block. */
async function pending(count: number): Promise<void> {
  for (;;) {
    const block = await network.provider.send("eth_getBlockByNumber", ["pending", false]);
    if (block.transactions.length >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("sendChecked", function () {
  let f: CitizenFixture;

  beforeEach(async function () {
    f = await citizenFixture();
    await twoHolders(f, 10_000n);
  });

  afterEach(async function () {
    await network.provider.send("evm_setAutomine", [true]);
  });

  const transfer = (options = {}) =>
    sendChecked(hre, f.fiatToken.connect(f.signers.citizen1), "transfer", [f.signers.citizen2.address, 100n], options);

  it("simulates with the send's overrides: a value sent to a function that takes none is refused unsent", async function () {
    const nonce = await f.signers.citizen1.getNonce();
    const refused = await refusal(transfer({ overrides: { value: 1n } }));
    expect([refused.sent, refused.hash]).to.deep.equal([false, undefined]);
    expect(refused.message).to.match(/^refused, nothing sent: /);
    expect(await f.signers.citizen1.getNonce()).to.equal(nonce);
  });

  it("sends at the given overrides once the simulation passes", async function () {
    const nonce = await f.signers.citizen1.getNonce();
    const receipt = await transfer({ overrides: { nonce, gasLimit: 200_000n } });
    const sent = await ethers.provider.getTransaction(receipt.hash);
    expect([sent!.nonce, sent!.gasLimit]).to.deep.equal([nonce, 200_000n]);
  });

  it("says nothing was sent, in the node's words, when the node refuses the transaction before a hash", async function () {
    const nonce = await f.signers.citizen1.getNonce();
    const refused = await refusal(transfer({ overrides: { nonce: nonce - 1 } }));
    expect([refused.sent, refused.hash]).to.deep.equal([false, undefined]);
    expect(refused.message).to.match(/^nothing sent: .*[Nn]once too low/);
    expect(await f.signers.citizen1.getNonce()).to.equal(nonce);
  });

  it("names the hash of a transaction sent and then reverted, with the decoded reason", async function () {
    await network.provider.send("evm_setAutomine", [false]);
    const sending = refusal(transfer());
    await pending(1);
    // the guardian's pause, at a higher price, is mined first: the transfer that passed its simulation reverts
    const price = (await ethers.provider.getFeeData()).gasPrice! * 10n;
    await f.fiatToken.connect(f.signers.guardian).pause({ gasPrice: price, gasLimit: 100_000 });
    await pending(2);
    await network.provider.send("evm_mine", []);
    const refused = await sending;
    expect(refused.sent).to.equal(true);
    expect(refused.message).to.equal(`the transaction ${refused.hash} was sent and failed on chain: EnforcedPause()`);
    expect((await ethers.provider.getTransactionReceipt(refused.hash!))!.status).to.equal(0);
  });

  it("names the hash of a transaction sent but not mined in time", async function () {
    await network.provider.send("evm_setAutomine", [false]);
    const refused = await refusal(transfer({ waitMs: 300 }));
    expect(refused.sent).to.equal(true);
    expect(refused.message).to.match(/^the transaction 0x[0-9a-f]{64} was sent and not mined within 0.3 s: it may/);
    expect(await ethers.provider.getTransaction(refused.hash!)).not.to.equal(null);
  });
});
