/**
 * The kit with which agencies stand up a Hyperledger Besu QBFT network of their own: the genesis (validators in
 * `extraData`, RLP-encoded here with ethers' RLP), validator node keys, the static nodes list, each node's TOML
 * configuration, a docker-compose file and an operator's README; and the accounts allowlist that Besu's local
 * permissioning reads, exported from the IdentityRegistry.
 *
 * Formats follow Besu's documentation (QBFT genesis, node key files, static-nodes.json, permissions_config.toml).
 * No Besu runs on the machines that build GovChain: what is checked here is the encoding (against Besu's own
 * documented example) and the files' content; an operator verifies the network itself (see the generated README).
 */
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { SigningKey, Wallet, decodeRlp, encodeRlp, getAddress, toBeHex, zeroPadValue } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { getSystem } from "../common/system";

/** QBFT's genesis mixHash, fixed by the protocol ("ctical byzantine fault tolerance"). */
export const QBFT_MIX_HASH = "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365";
export const BESU_IMAGE = "hyperledger/besu:25.10.0";

/**
 * A QBFT genesis's extraData: RLP([32-byte vanity, [validators], [] (no vote), round 0 (empty), [] (no seals)]),
 * as Besu's `rlp encode --type=QBFT_EXTRA_DATA` produces it.
 */
export function qbftExtraData(validators: string[]): string {
  if (validators.length === 0) throw new Error("a QBFT network needs at least one validator");
  const vanity = zeroPadValue("0x", 32);
  return encodeRlp([vanity, validators.map((v) => getAddress(v).toLowerCase()), [], "0x", []]);
}

/** The validators a QBFT extraData lists; refuses anything that is not a genesis extraData. */
export function decodeQbftExtraData(extraData: string): { vanity: string; validators: string[] } {
  const decoded = decodeRlp(extraData);
  if (!Array.isArray(decoded) || decoded.length !== 5) throw new Error("not a QBFT extraData: a list of 5 is expected");
  const [vanity, validators, vote, round, seals] = decoded;
  if (typeof vanity !== "string" || (vanity.length - 2) / 2 !== 32) throw new Error("the vanity must be 32 bytes");
  if (!Array.isArray(validators) || validators.some((v) => typeof v !== "string" || (v.length - 2) / 2 !== 20))
    throw new Error("the validators must be a list of 20-byte addresses");
  if (!Array.isArray(vote) || vote.length !== 0 || round !== "0x" || !Array.isArray(seals) || seals.length !== 0)
    throw new Error("a genesis extraData has no vote, round 0 and no seals");
  return { vanity, validators: (validators as string[]).map((v) => getAddress(v)) };
}

export interface NetworkOptions {
  validators: number;
  /** Seconds between blocks. */
  blockPeriod: number;
  chainId: number;
  /** Accounts funded at genesis (a free-gas network needs none, but deployers may want ether for tools). */
  alloc?: Record<string, bigint>;
  gasLimit?: bigint;
  /** Maximum contract size in bytes (Besu's default is 24,576). */
  contractSizeLimit?: number;
  /** The EVM version the contracts are compiled for: the forks up to it are active from genesis. */
  evmVersion: string;
  /**
   * Accounts allowed to send transactions from the start (the deployer, the legislators), beside the funded ones:
   * with permissioning on, an empty allowlist would refuse every transaction. After the deployment,
   * network:allowlist writes the full list.
   */
  allow?: string[];
}

/** Besu's genesis fork names up to `evmVersion`, all active from block (or time) 0. */
function forksUpTo(evmVersion: string): Record<string, number> {
  const blocks = [
    "homesteadBlock",
    "eip150Block",
    "eip155Block",
    "eip158Block",
    "byzantiumBlock",
    "constantinopleBlock",
    "petersburgBlock",
    "istanbulBlock",
    "berlinBlock",
    "londonBlock",
  ];
  const timed: [string, string][] = [
    ["shanghai", "shanghaiTime"],
    ["cancun", "cancunTime"],
    ["prague", "pragueTime"],
  ];
  const forks: Record<string, number> = Object.fromEntries(blocks.map((b) => [b, 0]));
  const order = ["london", "paris", ...timed.map(([name]) => name)];
  const at = order.indexOf(evmVersion);
  if (at < 0) throw new Error(`EVM version ${evmVersion} is not one this kit knows (${order.join(", ")})`);
  for (const [name, key] of timed) if (order.indexOf(name) <= at) forks[key] = 0;
  return forks;
}

/** The QBFT genesis file for these validators. */
export function qbftGenesis(options: NetworkOptions, validators: string[]): Record<string, unknown> {
  if (!Number.isInteger(options.blockPeriod) || options.blockPeriod < 1)
    throw new Error("the block period is a whole number of seconds, at least 1");
  return {
    config: {
      chainId: options.chainId,
      ...forksUpTo(options.evmVersion),
      zeroBaseFee: true,
      contractSizeLimit: options.contractSizeLimit ?? 49_152,
      qbft: {
        blockperiodseconds: options.blockPeriod,
        epochlength: 30_000,
        requesttimeoutseconds: Math.max(10, 2 * options.blockPeriod),
      },
    },
    nonce: "0x0",
    timestamp: "0x0",
    extraData: qbftExtraData(validators),
    gasLimit: toBeHex(options.gasLimit ?? 100_000_000n),
    difficulty: "0x1",
    mixHash: QBFT_MIX_HASH,
    coinbase: "0x0000000000000000000000000000000000000000",
    alloc: Object.fromEntries(
      Object.entries(options.alloc ?? {}).map(([address, balance]) => [
        getAddress(address).slice(2).toLowerCase(),
        { balance: toBeHex(balance) },
      ]),
    ),
  };
}

/** A node's identity: its key, its address (a validator's address) and its enode id (the public key). */
export interface NodeKey {
  privateKey: string;
  address: string;
  enodeId: string;
}

export function newNodeKey(): NodeKey {
  const wallet = Wallet.createRandom();
  const publicKey = SigningKey.computePublicKey(wallet.privateKey, false); // 0x04 ‖ x ‖ y
  return { privateKey: wallet.privateKey, address: wallet.address, enodeId: publicKey.slice(4) };
}

/** Writes a file only its owner may read: node keys. */
function writeSecret(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export interface NetworkKit {
  dir: string;
  validators: string[];
  files: string[];
}

/** Where network:init writes the kit when no folder is given: outside any repository, in the operator's home. */
export function defaultKitDir(chainId: number): string {
  return join(homedir(), ".govchain", `besu-${chainId}`);
}

/**
 * Writes the kit for `options.validators` validators and one RPC node into `dir` (which must be empty or absent).
 * The node keys are written to files readable by their owner only and are never printed; the kit's own .gitignore
 * keeps them out of git wherever the folder is (inside a repository too).
 */
export function writeNetworkKit(dir: string, options: NetworkOptions): NetworkKit {
  if (!Number.isInteger(options.validators) || options.validators < 1)
    throw new Error("the number of validators is a whole number, at least 1 (4 to tolerate one faulty validator)");
  if (existsSync(dir) && readdirSync(dir).length > 0)
    throw new Error(`${dir} is not empty: the kit writes new node keys, and will not overwrite a network's`);
  const nodes = Array.from({ length: options.validators + 1 }, () => newNodeKey());
  const names = nodes.map((_, i) => (i < options.validators ? `validator${i + 1}` : "rpcnode"));
  const validators = nodes.slice(0, options.validators).map((n) => n.address);
  const files: string[] = [];
  const write = (relative: string, content: string, secret = false) => {
    const path = join(dir, relative);
    mkdirSync(join(path, ".."), { recursive: true });
    if (secret) writeSecret(path, content);
    else writeFileSync(path, content);
    files.push(relative);
  };

  write(".gitignore", "# node keys are secret: never commit them\n*/key\n");
  write("genesis.json", JSON.stringify(qbftGenesis(options, validators), null, 2) + "\n");
  const enodes = nodes.map((n, i) => `enode://${n.enodeId}@${names[i]}:30303`);
  write("static-nodes.json", JSON.stringify(enodes, null, 2) + "\n");
  write(
    "permissions_config.toml",
    accountsAllowlistToml([...(options.allow ?? []), ...Object.keys(options.alloc ?? {})]),
  );
  nodes.forEach((node, i) => {
    const name = names[i];
    write(`${name}/key`, node.privateKey, true);
    write(`${name}/key.pub`, `0x${node.enodeId}\n`);
    write(
      `${name}/config.toml`,
      nodeConfigToml(
        name === "rpcnode",
        enodes.filter((_, j) => j !== i),
      ),
    );
  });
  write("docker-compose.yml", dockerCompose(names));
  write("README.md", operatorReadme(options, names));
  return { dir, validators, files };
}

function nodeConfigToml(rpc: boolean, bootnodes: string[]): string {
  const lines = [
    `# Besu ${rpc ? "RPC node" : "validator"} configuration, written by GovChain's network:init.`,
    `data-path="/opt/besu/data"`,
    `genesis-file="/opt/besu/genesis.json"`,
    `node-private-key-file="/opt/besu/node/key"`,
    `p2p-port=30303`,
    `bootnodes=${JSON.stringify(bootnodes)}`,
    `min-gas-price=0`,
    `sync-mode="FULL"`,
    `permissions-accounts-config-file-enabled=true`,
    `permissions-accounts-config-file="/opt/besu/permissions_config.toml"`,
  ];
  if (rpc) {
    lines.push(
      `rpc-http-enabled=true`,
      `rpc-http-host="0.0.0.0"`,
      `rpc-http-port=8545`,
      // PERM: perm_reloadPermissionsFromFile after network:allowlist rewrites the allowlist (JSON-RPC is on
      // 127.0.0.1 only)
      `rpc-http-api=["ETH","NET","WEB3","QBFT","TXPOOL","PERM"]`,
      `host-allowlist=["localhost","127.0.0.1"]`,
    );
  } else {
    lines.push(`rpc-http-enabled=false`);
  }
  return lines.join("\n") + "\n";
}

function dockerCompose(names: string[]): string {
  const services = names.map((name) => {
    const lines = [
      `  ${name}:`,
      `    image: ${BESU_IMAGE}`,
      `    command: ["--config-file=/opt/besu/node/config.toml"]`,
      `    volumes:`,
      `      - ./genesis.json:/opt/besu/genesis.json:ro`,
      `      - ./permissions_config.toml:/opt/besu/permissions_config.toml`,
      `      - ./${name}:/opt/besu/node:ro`,
      `      - ${name}-data:/opt/besu/data`,
      `    networks: [govchain]`,
    ];
    if (name === "rpcnode") lines.push(`    ports:`, `      - "127.0.0.1:8545:8545" # JSON-RPC, on this host only`);
    return lines.join("\n");
  });
  return [
    "# GovChain's Besu QBFT network, written by network:init. The RPC node's JSON-RPC is bound to 127.0.0.1.",
    "services:",
    ...services,
    "networks:",
    "  govchain: {}",
    "volumes:",
    ...names.map((name) => `  ${name}-data: {}`),
    "",
  ].join("\n");
}

function operatorReadme(options: NetworkOptions, names: string[]): string {
  return `# A GovChain network on Hyperledger Besu (QBFT)

Written by \`npx hardhat network:init\`: ${options.validators} validators and one RPC node, chain id
${options.chainId}, a block every ${options.blockPeriod} s, free gas (zero base fee, minimum gas price 0), the EVM
forks up to ${options.evmVersion} active from genesis (GovChain's contracts are compiled for ${options.evmVersion}).

| file | what it is |
| --- | --- |
| \`genesis.json\` | the QBFT genesis: the validators are listed, RLP-encoded, in \`extraData\` |
| \`static-nodes.json\` | every node's enode URL (each node's \`bootnodes\` are the others) |
| \`<node>/key\` | the node's private key: **secret**, readable by its owner only; never share or commit it |
| \`<node>/key.pub\` | the node's public key (its enode id) |
| \`<node>/config.toml\` | the node's Besu configuration |
| \`permissions_config.toml\` | the accounts allowlist (\`npx hardhat network:allowlist\` rewrites it; see below) |
| \`.gitignore\` | keeps the node keys out of git, should this folder be inside a repository |
| \`docker-compose.yml\` | the validators and the RPC node; JSON-RPC on 127.0.0.1:8545 only |

Start it with \`docker compose up -d\`; GovChain deploys to it as the \`poa\` network (see the repository's
\`.env.example\`). Nodes: ${names.join(", ")}.

## The accounts allowlist

Every node refuses transactions from accounts outside \`permissions_config.toml\` (the validators check the
transactions they put in blocks). After \`npx hardhat network:allowlist --out permissions_config.toml --network poa\`
rewrites it, each node must reread it: the RPC node on
\`curl -s -X POST -H 'Content-Type: application/json' --data '{"jsonrpc":"2.0","method":"perm_reloadPermissionsFromFile","params":[],"id":1}' http://127.0.0.1:8545\`
(its PERM API is enabled, on 127.0.0.1 only), and the validators, which serve no JSON-RPC, when restarted one at a
time (\`docker compose restart validator1\`, wait for a block, then the next), so that the others keep sealing.

## What GovChain tested, and what you must verify

Tested where GovChain is built (no Besu runs there): the \`extraData\` encoding reproduces the example of Besu's
QBFT documentation for its four validators and decodes back; the genesis lists these validators and the forks
named above; the files are written as described, the keys readable by their owner only.

Verify on your network: that Besu (${BESU_IMAGE}) accepts the genesis and the configuration; that the validators
peer and produce a block every ${options.blockPeriod} s; that a transaction from an account outside the allowlist is
refused; that the contract size limit and gas limit suit the contracts; and that the Cancun fork behaves as GovChain
expects (deploy, then run the demo scenario against the RPC node).
`;
}

/** Besu's local account permissioning file: the accounts allowed to send transactions. */
export function accountsAllowlistToml(accounts: string[]): string {
  const list = [...new Set(accounts.map((a) => getAddress(a)))].sort();
  return (
    "# Accounts allowed to send transactions (Besu local permissioning), written by GovChain.\n" +
    `accounts-allowlist=${JSON.stringify(list)}\n`
  );
}

/**
 * The accounts the chain should accept transactions from: the live keys of active identities, rebuilt from the
 * IdentityRegistry's events and checked against its views, plus the system accounts given (the legislators, the
 * deployer, gateways).
 */
export async function allowedAccounts(hre: HardhatRuntimeEnvironment, systemAccounts: string[]): Promise<string[]> {
  const { identityRegistry, legislature } = await getSystem(hre);
  const candidates = new Set<string>();
  for (const e of await identityRegistry.queryFilter(identityRegistry.filters.IdentityEnrolled()))
    candidates.add(e.args.key);
  for (const e of await identityRegistry.queryFilter(identityRegistry.filters.KeyAdded())) candidates.add(e.args.key);
  const allowed: string[] = [];
  for (const key of candidates) if ((await identityRegistry.activeIdentityOf(key)) !== 0n) allowed.push(key);
  return [...allowed, ...(await legislature.legislators()), ...systemAccounts].map((a) => getAddress(a));
}
