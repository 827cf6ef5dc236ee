/** The vault's refusals, each a class of its own so that the routes can map them to an HTTP answer. */

/** Another live process holds the embedded database's folder (PGlite loses writes when two processes share one). */
export class VaultLockedError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number,
  ) {
    super(`the vault's folder is in use by process ${pid} (lock file ${lockFile})`);
  }
}

/** The vault's schema would be Ponder's, which Ponder may drop. */
export class VaultSchemaClashError extends Error {
  constructor(readonly schema: string) {
    super(`VAULT_SCHEMA "${schema}" is also DATABASE_SCHEMA, the index's schema, which Ponder may drop: name another`);
  }
}

/** No master key given, or one that is not 32 bytes, or a keystore that does not open. */
export class VaultMasterKeyError extends Error {}

/** A data key is wrapped by a master key that was not given. */
export class VaultUnknownMasterError extends Error {
  constructor(
    readonly keyId: number,
    readonly masterId: string,
  ) {
    super(`data key ${keyId} is wrapped by master key ${masterId}, which was not given`);
  }
}

/** A signed request's nonce was used before by the same key for the same kind of request. */
export class NonceUsedError extends Error {
  constructor(
    readonly key: string,
    readonly kind: string,
    readonly nonce: bigint,
  ) {
    super(`nonce ${nonce} used: ${key} already sent a ${kind} request with it`);
  }
}

/** A sealed row that does not open: its bytes, its key or its place were changed (the AAD names table and row). */
export class VaultBrokenSealError extends Error {
  constructor(
    readonly table: string,
    readonly rowKey: string,
  ) {
    super(`${table} ${rowKey} does not decrypt: changed, moved from another row, or under another key`);
  }
}
