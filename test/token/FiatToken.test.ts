import { expect } from "chai";
import { deployments, ethers } from "hardhat";

import { systemFixture, type SystemFixture } from "../helpers/fixtures";
import { STATUS, freshKey } from "../helpers/identity";
import { CIVIL_ACT, call, enact, legislatureSigner } from "../helpers/law";
import { CURRENCY_ACT, PUBLIC_FINANCE_ACT, REFUSAL, mint, newPerson, type Person } from "../helpers/treasury";

const REASON = ethers.id("court order 2026-17");

interface TokenFixture extends SystemFixture {
  alice: Person;
  bob: Person;
}

/** The genesis system with two persons, Alice holding 1,000.00 and Bob nothing yet. */
const tokenFixture = deployments.createFixture(async (hre): Promise<TokenFixture> => {
  await deployments.fixture();
  const f = await systemFixture(hre);
  const alice = await newPerson(f);
  const bob = await newPerson(f);
  await mint(f, alice.wallet.address, 100_000n);
  return { ...f, alice, bob };
});

describe("FiatToken", function () {
  let f: TokenFixture;

  beforeEach(async function () {
    f = await tokenFixture();
  });

  const asBanker = () => f.fiatToken.connect(f.signers.centralBanker);
  const asJudge = () => f.fiatToken.connect(f.signers.judge);
  const asRegistrar = () => f.identityRegistry.connect(f.signers.registrar);
  const legislature = async () => f.fiatToken.connect(await legislatureSigner(f));

  it("is an ERC-20 with two decimals and an EIP-712 domain for permit", async function () {
    expect(await f.fiatToken.decimals()).to.equal(2n);
    expect(await f.fiatToken.symbol()).to.equal("GCNY");
    const domain = await f.fiatToken.eip712Domain();
    expect(domain.name).to.equal(await f.fiatToken.name());
    expect(await f.fiatToken.totalSupply()).to.equal(100_000n);
  });

  it("is not deployed without SmartLaw or the IdentityRegistry", async function () {
    const factory = await ethers.getContractFactory("FiatToken");
    const [smartLaw, registry] = [await f.smartLaw.getAddress(), await f.identityRegistry.getAddress()];
    await expect(factory.deploy("Yuan", "GCNY", ethers.ZeroAddress, registry))
      .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenZeroAddress")
      .withArgs("smartLaw");
    await expect(factory.deploy("Yuan", "GCNY", smartLaw, ethers.ZeroAddress))
      .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenZeroAddress")
      .withArgs("identityRegistry");
  });

  describe("mint and burn", function () {
    it("mints within the minter's allowance, naming the law", async function () {
      const banker = f.signers.centralBanker.address;
      const before = await f.fiatToken.minterAllowance(banker);
      await expect(asBanker().mint(f.bob.wallet.address, 5_000n))
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(ethers.ZeroAddress, f.bob.wallet.address, 5_000n)
        .and.to.emit(f.fiatToken, "Minted")
        .withArgs(banker, f.bob.wallet.address, 5_000n, CURRENCY_ACT);
      expect(await f.fiatToken.minterAllowance(banker)).to.equal(before - 5_000n);
      expect(await f.fiatToken.balanceOf(f.bob.wallet.address)).to.equal(5_000n);
    });

    it("refuses a mint beyond the allowance, of nothing, or to a key that may not hold", async function () {
      const banker = f.signers.centralBanker.address;
      const allowance = await f.fiatToken.minterAllowance(banker);
      await expect(asBanker().mint(f.bob.wallet.address, allowance + 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenMinterAllowanceExceeded")
        .withArgs(banker, allowance, allowance + 1n);
      await expect(asBanker().mint(f.bob.wallet.address, 0n)).to.be.revertedWithCustomError(
        f.fiatToken,
        "FiatTokenZeroAmount",
      );
      const stranger = freshKey();
      await expect(asBanker().mint(stranger, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger);
    });

    it("lets only the central bank's officers mint, and only configured minters", async function () {
      await expect(f.fiatToken.connect(f.signers.registrar).mint(f.bob.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(
          f.signers.registrar.address,
          await f.fiatToken.getAddress(),
          f.fiatToken.interface.getFunction("mint").selector,
        );
      await enact(f, f.legislators, CURRENCY_ACT, [
        await call(f.fiatToken, "removeMinter", [f.signers.centralBanker.address]),
      ]);
      await expect(asBanker().mint(f.bob.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotMinter")
        .withArgs(f.signers.centralBanker.address);
    });

    it("sets and removes minters by law only, with events", async function () {
      const minter = freshKey();
      await expect(enact(f, f.legislators, CURRENCY_ACT, [await call(f.fiatToken, "configureMinter", [minter, 7n])]))
        .to.emit(f.fiatToken, "MinterConfigured")
        .withArgs(minter, 7n, CURRENCY_ACT);
      expect(await f.fiatToken.isMinter(minter)).to.equal(true);
      await expect(enact(f, f.legislators, CURRENCY_ACT, [await call(f.fiatToken, "removeMinter", [minter])]))
        .to.emit(f.fiatToken, "MinterRemoved")
        .withArgs(minter, CURRENCY_ACT);
      const token = await legislature();
      await expect(token.removeMinter(minter))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotMinter")
        .withArgs(minter);
      await expect(token.configureMinter(ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenZeroAddress")
        .withArgs("minter");
      const cap = await f.fiatToken.SUPPLY_CAP();
      await expect(token.configureMinter(minter, cap + 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenSupplyCapExceeded")
        .withArgs(0n, cap + 1n, cap);
      await expect(asBanker().configureMinter(minter, 1n)).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
    });

    it("refuses a mint while the token is not told of lapsed keys", async function () {
      await enact(f, f.legislators, CIVIL_ACT, [
        await call(f.identityRegistry, "removeObserver", [await f.fiatToken.getAddress()]),
      ]);
      await expect(asBanker().mint(f.bob.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotObserving")
        .withArgs(await f.identityRegistry.getAddress());
    });

    it("keeps the supply within 128 bits", async function () {
      const cap = await f.fiatToken.SUPPLY_CAP();
      await enact(f, f.legislators, CURRENCY_ACT, [
        await call(f.fiatToken, "configureMinter", [f.signers.centralBanker.address, cap]),
      ]);
      const supply = await f.fiatToken.totalSupply();
      await expect(asBanker().mint(f.bob.wallet.address, cap - supply + 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenSupplyCapExceeded")
        .withArgs(supply, cap - supply + 1n, cap);
    });

    it("burns from the minter's own balance, naming the law", async function () {
      const banker = f.signers.centralBanker;
      await asBanker().mint(banker.address, 3_000n);
      await expect(asBanker().burn(1_000n))
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(banker.address, ethers.ZeroAddress, 1_000n)
        .and.to.emit(f.fiatToken, "Burned")
        .withArgs(banker.address, 1_000n, CURRENCY_ACT);
      expect(await f.fiatToken.balanceOf(banker.address)).to.equal(2_000n);
      await expect(asBanker().burn(2_001n))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InsufficientBalance")
        .withArgs(banker.address, 2_000n, 2_001n);
      await expect(asBanker().burn(0n)).to.be.revertedWithCustomError(f.fiatToken, "FiatTokenZeroAmount");
    });

    it("lets only configured minters burn, not even the Legislature", async function () {
      const legislatureAddress = await f.legislature.getAddress();
      await expect((await legislature()).burn(1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotMinter")
        .withArgs(legislatureAddress);
    });
  });

  describe("who may hold", function () {
    it("moves tokens between live keys of active persons", async function () {
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 2_500n))
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(f.alice.wallet.address, f.bob.wallet.address, 2_500n);
      expect(await f.fiatToken.balanceOf(f.bob.wallet.address)).to.equal(2_500n);
      const account = await f.fiatToken.account(f.bob.wallet.address);
      expect([account.balance, account.identityId, account.admitted, account.service, account.frozen]).to.deep.equal([
        2_500n,
        f.bob.id,
        true,
        false,
        false,
      ]);
    });

    it("refuses a key that belongs to no identity", async function () {
      const stranger = freshKey();
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(stranger, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(stranger);
      expect(await f.fiatToken.canHold(stranger)).to.equal(false);
    });

    it("stops a revoked key at once, both ways, and admits the identity's new key", async function () {
      await f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 100n);
      const newKey = ethers.Wallet.createRandom(ethers.provider);
      await ethers.provider.send("hardhat_setBalance", [newKey.address, "0x56BC75E2D63100000"]);
      // the new key consents to join bob's identity
      await f.identityRegistry.connect(newKey).consentToIdentity(f.bob.id);
      await asRegistrar().recoverKey(f.bob.wallet.address, newKey.address);
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(f.bob.wallet.address);
      await expect(f.fiatToken.connect(f.bob.wallet).transfer(f.alice.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(f.bob.wallet.address);
      await f.fiatToken.connect(f.alice.wallet).transfer(newKey.address, 1n);
      expect(await f.fiatToken.balanceOf(newKey.address)).to.equal(1n);
    });

    for (const [label, status] of [
      ["suspended", STATUS.Suspended],
      ["deceased", STATUS.Deceased],
    ] as const) {
      it(`stops every key of a ${label} identity, both ways`, async function () {
        await f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 100n);
        await asRegistrar().setStatus(f.bob.id, status, label);
        expect((await f.fiatToken.account(f.bob.wallet.address)).admitted).to.equal(false);
        await expect(f.fiatToken.connect(f.bob.wallet).transfer(f.alice.wallet.address, 1n))
          .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
          .withArgs(f.bob.wallet.address);
        await expect(f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 1n))
          .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
          .withArgs(f.bob.wallet.address);
      });
    }

    it("lets a reinstated identity's keys move again", async function () {
      await f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 100n);
      await asRegistrar().setStatus(f.bob.id, STATUS.Suspended, "inquiry");
      await asRegistrar().setStatus(f.bob.id, STATUS.Active, "cleared");
      await expect(f.fiatToken.connect(f.bob.wallet).transfer(f.alice.wallet.address, 40n)).to.emit(
        f.fiatToken,
        "Transfer",
      );
    });

    it("lets a service contract enabled by law hold and send, until the law disables it", async function () {
      const treasury = await f.treasury.getAddress();
      expect((await f.fiatToken.account(treasury)).service).to.equal(true);
      await f.fiatToken.connect(f.alice.wallet).transfer(treasury, 10n);
      await expect(
        enact(f, f.legislators, PUBLIC_FINANCE_ACT, [await call(f.fiatToken, "disableServiceAccount", [treasury])]),
      )
        .to.emit(f.fiatToken, "ServiceAccountDisabled")
        .withArgs(treasury, PUBLIC_FINANCE_ACT);
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(treasury, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotAdmitted")
        .withArgs(treasury);
    });

    it("enables only contracts whose code cannot change, once", async function () {
      const token = await legislature();
      const eoa = freshKey();
      await expect(token.enableServiceAccount(eoa))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotPinnable")
        .withArgs(eoa);
      const clones = await (await ethers.getContractFactory("ClonesMock")).deploy();
      const clone = await clones.clone.staticCall(await f.treasury.getAddress());
      await clones.clone(await f.treasury.getAddress());
      await expect(token.enableServiceAccount(clone))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotPinnable")
        .withArgs(clone);
      const treasury = await f.treasury.getAddress();
      await expect(token.enableServiceAccount(treasury))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenServiceAccountExists")
        .withArgs(treasury);
      await expect(token.disableServiceAccount(eoa))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenNotServiceAccount")
        .withArgs(eoa);
      await expect(f.fiatToken.connect(f.alice.wallet).enableServiceAccount(treasury)).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
    });

    it("takes word of lapsed keys from the IdentityRegistry only", async function () {
      await expect(f.fiatToken.connect(f.alice.wallet).keysDisabled(f.bob.id, [f.bob.wallet.address]))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenOnlyIdentityRegistry")
        .withArgs(f.alice.wallet.address);
    });
  });

  describe("allowances and permit", function () {
    it("moves tokens by transferFrom within an allowance given by permit", async function () {
      const owner = f.alice.wallet;
      const spender = f.bob.wallet;
      const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 3600n;
      const domain = await f.fiatToken.eip712Domain();
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
          { owner: owner.address, spender: spender.address, value: 700n, nonce: 0n, deadline },
        ),
      );
      await f.fiatToken.permit(owner.address, spender.address, 700n, deadline, signature.v, signature.r, signature.s);
      expect(await f.fiatToken.allowance(owner.address, spender.address)).to.equal(700n);
      await f.fiatToken.connect(spender).transferFrom(owner.address, spender.address, 700n);
      expect(await f.fiatToken.balanceOf(spender.address)).to.equal(700n);
      await expect(f.fiatToken.connect(spender).transferFrom(owner.address, spender.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InsufficientAllowance")
        .withArgs(spender.address, 0n, 1n);
    });

    it("refuses a balance too small and the zero address, with the ERC-6093 errors", async function () {
      await expect(f.fiatToken.connect(f.bob.wallet).transfer(f.alice.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InsufficientBalance")
        .withArgs(f.bob.wallet.address, 0n, 1n);
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(ethers.ZeroAddress, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("courts", function () {
    it("freezes an account, which then can neither send nor receive, and unfreezes it", async function () {
      const alice = f.alice.wallet.address;
      await expect(asJudge().freeze(alice, REASON))
        .to.emit(f.fiatToken, "AccountFrozen")
        .withArgs(alice, REASON, CURRENCY_ACT, f.signers.judge.address);
      await expect(f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountFrozen")
        .withArgs(alice);
      await expect(asBanker().mint(alice, 1n)).to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountFrozen");
      expect(await f.fiatToken.canHold(alice)).to.equal(false);
      await expect(asJudge().freeze(alice, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountFrozen")
        .withArgs(alice);
      await expect(asJudge().unfreeze(alice, REASON))
        .to.emit(f.fiatToken, "AccountUnfrozen")
        .withArgs(alice, REASON, CURRENCY_ACT, f.signers.judge.address);
      await expect(asJudge().unfreeze(alice, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotFrozen")
        .withArgs(alice);
      await f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 1n);
    });

    it("moves a frozen balance by court order, and only a frozen one", async function () {
      const alice = f.alice.wallet.address;
      const bob = f.bob.wallet.address;
      await expect(asJudge().forcedTransfer(alice, bob, 10n, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountNotFrozen")
        .withArgs(alice);
      await asJudge().freeze(alice, REASON);
      await expect(asJudge().forcedTransfer(alice, bob, 60_000n, REASON))
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(alice, bob, 60_000n)
        .and.to.emit(f.fiatToken, "ForcedTransfer")
        .withArgs(alice, bob, 60_000n, REASON, CURRENCY_ACT, f.signers.judge.address);
      expect(await f.fiatToken.balanceOf(bob)).to.equal(60_000n);
      expect((await f.fiatToken.account(alice)).frozen).to.equal(true);
      await expect(asJudge().forcedTransfer(alice, bob, 40_001n, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InsufficientBalance")
        .withArgs(alice, 40_000n, 40_001n);
      await expect(asJudge().forcedTransfer(alice, ethers.ZeroAddress, 1n, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "ERC20InvalidReceiver")
        .withArgs(ethers.ZeroAddress);
      await expect(asJudge().forcedTransfer(alice, bob, 0n, REASON)).to.be.revertedWithCustomError(
        f.fiatToken,
        "FiatTokenZeroAmount",
      );
    });

    it("lets only judges act, on known accounts", async function () {
      const alice = f.alice.wallet.address;
      const selector = f.fiatToken.interface.getFunction("freeze").selector;
      await expect(f.fiatToken.connect(f.signers.registrar).freeze(alice, REASON))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.registrar.address, await f.fiatToken.getAddress(), selector);
      const stranger = freshKey();
      await expect(asJudge().freeze(stranger, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenUnknownAccount")
        .withArgs(stranger);
    });

    it("lets the Treasury alone claw back, under its law", async function () {
      await expect(
        f.fiatToken.connect(f.bob.wallet).clawback(f.alice.wallet.address, 1n, REASON),
      ).to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized");
    });

    it("claws back nothing from a frozen account: the court decides over it", async function () {
      const alice = f.alice.wallet.address;
      await asJudge().freeze(alice, REASON);
      await expect((await legislature()).clawback(alice, 1n, REASON))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenAccountFrozen")
        .withArgs(alice);
      expect(await f.fiatToken.balanceOf(alice)).to.equal(100_000n);
    });
  });

  describe("pause", function () {
    it("stops every movement while the guardian holds it paused", async function () {
      const guardian = f.fiatToken.connect(f.signers.guardian);
      await expect(guardian.pause()).to.emit(f.fiatToken, "Paused").withArgs(f.signers.guardian.address);
      expect(await f.fiatToken.paused()).to.equal(true);
      await expect(
        f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 1n),
      ).to.be.revertedWithCustomError(f.fiatToken, "EnforcedPause");
      await expect(asBanker().mint(f.bob.wallet.address, 1n)).to.be.revertedWithCustomError(
        f.fiatToken,
        "EnforcedPause",
      );
      await expect(guardian.pause()).to.be.revertedWithCustomError(f.fiatToken, "EnforcedPause");
      await expect(guardian.unpause()).to.emit(f.fiatToken, "Unpaused").withArgs(f.signers.guardian.address);
      expect(await f.fiatToken.paused()).to.equal(false);
      await expect(guardian.unpause()).to.be.revertedWithCustomError(f.fiatToken, "ExpectedPause");
      await f.fiatToken.connect(f.alice.wallet).transfer(f.bob.wallet.address, 1n);
    });

    it("is the guardian's alone", async function () {
      await expect(f.fiatToken.connect(f.alice.wallet).pause()).to.be.revertedWithCustomError(
        f.smartLaw,
        "SmartLawUnauthorized",
      );
    });
  });

  describe("disburse", function () {
    it("pays each key the amount, checking it is the identity's", async function () {
      const carol = await newPerson(f);
      await expect(
        f.fiatToken
          .connect(f.alice.wallet)
          .disburse([f.bob.wallet.address, carol.wallet.address], [f.bob.id, carol.id], 300n),
      )
        .to.emit(f.fiatToken, "Transfer")
        .withArgs(f.alice.wallet.address, carol.wallet.address, 300n);
      expect(await f.fiatToken.balanceOf(f.bob.wallet.address)).to.equal(300n);
      expect(await f.fiatToken.balanceOf(f.alice.wallet.address)).to.equal(100_000n - 600n);
    });

    it("passes over a key of another identity and a frozen key, paying the others and charging only for them", async function () {
      const token = f.fiatToken.connect(f.alice.wallet);
      const carol = await newPerson(f);
      const [alice, bob] = [f.alice.wallet.address, f.bob.wallet.address];
      const keys = [bob, carol.wallet.address];
      await expect(token.disburse(keys, [f.alice.id, carol.id], 1n))
        .to.emit(f.fiatToken, "DisbursementRefused")
        .withArgs(alice, bob, f.alice.id, REFUSAL.KeyNotOfIdentity)
        .and.to.emit(f.fiatToken, "Transfer")
        .withArgs(alice, carol.wallet.address, 1n);
      expect(await token.disburse.staticCall(keys, [f.alice.id, carol.id], 1n)).to.deep.equal([
        [0n, REFUSAL.KeyNotOfIdentity],
      ]);
      expect(await f.fiatToken.balanceOf(bob)).to.equal(0n);
      expect(await f.fiatToken.balanceOf(alice)).to.equal(100_000n - 1n);
      await asJudge().freeze(bob, REASON);
      await expect(token.disburse([bob], [f.bob.id], 1n))
        .to.emit(f.fiatToken, "DisbursementRefused")
        .withArgs(alice, bob, f.bob.id, REFUSAL.AccountFrozen);
      expect(await f.fiatToken.balanceOf(alice)).to.equal(100_000n - 1n);
    });

    it("refuses lists of different lengths and an amount of nothing", async function () {
      const token = f.fiatToken.connect(f.alice.wallet);
      await expect(token.disburse([f.bob.wallet.address], [], 1n))
        .to.be.revertedWithCustomError(f.fiatToken, "FiatTokenLengthMismatch")
        .withArgs(1n, 0n);
      await expect(token.disburse([f.bob.wallet.address], [f.bob.id], 0n)).to.be.revertedWithCustomError(
        f.fiatToken,
        "FiatTokenZeroAmount",
      );
    });
  });
});
