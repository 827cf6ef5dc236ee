/**
 * The Treasury's ledger as statements: an organisation's account and a benefit programme's budget, each movement
 * with its legal basis and the balance after it, rebuilt from the Treasury's events as the index keeps them. The
 * balance after the last movement is the one the Treasury holds (`account(id).balance`, `programme(id).budget`).
 */
import { type OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "ponder";
import { db } from "ponder:api";
import schema from "ponder:schema";

import * as S from "./schemas";

type Event = typeof schema.chainEvent.$inferSelect;
type Args = Record<string, string>;

export interface Movement {
  blockNumber: string;
  timestamp: string;
  transactionHash: string;
  event: string;
  /** Signed: negative when the budget paid out. */
  amount: string;
  balance: string;
  law: string;
  description: string;
}

/** The Treasury's events of these names, oldest first. */
async function treasuryEvents(names: string[]): Promise<Event[]> {
  return db
    .select()
    .from(schema.chainEvent)
    .where(and(eq(schema.chainEvent.contract, "Treasury"), inArray(schema.chainEvent.name, names)))
    .orderBy(asc(schema.chainEvent.blockNumber), asc(schema.chainEvent.logIndex));
}

/** Movements with the running balance, from each event's signed amount (events that move nothing left out). */
function statement(events: Event[], move: (name: string, args: Args) => [bigint, string] | undefined): Movement[] {
  let balance = 0n;
  const movements: Movement[] = [];
  for (const e of events) {
    const args = e.args as Args;
    const moved = move(e.name, args);
    if (!moved) continue;
    balance += moved[0];
    movements.push({
      blockNumber: e.blockNumber.toString(),
      timestamp: e.timestamp.toString(),
      transactionHash: e.transactionHash,
      event: e.name,
      amount: moved[0].toString(),
      balance: balance.toString(),
      law: args.lawId ?? "",
      description: moved[1],
    });
  }
  return movements;
}

/** An organisation's account: allocations, reallocations, payments in and out, reversals, its closing. */
export async function organisationStatement(organisation: string): Promise<Movement[]> {
  const events = await treasuryEvents([
    "BudgetAllocated",
    "BudgetReallocated",
    "PaymentMade",
    "PaymentReversed",
    "AccountClosed",
  ]);
  // a reversal names its payment only: which side it credits is the payment's
  const payments = new Map(
    events.filter((e) => e.name === "PaymentMade").map((e) => [(e.args as Args).paymentId, e.args as Args]),
  );
  return statement(events, (name, a) => {
    switch (name) {
      case "BudgetAllocated":
        return a.organisation === organisation ? [BigInt(a.amount), "allocated"] : undefined;
      case "AccountClosed":
        return a.organisation === organisation ? [-BigInt(a.returned), "account closed, balance returned"] : undefined;
      case "BudgetReallocated":
        if (a.fromOrganisation === organisation) return [-BigInt(a.amount), "reallocated away"];
        return a.toOrganisation === organisation ? [BigInt(a.amount), "reallocated here"] : undefined;
      case "PaymentMade":
        if (a.fromOrganisation === organisation) return [-BigInt(a.amount), `payment ${a.paymentId}`];
        return a.toOrganisation === organisation ? [BigInt(a.amount), `payment ${a.paymentId} received`] : undefined;
      case "PaymentReversed": {
        const paid = payments.get(a.paymentId);
        if (paid?.fromOrganisation === organisation) return [BigInt(a.amount), `reversal of payment ${a.paymentId}`];
        return paid?.toOrganisation === organisation
          ? [-BigInt(a.amount), `reversal of payment ${a.paymentId} received`]
          : undefined;
      }
    }
  });
}

/** A programme's budget: fundings, reallocations, claims, payouts, its release when its law is repealed. */
export async function programmeStatement(programme: string): Promise<Movement[]> {
  const events = await treasuryEvents([
    "ProgrammeFunded",
    "BudgetReallocated",
    "BenefitClaimed",
    "PayoutMade",
    "ProgrammeBudgetReleased",
  ]);
  return statement(events, (name, a) => {
    switch (name) {
      case "ProgrammeFunded":
        return a.programmeId === programme ? [BigInt(a.amount), "funded"] : undefined;
      case "ProgrammeBudgetReleased":
        return a.programmeId === programme ? [-BigInt(a.amount), "released to the reserve"] : undefined;
      case "BudgetReallocated":
        if (a.fromProgramme === programme) return [-BigInt(a.amount), "reallocated away"];
        return a.toProgramme === programme ? [BigInt(a.amount), "reallocated here"] : undefined;
      case "BenefitClaimed":
        return a.programmeId === programme
          ? [-BigInt(a.amount), `claim by identity ${a.beneficiary}, period ${a.period}`]
          : undefined;
      case "PayoutMade":
        return a.programmeId === programme
          ? [-BigInt(a.amount) * BigInt(a.count), `payout of period ${a.period} to ${a.count} beneficiaries`]
          : undefined;
    }
  });
}

const Movements = z
  .object({
    balance: S.Uint,
    movements: z.array(
      z.object({
        blockNumber: S.Uint,
        timestamp: S.Uint,
        transactionHash: z.string(),
        event: z.string(),
        amount: z.string().openapi({ description: "signed, in the token's smallest unit" }),
        balance: S.Uint,
        law: z.string(),
        description: z.string(),
      }),
    ),
  })
  .openapi("TreasuryStatement");

/** Whether the Treasury emitted `name` with `field` equal to `value` (an account opened, a programme defined). */
async function exists(name: string, field: string, value: string): Promise<boolean> {
  return (await treasuryEvents([name])).some((e) => (e.args as Args)[field] === value);
}

const answer = (movements: Movement[]) => ({ balance: movements.at(-1)?.balance ?? "0", movements });

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});
const responses = {
  200: json(Movements, "the statement"),
  400: json(S.ErrorBody, "bad input"),
  404: json(S.ErrorBody, "no such account or programme"),
};

/** Adds the two statements' routes; `toId` reads a programme's id from its text or hex. */
export function treasuryRoutes(app: OpenAPIHono, toId: (value: string) => string) {
  app.openapi(
    createRoute({
      method: "get",
      path: "/organisations/{organisation}/account",
      summary: "An organisation's account in the Treasury: every movement with its law and the balance after it",
      request: { params: z.object({ organisation: S.Uint }) },
      responses,
    }),
    async (c) => {
      const { organisation } = c.req.valid("param");
      if (!(await exists("AccountOpened", "organisation", organisation)))
        return c.json({ error: `organisation ${organisation} has no account in the Treasury` }, 404);
      return c.json(answer(await organisationStatement(organisation)), 200);
    },
  );
  app.openapi(
    createRoute({
      method: "get",
      path: "/programmes/{programme}/statement",
      summary: "A benefit programme's budget: fundings, claims and payouts with their laws, and the balance after each",
      request: { params: z.object({ programme: S.TextId }) },
      responses,
    }),
    async (c) => {
      const { programme } = c.req.valid("param");
      const id = toId(programme);
      if (!(await exists("ProgrammeDefined", "programmeId", id)))
        return c.json({ error: `no programme ${programme}` }, 404);
      return c.json(answer(await programmeStatement(id)), 200);
    },
  );
}
