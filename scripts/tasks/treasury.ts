/**
 * The treasury's tools, as Hardhat tasks over scripts/lib/treasury.ts. Amounts are in yuan ("1234.56").
 *   treasury:mint       mint to a key or to the Treasury, by a central bank minter
 *   treasury:allocate   draft the law update that allocates budgets (then law:sign and law:enact)
 *   treasury:pay        pay from an organisation's account, by its finance officer
 *   treasury:payout     pay a programme's current period to every eligible beneficiary, in batches, resumable
 *   treasury:statement  an account's or a programme's movements rebuilt from events, with totals
 *   treasury:reverse    reverse a payment, with the reason, by an officer of the paying organisation
 *   treasury:transfer-budget  move budget from one organisation's account to another's
 *   treasury:claim      a beneficiary claims this period's benefit of a programme
 * Writes are sent from `--from`: a named account or an address whose key the network holds. Every command that
 * moves money says what will move and asks first (y/N); `--yes` skips the question, and without a terminal it is
 * required.
 */
import { task, types } from "hardhat/config";
import { confirmOrRefuse, plainErrors, signerFor } from "./common";
import { wholeNumber } from "./input";

/** The yuan of `--amount`, strictly read (see parseAmount). */
const amountOf = async (text: string) => (await import("../lib/treasury/treasury")).parseAmount(text);

task(
  "treasury:mint",
  "Mint tokens, by a central bank minter within its allowance. Example: npx hardhat treasury:mint --to Treasury --amount 1000000.00 --from centralBanker --network localhost",
)
  .addParam("to", 'The receiver: an address, a named account, or "Treasury"')
  .addParam("amount", "The amount in yuan (e.g. 1000000.00)")
  .addParam("from", "The minter's named account or address")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors("treasury:mint", async (args: { to: string; amount: string; from: string; yes: boolean }, hre) => {
      const { mintTokens, formatAmount } = await import("../lib/treasury/treasury");
      const { holderAddress } = await import("../lib/token/token");
      const { accountNamer } = await import("../lib/common/names");
      const amount = await amountOf(args.amount);
      const signer = await signerFor(hre, args.from);
      const name = await accountNamer(hre);
      await confirmOrRefuse(
        `mint: ${formatAmount(amount)} yuan of new money, by ${name(signer.address)}, to ${name(await holderAddress(hre, args.to))}`,
        { yes: args.yes },
      );
      const receipt = await mintTokens(hre, signer, args.to, amount);
      console.log(`Minted ${formatAmount(amount)} to ${args.to} (tx ${receipt.hash})`);
    }),
  );

task(
  "treasury:allocate",
  "Draft the law update that allocates budgets from the Treasury's reserve. Example: npx hardhat treasury:allocate --text allocation.md --out allocation.json --organisation 1 --amount 2000000.00 --network localhost",
)
  .addParam("text", "The legal text of the allocation (its hash goes into the law update)")
  .addParam("out", "Where to write the LawUpdate file (sign it with law:sign, enact it with law:enact)")
  .addOptionalParam("law", "The law under which the budgets are allocated", "PUBLIC_FINANCE_ACT")
  .addOptionalParam("organisation", "An organisation's identity id (its account must be open)")
  .addOptionalParam("programme", "A programme's id (e.g. PENSION)")
  .addParam("amount", "The amount in yuan")
  .setAction(
    plainErrors(
      "treasury:allocate",
      async (
        args: { text: string; out: string; law: string; organisation?: string; programme?: string; amount: string },
        hre,
      ) => {
        const { draftAllocation } = await import("../lib/treasury/treasury");
        const { writeJson } = await import("../lib/law/lawUpdate");
        const file = await draftAllocation(hre, args.law, args.text, [
          {
            organisation:
              args.organisation === undefined ? undefined : wholeNumber(args.organisation, "--organisation"),
            programme: args.programme,
            amount: await amountOf(args.amount),
          },
        ]);
        writeJson(args.out, file);
        console.log(`Drafted the allocation → ${args.out} (digest ${file.digest})`);
        for (const line of file.summary) console.log(`  · ${line}`);
        console.log("Legislators sign it with law:sign; anyone enacts it with law:enact.");
      },
    ),
  );

task(
  "treasury:pay",
  "Pay from an organisation's account, by one of its finance officers. Example: npx hardhat treasury:pay --organisation 1 --to citizen1 --amount 500.00 --purpose HARDSHIP_GRANT --from financeOfficer --network localhost",
)
  .addParam("organisation", "The paying organisation's identity id")
  .addParam("to", "The receiver's key (an address or a named account)")
  .addParam("amount", "The amount in yuan")
  .addParam("purpose", "The purpose: text (kept as text up to 31 bytes, else hashed) or a 32-byte hash")
  .addParam("from", "The officer's named account or address")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors(
      "treasury:pay",
      async (
        args: { organisation: string; to: string; amount: string; purpose: string; from: string; yes: boolean },
        hre,
      ) => {
        const { payFromAccount, formatAmount } = await import("../lib/treasury/treasury");
        const { accountAddress, accountNamer, identityLabel } = await import("../lib/common/names");
        const organisation = wholeNumber(args.organisation, "--organisation");
        const amount = await amountOf(args.amount);
        const signer = await signerFor(hre, args.from);
        const to = (await accountNamer(hre))(await accountAddress(hre, args.to));
        await confirmOrRefuse(
          `pay (${args.purpose}): ${formatAmount(amount)} yuan from ${await identityLabel(hre, organisation)}'s account to ${to}`,
          { yes: args.yes },
        );
        const { paymentId, hash } = await payFromAccount(hre, signer, organisation, args.to, amount, args.purpose);
        console.log(`Payment ${paymentId}: ${formatAmount(amount)} to ${args.to} (tx ${hash})`);
      },
    ),
  );

task(
  "treasury:payout",
  "Pay a programme's current period to every eligible beneficiary (resumable). Example: npx hardhat treasury:payout --programme PENSION --from officer --network localhost",
)
  .addParam("programme", "The programme (e.g. PENSION)")
  .addParam("from", "The officer's named account or address")
  .addOptionalParam("batch", "Beneficiaries per transaction", 200, types.int)
  .addOptionalParam("maxBatches", "Stop after this many transactions (a rerun goes on)", undefined, types.int)
  .addFlag("quiet", "No progress bar")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors(
      "treasury:payout",
      async (
        args: { programme: string; from: string; batch: number; maxBatches?: number; quiet: boolean; yes: boolean },
        hre,
      ) => {
        const { payoutPeriod, formatPayoutSummary } = await import("../lib/treasury/treasury");
        const { describePayout } = await import("../lib/treasury/budget");
        const { SingleBar, Presets } = await import("cli-progress");
        const signer = await signerFor(hre, args.from);
        await confirmOrRefuse(await describePayout(hre, args.programme), { yes: args.yes });
        const bar = args.quiet || !process.stdout.isTTY ? undefined : new SingleBar({}, Presets.shades_classic);
        const summary = await payoutPeriod(hre, signer, args.programme, {
          batchSize: args.batch,
          maxBatches: args.maxBatches,
          onProgress: (done, total) => {
            if (!bar) return;
            if (done === 0) bar.start(total, 0);
            else bar.update(done);
          },
        }).finally(() => bar?.stop());
        console.log(formatPayoutSummary(summary));
      },
    ),
  );

task(
  "treasury:statement",
  "An account's or a programme's movements, rebuilt from events, with totals. Example: npx hardhat treasury:statement --organisation 1 --network localhost",
)
  .addOptionalParam("organisation", "An organisation's identity id")
  .addOptionalParam("programme", "A programme's id (e.g. PENSION)")
  .setAction(
    plainErrors("treasury:statement", async (args: { organisation?: string; programme?: string }, hre) => {
      const { statement, formatStatement } = await import("../lib/treasury/treasury");
      if ((args.organisation === undefined) === (args.programme === undefined))
        throw new Error("give --organisation or --programme");
      const result = await statement(hre, {
        organisation: args.organisation === undefined ? undefined : wholeNumber(args.organisation, "--organisation"),
        programme: args.programme,
      });
      console.log(formatStatement(result));
    }),
  );

task(
  "treasury:reverse",
  "Reverse a payment, with the reason, by an officer of the paying organisation. Example: npx hardhat treasury:reverse --payment 1 --reason PAID_TWICE --from financeOfficer --network localhost",
)
  .addParam("payment", "The payment's id")
  .addParam("reason", "The reason: text (kept as text up to 31 bytes, else hashed) or a 32-byte hash")
  .addParam("from", "The officer's named account or address")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors(
      "treasury:reverse",
      async (args: { payment: string; reason: string; from: string; yes: boolean }, hre) => {
        const { describeReversal, reversePayment } = await import("../lib/treasury/budget");
        const payment = wholeNumber(args.payment, "--payment");
        const signer = await signerFor(hre, args.from);
        await confirmOrRefuse(await describeReversal(hre, payment), { yes: args.yes });
        const receipt = await reversePayment(hre, signer, payment, args.reason);
        console.log(`Reversed payment ${payment} (${args.reason}) (tx ${receipt.hash})`);
      },
    ),
  );

task(
  "treasury:transfer-budget",
  "Move budget from one organisation's account to another's. Example: npx hardhat treasury:transfer-budget --organisation 1 --to-organisation 3 --amount 10000.00 --purpose FLOOD_RELIEF --from financeOfficer --network localhost",
)
  .addParam("organisation", "The paying organisation's identity id")
  .addParam("toOrganisation", "The receiving organisation's identity id (its account must be open)")
  .addParam("amount", "The amount in yuan")
  .addParam("purpose", "The purpose: text (kept as text up to 31 bytes, else hashed) or a 32-byte hash")
  .addParam("from", "The officer's named account or address")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors(
      "treasury:transfer-budget",
      async (
        args: {
          organisation: string;
          toOrganisation: string;
          amount: string;
          purpose: string;
          from: string;
          yes: boolean;
        },
        hre,
      ) => {
        const { describeBudgetTransfer, transferBudget } = await import("../lib/treasury/budget");
        const from = wholeNumber(args.organisation, "--organisation");
        const to = wholeNumber(args.toOrganisation, "--to-organisation");
        const amount = await amountOf(args.amount);
        const signer = await signerFor(hre, args.from);
        await confirmOrRefuse(await describeBudgetTransfer(hre, from, to, amount), { yes: args.yes });
        const paymentId = await transferBudget(hre, signer, from, to, amount, args.purpose);
        console.log(
          `Payment ${paymentId}: ${(await import("../lib/treasury/treasury")).formatAmount(amount)} yuan from organisation ${from} to organisation ${to}`,
        );
      },
    ),
  );

task(
  "treasury:claim",
  "Claim this period's benefit of a programme, by the beneficiary's own key. Example: npx hardhat treasury:claim --programme PENSION --from citizen1 --network localhost",
)
  .addParam("programme", "The programme (e.g. PENSION)")
  .addParam("from", "The beneficiary's key: a named account or an address whose key the network holds")
  .addFlag("yes", "Send without asking (required without a terminal)")
  .setAction(
    plainErrors("treasury:claim", async (args: { programme: string; from: string; yes: boolean }, hre) => {
      const { describeClaim, claimBenefit } = await import("../lib/treasury/budget");
      const { formatAmount } = await import("../lib/treasury/treasury");
      const signer = await signerFor(hre, args.from);
      await confirmOrRefuse(await describeClaim(hre, args.programme, signer.address), { yes: args.yes });
      const amount = await claimBenefit(hre, signer, args.programme);
      console.log(`Claimed ${formatAmount(amount)} yuan of ${args.programme}`);
    }),
  );
