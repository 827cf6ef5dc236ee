/**
 * The whole local stack: a new local chain (anvil, configured as `npm run chain` configures it), GovChain deployed
 * to it with its genesis law (`hardhat deploy --network localhost`), and the registers' data service on it (the
 * index, the vault, the gated reads and the anchorer, with the data service operator's key), each stage waiting
 * for the one before to answer. `npm run stack` starts it for a person; the demo starts one for its data scene.
 *
 * The stack's parts stop with the process that started them, however it ends (even by SIGKILL): a node or a
 * service left behind would hold its port and its database folder.
 */
import { spawn, type ChildProcess, type StdioOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";

import { devAccount, startAnvil } from "./anvil";
import { LOCAL_CHAIN } from "./chain";
import { stopWithThisProcess } from "./watchdog";

const ROOT = join(__dirname, "..", "..", "..");
const SERVICE = join(ROOT, "data-service");
/** hardhat.config.ts's `dataService`: the key the genesis Data Protection Act appoints DATA_SERVICE_OPERATOR. */
const DATA_SERVICE_ACCOUNT = 24;
/** How long the service may take to index the deployment before the stack gives up on it. */
const READY_TIMEOUT_MS = 180_000;

export interface StackOptions {
  rpcPort: number;
  servicePort: number;
  /** The folder of the service's databases (index and vault), empty or new. */
  dir: string;
  /** The deployments folder the deployment writes (hardhat-deploy's, under `localhost/`). */
  deploymentsDir: string;
  /** Where the deployment's and the service's output goes: "inherit" shows it, "ignore" keeps quiet. */
  output: "inherit" | "ignore";
  /** Tells each stage as it starts. */
  say: (line: string) => void;
  /** Seconds between the anchorer's rounds. */
  anchorInterval?: number;
}

export interface Stack {
  rpcUrl: string;
  serviceUrl: string;
  /** Stops the service (it closes its databases), then the node. */
  stop: () => Promise<void>;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const { rpcPort, servicePort, dir, deploymentsDir, output, say } = options;
  const stops: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step();
  };
  try {
    const { chainId, blockPeriod } = LOCAL_CHAIN;
    say(`the chain: anvil on http://127.0.0.1:${rpcPort}, chain id ${chainId}, a block every ${blockPeriod} s`);
    const node = await startAnvil({ port: rpcPort, chainId, blockPeriod });
    stops.push(node.stop);

    const env = { ...process.env, GOVCHAIN_RPC_PORT: String(rpcPort), GOVCHAIN_DEPLOYMENTS_DIR: deploymentsDir };
    say("the deployment: GovChain and its genesis law (hardhat deploy --network localhost)");
    await runToEnd(join(ROOT, "node_modules", ".bin", "hardhat"), ["deploy", "--network", "localhost"], {
      cwd: ROOT,
      env,
      stdio: output,
    });

    const serviceUrl = `http://127.0.0.1:${servicePort}`;
    say(`the data service on ${serviceUrl}`);
    const service = spawn(
      join(ROOT, "node_modules", ".bin", "ponder"),
      [
        ...["start", "--schema", "govchain", "--hostname", "127.0.0.1", "--port", String(servicePort)],
        // its warnings and errors only: a line per indexed block would bury the stack's own messages
        ...["--log-level", process.env.GOVCHAIN_SERVICE_LOG_LEVEL ?? "warn"],
      ],
      {
        cwd: SERVICE,
        stdio: output,
        env: {
          ...env,
          PONDER_TELEMETRY_DISABLED: "true",
          GOVCHAIN_NETWORK: "localhost",
          GOVCHAIN_PGLITE_DIR: join(dir, "index"),
          GOVCHAIN_VAULT_DIR: join(dir, "vault"),
          // a new chain each time: a new vault, under a master key of its own that dies with the stack
          GOVCHAIN_VAULT_MASTER_KEY: randomBytes(32).toString("hex"),
          GOVCHAIN_SERVICE_KEY: devAccount(DATA_SERVICE_ACCOUNT).privateKey,
          GOVCHAIN_ANCHOR_INTERVAL: String(options.anchorInterval ?? 30),
          GOVCHAIN_CONFIRMATIONS: "0",
        },
      },
    );
    stopWithThisProcess(service.pid!);
    stops.push(() => stopProcess(service));
    await ready(service, serviceUrl);
    return { rpcUrl: `http://127.0.0.1:${rpcPort}`, serviceUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs a stage to its end (stopped with this process); a failed stage is an error naming it. */
async function runToEnd(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdio: StdioOptions },
) {
  const child = spawn(command, args, options);
  stopWithThisProcess(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  if (code !== 0) throw new Error(`\`${[command.split("/").pop(), ...args].join(" ")}\` failed (exit code ${code})`);
}

/** Waits until the service says it has indexed up to the chain's head (Ponder's /ready answers 200). */
async function ready(service: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`the data service stopped (exit code ${service.exitCode})`);
    try {
      if ((await fetch(`${url}/ready`)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the data service did not catch up with the chain within ${READY_TIMEOUT_MS / 1000} s`);
}

/** Ends a process and waits for it: the service closes its embedded databases on SIGTERM. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
}
