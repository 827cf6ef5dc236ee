/**
 * The index's handlers: each GovChain event is kept as it came (`chain_event`), then, where the query API needs it,
 * folded into the registers' state. The contracts and their events are those of the deployment (ponder.config.ts),
 * so one loop registers them all; `projections` says what each event changes.
 */
import { ponder } from "ponder:registry";
import { chainEvent } from "ponder:schema";

import { loadDeployments } from "./deployments";
import { projections, type IndexedEvent, type Context } from "./projections";

const { contracts } = loadDeployments(process.env.GOVCHAIN_NETWORK ?? "localhost");

/** Event arguments as JSON: whole numbers as decimal strings, arrays and structs kept. */
function plain(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

for (const contract of contracts) {
  for (const item of contract.abi) {
    if (item.type !== "event" || item.name === "EIP712DomainChanged") continue;
    const name = `${contract.name}:${item.name}`;
    const project = projections[name];
    // the registry's types know only event names written in code; these come from the deployment
    ponder.on(name as never, async ({ event, context }: { event: IndexedEvent; context: Context }) => {
      await context.db.insert(chainEvent).values({
        id: `${event.block.number}:${event.log.logIndex}`,
        contract: contract.name,
        name: item.name,
        args: plain(event.args),
        blockNumber: event.block.number,
        timestamp: event.block.timestamp,
        transactionHash: event.transaction.hash,
        logIndex: event.log.logIndex,
      });
      if (project) await project(event, context);
    });
  }
}
