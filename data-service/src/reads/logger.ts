/**
 * The gated routes' structured log: one JSON line per request on stdout (pino), with its id, route, status, time
 * taken, signer, and the access-log entry and outcome where there is one. Never a record's fields, a document or a
 * purpose's text: the log is read by operators, the data only under law. Ponder's own log stays as it is.
 */
import pino from "pino";

export const logger = pino({
  name: "govchain-data",
  level: process.env.GOVCHAIN_LOG_LEVEL ?? "info",
  base: { pid: process.pid },
});

export interface RequestLine {
  reqId: string;
  route: string;
  status: number;
  ms: number;
  signer?: string;
  entryId?: string;
  outcome?: "read" | "refused" | "not found";
  problem?: string;
}

export const logRequest = (line: RequestLine) =>
  line.status >= 500 ? logger.error(line, "request failed") : logger.info(line, "request");
