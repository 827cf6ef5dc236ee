import "@nomicfoundation/hardhat-chai-matchers";
import "@nomicfoundation/hardhat-ethers";
import "@typechain/hardhat";
import "hardhat-deploy";
import "hardhat-deploy-ethers";
import "hardhat-gas-reporter";
import "solidity-coverage";

import { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } from "hardhat/builtin-tasks/task-names";
import { extendProvider, subtask, type HardhatUserConfig } from "hardhat/config";

import "./scripts/tasks/law";
import "./scripts/tasks/registry";
import "./scripts/tasks/treasury";
import "./scripts/tasks/registers";
import "./scripts/tasks/identity";
import "./scripts/tasks/officials";
import "./scripts/tasks/services";
import "./scripts/tasks/token";
import "./scripts/tasks/network";
import "./scripts/tasks/data";
import "./scripts/tasks/deploy";
import { EVM_VERSION, LOCAL_CHAIN } from "./scripts/lib/network/chain";
import { keystoreProvider } from "./scripts/lib/network/keystoreProvider";

/** The one compiler version: must equal the installed npm `solc` package. */
const SOLC_VERSION = "0.8.28";
/** The one EVM version: what the private PoA chain runs (Besu with Cancun at genesis). */

// Compile offline with the npm `solc` package (solc-js) instead of downloading a native build.
subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require("solc") as { version(): string };
  const installed = solc.version(); // e.g. "0.8.28+commit.7893614a.Emscripten.clang"
  const longVersion = installed.replace(/\.Emscripten\.clang$/, "");
  if (args.solcVersion !== SOLC_VERSION || !longVersion.startsWith(`${SOLC_VERSION}+`)) {
    throw new Error(
      `Compiler mismatch: hardhat.config.ts asks for solc ${args.solcVersion} (pinned ${SOLC_VERSION}), ` +
        `the npm package "solc" is ${installed}. Install solc@${SOLC_VERSION} exactly.`,
    );
  }
  return { compilerPath: require.resolve("solc/soljson.js"), isSolcJs: true, version: SOLC_VERSION, longVersion };
});

/**
 * A private PoA network, configured from the environment (see .env.example). Its deployer signs with an encrypted
 * JSON keystore (scripts/lib/keystoreProvider.ts); with POA_GAS_PRICE=0 it sends free-gas (legacy, price 0)
 * transactions, and without it pays the node's fees.
 */
function poaNetwork() {
  return {
    url: process.env.POA_RPC_URL ?? "http://127.0.0.1:8545",
    chainId: process.env.POA_CHAIN_ID ? Number(process.env.POA_CHAIN_ID) : undefined,
    // "remote": Hardhat adds no signer of its own; the keystore's, added beneath its gas and fee providers, signs
    accounts: "remote" as const,
    gasPrice: process.env.POA_GAS_PRICE ? Number(process.env.POA_GAS_PRICE) : ("auto" as const),
    timeout: Number(process.env.POA_RPC_TIMEOUT_MS ?? 60_000),
  };
}

extendProvider((provider, _config, network) => keystoreProvider(provider, network));

/**
 * No metadata hash in the code: the IPFS hash the compiler appends is 34 bytes that change with every edit, and
 * PinnableCode scans them like any code, so a JUMPDEST byte followed by a DELEGATECALL byte there would make a
 * service contract unpinnable by chance. Without it the code's tail is the same few bytes for every contract.
 */
const NO_METADATA_HASH = { bytecodeHash: "none" as const };

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      {
        version: SOLC_VERSION,
        settings: { evmVersion: EVM_VERSION, optimizer: { enabled: true, runs: 200 }, metadata: NO_METADATA_HASH },
      },
    ],
    overrides: {
      // Transfers are the token's hot path: optimise its code for runtime cost, as token issuers do.
      "contracts/token/FiatToken.sol": {
        version: SOLC_VERSION,
        settings: {
          evmVersion: EVM_VERSION,
          optimizer: { enabled: true, runs: 1_000_000 },
          metadata: NO_METADATA_HASH,
        },
      },
      // the benchmark's peer token, compiled as the FiatToken is (and as ../shared/anchors measured it)
      "contracts/mocks/PeerERC20Mock.sol": {
        version: SOLC_VERSION,
        settings: {
          evmVersion: EVM_VERSION,
          optimizer: { enabled: true, runs: 1_000_000 },
          metadata: NO_METADATA_HASH,
        },
      },
    },
  },
  networks: {
    hardhat: process.env.GOVCHAIN_NODE
      ? {
          // `hardhat node` as the local chain (npm run chain, where anvil does not install): the private network's
          // chain id and block period, free gas
          hardfork: EVM_VERSION,
          accounts: { count: LOCAL_CHAIN.accounts },
          chainId: LOCAL_CHAIN.chainId,
          mining: { auto: false, interval: LOCAL_CHAIN.blockPeriod * 1000 },
          gasPrice: 0,
          initialBaseFeePerGas: 0,
        }
      : { hardfork: EVM_VERSION, accounts: { count: LOCAL_CHAIN.accounts } },
    // the local chain is free gas, as the private network (npm run chain starts it so): price 0, which anvil's
    // eth_gasPrice (1 gwei whatever its --gas-price) would not give
    localhost: { url: `http://127.0.0.1:${LOCAL_CHAIN.port}`, chainId: LOCAL_CHAIN.chainId, gasPrice: 0 },
    poa: poaNetwork(),
  },
  namedAccounts: {
    deployer: 0,
    legislator1: 1,
    legislator2: 2,
    legislator3: 3,
    registrar: 4,
    registrar2: 5,
    director: 6,
    citizen1: 7,
    citizen2: 8,
    citizen3: 9,
    outsider: 10,
    ministryOfCivilAffairs: 11,
    dongchengOffice: 12,
    shanghaiBureau: 13,
    hospital: 14,
    hospitalRegistrar: 15,
    officer: 16,
    centralBank: 17,
    centralBanker: 18,
    court: 19,
    judge: 20,
    guardian: 21,
    financeOfficer: 22,
    dataAdministration: 23,
    dataService: 24,
    policeOfficer: 25,
    policeBureau: 26,
  },
  typechain: { outDir: "typechain-types", target: "ethers-v6" },
  gasReporter: { enabled: process.env.REPORT_GAS === "true", offline: true },
  // where each network's deployments are kept (hardhat-deploy); the end-to-end test keeps its own apart
  paths: { deployments: process.env.GOVCHAIN_DEPLOYMENTS_DIR ?? "deployments" },
  // npm test runs the files in parallel (test --parallel): the tests against a node mostly wait for it, so more
  // workers than cores keep both cores busy
  mocha: { timeout: 120_000, jobs: Number(process.env.GOVCHAIN_TEST_JOBS ?? 4) },
};

export default config;
