/**
 * ParrotServerOptions: everything a server can be given, and how the defaults are filled in to
 * make the SharedState every session works with. Each collaborator is an option, in-memory by
 * default, so `make server` needs nothing else; a cluster (issue 13) or a deliberately broken
 * variant of the conformance suite swaps one (server/README.md, "Seams").
 */
import { classify, LIMITS, SUPPORTED_VERSIONS, TIMER_DEFAULTS_MS } from "../generated/index.ts";
import { isLoopbackIp } from "../transport/address.ts";
import type { Listener } from "../transport/listener.ts";
import { whenReady } from "./awaitable.ts";
import { CountedMessageStore } from "./counted-message-store.ts";
import { type FanOutBus, LocalBus } from "./fan-out-bus.ts";
import { IMPLEMENTED_VERSIONS, SERVER_HANDLERS } from "./handlers/index.ts";
import { DEFAULT_HISTORY_PAGE_SIZE, type HistoryContext } from "./history/history-context.ts";
import { KeyedLanes } from "./history/keyed-lanes.ts";
import { MemoryMessageStore } from "./history/memory-message-store.ts";
import type { MessageStore } from "./history/message-store.ts";
import { appendThenPublish, type RoomMessages } from "./history/room-messages.ts";
import { createLogger, type Logger } from "./logger.ts";
import { type LoginRegistry, SingleLoginRegistry } from "./login-registry.ts";
import { LoginThrottle, type LoginThrottleOptions } from "./login-throttle.ts";
import { type Presence, PresenceHub } from "./presence-hub.ts";
import { DEFAULT_MAX_RELAY_BACKLOG_BYTES } from "./relay-outbox.ts";
import { RoomRegistry, type Rooms } from "./room-registry.ts";
import { NO_METRICS, type ServerMetrics } from "./server-metrics.ts";
import type { ServerClassifier, ServerHandlerTable, SharedState } from "./session-context.ts";
import { type Directory, SessionDirectory } from "./session-directory.ts";
import { type TimeoutScheduler, TimeoutWheel } from "./timeout-wheel.ts";
import { TypingTracker } from "./typing-tracker.ts";
import { type Authenticator, UserStore } from "./user-store.ts";
import { DEFAULT_USERS_FILE } from "./users-file.ts";

export const DEFAULT_HOST = "localhost";
export const DEFAULT_PORT = 55667;

/** What the server offers in negotiation unless told otherwise. */
export const DEFAULT_VERSIONS: readonly number[] = SUPPORTED_VERSIONS.filter((version) =>
  IMPLEMENTED_VERSIONS.includes(version),
);

/** Opens one listener; given the server's handshake timeout (TLS bounds its handshake by it). */
export type ListenerFactory = (server: { handshakeTimeoutMs: number }) => Promise<Listener>;

export interface ParrotServerOptions {
  /** Address to listen on; default "localhost". Ignored when `listeners` is given. */
  host?: string;
  /** Port; default 55667; 0 picks a free one (read it from `address.port`). */
  port?: number;
  /** Serve TLS with this PEM certificate and key instead of plain TCP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /**
   * The transports to accept connections on, opened in order; default one TCP (or, with `tls`,
   * TLS) listener on `host`:`port`. `[]` listens nowhere: hand streams to `server.handle()`.
   */
  listeners?: readonly ListenerFactory[];
  /** Users file (created with the demo accounts if missing); default `.parrot/users.txt`. */
  usersFile?: string;
  pingIntervalMs?: number;
  pingTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  /** How long shutdown waits for the last writes; also bounds every graceful close. */
  shutdownGraceMs?: number;
  /** Connections beyond this many get ERROR SERVER_FULL; default unlimited. */
  maxConnections?: number;
  /**
   * Versions offered in negotiation; default every version of the spec that the handlers
   * implement (DEFAULT_VERSIONS). `[1]` makes a version-1-only server.
   */
  supportedVersions?: readonly number[];
  /** (v2) Typing indicators expire this long after their last STARTED; default 5000 (spec). */
  typingTimeoutMs?: number;
  /**
   * Relayed bytes (room messages, DMs, events) a connection that does not read may have queued
   * behind its backed-up socket before it is closed with SLOW_CONSUMER; default 1 MiB
   * (relay-outbox.ts), within the spec's limits.minRelayBacklogBytes and maxRelayBacklogBytes.
   */
  maxRelayBacklogBytes?: number;
  /**
   * (v3) The most HISTORY_ITEMs in one HISTORY_PAGE, advertised as SESSION_INFO.max_page; default
   * 100, at most the spec's limits.maxHistoryPage (200).
   */
  historyPageSize?: number;
  /**
   * (v3) Unix time in ms, for each message's acceptance time; default Date.now. Tests pass a
   * fixed one. (`clock` is the timers' monotonic clock, not a time of day.)
   */
  wallClock?: () => number;
  /** Default: pino to stderr at `logLevel` (default "info"). */
  logger?: Logger;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

  // Seams: swap one collaborator.
  /** Checks passwords; default a UserStore on `usersFile` behind a LoginThrottle. */
  authenticator?: Authenticator;
  /**
   * The default authenticator's throttle (REQ-10.8): where it counts failures (default this
   * process's memory; a cluster passes its Redis, REQ-10.11) and which source hosts it exempts
   * (default loopback). Ignored when `authenticator` is given.
   */
  loginThrottle?: Pick<LoginThrottleOptions, "state" | "exempt">;
  /** Login leases; default SingleLoginRegistry (one live login per user, in this process). */
  logins?: LoginRegistry;
  /** Ping and handshake timeouts; default a TimeoutWheel. Stopped by close(). */
  timeouts?: TimeoutScheduler;
  /**
   * The clock of every timer (performance.now() milliseconds by default). Tests pass a fake one
   * together with a `timeouts` TimeoutWheel on the same clock, and drive both.
   */
  clock?: () => number;
  /** (v2) Rooms, their limits and the room fan-out (`broadcast`); default `new RoomRegistry()`. */
  rooms?: Rooms;
  /** (v2) Who is logged in on which participant; default an in-memory SessionDirectory. */
  directory?: Directory;
  /** (v2) Presence subscriptions; default an in-memory PresenceHub. */
  presence?: Presence;
  /** (v2) Where every fan-out is published; default a LocalBus on the three registries above. */
  bus?: FanOutBus;
  /**
   * (v3) Where history and offline direct messages are kept (server/history/README.md); default a
   * MemoryMessageStore with its default bounds. A store given here is the caller's to close.
   */
  historyStore?: MessageStore;
  /**
   * (v3) How a room message takes its id and its place in the room's order, in one step; default
   * the store's append, then the bus (room-messages.ts). A cluster gives its own (REQ-13.18).
   */
  roomMessages?: RoomMessages;
  /**
   * Handlers to use instead of the reference ones (handlers/index.ts SERVER_HANDLERS) for some
   * message types; an override may call the reference handler it replaces.
   */
  handlers?: Partial<ServerHandlerTable>;
  /** Counts events for `/metrics`; default NO_METRICS (server-metrics.ts). */
  metrics?: ServerMetrics;
  /** The spec's verdict on a received PDU; default the generated `classify` for the server. */
  classify?: ServerClassifier;
}

/** The reference classification: protocol.json's rules for the server role. */
export const serverClassify: ServerClassifier = (state, negotiatedVersion, header) =>
  classify("server", state, negotiatedVersion, header);

/** Fills in the defaults: the state every session of one server shares. */
export async function sharedStateFrom(options: ParrotServerOptions): Promise<SharedState> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? "info" });
  // First: a users file that cannot be read fails the start before any timer runs.
  // Guessing is slowed per account and per source address (REQ-10.8); loopback peers are local
  // processes (the conformance suite, health checks), not a remote attacker, and are exempt.
  const authenticator = options.authenticator ?? (await throttledUserStore(options, logger));
  // The spec fixes how late a timeout may fire; a tick of a quarter of that leaves room for lag.
  const tolerance = TIMER_DEFAULTS_MS.timeoutTolerance;
  const now = options.clock ?? (() => performance.now());
  const timeouts =
    options.timeouts ??
    new TimeoutWheel({
      tickMs: Math.min(250, tolerance / 4),
      now,
      onError: (error) => logger.error({ err: error }, "timeout handler failed"),
    });
  const directory = options.directory ?? new SessionDirectory();
  const rooms = options.rooms ?? new RoomRegistry();
  const presence = options.presence ?? new PresenceHub();
  const metrics = options.metrics ?? NO_METRICS;
  const bus = countedBus(options.bus ?? new LocalBus({ directory, rooms, presence }), metrics);
  const supportedVersions = checkVersions(options.supportedVersions ?? DEFAULT_VERSIONS);
  return {
    authenticator,
    metrics,
    logins: options.logins ?? new SingleLoginRegistry(),
    timeouts,
    logger,
    timers: {
      pingIntervalMs: options.pingIntervalMs ?? TIMER_DEFAULTS_MS.pingInterval,
      pingTimeoutMs: options.pingTimeoutMs ?? TIMER_DEFAULTS_MS.pingTimeout,
      handshakeTimeoutMs: options.handshakeTimeoutMs ?? TIMER_DEFAULTS_MS.handshakeTimeout,
    },
    supportedVersions,
    handlers: { ...SERVER_HANDLERS, ...options.handlers },
    classify: options.classify ?? serverClassify,
    directory,
    rooms,
    presence,
    bus,
    typing: new TypingTracker({
      scheduler: timeouts,
      bus,
      logger,
      now,
      typingTimeoutMs: options.typingTimeoutMs ?? TIMER_DEFAULTS_MS.typingTimeout,
    }),
    history: supportedVersions.includes(3) ? historyFrom(options, bus, metrics) : undefined,
    maxRelayBacklogBytes: checkRelayBacklog(
      options.maxRelayBacklogBytes ?? DEFAULT_MAX_RELAY_BACKLOG_BYTES,
    ),
    now,
  };
}

/** REQ-12.37, 12.38: the bound on a slow reader's backlog lies within the spec's limits. */
function checkRelayBacklog(bytes: number): number {
  const { minRelayBacklogBytes: least, maxRelayBacklogBytes: most } = LIMITS;
  if (!Number.isSafeInteger(bytes) || bytes < least || bytes > most) {
    throw new RangeError(
      `maxRelayBacklogBytes must be an integer from ${least} to ${most} (spec limits.minRelayBacklogBytes, maxRelayBacklogBytes)`,
    );
  }
  return bytes;
}

/** (v3) The store, checked against what SESSION_INFO can advertise, and the rest of the context. */
function historyFrom(
  options: ParrotServerOptions,
  bus: FanOutBus,
  metrics: ServerMetrics,
): HistoryContext {
  const given = options.historyStore ?? new MemoryMessageStore();
  const store = metrics === NO_METRICS ? given : new CountedMessageStore(given, metrics);
  const { historyCount, historyAgeMs, offlineQueue } = store.limits;
  if (historyCount === 0 && historyAgeMs === 0) {
    throw new RangeError("historyStore keeps history without a bound (REQ-15.13)");
  }
  // SESSION_INFO carries offline_queue and stored_count in a u2, history_age_s in a u4.
  if (offlineQueue > 0xffff || Math.ceil(historyAgeMs / 1000) > 0xffffffff) {
    throw new RangeError("historyStore limits do not fit SESSION_INFO (offline_queue is a u2)");
  }
  return {
    store,
    roomMessages:
      countedRoomMessages(options.roomMessages, metrics) ?? appendThenPublish(store, bus),
    pageSize: checkHistoryPageSize(options.historyPageSize ?? DEFAULT_HISTORY_PAGE_SIZE),
    lanes: new KeyedLanes(),
    wallClock: options.wallClock ?? Date.now,
  };
}

/** REQ-15.13: SESSION_INFO.max_page lies within 1..limits.maxHistoryPage. */
function checkHistoryPageSize(size: number): number {
  if (!Number.isInteger(size) || size < 1 || size > LIMITS.maxHistoryPage) {
    throw new RangeError(
      `historyPageSize must be an integer from 1 to ${LIMITS.maxHistoryPage} (spec limits.maxHistoryPage)`,
    );
  }
  return size;
}

/** A cluster's room messages, reporting their reach as the counted bus does for the rest. */
function countedRoomMessages(
  roomMessages: RoomMessages | undefined,
  metrics: ServerMetrics,
): RoomMessages | undefined {
  if (roomMessages === undefined || metrics === NO_METRICS) return roomMessages;
  return {
    atomic: roomMessages.atomic,
    say: (room, draft) =>
      whenReady(roomMessages.say(room, draft), (recipients) => {
        metrics.delivered(recipients);
        return recipients;
      }),
  };
}

/** The bus, reporting how many participants each fan-out reached. */
function countedBus(bus: FanOutBus, metrics: ServerMetrics): FanOutBus {
  if (metrics === NO_METRICS) return bus;
  return {
    publish: (audience, pdu) =>
      whenReady(bus.publish(audience, pdu), (recipients) => {
        metrics.delivered(recipients);
        return recipients;
      }),
  };
}

/** Sorted, without duplicates; every version must be one the handlers implement. */
function checkVersions(versions: readonly number[]): readonly number[] {
  const unique = [...new Set(versions)].sort((a, b) => a - b);
  if (unique.length === 0) throw new RangeError("supportedVersions must list at least one version");
  for (const version of unique) {
    if (!DEFAULT_VERSIONS.includes(version)) {
      throw new RangeError(
        `version ${version} is not one this server implements (${DEFAULT_VERSIONS.join(", ")})`,
      );
    }
  }
  return unique;
}

/**
 * The default authenticator: the users file behind the login throttle. Warns when the demo
 * accounts, whose passwords everyone knows, are served on an address off loopback.
 */
async function throttledUserStore(
  options: ParrotServerOptions,
  logger: Logger,
): Promise<Authenticator> {
  const store = await UserStore.open(options.usersFile ?? DEFAULT_USERS_FILE, { logger });
  const host = options.host ?? "localhost";
  if (host !== "localhost" && !isLoopbackIp(host)) {
    const demo = await store.demoAccountsInUse();
    if (demo.length > 0) {
      logger.warn(
        { accounts: demo, host },
        "demo accounts with well-known passwords are served off loopback: change or remove them",
      );
    }
  }
  return new LoginThrottle(store, { exempt: isLoopbackIp, ...options.loginThrottle });
}
