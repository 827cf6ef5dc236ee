import { expect } from "chai";
import hre, { ethers } from "hardhat";

import { formatStatus, systemStatus } from "../../scripts/lib/network/status";
import { deploySystem } from "../helpers/fixtures";

describe("network:status", function () {
  it("checks every deployed contract's code against the artifact built here, immutables aside", async function () {
    const f = await deploySystem();
    const status = await systemStatus(hre);
    expect(status.contracts.map((c) => c.name)).to.include.members(["SmartLaw", "FiatToken", "Treasury"]);
    expect(status.contracts.every((c) => c.matches)).to.equal(true);
    expect(status.laws.find((l) => ethers.decodeBytes32String(l.lawId) === "PENSION_ACT")).to.include({
      version: 1n,
      inForce: true,
    });
    expect(formatStatus(status)).to.match(/legislature: quorum 2 of 3, epoch 1/);

    // code that is not the artifact's (here the ServiceDesk's code put at the Treasury's address) is reported
    const treasury = await f.treasury.getAddress();
    await ethers.provider.send("hardhat_setCode", [
      treasury,
      await ethers.provider.getCode(await f.serviceDesk.getAddress()),
    ]);
    const after = await systemStatus(hre);
    expect(after.contracts.find((c) => c.name === "Treasury")!.matches).to.equal(false);
    expect(formatStatus(after)).to.match(/Treasury .* DOES NOT MATCH the artifact built here/);
  });
});
