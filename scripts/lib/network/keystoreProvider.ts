/**
 * The `poa` network's signer: the deployer's key comes from an encrypted JSON keystore (POA_KEYSTORE), opened
 * when the network is first used, with its password from GOVCHAIN_KEYSTORE_PASSWORD or a prompt. No raw key is
 * read from a file of the repository or from the environment. Transactions are signed locally (as Hardhat signs
 * for configured keys; its gas and fee providers fill them in first) and sent raw to the node.
 */
import type { EIP1193Provider } from "hardhat/types";

import { keystorePassword, openKeystore } from "../law/sign";

/** The networks whose sender comes from a keystore. */
export const KEYSTORE_NETWORKS = ["poa"];
export const KEYSTORE_VARIABLE = "POA_KEYSTORE";

export async function keystoreProvider(provider: EIP1193Provider, network: string): Promise<EIP1193Provider> {
  if (!KEYSTORE_NETWORKS.includes(network)) return provider;
  const file = process.env[KEYSTORE_VARIABLE];
  if (!file) {
    throw new Error(
      `network "${network}" signs with the deployer's encrypted JSON keystore: set ${KEYSTORE_VARIABLE} to its path ` +
        `(see .env.example)`,
    );
  }
  const wallet = await openKeystore(file, await keystorePassword());
  const { LocalAccountsProvider } = await import("hardhat/internal/core/providers/accounts");
  return new LocalAccountsProvider(provider, [wallet.privateKey]);
}
