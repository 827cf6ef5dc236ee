/**
 * Ports for the nodes the tools, tests and benchmarks start: one the system has free, and a check that nothing
 * listens on a given one, so that a test never talks to a node someone else started there.
 */
import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on now, chosen by the system. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 is free: whether it can be listened on now. */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}
