/**
 * The identities' tools, as Hardhat tasks over scripts/lib/identity/identity.ts.
 *   identity:show        an identity: kind, status, jurisdiction, keys live and revoked, posts held
 *   identity:consent     a key consents to join an identity (0: to be a new identity's first key), sent by the key
 *   identity:enrol       a registrar enrols a person or an organisation with the key that consented
 *   identity:add-key     an identity's own key adds a key that consented
 *   identity:revoke-key  a key of the same identity, or an official, revokes a key
 *   identity:recover     a registrar replaces a citizen's lost key with one that consented
 *   identity:status      an official sets an identity's status, with the reason
 * Identities are given by id or by a named account (or address) holding one of their keys; writes are sent from
 * `--from`: a named account or an address whose key the network holds.
 */
import { task } from "hardhat/config";

import { plainErrors, signerFor } from "./common";
import { jsonObject, output, wholeNumber } from "./input";

const lib = () => import("../lib/identity/identity");

task("identity:show", "Show an identity. Example: npx hardhat identity:show --identity citizen1 --network localhost")
  .addParam("identity", "The identity: its id, or a named account or address holding one of its keys")
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors("identity:show", async (args: { identity: string; json: boolean }, hre) => {
      const { showIdentity, formatIdentity } = await lib();
      const view = await showIdentity(hre, args.identity);
      output(args.json, view, () => formatIdentity(view));
    }),
  );

task(
  "identity:consent",
  "A key consents to join an identity, by its own transaction. Example: npx hardhat identity:consent --from citizen1 --identity 0 --network localhost",
)
  .addParam("from", "The key that consents: a named account or an address whose key the network holds")
  .addOptionalParam("identity", "The identity to join: its id, or 0 to be the first key of a new identity", "0")
  .setAction(
    plainErrors("identity:consent", async (args: { from: string; identity: string }, hre) => {
      const { consentToIdentity } = await lib();
      const identity = wholeNumber(args.identity, "--identity");
      const receipt = await consentToIdentity(hre, await signerFor(hre, args.from), identity);
      console.log(
        `${args.from} consents to ${identity === 0n ? "be the first key of a new identity" : `join identity ${identity}`} (tx ${receipt.hash})`,
      );
    }),
  );

task(
  "identity:enrol",
  'Enrol a person or an organisation, by a registrar. Example: npx hardhat identity:enrol --kind person --jurisdiction CN-11-01 --key citizen1 --attributes \'{"name":"Zhou Min"}\' --salt zhou-min-2026 --from registrar --network localhost',
)
  .addParam("kind", "person or organisation")
  .addParam("jurisdiction", "Where the identity belongs: a jurisdiction code (e.g. CN-11-01)")
  .addParam("key", "Its first key, which consented (identity:consent --identity 0): a named account or an address")
  .addOptionalParam("attributes", "Its personal data as JSON or @file.json, hashed here with --salt (never sent)")
  .addOptionalParam("salt", "The salt of the commitment (32-byte hex, or text up to 31 bytes); with --attributes")
  .addOptionalParam("attributesHash", "Or the commitment itself (32-byte hex), computed elsewhere")
  .addParam("from", "The registrar's named account or address")
  .setAction(
    plainErrors(
      "identity:enrol",
      async (
        args: {
          kind: string;
          jurisdiction: string;
          key: string;
          attributes?: string;
          salt?: string;
          attributesHash?: string;
          from: string;
        },
        hre,
      ) => {
        const { enrolIdentity } = await lib();
        const attributes = args.attributes === undefined ? undefined : jsonObject(args.attributes, "--attributes");
        const id = await enrolIdentity(hre, await signerFor(hre, args.from), {
          kind: args.kind,
          jurisdiction: args.jurisdiction,
          key: args.key,
          attributes,
          salt: args.salt,
          attributesHash: args.attributesHash,
        });
        console.log(`Enrolled identity ${id}: ${args.kind} in ${args.jurisdiction}, first key ${args.key}`);
      },
    ),
  );

task(
  "identity:add-key",
  "Add a key that consented to an identity, by one of its own live keys. Example: npx hardhat identity:add-key --identity citizen1 --key 0xabc… --from citizen1 --network localhost",
)
  .addParam("identity", "The identity: its id, or a named account or address holding one of its keys")
  .addParam("key", "The new key (which consented with identity:consent): a named account or an address")
  .addParam("from", "One of the identity's own live keys")
  .setAction(
    plainErrors("identity:add-key", async (args: { identity: string; key: string; from: string }, hre) => {
      const { addKey } = await lib();
      const receipt = await addKey(hre, await signerFor(hre, args.from), args.identity, args.key);
      console.log(`Added ${args.key} to identity ${args.identity} (tx ${receipt.hash})`);
    }),
  );

task(
  "identity:revoke-key",
  "Revoke a live key, by a key of the same identity or an official. Example: npx hardhat identity:revoke-key --key 0xabc… --from citizen1 --network localhost",
)
  .addParam("key", "The key to revoke: a named account or an address")
  .addParam("from", "A key of the same identity, or an official's named account or address")
  .setAction(
    plainErrors("identity:revoke-key", async (args: { key: string; from: string }, hre) => {
      const { revokeKey } = await lib();
      const receipt = await revokeKey(hre, await signerFor(hre, args.from), args.key);
      console.log(`Revoked ${args.key} (tx ${receipt.hash})`);
    }),
  );

task(
  "identity:recover",
  "Replace a citizen's lost key with a new one that consented, by a registrar. Example: npx hardhat identity:recover --lost citizen1 --new 0xabc… --from registrar --network localhost",
)
  .addParam("lost", "The lost key: a named account or an address")
  .addParam("new", "The new key, which consented to join the same identity: a named account or an address")
  .addParam("from", "The registrar's named account or address")
  .setAction(
    plainErrors("identity:recover", async (args: { lost: string; new: string; from: string }, hre) => {
      const { recoverKey } = await lib();
      const receipt = await recoverKey(hre, await signerFor(hre, args.from), args.lost, args.new);
      console.log(`Recovered: ${args.new} replaces ${args.lost} (tx ${receipt.hash})`);
    }),
  );

task(
  "identity:status",
  "Set an identity's status, with the reason. Example: npx hardhat identity:status --identity 18 --status suspended --reason COURT_ORDER_17 --from registrar --network localhost",
)
  .addParam("identity", "The identity: its id, or a named account or address holding one of its keys")
  .addParam("status", "active, suspended, deceased (persons) or dissolved (organisations)")
  .addParam("reason", "The reason, as text (kept in the event; its hash on chain), at most 256 bytes")
  .addParam("from", "The official's named account or address")
  .setAction(
    plainErrors(
      "identity:status",
      async (args: { identity: string; status: string; reason: string; from: string }, hre) => {
        const { setIdentityStatus } = await lib();
        const receipt = await setIdentityStatus(
          hre,
          await signerFor(hre, args.from),
          args.identity,
          args.status,
          args.reason,
        );
        console.log(`Identity ${args.identity} is now ${args.status} (${args.reason}) (tx ${receipt.hash})`);
      },
    ),
  );
