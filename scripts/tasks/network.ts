/**
 * The network operators' tools, as Hardhat tasks over scripts/lib/besu.ts.
 *   network:init       the kit for a Besu QBFT network: genesis, node keys, configurations, docker-compose, README
 *   network:allowlist  Besu's accounts allowlist (permissions_config.toml) from the IdentityRegistry
 *   network:status     the deployed system: addresses, code checked against the artifacts, legislature, laws
 */
import { writeFileSync } from "node:fs";
import { task, types } from "hardhat/config";

import { attempt, fail } from "./common";

task("network:init", "Write the kit for a Besu QBFT network (genesis, node keys, configs, docker-compose)")
  .addParam("out", "An empty or new folder for the kit")
  .addOptionalParam("validators", "The number of validators (4 tolerate one faulty)", 4, types.int)
  .addOptionalParam("blockPeriod", "Seconds between blocks", 2, types.int)
  .addOptionalParam("chainId", "The network's chain id", 20260, types.int)
  .addOptionalParam("fund", "Accounts to fund at genesis, comma-separated (not needed on a free-gas network)", "")
  .addOptionalParam("allow", "Accounts allowed to send from the start (deployer, legislators), comma-separated", "")
  .setAction(
    async (
      args: { out: string; validators: number; blockPeriod: number; chainId: number; fund: string; allow: string },
      hre,
    ) => {
      const allow = args.allow.split(",").filter((a) => a !== "");
      for (const a of allow) if (!hre.ethers.isAddress(a)) fail(new Error(`--allow: "${a}" is not an address`));
      const { writeNetworkKit } = await import("../lib/network/besu");
      const alloc = Object.fromEntries(
        args.fund
          .split(",")
          .filter((a) => a !== "")
          .map((a) => {
            if (!hre.ethers.isAddress(a)) fail(new Error(`--fund: "${a}" is not an address`));
            return [a, 10n ** 24n];
          }),
      );
      const evmVersion = hre.config.solidity.compilers[0].settings.evmVersion as string;
      const kit = attempt(() =>
        writeNetworkKit(args.out, {
          validators: args.validators,
          blockPeriod: args.blockPeriod,
          chainId: args.chainId,
          alloc,
          evmVersion,
        }),
      );
      console.log(
        `Wrote the QBFT network kit to ${kit.dir} (${kit.files.length} files; node keys readable by you only):`,
      );
      for (const [i, v] of kit.validators.entries()) console.log(`  validator${i + 1}: ${v}`);
      if (allow.length === 0 && Object.keys(alloc).length === 0)
        console.log(
          "No account may send transactions yet: give --allow with the deployer's and legislators' accounts.",
        );
      console.log(`Read ${kit.dir}/README.md before starting it.`);
    },
  );

task("network:allowlist", "Write Besu's accounts allowlist from the IdentityRegistry's active keys")
  .addParam("out", "Where to write permissions_config.toml")
  .addOptionalParam("system", "More accounts to allow (deployer, gateways), comma-separated", "")
  .setAction(async (args: { out: string; system: string }, hre) => {
    const { accountsAllowlistToml, allowedAccounts } = await import("../lib/network/besu");
    const system = args.system.split(",").filter((a) => a !== "");
    for (const a of system) if (!hre.ethers.isAddress(a)) fail(new Error(`--system: "${a}" is not an address`));
    const accounts = await allowedAccounts(hre, system).catch(fail);
    writeFileSync(args.out, accountsAllowlistToml(accounts));
    console.log(
      `Wrote ${new Set(accounts).size} accounts to ${args.out}. Besu rereads it on perm_reloadPermissionsFromFile.`,
    );
  });

task(
  "network:status",
  "The deployed system: addresses, code against the artifacts, the Legislature, the laws",
).setAction(async (_args, hre) => {
  const { systemStatus, formatStatus } = await import("../lib/network/status");
  const status = await systemStatus(hre).catch(fail);
  console.log(formatStatus(status));
  if (status.contracts.some((c) => !c.matches)) process.exitCode = 1;
});
