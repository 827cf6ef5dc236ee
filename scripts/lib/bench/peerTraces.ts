/**
 * The peers that this repository can build, measured and traced here beside GovChain: OpenZeppelin's ERC20 at
 * 1,000,000 runs (its transfers) and AccessManager (`canCall` alone). Their figures are checked against
 * ../shared/anchors/gas.json, and their splits set beside GovChain's, part by part: which reads, writes, calls,
 * events and bytes each pays for. The other peers (Safe, EAS, USDC, MerkleDistributor) are not built here.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { splitGas, splitOfCheck, type GasAccount, type GasSplit } from "./trace";

/** A peer's figure measured here, under its name in gas.json, and where it goes. */
export interface PeerTrace {
  peer: string;
  gas: number;
  split: GasSplit;
}

export const ERC20_TO_NEW = "OZ ERC20 (1M runs): transfer to a new holder";
export const ERC20_TO_EXISTING = "OZ ERC20 (1M runs): transfer to an existing holder";
export const CAN_CALL = "AccessManager: canCall alone, as GovChain measures SmartLaw.authorize";

// receivers whose addresses hold no zero byte, as a random key's nearly always do: the call data costs the same
const NEW_HOLDER = "0x" + "11".repeat(20);
const HOLDER = "0x" + "22".repeat(20);
const TARGET = "0x" + "33".repeat(20);
const MEMBER = "0x" + "44".repeat(20);

/**
 * Deploys the two peers on the in-process network and measures them as gas.json says they were: 1,000 units moved
 * by a holder who keeps a balance, to a new holder and to an existing one; `canCall` of a role's member for a
 * function of the target (no delay), called as the target, estimated less the intrinsic gas. `traceOf` traces a
 * transaction by its hash.
 */
export async function tracePeers(
  hre: HardhatRuntimeEnvironment,
  traceOf: (hash: string) => Promise<GasAccount>,
  selector: string,
): Promise<PeerTrace[]> {
  const { ethers, network } = hre;
  const [owner] = await ethers.getSigners();
  const token = await (await ethers.getContractFactory("PeerERC20Mock", owner)).deploy();
  await (await token.mint(owner.address, 1_000_000n)).wait();
  await (await token.mint(HOLDER, 1_000_000n)).wait();
  const transfer = async (to: string, peer: string): Promise<PeerTrace> => {
    const receipt = (await (await token.transfer(to, 1_000n)).wait())!;
    return { peer, gas: Number(receipt.gasUsed), split: splitGas(await traceOf(receipt.hash)) };
  };
  const toNew = await transfer(NEW_HOLDER, ERC20_TO_NEW);
  const toExisting = await transfer(HOLDER, ERC20_TO_EXISTING);

  const manager = await (await ethers.getContractFactory("PeerAccessManagerMock", owner)).deploy(owner.address);
  await (await manager.setTargetFunctionRole(TARGET, [selector], 1n)).wait();
  await (await manager.grantRole(1n, MEMBER, 0)).wait();
  await network.provider.request({ method: "hardhat_impersonateAccount", params: [TARGET] });
  await network.provider.request({ method: "hardhat_setBalance", params: [TARGET, "0x56BC75E2D63100000"] });
  const data = manager.interface.encodeFunctionData("canCall", [MEMBER, TARGET, selector]);
  const [allowed] = manager.interface.decodeFunctionResult(
    "canCall",
    await ethers.provider.call({ from: TARGET, to: manager.target, data }),
  );
  if (!allowed) throw new Error("the peer AccessManager does not allow its role's member: the setup is wrong");
  const estimated = await ethers.provider.estimateGas({ from: TARGET, to: manager.target, data });
  const sent = await (await ethers.getSigner(TARGET)).sendTransaction({ to: manager.target, data });
  const account = await traceOf(sent.hash);
  await network.provider.request({ method: "hardhat_stopImpersonatingAccount", params: [TARGET] });
  const calldata = ethers.getBytes(data).reduce((sum, b) => sum + (b === 0 ? 4 : 16), 0);
  const check = Number(estimated) - 21_000 - calldata;
  return [toNew, toExisting, { peer: CAN_CALL, gas: check, split: splitOfCheck(account, check) }];
}
