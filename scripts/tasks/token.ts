/**
 * The token's tools, as Hardhat tasks over scripts/lib/token/token.ts. Amounts in yuan ("1234.56").
 *   token:balance         a holder's balance and standing
 *   token:transfer        a holder sends tokens (asks before sending; --yes to skip)
 *   token:freeze          a court freezes an account, with the reason
 *   token:unfreeze        a court unfreezes an account, with the reason
 *   token:force-transfer  a court moves tokens from a frozen account (asks before sending; --yes to skip)
 *   token:pause           the guardian pauses every movement of tokens
 *   token:unpause         the guardian lets them move again
 */
import { task } from "hardhat/config";

import { confirmOrRefuse, plainErrors, signerFor } from "./common";
import { output } from "./input";

const lib = () => import("../lib/token/token");
/** The yuan of `--amount`, strictly read, and how to print them. */
const amounts = () => import("../lib/treasury/treasury");

task("token:balance", "A holder's balance. Example: npx hardhat token:balance --of citizen1 --network localhost")
  .addParam("of", "The holder: a named account, an address, or a contract (Treasury)")
  .addFlag("json", "Print JSON for scripts")
  .setAction(
    plainErrors("token:balance", async (args: { of: string; json: boolean }, hre) => {
      const { balanceOf, formatBalance } = await lib();
      const view = await balanceOf(hre, args.of);
      output(args.json, view, () => formatBalance(view));
    }),
  );

task(
  "token:transfer",
  "Send tokens from your key. Example: npx hardhat token:transfer --to citizen2 --amount 100.00 --from citizen1 --network localhost",
)
  .addParam("to", "The receiver: a named account, an address, or a contract")
  .addParam("amount", "The amount in yuan (e.g. 1234.56)")
  .addParam("from", "The sender's named account or address")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors("token:transfer", async (args: { to: string; amount: string; from: string; yes: boolean }, hre) => {
      const { transferTokens, describeMovement, holderAddress } = await lib();
      const { parseAmount, formatAmount } = await amounts();
      const amount = parseAmount(args.amount);
      const signer = await signerFor(hre, args.from);
      await confirmOrRefuse(
        await describeMovement(hre, "transfer", amount, signer.address, await holderAddress(hre, args.to)),
        { yes: args.yes },
      );
      const receipt = await transferTokens(hre, signer, args.to, amount);
      console.log(`Sent ${formatAmount(amount)} yuan to ${args.to} (tx ${receipt.hash})`);
    }),
  );

for (const frozen of [true, false]) {
  const name = frozen ? "token:freeze" : "token:unfreeze";
  task(
    name,
    `${frozen ? "Freeze" : "Unfreeze"} an account, by a court, with the reason. Example: npx hardhat ${name} --account citizen1 --reason CASE_2026_117 --from judge --network localhost`,
  )
    .addParam("account", "The holder: a named account or an address")
    .addParam("reason", "The reason: text (kept as text up to 31 bytes, else hashed) or a 32-byte hash")
    .addParam("from", "The judge's named account or address")
    .setAction(
      plainErrors(name, async (args: { account: string; reason: string; from: string }, hre) => {
        const { setFrozen } = await lib();
        const receipt = await setFrozen(hre, await signerFor(hre, args.from), args.account, frozen, args.reason);
        console.log(`${frozen ? "Froze" : "Unfroze"} ${args.account} (${args.reason}) (tx ${receipt.hash})`);
      }),
    );
}

task(
  "token:force-transfer",
  "Move tokens from a frozen account by court order. Example: npx hardhat token:force-transfer --account citizen1 --to citizen2 --amount 50.00 --reason CASE_2026_117 --from judge --network localhost",
)
  .addParam("account", "The frozen holder: a named account or an address")
  .addParam("to", "The receiver: a named account, an address, or a contract")
  .addParam("amount", "The amount in yuan")
  .addParam("reason", "The court order: text (kept as text up to 31 bytes, else hashed) or a 32-byte hash")
  .addParam("from", "The judge's named account or address")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors(
      "token:force-transfer",
      async (
        args: { account: string; to: string; amount: string; reason: string; from: string; yes: boolean },
        hre,
      ) => {
        const { forceTransfer, describeMovement, holderAddress } = await lib();
        const { parseAmount, formatAmount } = await amounts();
        const amount = parseAmount(args.amount);
        const signer = await signerFor(hre, args.from);
        const from = await holderAddress(hre, args.account);
        const to = await holderAddress(hre, args.to);
        await confirmOrRefuse(await describeMovement(hre, `forced transfer (${args.reason})`, amount, from, to), {
          yes: args.yes,
        });
        const receipt = await forceTransfer(hre, signer, args.account, args.to, amount, args.reason);
        console.log(
          `Moved ${formatAmount(amount)} yuan from ${args.account} to ${args.to} by court order (tx ${receipt.hash})`,
        );
      },
    ),
  );

for (const paused of [true, false]) {
  const name = paused ? "token:pause" : "token:unpause";
  task(
    name,
    `${paused ? "Pause every movement of tokens" : "Let tokens move again"}, by the guardian. Example: npx hardhat ${name} --from guardian --network localhost`,
  )
    .addParam("from", "The guardian's named account or address")
    .setAction(
      plainErrors(name, async (args: { from: string }, hre) => {
        const { setPaused } = await lib();
        const receipt = await setPaused(hre, await signerFor(hre, args.from), paused);
        console.log(`The token is ${paused ? "paused" : "moving again"} (tx ${receipt.hash})`);
      }),
    );
}
