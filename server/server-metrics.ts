/**
 * ServerMetrics: what the engine reports for an operator's dashboards, as a few calls from the
 * places where each event happens (session.ts, parrot-server.ts, the fan-out bus, the history
 * store: counted-message-store.ts). The default
 * reports nothing; `PrometheusMetrics` (prometheus-metrics.ts) counts for `/metrics`. Gauges
 * (sessions by state, rooms) are read at scrape time from the server instead of being kept here.
 */
import type { ErrorCodeName } from "../generated/index.ts";

export interface ServerMetrics {
  /** A client PDU was handled: its type and the handler's outcome ("OK", "BAD_CREDENTIALS", ...). */
  pduHandled(type: string, outcome: string): void;
  /** An ERROR PDU went to a client (a refused connection's SERVER_FULL included). */
  errorSent(code: ErrorCodeName): void;
  /** A session was closed for silence: HANDSHAKE_TIMEOUT or PING_TIMEOUT. */
  timedOut(code: ErrorCodeName): void;
  /** A session was closed because relayed PDUs backed up behind its socket. */
  slowReaderClosed(): void;
  /** A fan-out reached this many participants. */
  delivered(recipients: number): void;
  /** (v3) A message was stored in a room's or a direct conversation's history. */
  historyStored(conversation: "room" | "direct"): void;
  /** (v3) Direct messages queued for an offline user, taken by their login, or dropped (full). */
  offlineQueue(event: "queued" | "taken" | "dropped", messages: number): void;
}

export const NO_METRICS: ServerMetrics = {
  pduHandled() {},
  errorSent() {},
  timedOut() {},
  slowReaderClosed() {},
  delivered() {},
  historyStored() {},
  offlineQueue() {},
};
