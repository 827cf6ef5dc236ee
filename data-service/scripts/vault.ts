/**
 * The vault's commands (run from data-service/ by vite-node, Ponder's own runner; see package.json). Kept out of
 * src/, whose every module Ponder loads into the service as indexing code: there it ran as a command.
 *   vault:key <file>                 writes a new master key
 *   vault:rotate [--resume]          a new data key, every blob sealed again under it
 *   vault:rewrap --new-master <file> every data key wrapped again by a new master key
 * The vault is the one the service opens (DATABASE_URL, VAULT_SCHEMA, GOVCHAIN_VAULT_DIR) with its master key
 * (GOVCHAIN_VAULT_MASTER_KEY or GOVCHAIN_VAULT_KEYSTORE). With PGlite, stop the service first: its folder is locked.
 */
import { Keyring, masterKeyFromEnv, masterKeyFromFile, writeMasterKeyFile } from "../src/vault/crypto";
import { openVault, type Vault } from "../src/vault/db";
import { rotate } from "../src/vault/rotation";

const HELP: Record<string, string> = {
  key: `Usage: npm run vault:key -w data-service -- <file>
Writes a new random master key to <file> (64 hex digits, mode 0600); refuses an existing file.
Example: npm run vault:key -w data-service -- .vault/master.key`,
  rotate: `Usage: npm run vault:rotate -w data-service [-- --resume]
Creates a new data key, retires the others and seals every blob again under the new one, 500 rows per
transaction. --resume only finishes a rotation cut short (the rows still under a retired key).
Example: GOVCHAIN_VAULT_KEYSTORE=.vault/master.key npm run vault:rotate -w data-service`,
  rewrap: `Usage: npm run vault:rewrap -w data-service -- --new-master <file>
Wraps every data key again by the master key in <file> (hex, or a JSON keystore opened with
GOVCHAIN_VAULT_NEW_PASSWORD), in one transaction; the current master key (GOVCHAIN_VAULT_MASTER_KEY or
GOVCHAIN_VAULT_KEYSTORE) unwraps them. Then start the service with the new master key.
Example: npm run vault:key -w data-service -- .vault/master-2.key
         npm run vault:rewrap -w data-service -- --new-master .vault/master-2.key`,
};

async function withVault<T>(run: (vault: Vault) => Promise<T>): Promise<T> {
  const vault = await openVault();
  try {
    return await run(vault);
  } finally {
    await vault.close();
  }
}

async function main(command: string | undefined, args: string[]): Promise<string> {
  if (!command || !(command in HELP)) throw new Error(`unknown command "${command ?? ""}": key, rotate or rewrap`);
  if (args.includes("--help")) return HELP[command];
  switch (command) {
    case "key": {
      if (args.length !== 1) throw new Error(`one file expected\n${HELP.key}`);
      return `master key ${writeMasterKeyFile(args[0]).id} written to ${args[0]}`;
    }
    case "rotate": {
      if (args.some((arg) => arg !== "--resume")) throw new Error(`unexpected ${args.join(" ")}\n${HELP.rotate}`);
      const keyring = new Keyring(masterKeyFromEnv());
      const done = await withVault((vault) => rotate(vault.db, keyring, args.includes("--resume")));
      return `${done.keyId === undefined ? "resumed" : `data key ${done.keyId} active`}; ${done.resealed} blobs sealed again`;
    }
    default: {
      if (args.length !== 2 || args[0] !== "--new-master")
        throw new Error(`--new-master <file> expected\n${HELP.rewrap}`);
      const fresh = masterKeyFromFile(args[1], process.env.GOVCHAIN_VAULT_NEW_PASSWORD, "GOVCHAIN_VAULT_NEW_PASSWORD");
      const keyring = new Keyring(fresh, masterKeyFromEnv());
      const moved = await withVault((vault) => keyring.rewrap(vault.db));
      return `${moved} data keys wrapped by master key ${fresh.id}`;
    }
  }
}

const [command, ...args] = process.argv.slice(2);
main(command, args).then(
  (message) => console.log(message),
  (error: Error) => {
    console.error(`Error: ${error.message}`);
    process.exitCode = 1;
  },
);
