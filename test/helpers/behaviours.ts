/** Behaviour shared by every write that SmartLaw gates, reused by each contract's suite. */
import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { BaseContract, ContractTransactionResponse } from "ethers";

import type { SystemFixture } from "./fixtures";
import { call, enact } from "./law";

export interface GatedWrite<F extends SystemFixture = SystemFixture> {
  /** The gated contract. */
  target: BaseContract;
  /** The gated function's name. */
  fn: string;
  /** The law that grants it, and the role it grants it to. */
  law: string;
  role: string;
  /** The resource the grant is limited to (a register), if any. */
  resource?: string;
  /** An official who may make the write. */
  official: (f: F) => HardhatEthersSigner;
  /** Makes the write as `signer`, with fresh arguments each time. */
  send: (f: F, signer: HardhatEthersSigner) => Promise<ContractTransactionResponse>;
}

/**
 * The law-gated behaviour: an official holding the granted role may make the write, and the event names the
 * law; anyone else is refused with SmartLawUnauthorized(caller, target, selector); revoking the grant or
 * repealing its law takes the right away.
 */
export function shouldBehaveLikeLawGated<F extends SystemFixture>(
  fn: string,
  getFixture: () => F,
  write: () => Omit<GatedWrite<F>, "fn">,
): void {
  describe(`${fn}, gated by law`, function () {
    const selector = () => write().target.interface.getFunction(fn)!.selector;

    it("lets an official holding the granted role make the write", async function () {
      const f = getFixture();
      await expect(write().send(f, write().official(f))).not.to.be.reverted;
    });

    it("reverts with SmartLawUnauthorized for a caller without the role", async function () {
      const f = getFixture();
      const w = write();
      await expect(w.send(f, f.signers.outsider))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(f.signers.outsider.address, await w.target.getAddress(), selector());
    });

    it("refuses the official once the grant is revoked", async function () {
      const f = getFixture();
      const w = write();
      const target = await w.target.getAddress();
      await enact(f, f.legislators, w.law, [
        w.resource
          ? await call(f.smartLaw, "revokeGrantOn", [w.law, w.role, target, selector(), w.resource])
          : await call(f.smartLaw, "revokeGrant", [w.law, w.role, target, selector()]),
      ]);
      await expect(w.send(f, w.official(f)))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(w.official(f).address, await w.target.getAddress(), selector());
    });

    it("refuses the official once the granting law is repealed", async function () {
      const f = getFixture();
      const w = write();
      await enact(f, f.legislators, w.law, [await call(f.smartLaw, "repeal", [w.law])]);
      await expect(w.send(f, w.official(f)))
        .to.be.revertedWithCustomError(f.smartLaw, "SmartLawUnauthorized")
        .withArgs(w.official(f).address, await w.target.getAddress(), selector());
    });
  });
}
