/**
 * Whoever moves money has standing: the spender of an allowance and the owner who gives one (by `approve` or by a
 * `permit` signature) must be live keys of active identities, not frozen (or service accounts enabled by law), as a
 * holder must. A key of no identity can neither hold nor use an allowance.
 */
import { expect } from "chai";
import { deployments, ethers } from "hardhat";
import type { HDNodeWallet } from "ethers";

import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { STATUS, consentedKey } from "../helpers/identity";
import { mint, newPerson, type Person } from "../helpers/treasury";
import type { FiatToken } from "../../typechain-types";

const ORDER = ethers.id("court order 2026-31");

interface SpenderFixture extends SystemFixture {
  /** Holds 1,000.00 and has allowed Bob 500.00. */
  alice: Person;
  /** Alice's spender. */
  bob: Person;
  /** Receives what Bob moves. */
  carol: Person;
}

const spenderFixture = deployments.createFixture(async (hre): Promise<SpenderFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const [alice, bob, carol] = [await newPerson(f), await newPerson(f), await newPerson(f)];
  await mint(f, alice.wallet.address, 100_000n);
  await f.fiatToken.connect(alice.wallet).approve(bob.wallet.address, 50_000n);
  return { ...f, alice, bob, carol };
});

/** A permit signed by `owner` for `spender`, with the token's EIP-712 domain. */
async function signPermit(token: FiatToken, owner: HDNodeWallet, spender: string, value: bigint) {
  const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
  const domain = await token.eip712Domain();
  const signature = ethers.Signature.from(
    await owner.signTypedData(
      {
        name: domain.name,
        version: domain.version,
        chainId: domain.chainId,
        verifyingContract: domain.verifyingContract,
      },
      {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      { owner: owner.address, spender, value, nonce: await token.nonces(owner.address), deadline },
    ),
  );
  return [owner.address, spender, value, deadline, signature.v, signature.r, signature.s] as const;
}

describe("Spender standing", function () {
  let f: SpenderFixture;

  beforeEach(async function () {
    f = await spenderFixture();
  });

  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);
  const spend = (value = 100n) =>
    f.fiatToken.connect(f.bob.wallet).transferFrom(f.alice.wallet.address, f.carol.wallet.address, value);

  describe("transferFrom", function () {
    it("moves tokens for a spender with standing, within the allowance", async function () {
      await expect(spend(20_000n))
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(f.alice.wallet.address, f.carol.wallet.address, 20_000n);
      expect(await f.fiatToken.allowance(f.alice.wallet.address, f.bob.wallet.address)).to.equal(30_000n);
      expect(await f.fiatToken.balanceOf(f.carol.wallet.address)).to.equal(20_000n);
    });

    it("refuses a spender whose key was revoked", async function () {
      const bob = f.bob.wallet.address;
      await asRegistrar().recoverKey(bob, await consentedKey(f.identityRegistry, f.bob.id));
      await expect(spend()).to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted").withArgs(bob);
      expect(await f.fiatToken.balanceOf(f.carol.wallet.address)).to.equal(0n);
    });

    for (const [label, status] of [
      ["suspended", STATUS.Suspended],
      ["deceased", STATUS.Deceased],
    ] as const) {
      it(`refuses the key of a ${label} spender`, async function () {
        await asRegistrar().setStatus(f.bob.id, status, label);
        await expect(spend())
          .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
          .withArgs(f.bob.wallet.address);
      });
    }

    it("refuses a frozen spender, and lets it spend again once unfrozen", async function () {
      const bob = f.bob.wallet.address;
      await f.fiatToken.connect(f.signers.judge).freeze(bob, ORDER);
      await expect(spend()).to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountFrozen").withArgs(bob);
      await f.fiatToken.connect(f.signers.judge).unfreeze(bob, ORDER);
      await expect(spend()).to.emit(f.fiatToken, "Transfer");
    });

    it("refuses a key of no identity, even for nothing", async function () {
      const stranger = ethers.Wallet.createRandom(ethers.provider);
      await ethers.provider.send("hardhat_setBalance", [stranger.address, "0x56BC75E2D63100000"]);
      await expect(f.fiatToken.connect(stranger).transferFrom(f.alice.wallet.address, f.carol.wallet.address, 0n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger.address);
    });
  });

  describe("approve", function () {
    it("refuses an owner without standing", async function () {
      await asRegistrar().setStatus(f.alice.id, STATUS.Suspended, "inquiry");
      await expect(f.fiatToken.connect(f.alice.wallet).approve(f.carol.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(f.alice.wallet.address);
    });

    it("gives no allowance to a key of no identity, but always lets an allowance be withdrawn", async function () {
      const stranger = ethers.Wallet.createRandom().address;
      await expect(f.fiatToken.connect(f.alice.wallet).approve(stranger, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger);
      await asRegistrar().setStatus(f.bob.id, STATUS.Suspended, "inquiry");
      await expect(f.fiatToken.connect(f.alice.wallet).approve(f.bob.wallet.address, 0n))
        .to.emit(f.fiatToken, "Approval")
        .withArgs(f.alice.wallet.address, f.bob.wallet.address, 0n);
      expect(await f.fiatToken.allowance(f.alice.wallet.address, f.bob.wallet.address)).to.equal(0n);
    });
  });

  describe("during a pause", function () {
    it("lets an allowance be given and withdrawn, but not spent", async function () {
      await f.fiatToken.connect(f.signers.guardian).pause();
      await expect(f.fiatToken.connect(f.alice.wallet).approve(f.bob.wallet.address, 0n)).to.emit(
        f.fiatToken,
        "Approval",
      );
      await f.fiatToken.connect(f.alice.wallet).approve(f.bob.wallet.address, 10n);
      await expect(spend(10n)).to.be.revertedWithCustomError(f.fiatToken, "EnforcedPause");
    });
  });

  describe("permit", function () {
    it("gives an allowance signed by an owner with standing", async function () {
      const args = await signPermit(f.fiatToken, f.alice.wallet, f.carol.wallet.address, 700n);
      await expect(f.fiatToken.permit(...args))
        .to.emit(f.fiatToken, "Approval")
        .withArgs(f.alice.wallet.address, f.carol.wallet.address, 700n);
    });

    it("refuses a permit signed by a revoked key", async function () {
      const alice = f.alice.wallet.address;
      const args = await signPermit(f.fiatToken, f.alice.wallet, f.carol.wallet.address, 700n);
      await asRegistrar().recoverKey(alice, await consentedKey(f.identityRegistry, f.alice.id));
      await expect(f.fiatToken.permit(...args))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(alice);
      expect(await f.fiatToken.allowance(alice, f.carol.wallet.address)).to.equal(0n);
    });

    it("refuses a permit signed by a key of no identity, or for one", async function () {
      const stranger = ethers.Wallet.createRandom();
      await expect(f.fiatToken.permit(...(await signPermit(f.fiatToken, stranger, f.carol.wallet.address, 1n))))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger.address);
      await expect(f.fiatToken.permit(...(await signPermit(f.fiatToken, f.alice.wallet, stranger.address, 1n))))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger.address);
    });

    it("refuses a permit signed by a frozen owner", async function () {
      const alice = f.alice.wallet.address;
      await f.fiatToken.connect(f.signers.judge).freeze(alice, ORDER);
      await expect(f.fiatToken.permit(...(await signPermit(f.fiatToken, f.alice.wallet, f.carol.wallet.address, 1n))))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountFrozen")
        .withArgs(alice);
    });
  });
});
