/**
 * The network operators' tools, as Hardhat tasks over scripts/lib/network/.
 *   network:init       the kit for a Besu QBFT network: genesis, node keys, configurations, docker-compose, README
 *   network:allowlist  Besu's accounts allowlist (permissions_config.toml) from the IdentityRegistry
 *   network:status     the deployed system: addresses, code checked against the artifacts, legislature, laws
 */
import { writeFileSync } from "node:fs";
import { task } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { attempt, fail, plainErrors, positiveInteger } from "./common";

/**
 * Accounts given comma-separated for `flag`: addresses, or named accounts of hardhat.config.ts (as the network
 * names them: on the local chain, the development keys), each shown with the address it stands for.
 */
async function accountsOf(hre: HardhatRuntimeEnvironment, flag: string, list: string) {
  const named = await hre.getNamedAccounts();
  return list
    .split(",")
    .map((a) => a.trim())
    .filter((a) => a !== "")
    .map((a) => {
      if (hre.ethers.isAddress(a)) return { name: a, address: hre.ethers.getAddress(a) };
      if (named[a]) return { name: a, address: hre.ethers.getAddress(named[a]) };
      return fail(
        new Error(`${flag}: "${a}" is neither an address nor a named account (${Object.keys(named).join(", ")})`),
      );
    });
}

task(
  "network:init",
  "Write the kit for a Besu QBFT network (genesis, node keys, configs, docker-compose). " +
    "Example: network:init --validators 4 --allow 0xDeployer…,0xLegislator1…,0xLegislator2…",
)
  .addOptionalParam(
    "out",
    "An empty or new folder for the kit (default: ~/.govchain/besu-<chainId>, outside the repository)",
  )
  // numbers are read here rather than by Hardhat, whose refusal of "abc" comes with a stack trace
  .addOptionalParam("validators", "The number of validators (4 tolerate one faulty)", "4")
  .addOptionalParam("blockPeriod", "Seconds between blocks", "2")
  .addOptionalParam("chainId", "The network's chain id", "20260")
  .addOptionalParam("fund", "Accounts to fund at genesis, comma-separated (not needed on a free-gas network)", "")
  .addOptionalParam(
    "allow",
    "Accounts allowed to send from the start (deployer, legislators), comma-separated addresses or named accounts",
    "",
  )
  .setAction(
    plainErrors(
      "network:init",
      async (
        args: { out?: string; validators: string; blockPeriod: string; chainId: string; fund: string; allow: string },
        hre,
      ) => {
        const { defaultKitDir, writeNetworkKit } = await import("../lib/network/besu");
        const validators = Number(positiveInteger("--validators", args.validators));
        const blockPeriod = Number(positiveInteger("--block-period", args.blockPeriod));
        const chainId = Number(positiveInteger("--chain-id", args.chainId));
        const allow = await accountsOf(hre, "--allow", args.allow);
        const fund = await accountsOf(hre, "--fund", args.fund);
        const alloc = Object.fromEntries(fund.map((a) => [a.address, 10n ** 24n]));
        const evmVersion = hre.config.solidity.compilers[0].settings.evmVersion as string;
        const kit = attempt(() =>
          writeNetworkKit(args.out ?? defaultKitDir(chainId), {
            validators,
            blockPeriod,
            chainId,
            alloc,
            allow: allow.map((a) => a.address),
            evmVersion,
          }),
        );
        console.log(
          `Wrote the QBFT network kit to ${kit.dir} (${kit.files.length} files; node keys readable by you only, ` +
            `and ignored by git):`,
        );
        for (const [i, v] of kit.validators.entries()) console.log(`  validator${i + 1}: ${v}`);
        if (allow.length + fund.length === 0)
          console.log(
            "No account may send transactions yet: give --allow with the deployer's and legislators' accounts.",
          );
        else {
          console.log("The allowlist (permissions_config.toml) holds:");
          for (const a of [...allow, ...fund])
            console.log(`  ${a.address}${a.name === a.address ? "" : ` (${a.name} on network "${hre.network.name}")`}`);
          if ([...allow, ...fund].some((a) => a.name !== a.address))
            console.log(
              `Names stand for the keys network "${hre.network.name}" gives them (on the local networks, ` +
                "development keys): for a real network, give its accounts' addresses.",
            );
        }
        console.log(`Read ${kit.dir}/README.md before starting it.`);
      },
    ),
  );

task(
  "network:allowlist",
  "Write Besu's accounts allowlist from the IdentityRegistry's active keys. " +
    "Example: network:allowlist --out ~/.govchain/besu-20260/permissions_config.toml --system 0xGateway… --network poa",
)
  .addParam("out", "Where to write permissions_config.toml")
  .addOptionalParam("system", "More accounts to allow (deployer, gateways): addresses or named accounts", "")
  .setAction(
    plainErrors("network:allowlist", async (args: { out: string; system: string }, hre) => {
      const { accountsAllowlistToml, allowedAccounts } = await import("../lib/network/besu");
      const system = (await accountsOf(hre, "--system", args.system)).map((a) => a.address);
      const accounts = await allowedAccounts(hre, system);
      attempt(() => writeFileSync(args.out, accountsAllowlistToml(accounts)));
      console.log(
        `Wrote ${new Set(accounts).size} accounts to ${args.out}. Each node rereads it: the RPC node on ` +
          `perm_reloadPermissionsFromFile (its PERM API is enabled, on 127.0.0.1:8545), the validators when ` +
          `restarted one at a time (docker compose restart validator1, then the next): see the kit's README.`,
      );
    }),
  );

task(
  "network:status",
  "The deployed system: addresses, code against the artifacts, the Legislature, the laws",
).setAction(
  plainErrors("network:status", async (_args, hre) => {
    const { systemStatus, formatStatus } = await import("../lib/network/status");
    const status = await systemStatus(hre);
    console.log(formatStatus(status));
    if (status.contracts.some((c) => !c.matches)) process.exitCode = 1;
  }),
);
