import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { TypedDataEncoder } from "ethers";

import { LAW_UPDATE_TYPES, legislatureDomain } from "../../scripts/lib/law/lawUpdate";
import { deploySystem, type SystemFixture } from "../helpers/fixtures";
import { PENSION_ACT, call, enact, highS, lawUpdate, paramKey, sign } from "../helpers/law";
import { time } from "../helpers/identity";

const RETIREMENT_AGE = paramKey("RETIREMENT_AGE");

describe("Legislature", function () {
  let f: SystemFixture;

  beforeEach(async function () {
    f = await deploySystem();
  });

  /** A law update that sets PENSION_ACT's RETIREMENT_AGE to `value`. */
  async function retirementAgeUpdate(value: number) {
    return lawUpdate(f, PENSION_ACT, [await call(f.smartLaw, "setParam", [PENSION_ACT, RETIREMENT_AGE, value])]);
  }

  describe("deployment", function () {
    it("starts with the genesis legislators, quorum 2 and epoch 1", async function () {
      const { legislator1, legislator2, legislator3 } = f.signers;
      expect(await f.legislature.legislators()).to.deep.equal([
        legislator1.address,
        legislator2.address,
        legislator3.address,
      ]);
      expect(await f.legislature.quorum()).to.equal(2n);
      expect(await f.legislature.epoch()).to.equal(1n);
      expect(await f.legislature.isLegislator(legislator3.address)).to.equal(true);
      expect(await f.legislature.isLegislator(f.signers.deployer.address)).to.equal(false);
      expect(await f.legislature.smartLaw()).to.equal(await f.smartLaw.getAddress());
    });

    it("exposes its EIP-712 domain (ERC-5267): Legislature, version 1, this chain and address", async function () {
      const domain = await f.legislature.eip712Domain();
      expect(domain.name).to.equal("Legislature");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(domain.verifyingContract).to.equal(await f.legislature.getAddress());
    });

    it("refuses an empty legislature or an impossible quorum at construction", async function () {
      const factory = await ethers.getContractFactory("Legislature");
      const smartLaw = await f.smartLaw.getAddress();
      await expect(factory.deploy(smartLaw, [], 1))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureInvalidLegislatorCount")
        .withArgs(0, 64);
      const tooMany = Array.from({ length: 65 }, (_, i) => ethers.toBeHex(i + 1, 20));
      await expect(factory.deploy(smartLaw, tooMany, 1))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureInvalidLegislatorCount")
        .withArgs(65, 64);
      await expect(factory.deploy(smartLaw, [f.signers.legislator1.address], 2))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureInvalidQuorum")
        .withArgs(2, 1);
    });
  });

  describe("hashLawUpdate", function () {
    it("is the EIP-712 digest of the LawUpdate typed data, nested Call[] included", async function () {
      const update = await lawUpdate(f, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, RETIREMENT_AGE, 65]),
        await call(f.smartLaw, "setParam", [PENSION_ACT, paramKey("OTHER"), 1]),
      ]);
      const domain = await legislatureDomain(f.legislature);
      expect(await f.legislature.hashLawUpdate(update)).to.equal(
        TypedDataEncoder.hash(domain, LAW_UPDATE_TYPES, update),
      );
    });
  });

  describe("enact", function () {
    describe("with signatures of a quorum", function () {
      it("records the new version, runs the calls and emits LawEnacted with the signers", async function () {
        const update = await retirementAgeUpdate(65);
        const digest = await f.legislature.hashLawUpdate(update);
        const [l1, l2] = f.legislators;
        await expect(
          f.legislature.connect(f.signers.outsider).enact(update, await sign(f.legislature, update, [l2, l1])),
        )
          .to.emit(f.legislature, "LawEnacted")
          .withArgs(PENSION_ACT, 2, digest, [l2.address, l1.address])
          .and.to.emit(f.smartLaw, "LawVersionRecorded")
          .withArgs(PENSION_ACT, 2, update.textHash)
          .and.to.emit(f.smartLaw, "ParamSet")
          .withArgs(PENSION_ACT, RETIREMENT_AGE, 65);
        expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(65n);
        expect(await f.smartLaw.lawVersion(PENSION_ACT)).to.equal(2n);
        expect(await f.smartLaw.textHash(PENSION_ACT, 2)).to.equal(update.textHash);
        expect(await f.legislature.isNonceUsed(update.nonce)).to.equal(true);
      });

      it("accepts more signatures than the quorum", async function () {
        const update = await retirementAgeUpdate(66);
        const all = [f.signers.legislator1, f.signers.legislator2, f.signers.legislator3];
        await expect(f.legislature.enact(update, await sign(f.legislature, update, all))).to.emit(
          f.legislature,
          "LawEnacted",
        );
      });
    });

    describe("with on-chain approvals", function () {
      it("counts an approval as that legislator's signature", async function () {
        const update = await retirementAgeUpdate(67);
        const digest = await f.legislature.hashLawUpdate(update);
        await expect(f.legislature.connect(f.signers.legislator3).approve(digest))
          .to.emit(f.legislature, "LawUpdateApproved")
          .withArgs(digest, f.signers.legislator3.address);
        expect(await f.legislature.hasApproved(digest, f.signers.legislator3.address)).to.equal(true);
        await expect(f.legislature.enact(update, await sign(f.legislature, update, [f.signers.legislator1])))
          .to.emit(f.legislature, "LawEnacted")
          .withArgs(PENSION_ACT, 2, digest, [f.signers.legislator1.address, f.signers.legislator3.address]);
      });

      it("enacts on approvals alone", async function () {
        const update = await retirementAgeUpdate(67);
        const digest = await f.legislature.hashLawUpdate(update);
        await f.legislature.connect(f.signers.legislator1).approve(digest);
        await f.legislature.connect(f.signers.legislator2).approve(digest);
        await expect(f.legislature.enact(update, [])).to.emit(f.legislature, "LawEnacted");
      });

      it("does not count a legislator twice when it both signed and approved", async function () {
        const update = await retirementAgeUpdate(67);
        await f.legislature.connect(f.signers.legislator1).approve(await f.legislature.hashLawUpdate(update));
        await expect(f.legislature.enact(update, await sign(f.legislature, update, [f.signers.legislator1])))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureQuorumNotReached")
          .withArgs(1, 2);
      });

      it("refuses an approval by a non-legislator", async function () {
        await expect(f.legislature.connect(f.signers.outsider).approve(ethers.ZeroHash))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureNotLegislator")
          .withArgs(f.signers.outsider.address);
      });

      it("refuses the same approval twice", async function () {
        const digest = ethers.id("digest");
        await f.legislature.connect(f.signers.legislator1).approve(digest);
        await expect(f.legislature.connect(f.signers.legislator1).approve(digest))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureAlreadyApproved")
          .withArgs(digest, f.signers.legislator1.address);
      });
    });

    describe("signature attacks", function () {
      it("refuses signatures below the quorum", async function () {
        const update = await retirementAgeUpdate(65);
        await expect(f.legislature.enact(update, await sign(f.legislature, update, [f.signers.legislator1])))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureQuorumNotReached")
          .withArgs(1, 2);
      });

      it("refuses the same legislator's signature twice", async function () {
        const update = await retirementAgeUpdate(65);
        const [signature] = await sign(f.legislature, update, [f.signers.legislator1]);
        await expect(f.legislature.enact(update, [signature, signature]))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureDuplicateSigner")
          .withArgs(f.signers.legislator1.address);
      });

      it("refuses a non-legislator's signature", async function () {
        const update = await retirementAgeUpdate(65);
        const signatures = await sign(f.legislature, update, [f.signers.legislator1, f.signers.outsider]);
        await expect(f.legislature.enact(update, signatures))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureNotLegislator")
          .withArgs(f.signers.outsider.address);
      });

      it("refuses a replayed nonce", async function () {
        const update = await retirementAgeUpdate(65);
        const signatures = await sign(f.legislature, update, f.legislators);
        await f.legislature.enact(update, signatures);
        const replay = { ...update, version: 3 };
        await expect(f.legislature.enact(replay, await sign(f.legislature, replay, f.legislators)))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureNonceUsed")
          .withArgs(update.nonce);
      });

      it("refuses an update past its deadline", async function () {
        const update = await retirementAgeUpdate(65);
        const signatures = await sign(f.legislature, update, f.legislators);
        await time.setNextBlockTimestamp(update.deadline + 1n);
        await expect(f.legislature.enact(update, signatures))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureExpired")
          .withArgs(update.deadline, update.deadline + 1n);
      });

      it("refuses signatures made for another chain id", async function () {
        const update = await retirementAgeUpdate(65);
        const domain = { ...(await legislatureDomain(f.legislature)), chainId: 1n };
        const signatures = await Promise.all(
          f.legislators.map((s) => s.signTypedData(domain, LAW_UPDATE_TYPES, update)),
        );
        const recovered = ethers.verifyTypedData(domain, LAW_UPDATE_TYPES, update, signatures[0]);
        const onThisChain = ethers.recoverAddress(await f.legislature.hashLawUpdate(update), signatures[0]);
        expect(recovered).to.equal(f.signers.legislator1.address);
        await expect(f.legislature.enact(update, signatures))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureNotLegislator")
          .withArgs(onThisChain);
      });

      it("refuses signatures made for another verifying contract", async function () {
        const update = await retirementAgeUpdate(65);
        const domain = {
          ...(await legislatureDomain(f.legislature)),
          verifyingContract: await f.smartLaw.getAddress(),
        };
        const signatures = await Promise.all(
          f.legislators.map((s) => s.signTypedData(domain, LAW_UPDATE_TYPES, update)),
        );
        const onThisContract = ethers.recoverAddress(await f.legislature.hashLawUpdate(update), signatures[0]);
        await expect(f.legislature.enact(update, signatures))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureNotLegislator")
          .withArgs(onThisContract);
      });

      it("refuses a high-s (malleable) signature", async function () {
        const update = await retirementAgeUpdate(65);
        const [good, second] = await sign(f.legislature, update, f.legislators);
        const malleable = highS(second);
        // the malleable twin (n - s, v flipped) recovers to the same legislator under plain ecrecover: only the
        // low-s rule refuses it (ethers itself declines to recover a non-canonical s)
        expect(() => ethers.recoverAddress(ethers.ZeroHash, malleable)).to.throw(/non-canonical s/);
        await expect(f.legislature.enact(update, [good, malleable]))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureInvalidSignature")
          .withArgs(1);
      });

      it("refuses a malformed signature", async function () {
        const update = await retirementAgeUpdate(65);
        const [good] = await sign(f.legislature, update, f.legislators);
        await expect(f.legislature.enact(update, [good, "0x1234"]))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureInvalidSignature")
          .withArgs(1);
      });

      it("refuses a signature from the epoch before the legislators changed", async function () {
        const { legislator1, legislator2, legislator3 } = f.signers;
        const stale = await retirementAgeUpdate(65);
        const staleSignatures = await sign(f.legislature, stale, f.legislators);
        await expect(
          enact(f, f.legislators, PENSION_ACT, [
            await call(f.legislature, "setLegislators", [
              [legislator1.address, legislator2.address, legislator3.address],
              3,
            ]),
          ]),
        )
          .to.emit(f.legislature, "LegislatorsChanged")
          .withArgs(2, [legislator1.address, legislator2.address, legislator3.address], 3);
        const resigned = { ...stale, version: 3 };
        await expect(
          f.legislature.enact(resigned, await sign(f.legislature, resigned, [legislator1, legislator2, legislator3])),
        )
          .to.be.revertedWithCustomError(f.legislature, "LegislatureStaleEpoch")
          .withArgs(1, 2);
        await expect(f.legislature.enact(stale, staleSignatures))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureStaleEpoch")
          .withArgs(1, 2);
      });

      it("refuses a version that is not the law's next", async function () {
        const update = { ...(await retirementAgeUpdate(65)), version: 5 };
        await expect(f.legislature.enact(update, await sign(f.legislature, update, f.legislators)))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureUnexpectedVersion")
          .withArgs(PENSION_ACT, 2, 5);
      });
    });

    describe("when a call fails", function () {
      it("undoes the whole update and leaves its nonce unused", async function () {
        const update = await lawUpdate(f, PENSION_ACT, [
          await call(f.smartLaw, "setParam", [PENSION_ACT, RETIREMENT_AGE, 70]),
          await call(f.smartLaw, "setParam", [ethers.id("NO_SUCH_LAW"), RETIREMENT_AGE, 1]),
        ]);
        const inner = f.smartLaw.interface.encodeErrorResult("SmartLawLawNotInForce", [ethers.id("NO_SUCH_LAW")]);
        await expect(f.legislature.enact(update, await sign(f.legislature, update, f.legislators)))
          .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
          .withArgs(1, await f.smartLaw.getAddress(), inner);
        expect(await f.smartLaw.param(PENSION_ACT, RETIREMENT_AGE)).to.equal(60n);
        expect(await f.smartLaw.lawVersion(PENSION_ACT)).to.equal(1n);
        expect(await f.legislature.isNonceUsed(update.nonce)).to.equal(false);
      });
    });
  });

  describe("when a call targets an address without code", function () {
    it("refuses the update rather than let the call do nothing", async function () {
      const update = await lawUpdate(f, PENSION_ACT, [
        await call(f.smartLaw, "setParam", [PENSION_ACT, RETIREMENT_AGE, 70]),
        { target: f.signers.outsider.address, data: "0x" },
      ]);
      await expect(f.legislature.enact(update, await sign(f.legislature, update, f.legislators)))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureTargetNotAContract")
        .withArgs(1, f.signers.outsider.address);
    });
  });

  describe("setLegislators", function () {
    it("reverts when not called by the Legislature itself", async function () {
      await expect(f.legislature.connect(f.signers.legislator1).setLegislators([f.signers.legislator1.address], 1))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureOnlySelf")
        .withArgs(f.signers.legislator1.address);
    });

    it("replaces the legislators through a law update: the old ones can no longer sign", async function () {
      const { legislator1, legislator3, outsider } = f.signers;
      await enact(f, f.legislators, PENSION_ACT, [
        await call(f.legislature, "setLegislators", [[legislator3.address, outsider.address], 2]),
      ]);
      expect(await f.legislature.legislators()).to.deep.equal([legislator3.address, outsider.address]);
      expect(await f.legislature.epoch()).to.equal(2n);
      expect(await f.legislature.isLegislator(legislator1.address)).to.equal(false);
      const update = await retirementAgeUpdate(65);
      await expect(f.legislature.enact(update, await sign(f.legislature, update, [legislator1, legislator3])))
        .to.be.revertedWithCustomError(f.legislature, "LegislatureNotLegislator")
        .withArgs(legislator1.address);
      await expect(f.legislature.enact(update, await sign(f.legislature, update, [legislator3, outsider]))).to.emit(
        f.legislature,
        "LawEnacted",
      );
    });

    for (const [label, build, error, args] of [
      ["a quorum of zero", (a: string[]) => [a, 0], "LegislatureInvalidQuorum", () => [0, 2]],
      ["a quorum above the legislators", (a: string[]) => [a, 3], "LegislatureInvalidQuorum", () => [3, 2]],
      [
        "a repeated legislator",
        (a: string[]) => [[a[0], a[0]], 1],
        "LegislatureInvalidLegislator",
        (a: string[]) => [a[0]],
      ],
      [
        "the zero address",
        (a: string[]) => [[a[0], ethers.ZeroAddress], 1],
        "LegislatureInvalidLegislator",
        () => [ethers.ZeroAddress],
      ],
      ["no legislators", () => [[], 1], "LegislatureInvalidLegislatorCount", () => [0, 64]],
    ] as const) {
      it(`refuses ${label}`, async function () {
        const accounts = [f.signers.legislator1.address, f.signers.legislator2.address];
        const inner = f.legislature.interface.encodeErrorResult(error, args(accounts));
        await expect(
          enact(f, f.legislators, PENSION_ACT, [
            await call(f.legislature, "setLegislators", build(accounts) as unknown[]),
          ]),
        )
          .to.be.revertedWithCustomError(f.legislature, "LegislatureCallFailed")
          .withArgs(0, await f.legislature.getAddress(), inner);
      });
    }
  });

  it("runs the in-process network at the compiler's EVM version", async function () {
    const { hardfork } = hre.config.networks.hardhat;
    expect(hre.config.solidity.compilers.map((c) => c.settings.evmVersion)).to.deep.equal([hardfork]);
    expect(hardfork).to.equal("cancun");
  });
});
