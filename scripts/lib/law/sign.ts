/**
 * law:sign: a legislator signs a LawUpdate file with the key in an encrypted JSON keystore. The signature is
 * EIP-712 typed data, the same as a wallet's `eth_signTypedData_v4` gives for the same update.
 */
import { readFileSync } from "node:fs";
import { Wallet, verifyTypedData, type Signer } from "ethers";

import { LAW_UPDATE_TYPES, domainOfFile, type LawUpdateFile, type SignatureFile } from "./lawUpdate";

/** The environment variable that may hold the keystore's password (otherwise it is asked for). */
export const PASSWORD_VARIABLE = "GOVCHAIN_KEYSTORE_PASSWORD";

/** Opens an encrypted JSON keystore (the Web3 Secret Storage format that geth, Besu tools and wallets write). */
export async function openKeystore(path: string, password: string): Promise<Wallet> {
  let json: string;
  try {
    json = readFileSync(path, "utf8");
  } catch {
    throw new Error(`cannot read the keystore ${path}`);
  }
  try {
    const wallet = await Wallet.fromEncryptedJson(json, password);
    return new Wallet(wallet.privateKey);
  } catch (error) {
    const message = (error as Error).message;
    if (/password/i.test(message)) throw new Error(`wrong password for the keystore ${path}`);
    throw new Error(`${path} is not an encrypted JSON keystore: ${message}`);
  }
}

/** The keystore's password: from the environment, or asked for on the terminal without echo. */
export async function keystorePassword(): Promise<string> {
  const fromEnv = process.env[PASSWORD_VARIABLE];
  if (fromEnv === "")
    throw new Error(
      `${PASSWORD_VARIABLE} is set but empty: set it to the keystore's password, or unset it to be asked`,
    );
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY) throw new Error(`no terminal to ask for the keystore password: set ${PASSWORD_VARIABLE}`);
  const { default: password } = await import("@inquirer/password");
  return password({ message: "Keystore password:", mask: "*" });
}

/** Signs a law update; checks that the signature recovers to the signer before returning it. */
export async function signLawUpdate(signer: Signer, file: LawUpdateFile): Promise<SignatureFile> {
  const domain = domainOfFile(file);
  const signature = await signer.signTypedData(domain, LAW_UPDATE_TYPES, file.update);
  const address = await signer.getAddress();
  if (verifyTypedData(domain, LAW_UPDATE_TYPES, file.update, signature) !== address) {
    throw new Error("the signature does not recover to the signer's address: the signer does not sign EIP-712 v4");
  }
  return {
    kind: "govchain.law-signature",
    lawId: file.update.lawId,
    version: file.update.version,
    digest: file.digest,
    signer: address,
    signature,
  };
}
