/**
 * Where the tools that rebuild views from events (law:show, registry:history, treasury:statement) read them: from
 * the registers' data service when GOVCHAIN_DATA_URL names one that has indexed this chain up to its latest block,
 * else from the node's logs, from block 0. Both give the same events: the service's are re-encoded into logs and
 * selected by the same topic filter as the node's, so the tools' code is one for both sources.
 */
import {
  EventLog,
  Log,
  ZeroHash,
  type BaseContract,
  type EventFragment,
  type Provider,
  type TopicFilter,
} from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types";

import type { TypedContractEvent, TypedDeferredTopicFilter, TypedEventLog } from "../../../typechain-types/common";

/** How long the tools wait for the service to answer, and at most for it to reach the chain's head. */
const ANSWER_TIMEOUT_MS = 1_000;
const CATCH_UP_MS = 3_000;
/** The service's largest page of events. */
const PAGE = 1_000;

export interface EventSource {
  /** The data service's URL, or undefined for the node's logs. */
  url?: string;
  /** How the source was chosen, for the tools to show. */
  description: string;
}

const sources = new WeakMap<HardhatRuntimeEnvironment, Promise<EventSource>>();

/** The source of events for this run, chosen once: the data service if it serves this chain at its head. */
export function eventSource(hre: HardhatRuntimeEnvironment): Promise<EventSource> {
  if (!sources.has(hre)) sources.set(hre, chooseSource(hre));
  return sources.get(hre)!;
}

async function chooseSource(hre: HardhatRuntimeEnvironment): Promise<EventSource> {
  const logs = (why: string): EventSource => ({ description: `the node's logs${why ? ` (${why})` : ""}` });
  const url = process.env.GOVCHAIN_DATA_URL?.replace(/\/+$/, "");
  if (!url || hre.network.name === "hardhat") return logs("");
  const { chainId } = await hre.ethers.provider.getNetwork();
  const head = await hre.ethers.provider.getBlockNumber();
  const deadline = Date.now() + CATCH_UP_MS;
  for (;;) {
    let indexed: { id: number; block: number } | undefined;
    try {
      indexed = await indexedHead(url);
    } catch (error) {
      return logs(`the data service at ${url} did not answer: ${(error as Error).message}`);
    }
    if (!indexed) return logs(`the data service at ${url} indexes no chain yet`);
    if (BigInt(indexed.id) !== chainId)
      return logs(`the data service at ${url} indexes chain ${indexed.id}, not this chain ${chainId}`);
    if (indexed.block >= head) return { url, description: `the data service at ${url} (indexed to block ${head})` };
    if (Date.now() > deadline) return logs(`the data service at ${url} has indexed block ${indexed.block} of ${head}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The chain the service indexes and the last block it has indexed (Ponder's /status). */
async function indexedHead(url: string): Promise<{ id: number; block: number } | undefined> {
  const response = await fetch(`${url}/status`, { signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`/status answered ${response.status}`);
  const chains = Object.values((await response.json()) as Record<string, { id: number; block?: { number: number } }>);
  const [chain] = chains;
  return chain?.block ? { id: chain.id, block: chain.block.number } : undefined;
}

/**
 * The events `filter` selects on `contract`, oldest first, as `contract.queryFilter(filter)` gives them, read from
 * the event source of this run.
 */
export async function queryEvents<TEvent extends TypedContractEvent>(
  hre: HardhatRuntimeEnvironment,
  contract: BaseContract,
  filter: TypedDeferredTopicFilter<TEvent>,
): Promise<TypedEventLog<TEvent>[]> {
  const { url } = await eventSource(hre);
  if (!url) return (await contract.queryFilter(filter)) as TypedEventLog<TEvent>[];
  const name = await deploymentName(hre, await contract.getAddress());
  return indexedEvents(url, contract, name, filter);
}

/**
 * The events `filter` selects on `contract` (deployed as `name`), oldest first, from the data service at `url`:
 * each indexed event encoded again into the log the node holds, and selected by the filter's topics.
 */
export async function indexedEvents<TEvent extends TypedContractEvent>(
  url: string,
  contract: BaseContract,
  name: string,
  filter: TypedDeferredTopicFilter<TEvent>,
): Promise<TypedEventLog<TEvent>[]> {
  const fragment = filter.fragment;
  const address = await contract.getAddress();
  const topicFilter = await filter.getTopicFilter();
  const provider = contract.runner?.provider;
  if (!provider) throw new Error(`the contract at ${address} is not connected to a node`);
  const found: TypedEventLog<TEvent>[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const query = new URLSearchParams({
      contract: name,
      name: fragment.name,
      limit: String(PAGE),
      offset: String(offset),
    });
    const response = await fetch(`${url}/events?${query}`, { signal: AbortSignal.timeout(30_000) });
    if (!response.ok) throw new Error(`the data service at ${url} answered ${response.status} for ${fragment.name}`);
    const { events } = (await response.json()) as { events: IndexedEvent[] };
    for (const event of events) {
      const log = asLog(contract, fragment, address, provider, event);
      if (selects(topicFilter, log.topics))
        found.push(new EventLog(log, contract.interface, fragment) as unknown as TypedEventLog<TEvent>);
    }
    if (events.length < PAGE) return found;
  }
}

interface IndexedEvent {
  args: Record<string, unknown>;
  blockNumber: string;
  transactionHash: string;
  logIndex: number;
}

/** The log the node holds for an indexed event: its arguments encoded again by the contract's ABI. */
function asLog(
  contract: BaseContract,
  fragment: EventFragment,
  address: string,
  provider: Provider,
  event: IndexedEvent,
): Log {
  const values = fragment.inputs.map((input) => event.args[input.name]);
  const { data, topics } = contract.interface.encodeEventLog(fragment, values);
  return new Log(
    {
      address,
      data,
      topics,
      blockNumber: Number(event.blockNumber),
      // the index keeps blocks by number; a tool that needs the block asks the node for it by number
      blockHash: ZeroHash,
      transactionHash: event.transactionHash,
      transactionIndex: 0,
      index: event.logIndex,
      removed: false,
    },
    provider,
  );
}

/** Whether a log's topics match a topic filter as a node matches them (null: any; a list: any of them). */
function selects(filter: TopicFilter, topics: readonly string[]): boolean {
  return filter.every((wanted, i) => {
    if (wanted === null || wanted === undefined) return true;
    const topic = topics[i]?.toLowerCase();
    return Array.isArray(wanted)
      ? wanted.some((w) => w === null || w.toLowerCase() === topic)
      : (wanted as string).toLowerCase() === topic;
  });
}

/** The deployment name the service indexes a contract under (its hardhat-deploy name). */
async function deploymentName(hre: HardhatRuntimeEnvironment, address: string): Promise<string> {
  const all = await hre.deployments.all();
  const name = Object.keys(all).find((key) => all[key].address.toLowerCase() === address.toLowerCase());
  if (!name) throw new Error(`no deployment on network "${hre.network.name}" is at ${address}`);
  return name;
}
