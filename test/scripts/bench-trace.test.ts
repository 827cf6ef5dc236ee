/**
 * The benchmark's gas account (BENCH_TRACE=1): each transaction's gas split into the intrinsic cost, reads, writes,
 * calls, events and the rest per contract, adding up to the receipt's gasUsed; and its split into state and data
 * against code, from which the benchmark tells what each goal against the peers leaves for code.
 */
import { expect } from "chai";
import hre, { ethers, network } from "hardhat";

import { loadAnchors } from "../../scripts/lib/bench/peers";
import { CAN_CALL, ERC20_TO_EXISTING, ERC20_TO_NEW, tracePeers } from "../../scripts/lib/bench/peerTraces";

import { accountGas, describeGas, splitGas, stateAndData, type GasAccount } from "../../scripts/lib/bench/trace";

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const executed = (account: GasAccount) => sum(account.frames.map((f) => f.total));

describe("the benchmark's gas account", function () {
  async function deployed() {
    const writer = await (await ethers.getContractFactory("StorageWriterMock")).deploy();
    const proxy = await (await ethers.getContractFactory("DelegatingMock")).deploy(await writer.getAddress());
    const names = new Map([
      [(await writer.getAddress()).toLowerCase(), "StorageWriterMock"],
      [(await proxy.getAddress()).toLowerCase(), "DelegatingMock"],
    ]);
    return { writer, proxy, names };
  }

  /** The account of a write of 7 sent to the proxy, which delegates it to the writer. */
  async function delegatedWrite(): Promise<GasAccount> {
    const { writer, proxy, names } = await deployed();
    const [sender] = await ethers.getSigners();
    const receipt = await (
      await sender.sendTransaction({
        to: await proxy.getAddress(),
        data: writer.interface.encodeFunctionData("write", [7]),
      })
    ).wait();
    return accountGas(network.provider, receipt!.hash, names);
  }

  it("prices a first write to a cold slot at 22,100 and adds up to gasUsed", async function () {
    const { writer, names } = await deployed();
    const receipt = await (await writer.write(7)).wait();
    const account = await accountGas(network.provider, receipt!.hash, names);
    const data = ethers.getBytes(writer.interface.encodeFunctionData("write", [7]));
    const zero = data.filter((b) => b === 0).length;

    expect(account.gasUsed).to.equal(Number(receipt!.gasUsed));
    expect(account.intrinsic).to.deep.equal({
      base: 21_000,
      calldata: zero * 4 + (data.length - zero) * 16,
      zeroBytes: zero,
      nonzeroBytes: data.length - zero,
    });
    expect(account.frames.map((f) => f.contract)).to.deep.equal(["StorageWriterMock"]);
    expect(account.frames[0].writes).to.deep.equal([22_100]);
    expect(account.frames[0].calls).to.deep.equal([]);
    expect(account.refund).to.equal(0);
    expect(21_000 + account.intrinsic.calldata + executed(account)).to.equal(account.gasUsed);
  });

  it("names the storage refund of a slot cleared (EIP-3529)", async function () {
    const { writer, names } = await deployed();
    await (await writer.write(7)).wait();
    const receipt = await (await writer.write(0)).wait();
    const account = await accountGas(network.provider, receipt!.hash, names);

    expect(account.frames[0].writes).to.deep.equal([5_000]); // nonzero → zero, cold
    expect(account.refund).to.equal(4_800);
    expect(21_000 + account.intrinsic.calldata + executed(account) - account.refund).to.equal(account.gasUsed);
  });

  it("charges a delegated write to the caller's storage and the call's cold account to the caller", async function () {
    const account = await delegatedWrite();
    const proxyFrame = account.frames.find((f) => f.contract === "DelegatingMock")!;

    expect(proxyFrame.writes).to.deep.equal([22_100]);
    expect(proxyFrame.calls).to.have.length(1);
    expect(proxyFrame.calls[0]).to.be.within(2_600, 2_700); // the implementation's cold account and its memory
    expect(21_000 + account.intrinsic.calldata + executed(account)).to.equal(account.gasUsed);
    expect(describeGas(account)[1]).to.match(
      /^ {2}DelegatingMock: \d+ = reads 0 cold \+ 0 warm \(0\), writes \[22100\]/,
    );
  });

  it("counts a precompile's work (ecrecover's 3,000) as a call, not as the caller's code", async function () {
    const ECRECOVER = "0x0000000000000000000000000000000000000001";
    const proxy = await (await ethers.getContractFactory("DelegatingMock")).deploy(ECRECOVER);
    const names = new Map([[(await proxy.getAddress()).toLowerCase(), "DelegatingMock"]]);
    const [sender] = await ethers.getSigners();
    const receipt = await (await sender.sendTransaction({ to: await proxy.getAddress(), data: "0x" })).wait();
    const account = await accountGas(network.provider, receipt!.hash, names);

    expect(account.frames.map((f) => f.contract)).to.deep.equal(["DelegatingMock"]);
    expect(account.frames[0].calls).to.have.length(1);
    expect(account.frames[0].calls[0]).to.be.within(3_100, 3_200); // the precompile, warm (100), and its 3,000
    expect(account.frames[0].other).to.be.below(1_000);
    expect(21_000 + account.intrinsic.calldata + executed(account)).to.equal(account.gasUsed);
  });

  it("counts a read of another account's code as an account read, its cold access included", async function () {
    const { writer } = await deployed();
    const pinnable = await (await ethers.getContractFactory("PinnableCodeMock")).deploy();
    const names = new Map([[(await pinnable.getAddress()).toLowerCase(), "PinnableCodeMock"]]);
    const [sender] = await ethers.getSigners();
    const receipt = await (
      await sender.sendTransaction({
        to: await pinnable.getAddress(),
        data: pinnable.interface.encodeFunctionData("isPinnable", [await writer.getAddress()]),
      })
    ).wait();
    const account = await accountGas(network.provider, receipt!.hash, names);

    expect(account.frames[0].accountReads).to.deep.equal([2_600]); // EXTCODESIZE, cold; the copy after is warm
    expect(splitGas(account).calls).to.equal(2_600);
    expect(describeGas(account)[1]).to.include("account reads [2600] (2600)");
    expect(21_000 + account.intrinsic.calldata + executed(account)).to.equal(account.gasUsed);
  });

  it("splits the gas into state and data and the code, which add up to the figure", async function () {
    const account = await delegatedWrite();
    const split = splitGas(account);

    expect(split.intrinsic).to.equal(21_000 + account.intrinsic.calldata);
    expect(split.writes).to.equal(22_100);
    expect(split.calls).to.be.within(2_600, 2_700); // the implementation's account, cold, and its memory
    expect(split.coldReads).to.equal(0);
    expect(split.events).to.equal(0);
    expect(split.code).to.be.within(100, 1_000); // two dispatches and the proxy's copy of its call data, no more
    // measured without the intrinsic cost, the figure is the execution alone
    const execution = account.gasUsed - split.intrinsic;
    const alone = splitGas(account, execution, false);
    expect(alone.intrinsic).to.equal(0);
    expect(alone.code).to.equal(split.code);
  });

  it("keeps a slot's refund out of the state and data", async function () {
    const { writer, names } = await deployed();
    await (await writer.write(7)).wait();
    const receipt = await (await writer.write(0)).wait();
    const split = splitGas(await accountGas(network.provider, receipt!.hash, names));

    expect(split.refund).to.equal(4_800);
    // 21,000, the call data and the write (nonzero → zero, cold: 5,000), less the refund
    expect(stateAndData(split)).to.equal(split.intrinsic + 5_000 - 4_800);
    expect(split.code).to.be.within(50, 500);
  });

  it("follows a contract's creation as a call: its price and the new code's run, with nothing left over", async function () {
    const { writer } = await deployed();
    const clones = await (await ethers.getContractFactory("ClonesMock")).deploy();
    const names = new Map([[(await clones.getAddress()).toLowerCase(), "ClonesMock"]]);
    const receipt = await (await clones.clone(await writer.getAddress())).wait();
    const account = await accountGas(network.provider, receipt!.hash, names);

    expect(account.frames.map((f) => f.contract)).to.deep.equal(["ClonesMock", "a contract it created"]);
    const [creator] = account.frames;
    expect(creator.calls).to.have.length(1);
    expect(creator.calls[0]).to.be.within(32_000 + 45 * 200, 32_000 + 45 * 200 + 200); // CREATE and 45 bytes' deposit
    expect(account.refund).to.equal(0);
    expect(21_000 + account.intrinsic.calldata + executed(account)).to.equal(account.gasUsed);
  });

  it("builds the peers that gas.json measured: the same figures, split as GovChain's are", async function () {
    const anchors = loadAnchors();
    if (!anchors) this.skip(); // ../shared/anchors is beside the repository in CI and on the team's machines
    // under coverage the contracts are built without the optimizer: their gas is not the peers' settings'
    if ((hre as { __SOLIDITY_COVERAGE_RUNNING?: boolean }).__SOLIDITY_COVERAGE_RUNNING) this.skip();
    const traces = await tracePeers(hre, (hash) => accountGas(network.provider, hash, new Map()), "0x12345678");

    expect(traces.map((t) => t.peer)).to.deep.equal([ERC20_TO_NEW, ERC20_TO_EXISTING, CAN_CALL]);
    for (const t of traces) expect(t.gas, t.peer).to.equal(anchors![t.peer]);
    // their code, as compiled here: what GovChain's transfers and check are set beside
    expect(traces.map((t) => t.split.code)).to.deep.equal([1_006, 1_006, 2_110]);
    expect(traces[0].split).to.include({ coldReads: 2, writes: 22_900, events: 1_756 }); // 20,000 + 2,900
    expect(traces[1].split).to.include({ coldReads: 2, writes: 5_800, events: 1_756 });
    expect(traces[2].split).to.include({ intrinsic: 0, coldReads: 3, writes: 0 }); // canCall: three words
  });
});
