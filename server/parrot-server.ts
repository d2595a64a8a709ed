/**
 * The reference server, assembled: a listener (TCP or TLS), one Session per connection, a
 * server-wide LoginRegistry, the version-2 registries (session directory, rooms, presence, typing
 * indicators), one TimeoutWheel for every ping, handshake and typing timeout, and the connection
 * limit. `startParrotServer(options)` runs one in-process and returns
 * `{ address, close() }`; `parrot server` (server-command.ts) is a thin CLI around it.
 *
 * Each collaborator can be swapped through the options (`authenticator`, `logins`, `timeouts`,
 * `rooms`, `sessionFactory`): that is how the conformance suite builds its deliberately broken variants.
 * server/README.md describes the seams.
 */
import { type Pdu, SUPPORTED_VERSIONS, TIMER_DEFAULTS_MS } from "../generated/index.ts";
import type { ByteStream } from "../transport/byte-stream.ts";
import type { BoundAddress, Listener } from "../transport/listener.ts";
import { PduChannel } from "../transport/pdu-channel.ts";
import { listenTcp } from "../transport/tcp.ts";
import { listenTls } from "../transport/tls.ts";
import { createLogger, type Logger } from "./logger.ts";
import { type LoginRegistry, SingleLoginRegistry } from "./login-registry.ts";
import { errorPdu } from "./outgoing-pdu.ts";
import { PresenceHub } from "./presence-hub.ts";
import { DEFAULT_MAX_RELAY_BACKLOG_BYTES } from "./relay-outbox.ts";
import { RoomRegistry } from "./room-registry.ts";
import {
  IMPLEMENTED_VERSIONS,
  Session,
  type SessionContext,
  type SessionTimers,
} from "./session.ts";
import { SessionDirectory } from "./session-directory.ts";
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

export type SessionFactory = (id: number, channel: PduChannel, context: SessionContext) => Session;

export interface ParrotServerOptions {
  /** Address to listen on; default "localhost". */
  host?: string;
  /** Port; default 55667; 0 picks a free one (read it from `address.port`). */
  port?: number;
  /** Serve TLS with this PEM certificate and key instead of plain TCP. */
  tls?: { cert: string | Buffer; key: string | Buffer };
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
   * Versions offered in negotiation; default every version of the spec that the Session
   * implements (DEFAULT_VERSIONS). `[1]` makes a version-1-only server.
   */
  supportedVersions?: readonly number[];
  /** (v2) Typing indicators expire this long after their last STARTED; default 5000 (spec). */
  typingTimeoutMs?: number;
  /**
   * Relayed bytes (room messages, DMs, events) a connection that does not read may have queued
   * behind its backed-up socket before it is closed; default 1 MiB (relay-outbox.ts).
   */
  maxRelayBacklogBytes?: number;
  /** Default: pino to stderr at `logLevel` (default "info"). */
  logger?: Logger;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal" | "silent";

  // Seams: swap one collaborator.
  /** Checks passwords; default a UserStore on `usersFile`. */
  authenticator?: Authenticator;
  /** Who is logged in where; default SingleLoginRegistry (one live login per user). */
  logins?: LoginRegistry;
  /** Ping and handshake timeouts; default a TimeoutWheel. Stopped by close(). */
  timeouts?: TimeoutScheduler;
  /**
   * The clock of every timer (performance.now() milliseconds by default). Tests pass a fake one
   * together with a `timeouts` TimeoutWheel on the same clock, and drive both.
   */
  clock?: () => number;
  /** (v2) Rooms, their limits and the room fan-out (`broadcast`); default `new RoomRegistry()`. */
  rooms?: RoomRegistry;
  /** Builds the Session for each connection; default `new Session(...)`. */
  sessionFactory?: SessionFactory;
}

export interface RunningParrotServer {
  /** Where it actually listens (the real port when 0 was asked for). */
  readonly address: BoundAddress;
  /** Live sessions (not counting connections refused with SERVER_FULL). */
  readonly sessionCount: number;
  readonly logger: Logger;
  /**
   * Graceful shutdown: stop listening, ERROR SERVER_SHUTDOWN to every connection, wait up to
   * the shutdown grace for the writes to drain, close everything. Idempotent.
   */
  close(): Promise<void>;
}

export async function startParrotServer(
  options: ParrotServerOptions = {},
): Promise<RunningParrotServer> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? "info" });
  // The spec fixes how late a timeout may fire; a tick of a quarter of that leaves room for lag.
  const tolerance = TIMER_DEFAULTS_MS.timeoutTolerance;
  const shutdownGraceMs = options.shutdownGraceMs ?? TIMER_DEFAULTS_MS.shutdownGrace;
  const timers: SessionTimers = {
    pingIntervalMs: options.pingIntervalMs ?? TIMER_DEFAULTS_MS.pingInterval,
    pingTimeoutMs: options.pingTimeoutMs ?? TIMER_DEFAULTS_MS.pingTimeout,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? TIMER_DEFAULTS_MS.handshakeTimeout,
  };
  const maxConnections = options.maxConnections ?? Number.POSITIVE_INFINITY;
  const authenticator =
    options.authenticator ??
    (await UserStore.open(options.usersFile ?? DEFAULT_USERS_FILE, { logger }));
  const now = options.clock ?? (() => performance.now());
  const timeouts =
    options.timeouts ??
    new TimeoutWheel({
      tickMs: Math.min(250, tolerance / 4),
      now,
      onError: (error) => logger.error({ err: error }, "timeout handler failed"),
    });
  const supportedVersions = checkVersions(options.supportedVersions ?? DEFAULT_VERSIONS);
  const sessions = new Set<Session>();
  const sessionFactory: SessionFactory =
    options.sessionFactory ?? ((id, channel, context) => new Session(id, channel, context));
  const directory = new SessionDirectory();
  const rooms = options.rooms ?? new RoomRegistry();
  const context: SessionContext = {
    authenticator,
    logins: options.logins ?? new SingleLoginRegistry(),
    timeouts,
    logger,
    timers,
    supportedVersions,
    directory,
    rooms,
    presence: new PresenceHub(),
    typing: new TypingTracker({
      scheduler: timeouts,
      directory,
      rooms,
      now,
      typingTimeoutMs: options.typingTimeoutMs ?? TIMER_DEFAULTS_MS.typingTimeout,
    }),
    maxRelayBacklogBytes: options.maxRelayBacklogBytes ?? DEFAULT_MAX_RELAY_BACKLOG_BYTES,
    now,
    onClosed: (session) => sessions.delete(session),
  };

  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const listener: Listener =
    options.tls === undefined
      ? await listenTcp({ host, port })
      : await listenTls({
          host,
          port,
          cert: options.tls.cert,
          key: options.tls.key,
          // A connection stuck before its TLS handshake completes has no session yet; bound it
          // by the same handshake timeout.
          handshakeTimeoutMs: timers.handshakeTimeoutMs,
        });

  let nextSessionId = 1;
  let shuttingDown = false;
  const channelOptions = { pauseReadingWhileBlocked: true, closeTimeoutMs: shutdownGraceMs };

  const refuse = (stream: ByteStream, code: "SERVER_FULL" | "SERVER_SHUTDOWN", detail: string) => {
    const channel = new PduChannel(stream, channelOptions);
    logger.warn({ remote: stream.remoteAddress, code }, "connection refused");
    // Header version 0: nothing has been negotiated on this connection (REQ-9.5).
    channel.send({ ...errorPdu(code, detail), version: 0 } as Pdu);
    // A few bytes into an empty socket buffer are in the kernel once send returns. Closing now,
    // not after the peer's FIN, keeps a flood of refused connections from using up descriptors.
    channel.destroy();
  };

  listener.onConnection((stream) => {
    try {
      if (shuttingDown) {
        refuse(stream, "SERVER_SHUTDOWN", "the server is shutting down");
        return;
      }
      if (sessions.size >= maxConnections) {
        refuse(
          stream,
          "SERVER_FULL",
          `the server is at its limit of ${maxConnections} connections`,
        );
        return;
      }
      const channel = new PduChannel(stream, channelOptions);
      const session = sessionFactory(nextSessionId++, channel, context);
      sessions.add(session);
      session.start();
    } catch (error) {
      // Only this connection is affected; the listener keeps accepting.
      logger.error({ err: error, remote: stream.remoteAddress }, "cannot set up connection");
      stream.destroy();
    }
  });
  listener.onNotice((message, details) => logger.warn(details, message));
  listener.onConnectionError((error, remote) => {
    logger.info({ remote, err: error.message }, "connection failed before it was established");
  });

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ sessions: sessions.size }, "shutting down");
      const stopListening = listener.close();
      const drained = Promise.all([...sessions].map((session) => session.shutdown()));
      let graceTimer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        graceTimer = setTimeout(resolve, shutdownGraceMs);
      });
      await Promise.race([drained, grace]);
      clearTimeout(graceTimer);
      for (const session of sessions) session.channel.destroy();
      timeouts.stop();
      await stopListening;
      logger.info("stopped");
    })();
    return closing;
  };

  logger.info(
    {
      address: listener.boundAddress,
      ...timers,
      versions: supportedVersions,
      maxConnections: Number.isFinite(maxConnections) ? maxConnections : "unlimited",
    },
    "listening",
  );
  return {
    address: listener.boundAddress,
    get sessionCount() {
      return sessions.size;
    },
    logger,
    close,
  };
}

/** Sorted, without duplicates; every version must be one the Session implements. */
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
