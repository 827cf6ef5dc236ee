/**
 * The treasury's tools: minting, allocations (drafted as law updates), payments, benefit payouts in resumable
 * batches, and statements of an account or a programme rebuilt from events. Amounts are given and shown in yuan
 * with two decimals ("1234.56"); on chain they are fen.
 */
import { ZeroHash, formatUnits, id as hashText, isAddress, parseUnits, type Signer } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import { draftLawUpdate } from "../law/draft";
import { readableId, readableText, textId } from "../common/ids";
import { eventSource, queryEvents } from "../common/events";
import { accountNamer } from "../common/names";
import type { LawUpdateFile } from "../law/lawUpdate";
import { getFinance, getServices, getSystem } from "../common/system";
import { explain, Refused, sendChecked } from "../common/tx";

export const DECIMALS = 2;

/**
 * "1234.56" or "1,234.56" (yuan) → 123456n (fen). Strict: digits with at most two decimals, optionally with commas
 * between groups of exactly three digits (as amounts are written in China and in the demo). Anything else is
 * refused rather than guessed: "10,00" (a decimal comma?) and "1 0" were once read as 1,000.00 and 10.00.
 */
export function parseAmount(text: string): bigint {
  if (!/^(\d+|\d{1,3}(,\d{3})+)(\.\d{1,2})?$/.test(text)) {
    throw new Error(
      `"${text}" is not an amount in yuan: digits with at most two decimals after a point, commas only between ` +
        `groups of three digits (e.g. 1234.56 or 1,234.56)`,
    );
  }
  const amount = parseUnits(text.replace(/,/g, ""), DECIMALS);
  if (amount === 0n) throw new Error("the amount must be more than zero");
  return amount;
}

/** 123456n (fen) → "1,234.56". */
export function formatAmount(fen: bigint): string {
  const negative = fen < 0n;
  const [whole, cents] = formatUnits(negative ? -fen : fen, DECIMALS).split(".");
  return `${negative ? "-" : ""}${BigInt(whole).toLocaleString("en-US")}.${(cents ?? "0").padEnd(2, "0")}`;
}

/** A purpose or reason as bytes32: its text when it fits (readable on chain), else its hash; or given as hash. */
export function purposeId(text: string): string {
  if (/^0x[0-9a-fA-F]{64}$/.test(text)) return text;
  return Buffer.byteLength(text, "utf8") <= 31 ? textId(text) : hashText(text);
}

/** An address: as given, or a named account. */
async function addressOf(hre: HardhatRuntimeEnvironment, who: string): Promise<string> {
  if (isAddress(who)) return who;
  const named = await hre.getNamedAccounts();
  if (named[who]) return named[who];
  throw new Error(`"${who}" is neither an address nor a named account (${Object.keys(named).join(", ")})`);
}

/** Mints `amount` (fen) to `to`, by a minter; checks the receiver and the allowance before sending. */
export async function mintTokens(hre: HardhatRuntimeEnvironment, minter: Signer, to: string, amount: bigint) {
  const { fiatToken } = await getFinance(hre, minter);
  const receiver = to === "Treasury" ? ((await getFinance(hre)).treasury.target as string) : await addressOf(hre, to);
  const me = await minter.getAddress();
  if (!(await fiatToken.isMinter(me)))
    throw new Error(`${(await accountNamer(hre))(me)} is not a minter: a law must configure it`);
  const allowance = await fiatToken.minterAllowance(me);
  if (amount > allowance) {
    throw new Error(`${formatAmount(amount)} exceeds what ${me} may still mint: ${formatAmount(allowance)}`);
  }
  if (!(await fiatToken.canHold(receiver))) {
    throw new Error(`${receiver} may not hold the token: not a live key of an active identity, nor a service account`);
  }
  return sendChecked(hre, fiatToken, "mint", [receiver, amount]);
}

export interface Allocation {
  organisation?: bigint;
  programme?: string;
  amount: bigint;
}

/**
 * Drafts the law update that allocates budgets: Treasury.allocate for organisations, Treasury.fundProgramme for
 * programmes. Legislators sign it with law:sign and anyone enacts it with law:enact.
 */
export async function draftAllocation(
  hre: HardhatRuntimeEnvironment,
  law: string,
  textFile: string,
  allocations: Allocation[],
): Promise<LawUpdateFile> {
  if (allocations.length === 0) throw new Error("nothing to allocate");
  const { treasury } = await getFinance(hre);
  let total = 0n;
  const calls = allocations.map((a) => {
    total += a.amount;
    if ((a.organisation === undefined) === (a.programme === undefined)) {
      throw new Error("each allocation names an organisation or a programme, not both");
    }
    return a.organisation !== undefined
      ? { contract: "Treasury", function: "allocate", args: [a.organisation.toString(), a.amount.toString()] }
      : { contract: "Treasury", function: "fundProgramme", args: [a.programme!, a.amount.toString()] };
  });
  const reserve = await treasury.reserve();
  if (total > reserve) {
    throw new Error(
      `the allocations (${formatAmount(total)}) exceed the Treasury's reserve (${formatAmount(reserve)})`,
    );
  }
  return draftLawUpdate(hre, { law: { lawId: law, text: textFile, calls }, baseDir: process.cwd() });
}

/** Pays `amount` (fen) from an organisation's account to `to`, by one of its finance officers. */
export async function payFromAccount(
  hre: HardhatRuntimeEnvironment,
  officer: Signer,
  organisation: bigint,
  to: string,
  amount: bigint,
  purpose: string,
): Promise<{ paymentId: bigint; hash: string }> {
  const { treasury, fiatToken } = await getFinance(hre, officer);
  const receiver = await addressOf(hre, to);
  const account = await treasury.account(organisation);
  if (!account.open) throw new Error(`organisation ${organisation} has no account in the Treasury`);
  if (amount > account.balance) {
    throw new Error(
      `organisation ${organisation}'s account holds ${formatAmount(account.balance)}, less than ${formatAmount(amount)}`,
    );
  }
  if (!(await fiatToken.canHold(receiver))) throw new Error(`${receiver} may not hold the token`);
  const receipt = await sendChecked(hre, treasury, "pay", [organisation, receiver, amount, purposeId(purpose)]);
  const event = receipt.logs.map((l) => treasury.interface.parseLog(l)).find((e) => e?.name === "PaymentMade");
  return { paymentId: event!.args.paymentId as bigint, hash: receipt.hash };
}

export interface PayoutOptions {
  batchSize?: number;
  /** Stop after this many batches (to pay in instalments; a rerun goes on). */
  maxBatches?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface PayoutSummary {
  programme: string;
  period: bigint;
  amount: bigint;
  enrolled: number;
  paid: number;
  alreadyPaid: number;
  notPayable: { beneficiary: bigint; reason: string }[];
  transactions: number;
  gasUsed: bigint;
  /** Beneficiaries still to pay when the run stopped early (maxBatches). */
  remaining: number;
}

const REASONS = [
  "",
  "already paid",
  "not enrolled",
  "stopped (a record in the stop register, e.g. a death)",
  "key frozen",
  "key not the beneficiary's",
  "key revoked",
  "identity not active",
];

/**
 * Pays a programme's current period to every eligible beneficiary, in batches. The beneficiaries are the subjects
 * of the programme's enrolment register (from its events); each is paid at its first key that may hold the token.
 * Those already paid this period are left out before sending, and the contract passes over them too: a rerun
 * after an interruption pays no one twice.
 */
export async function payoutPeriod(
  hre: HardhatRuntimeEnvironment,
  officer: Signer,
  programme: string,
  options: PayoutOptions = {},
): Promise<PayoutSummary> {
  const batchSize = options.batchSize ?? 200;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error("the batch size must be a whole number ≥ 1");
  const { treasury, fiatToken } = await getFinance(hre, officer);
  const { civilRegistry } = await getServices(hre);
  const { identityRegistry } = await getSystem(hre);
  const programmeId = textId(programme);
  const record = await treasury.programme(programmeId);
  if (record.lawId === ZeroHash) throw new Error(`there is no programme ${programme}`);
  const [period, amount] = await treasury.currentPeriod(programmeId).catch(async (error) => {
    throw new Error(await explain(hre, error));
  });

  const events = await civilRegistry.queryFilter(
    civilRegistry.filters.RecordAdded(undefined, record.enrolmentRegister),
  );
  const subjects = [...new Set(events.map((e) => e.args.subject as bigint))].sort((a, b) => (a < b ? -1 : 1));
  const summary: PayoutSummary = {
    programme,
    period,
    amount,
    enrolled: 0,
    paid: 0,
    alreadyPaid: 0,
    notPayable: [],
    transactions: 0,
    gasUsed: 0n,
    remaining: 0,
  };
  const due: { beneficiary: bigint; key: string }[] = [];
  for (const beneficiary of subjects) {
    const reason = Number(await treasury.eligibility(programmeId, beneficiary));
    if (reason === 2) continue; // no longer enrolled (revoked)
    summary.enrolled++;
    if (reason === 1) summary.alreadyPaid++;
    else if (reason !== 0) summary.notPayable.push({ beneficiary, reason: REASONS[reason] });
    else {
      let key: string | undefined;
      for (const candidate of await identityRegistry.keysOf(beneficiary)) {
        if (await fiatToken.canHold(candidate)) {
          key = candidate;
          break;
        }
      }
      if (key) due.push({ beneficiary, key });
      else
        summary.notPayable.push({ beneficiary, reason: "no key that may hold the token (suspended, or keys revoked)" });
    }
  }

  const total = due.length;
  options.onProgress?.(0, total);
  let batches = 0;
  for (let i = 0; i < due.length; i += batchSize) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) {
      summary.remaining = due.length - i;
      break;
    }
    const batch = due.slice(i, i + batchSize);
    const receipt = await sendChecked(hre, treasury, "payout", [
      programmeId,
      period,
      batch.map((b) => b.beneficiary),
      batch.map((b) => b.key),
    ]).catch((error: Error) => {
      if (error instanceof Refused && error.reason.startsWith("TreasuryWrongPeriod")) {
        throw new Error(`the period changed during the payout (${error.message}): run it again to pay the new period`);
      }
      throw error;
    });
    batches++;
    summary.transactions++;
    summary.gasUsed += receipt.gasUsed;
    for (const log of receipt.logs) {
      const event = treasury.interface.parseLog(log);
      if (event?.name === "PayoutMade") summary.paid += Number(event.args.count);
      // a key that could not receive when the payout ran (frozen, revoked, …) is passed over by the contract
      else if (event?.name === "BenefitSkipped" && Number(event.args.reason) >= 4) {
        summary.notPayable.push({ beneficiary: event.args.beneficiary, reason: REASONS[Number(event.args.reason)] });
      }
    }
    options.onProgress?.(Math.min(i + batchSize, total), total);
  }
  return summary;
}

export function formatPayoutSummary(s: PayoutSummary): string {
  const lines = [
    `${s.programme}, period ${s.period}: ${formatAmount(s.amount)} each. ${s.enrolled} enrolled — ${s.paid} paid now ` +
      `(${formatAmount(s.amount * BigInt(s.paid))}), ${s.alreadyPaid} already paid, ${s.notPayable.length} not payable; ` +
      `${s.transactions} transactions, gas ${s.gasUsed}`,
    ...s.notPayable.map((n) => `  identity ${n.beneficiary}: ${n.reason}`),
  ];
  if (s.remaining > 0) lines.push(`  ${s.remaining} beneficiaries left to pay: run the payout again to go on`);
  return lines.join("\n");
}

export interface StatementLine {
  block: number;
  time: number;
  description: string;
  amount: bigint;
  balance: bigint;
  tx: string;
}

export interface Statement {
  title: string;
  lines: StatementLine[];
  credits: bigint;
  debits: bigint;
  balance: bigint;
  /** The balance the contract holds now, which the statement must reproduce. */
  onChain: bigint;
  /** Where the events were read: the data service or the node's logs. */
  source: string;
}

/**
 * An organisation's account, or a programme's budget, rebuilt from the Treasury's events alone, with its
 * totals; `onChain` is the contract's own figure, which the rebuilt balance must equal.
 */
export async function statement(
  hre: HardhatRuntimeEnvironment,
  of: { organisation?: bigint; programme?: string },
): Promise<Statement> {
  const { treasury } = await getFinance(hre);
  const entries: (Omit<StatementLine, "balance" | "time"> & { order: number })[] = [];
  let title: string;
  let onChain: bigint;
  const add = (
    e: { blockNumber: number; transactionHash: string; index: number },
    description: string,
    amount: bigint,
  ) => entries.push({ block: e.blockNumber, tx: e.transactionHash, description, amount, order: e.index } as never);

  if (of.organisation !== undefined) {
    const org = of.organisation;
    const account = await treasury.account(org);
    if (!account.open) throw new Error(`organisation ${org} has no account in the Treasury`);
    title = `Account of organisation ${org}`;
    onChain = account.balance;
    for (const e of await queryEvents(hre, treasury, treasury.filters.BudgetAllocated(org)))
      add(e, `allocated by ${readableId(e.args.lawId)}`, e.args.amount);
    const payments = new Map<bigint, { from: bigint; to: bigint; amount: bigint }>();
    for (const e of await queryEvents(hre, treasury, treasury.filters.PaymentMade())) {
      const { paymentId, fromOrganisation, toOrganisation, to, amount, purpose, lawId } = e.args;
      payments.set(paymentId, { from: fromOrganisation, to: toOrganisation, amount });
      const what = `payment ${paymentId} (${readableText(purpose)}, under ${readableId(lawId)})`;
      if (fromOrganisation === org)
        add(e, `${what} to ${toOrganisation !== 0n ? `organisation ${toOrganisation}` : to}`, -amount);
      else if (toOrganisation === org) add(e, `${what} from organisation ${fromOrganisation}`, amount);
    }
    for (const e of await queryEvents(hre, treasury, treasury.filters.PaymentReversed())) {
      const payment = payments.get(e.args.paymentId)!;
      const what = `reversal of payment ${e.args.paymentId} (${readableText(e.args.reason)})`;
      if (payment.from === org) add(e, what, e.args.amount);
      else if (payment.to === org) add(e, what, -e.args.amount);
    }
  } else if (of.programme !== undefined) {
    const programmeId = textId(of.programme);
    const record = await treasury.programme(programmeId);
    if (record.lawId === ZeroHash) throw new Error(`there is no programme ${of.programme}`);
    title = `Programme ${of.programme} (${readableId(record.lawId)})`;
    onChain = record.budget;
    for (const e of await queryEvents(hre, treasury, treasury.filters.ProgrammeFunded(programmeId)))
      add(e, `funded by ${readableId(e.args.lawId)}`, e.args.amount);
    for (const e of await queryEvents(hre, treasury, treasury.filters.BenefitClaimed(programmeId)))
      add(e, `claim by identity ${e.args.beneficiary}, period ${e.args.period}`, -e.args.amount);
    for (const e of await queryEvents(hre, treasury, treasury.filters.PayoutMade(programmeId)))
      add(e, `payout of period ${e.args.period} to ${e.args.count} beneficiaries`, -e.args.amount * e.args.count);
  } else {
    throw new Error("a statement is of an organisation's account or of a programme");
  }

  entries.sort((a, b) => (a.block !== b.block ? a.block - b.block : a.order - b.order));
  const times = new Map<number, number>();
  let balance = 0n;
  let credits = 0n;
  let debits = 0n;
  const lines: StatementLine[] = [];
  for (const entry of entries) {
    if (!times.has(entry.block)) times.set(entry.block, (await hre.ethers.provider.getBlock(entry.block))!.timestamp);
    balance += entry.amount;
    if (entry.amount > 0n) credits += entry.amount;
    else debits -= entry.amount;
    lines.push({
      block: entry.block,
      time: times.get(entry.block)!,
      description: entry.description,
      amount: entry.amount,
      balance,
      tx: entry.tx,
    });
  }
  return { title, lines, credits, debits, balance, onChain, source: (await eventSource(hre)).description };
}

export function formatStatement(s: Statement): string {
  const rows = s.lines.map(
    (l) =>
      `  ${new Date(l.time * 1000).toISOString().slice(0, 10)}  ${formatAmount(l.amount).padStart(16)}  ` +
      `${formatAmount(l.balance).padStart(16)}  ${l.description}`,
  );
  const check =
    s.balance === s.onChain
      ? `matches the Treasury's balance of ${formatAmount(s.onChain)}`
      : `DOES NOT MATCH the Treasury's balance of ${formatAmount(s.onChain)}`;
  return [
    s.title,
    `  ${"date".padEnd(10)}  ${"amount".padStart(16)}  ${"balance".padStart(16)}  movement`,
    ...rows,
    `  credits ${formatAmount(s.credits)}, debits ${formatAmount(s.debits)}, balance ${formatAmount(s.balance)}: ${check}`,
    `  (read from ${s.source})`,
  ].join("\n");
}
