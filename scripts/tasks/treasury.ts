/**
 * The treasury's tools, as Hardhat tasks over scripts/lib/treasury.ts. Amounts are in yuan ("1234.56").
 *   treasury:mint       mint to a key or to the Treasury, by a central bank minter
 *   treasury:allocate   draft the law update that allocates budgets (then law:sign and law:enact)
 *   treasury:pay        pay from an organisation's account, by its finance officer
 *   treasury:payout     pay a programme's current period to every eligible beneficiary, in batches, resumable
 *   treasury:statement  an account's or a programme's movements rebuilt from events, with totals
 * Writes are sent from `--from`: a named account or an address whose key the network holds.
 */
import { task, types } from "hardhat/config";
import { attempt, fail, signerFor } from "./common";

const wholeNumber = (text: string, what: string): bigint => {
  if (!/^\d+$/.test(text)) fail(new Error(`${what} must be a whole number, not "${text}"`));
  return BigInt(text);
};

task("treasury:mint", "Mint tokens, by a central bank minter within its allowance")
  .addParam("to", 'The receiver: an address, a named account, or "Treasury"')
  .addParam("amount", "The amount in yuan (e.g. 1000000.00)")
  .addParam("from", "The minter's named account or address")
  .setAction(async (args: { to: string; amount: string; from: string }, hre) => {
    const { mintTokens, parseAmount, formatAmount } = await import("../lib/treasury/treasury");
    const amount = attempt(() => parseAmount(args.amount));
    const receipt = await mintTokens(hre, await signerFor(hre, args.from), args.to, amount).catch(fail);
    console.log(`Minted ${formatAmount(amount)} to ${args.to} (tx ${receipt.hash})`);
  });

task("treasury:allocate", "Draft the law update that allocates budgets from the Treasury's reserve")
  .addParam("text", "The legal text of the allocation (its hash goes into the law update)")
  .addParam("out", "Where to write the LawUpdate file (sign it with law:sign, enact it with law:enact)")
  .addOptionalParam("law", "The law under which the budgets are allocated", "PUBLIC_FINANCE_ACT")
  .addOptionalParam("organisation", "An organisation's identity id (its account must be open)")
  .addOptionalParam("programme", "A programme's id (e.g. PENSION)")
  .addParam("amount", "The amount in yuan")
  .setAction(
    async (
      args: { text: string; out: string; law: string; organisation?: string; programme?: string; amount: string },
      hre,
    ) => {
      const { draftAllocation, parseAmount } = await import("../lib/treasury/treasury");
      const { writeJson } = await import("../lib/law/lawUpdate");
      const file = await (async () =>
        draftAllocation(hre, args.law, args.text, [
          {
            organisation:
              args.organisation === undefined ? undefined : wholeNumber(args.organisation, "--organisation"),
            programme: args.programme,
            amount: parseAmount(args.amount),
          },
        ]))().catch(fail);
      writeJson(args.out, file);
      console.log(`Drafted the allocation → ${args.out} (digest ${file.digest})`);
      for (const line of file.summary) console.log(`  · ${line}`);
      console.log("Legislators sign it with law:sign; anyone enacts it with law:enact.");
    },
  );

task("treasury:pay", "Pay from an organisation's account, by one of its finance officers")
  .addParam("organisation", "The paying organisation's identity id")
  .addParam("to", "The receiver's key (an address or a named account)")
  .addParam("amount", "The amount in yuan")
  .addParam("purpose", "The purpose: text (kept as text up to 31 bytes, else hashed) or a 32-byte hash")
  .addParam("from", "The officer's named account or address")
  .setAction(async (args: { organisation: string; to: string; amount: string; purpose: string; from: string }, hre) => {
    const { payFromAccount, parseAmount, formatAmount } = await import("../lib/treasury/treasury");
    const amount = attempt(() => parseAmount(args.amount));
    const signer = await signerFor(hre, args.from);
    const { paymentId, hash } = await payFromAccount(
      hre,
      signer,
      wholeNumber(args.organisation, "--organisation"),
      args.to,
      amount,
      args.purpose,
    ).catch(fail);
    console.log(`Payment ${paymentId}: ${formatAmount(amount)} to ${args.to} (tx ${hash})`);
  });

task("treasury:payout", "Pay a programme's current period to every eligible beneficiary (resumable)")
  .addParam("programme", "The programme (e.g. PENSION)")
  .addParam("from", "The officer's named account or address")
  .addOptionalParam("batch", "Beneficiaries per transaction", 200, types.int)
  .addOptionalParam("maxBatches", "Stop after this many transactions (a rerun goes on)", undefined, types.int)
  .addFlag("quiet", "No progress bar")
  .setAction(
    async (args: { programme: string; from: string; batch: number; maxBatches?: number; quiet: boolean }, hre) => {
      const { payoutPeriod, formatPayoutSummary } = await import("../lib/treasury/treasury");
      const { SingleBar, Presets } = await import("cli-progress");
      const signer = await signerFor(hre, args.from);
      const bar = args.quiet || !process.stdout.isTTY ? undefined : new SingleBar({}, Presets.shades_classic);
      const summary = await payoutPeriod(hre, signer, args.programme, {
        batchSize: args.batch,
        maxBatches: args.maxBatches,
        onProgress: (done, total) => {
          if (!bar) return;
          if (done === 0) bar.start(total, 0);
          else bar.update(done);
        },
      })
        .catch(fail)
        .finally(() => bar?.stop());
      console.log(formatPayoutSummary(summary));
    },
  );

task("treasury:statement", "An account's or a programme's movements, rebuilt from events, with totals")
  .addOptionalParam("organisation", "An organisation's identity id")
  .addOptionalParam("programme", "A programme's id (e.g. PENSION)")
  .setAction(async (args: { organisation?: string; programme?: string }, hre) => {
    const { statement, formatStatement } = await import("../lib/treasury/treasury");
    if ((args.organisation === undefined) === (args.programme === undefined))
      fail(new Error("give --organisation or --programme"));
    const result = await statement(hre, {
      organisation: args.organisation === undefined ? undefined : wholeNumber(args.organisation, "--organisation"),
      programme: args.programme,
    }).catch(fail);
    console.log(formatStatement(result));
  });
