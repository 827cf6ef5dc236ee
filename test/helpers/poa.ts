/**
 * What the end-to-end tests share: the deployer's encrypted keystore and a genesis file with addresses, as an
 * operator of the `poa` network writes them, and the way they run Hardhat as a separate process.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import hre from "hardhat";
import { Wallet, encryptKeystoreJson } from "ethers";

import { devAccount } from "../../scripts/lib/network/anvil";

export const ROOT = resolve(__dirname, "../..");
export const HARDHAT = join(ROOT, "node_modules", ".bin", "hardhat");
export const CHAIN_ID = 20260;
export const PASSWORD = "e2e password";
/** The development mnemonic's first keys: anvil's accounts; the deployer's and two legislators'. */
export const DEV_KEYS = [0, 1, 2].map((i) => devAccount(i).privateKey);

/** `key` in an encrypted JSON keystore (light scrypt: a test's), written into `dir`. */
export async function keystore(dir: string, name: string, key: string): Promise<string> {
  const path = join(dir, `${name}.keystore.json`);
  const wallet = new Wallet(key);
  writeFileSync(
    path,
    await encryptKeystoreJson({ address: wallet.address, privateKey: key }, PASSWORD, { scrypt: { N: 1024 } }),
  );
  return path;
}

/** genesis.yaml with the named accounts written as addresses, as an operator writes a network's own. */
export async function genesisWithAddresses(dir: string): Promise<string> {
  const named = await hre.getNamedAccounts();
  let text = readFileSync(join(ROOT, "genesis", "genesis.yaml"), "utf8").replace(/texts\//g, `${ROOT}/genesis/texts/`);
  for (const [name, address] of Object.entries(named).sort((a, b) => b[0].length - a[0].length)) {
    text = text.replace(new RegExp(`(key: |\\[|, )${name}\\b`, "g"), (m) => m.replace(name, `"${address}"`));
  }
  const path = join(dir, "genesis.yaml");
  writeFileSync(path, text);
  return path;
}
