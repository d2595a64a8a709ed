/**
 * PrometheusMetrics: ServerMetrics counted with prom-client, in a registry of its own (so two
 * servers in one process, as in tests, never share counts), plus the gauges read from a running
 * server (and a cluster node's store) at scrape time and prom-client's process metrics (event-loop lag, open and maximum file
 * descriptors, memory). `metricsText()` is the Prometheus text exposition for `/metrics`.
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { ErrorCodeName } from "../generated/index.ts";
import type { RunningParrotServer } from "./parrot-server.ts";
import type { ServerMetrics } from "./server-metrics.ts";

/** Client PDUs that carry a chat message (v1 CHAT, v2 room and direct messages, v3 direct). */
const MESSAGE_TYPES = new Set(["CHAT", "ROOM_SAY", "DIRECT_SEND", "DIRECT_SEND_V3"]);

export class PrometheusMetrics implements ServerMetrics {
  readonly registry = new Registry();
  private server: RunningParrotServer | undefined;
  private readonly logins = this.counter("parrot_logins_total", "Login attempts by result", [
    "result",
  ]);
  private readonly messages = this.counter(
    "parrot_messages_total",
    "Chat messages handled, by PDU type and outcome",
    ["type", "outcome"],
  );
  private readonly errors = this.counter("parrot_errors_sent_total", "ERROR PDUs sent, by code", [
    "code",
  ]);
  private readonly timeouts = this.counter(
    "parrot_timeouts_total",
    "Sessions closed for silence, by kind",
    ["code"],
  );
  private readonly slowReaders = this.counter(
    "parrot_slow_reader_closes_total",
    "Sessions closed because relayed PDUs backed up behind their socket",
    [],
  );
  private readonly deliveries = this.counter(
    "parrot_fanout_deliveries_total",
    "PDUs handed to participants by fan-out (one per recipient)",
    [],
  );
  private readonly historyMessages = this.counter(
    "parrot_history_messages_stored_total",
    "(v3) Messages stored in history, by conversation kind (room, direct)",
    ["conversation"],
  );
  private readonly offlineMessages = this.counter(
    "parrot_offline_messages_total",
    "(v3) Direct messages for offline users: queued, taken at login, dropped from a full queue",
    ["event"],
  );
  private readonly offlineDepth = new Gauge({
    name: "parrot_offline_queue_messages",
    help: "(v3) Direct messages waiting in offline queues, as this process counted them (queued - taken - dropped; with a shared or persistent store, the change since it started)",
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
    const sessions: Gauge<"state" | "version"> = new Gauge({
      name: "parrot_sessions",
      help: "Live sessions by protocol state and negotiated version (none before negotiation)",
      labelNames: ["state", "version"],
      registers: [this.registry],
      collect: async (): Promise<void> => {
        sessions.reset();
        for (const session of (await this.server?.snapshot())?.sessions ?? []) {
          sessions.inc({ state: session.state, version: String(session.version ?? "none") });
        }
      },
    });
    const rooms: Gauge = new Gauge({
      name: "parrot_rooms",
      help: "Rooms that exist (have members)",
      registers: [this.registry],
      collect: async (): Promise<void> => {
        // NaN (no value) while a cluster's store cannot count them, rather than a false 0.
        rooms.set((await this.server?.snapshot())?.rooms ?? Number.NaN);
      },
    });
  }

  /** A cluster node's shared store, for parrot_cluster_store_up; call once it is connected. */
  observeClusterStore(reachable: () => boolean): void {
    const up: Gauge = new Gauge({
      name: "parrot_cluster_store_up",
      help: "1 while this node reaches the cluster's shared store (Redis), 0 while it is away",
      registers: [this.registry],
      collect: () => {
        up.set(reachable() ? 1 : 0);
      },
    });
  }

  /** The server whose sessions and rooms the gauges show; call once it has started. */
  observe(server: RunningParrotServer): void {
    this.server = server;
  }

  metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  pduHandled(type: string, outcome: string): void {
    if (type === "LOGIN_REQUEST") this.logins.inc({ result: outcome });
    if (MESSAGE_TYPES.has(type)) this.messages.inc({ type, outcome });
  }

  errorSent(code: ErrorCodeName): void {
    this.errors.inc({ code });
  }

  timedOut(code: ErrorCodeName): void {
    this.timeouts.inc({ code });
  }

  slowReaderClosed(): void {
    this.slowReaders.inc();
  }

  delivered(recipients: number): void {
    this.deliveries.inc(recipients);
  }

  historyStored(conversation: "room" | "direct"): void {
    this.historyMessages.inc({ conversation });
  }

  offlineQueue(event: "queued" | "taken" | "dropped", messages: number): void {
    if (messages === 0) return;
    this.offlineMessages.inc({ event }, messages);
    this.offlineDepth.inc(event === "queued" ? messages : -messages);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[]): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }
}
