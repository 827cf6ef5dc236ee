/**
 * Code pinning cannot be fooled: no code that can execute DELEGATECALL, CALLCODE or SELFDESTRUCT is pinnable,
 * wherever it hides. Execution enters code at byte 0 or at a JUMPDEST (found by the EVM's linear sweep that skips
 * PUSH data), so PinnableCode sweeps the whole code the same way, trusting nothing about its last bytes.
 */
import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import { setCode } from "@nomicfoundation/hardhat-network-helpers";

import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { CIVIL_ACT, call, enact, legislatureSigner, roleId } from "../helpers/law";
import type { PinnableCodeMock } from "../../typechain-types";

const SERVICE = roleId("ENROLMENT_SERVICE");

/**
 * A 42-byte contract that looks like code followed by compiler metadata: its last two bytes (0x0025 = 37) give the
 * length of a "CBOR map" that starts at byte 3 (0xa1). The code jumps over that byte to a JUMPDEST inside the
 * "metadata", which copies the calldata and DELEGATECALLs `implementation`.
 */
function disguisedDelegator(implementation: string): string {
  const runtime = ethers.concat([
    "0x600456", // PUSH1 4, JUMP
    "0xa1", // the "metadata": a CBOR map of one entry, as far as a reader of the tail can tell
    "0x5b365f5f37", // JUMPDEST; CALLDATACOPY(0, 0, CALLDATASIZE)
    "0x5f5f365f", // retSize 0, retOffset 0, argsSize CALLDATASIZE, argsOffset 0
    "0x73", // PUSH20 implementation
    implementation,
    "0x5af4", // GAS, DELEGATECALL
    "0x3d5f5f3e", // RETURNDATACOPY(0, 0, RETURNDATASIZE)
    "0x0025", // STOP; the "metadata length"
  ]);
  expect(ethers.dataLength(runtime)).to.equal(42);
  return runtime;
}

/** Creation code that returns `runtime` (at most 255 bytes) as the contract's code. */
function creationCode(runtime: string): string {
  const size = ethers.toBeHex(ethers.dataLength(runtime), 1);
  // PUSH1 size, DUP1, PUSH1 9, PUSH0, CODECOPY(0, 9, size), PUSH0, RETURN(0, size); the runtime follows at byte 9
  return ethers.concat([`0x60${size.slice(2)}80600${"9"}5f395ff3`, runtime]);
}

describe("Disguised code", function () {
  let f: SystemFixture;
  let scanner: PinnableCodeMock;

  beforeEach(async function () {
    f = await deploySystem();
    scanner = await (await ethers.getContractFactory("PinnableCodeMock")).deploy();
  });

  /** Deploys `runtime` by a real creation transaction; returns its address. */
  async function deployRaw(runtime: string): Promise<string> {
    const [deployer] = await ethers.getSigners();
    const tx = await deployer.sendTransaction({ data: creationCode(runtime) });
    const address = (await tx.wait())!.contractAddress!;
    expect(await ethers.provider.getCode(address)).to.equal(ethers.hexlify(runtime));
    return address;
  }

  /** `runtime` placed at a fresh address. */
  async function placed(runtime: string): Promise<string> {
    const address = ethers.Wallet.createRandom().address;
    await setCode(address, runtime);
    return address;
  }

  const assignRole = async (account: string) =>
    enact(f, f.legislators, CIVIL_ACT, [await call(f.smartLaw, "assignRole", [account, SERVICE, CIVIL_ACT])]);

  const expectNotPinnableBySmartLaw = async (account: string) =>
    expect(assignRole(account))
      .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
      .withArgs(
        0,
        await f.smartLaw.getAddress(),
        f.smartLaw.interface.encodeErrorResult("SmartLawCodeNotPinnable", [account]),
      );

  const enableServiceAccount = async (account: string) =>
    f.fiatToken.connect(await legislatureSigner(f)).enableServiceAccount(account);

  describe("a DELEGATECALL hidden in what looks like compiler metadata", function () {
    let writer: string;
    let disguised: string;

    beforeEach(async function () {
      writer = await (await (await ethers.getContractFactory("StorageWriterMock")).deploy()).getAddress();
      disguised = await deployRaw(disguisedDelegator(writer));
    });

    it("runs foreign code: a call writes the disguised contract's own storage through the implementation", async function () {
      const [sender] = await ethers.getSigners();
      const write = (await ethers.getContractAt("StorageWriterMock", writer)).interface.encodeFunctionData(
        "write",
        [7],
      );
      await (await sender.sendTransaction({ to: disguised, data: write })).wait();
      expect(await ethers.provider.getStorage(disguised, 0)).to.equal(ethers.toBeHex(7, 32));
    });

    it("is refused by SmartLaw.assignRole", async function () {
      await expectNotPinnableBySmartLaw(disguised);
      expect((await f.smartLaw.serviceRole(disguised, SERVICE)).lawId).to.equal(ethers.ZeroHash);
    });

    it("is refused by FiatToken.enableServiceAccount", async function () {
      await expect(enableServiceAccount(disguised))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotPinnable")
        .withArgs(disguised);
    });

    it("while a contract that only calls (no delegation) is assigned and enabled", async function () {
      const service = await (
        await ethers.getContractFactory("ServiceCallerMock")
      ).deploy(await f.identityRegistry.getAddress());
      const address = await service.getAddress();
      await expect(assignRole(address))
        .to.emit(f.smartLaw, "RoleAssigned")
        .withArgs(address, SERVICE, CIVIL_ACT, ethers.keccak256(await ethers.provider.getCode(address)));
      await expect(enableServiceAccount(address)).to.emit(f.fiatToken, "ServiceAccountEnabled");
    });
  });

  describe("a forbidden opcode after the code's end", function () {
    it("is refused after a JUMPDEST in the tail of real compiled code, by assignRole and enableServiceAccount", async function () {
      const real = await ethers.provider.getCode(await f.treasury.getAddress());
      for (const forbidden of ["f4", "f2", "ff"]) {
        const account = await placed(ethers.concat([real, `0x5b${forbidden}`]));
        expect(await scanner.isPinnable(account)).to.equal(false);
        await expectNotPinnableBySmartLaw(account);
        await expect(enableServiceAccount(account))
          .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotPinnable")
          .withArgs(account);
      }
    });

    it("is accepted when no JUMPDEST makes it reachable: after the real code's end, or inside PUSH data", async function () {
      const real = await ethers.provider.getCode(await f.treasury.getAddress());
      // the tail after INVALID and the metadata is unreachable: bytes there are data, whatever they read as
      expect(await scanner.isPinnable(await placed(ethers.concat([real, "0xf4f2ff"])))).to.equal(true);
      // a JUMPDEST byte that is PUSH data is no JUMPDEST for the EVM either
      expect(await scanner.isPinnable(await placed(ethers.concat([real, "0x615bf4"])))).to.equal(true);
    });
  });

  describe("the sweep, on raw code", function () {
    for (const [label, code] of [
      ["DELEGATECALL at byte 0", "0xf4"],
      ["CALLCODE at byte 0", "0xf2"],
      ["SELFDESTRUCT at byte 0", "0xff"],
      ["DELEGATECALL after a JUMPI (which falls through)", "0x600057f4"],
      ["DELEGATECALL after STOP and a JUMPDEST", "0x005bf4"],
      ["DELEGATECALL after JUMP and a JUMPDEST", "0x56a15bf4"],
      ["DELEGATECALL after RETURN and a JUMPDEST", "0xf35bf4"],
      ["DELEGATECALL after REVERT and a JUMPDEST", "0xfd5bf4"],
      ["DELEGATECALL after INVALID and a JUMPDEST", "0xfe5bf4"],
      ["DELEGATECALL after an undefined opcode (a later fork may define it)", "0x0cf4"],
      ["DELEGATECALL after PUSH data that holds every terminator", "0x6400fdfef35650f4"],
    ] as const) {
      it(`refuses ${label}`, async function () {
        expect(await scanner.isPinnable(await placed(code))).to.equal(false);
      });
    }

    for (const [label, code] of [
      ["0xf4 as PUSH1 data", "0x60f45000"],
      ["0xf4, 0xf2 and 0xff as PUSH32 data", `0x7f${"f4f2ff".repeat(10)}f4f45000`],
      ["forbidden bytes after STOP with no JUMPDEST", "0x00f4f2ff"],
      ["a JUMPDEST byte inside dead PUSH data, before DELEGATECALL", "0x00615bf4"],
      ["PUSH data running past the end of the code", "0x7ff4"],
    ] as const) {
      it(`accepts ${label}`, async function () {
        expect(await scanner.isPinnable(await placed(code))).to.equal(true);
      });
    }

    it("refuses an account without code", async function () {
      expect(await scanner.isPinnable(f.signers.outsider.address)).to.equal(false);
    });

    it("refuses code that starts with 0xef: an EIP-7702 delegation to another address's code", async function () {
      const delegation = await placed(ethers.concat(["0xef0100", await f.treasury.getAddress()]));
      expect(await scanner.isPinnable(delegation)).to.equal(false);
      await expectNotPinnableBySmartLaw(delegation);
    });
  });

  it("accepts every contract the deployment made, the ones the genesis pins among them", async function () {
    const all = await deployments.all();
    expect(Object.keys(all)).to.include.members(["Treasury", "ServiceDesk", "PensionEnrolmentRule"]);
    for (const [name, deployment] of Object.entries(all)) {
      expect(await scanner.isPinnable(deployment.address), name).to.equal(true);
    }
  });
});
