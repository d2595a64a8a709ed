/**
 * The reference server, assembled: the shared state (server-options.ts), one Session per
 * connection, the connection limit and graceful shutdown. It does not own its sockets: any
 * ByteStream handed to `handle(stream)` becomes a session (like ws `handleUpgrade` with
 * `noServer`, or aedes `handle(conn)`), and the listeners it opens (`listeners`, default one TCP
 * or TLS listener) only call `handle` for each connection they accept.
 *
 * `startParrotServer(options)` runs one in-process and returns `{ address, handle, close() }`;
 * `parrot server` (cli/server/server-command.ts) is a thin CLI around it.
 */
import { TIMER_DEFAULTS_MS } from "../generated/index.ts";
import type { ByteStream } from "../transport/byte-stream.ts";
import type { BoundAddress, Listener, TransportKind } from "../transport/listener.ts";
import { PduChannel } from "../transport/pdu-channel.ts";
import { listenTcp } from "../transport/tcp.ts";
import { listenTls } from "../transport/tls.ts";
import { withHeaderVersion } from "./header-version.ts";
import type { Logger } from "./logger.ts";
import { errorPdu } from "./outgoing-pdu.ts";
import {
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ListenerFactory,
  type ParrotServerOptions,
  sharedStateFrom,
} from "./server-options.ts";
import { Session } from "./session.ts";

export {
  DEFAULT_HOST,
  DEFAULT_PORT,
  DEFAULT_VERSIONS,
  type ListenerFactory,
  type ParrotServerOptions,
} from "./server-options.ts";

/** The longest a refused connection (SERVER_FULL, SERVER_SHUTDOWN) is kept for its ERROR to leave. */
const REFUSAL_GRACE_MS = 1000;

export interface RunningParrotServer {
  /** Where the first listener actually listens (the real port when 0 was asked for). */
  readonly address: BoundAddress;
  /** Where every listener listens, in the order of `listeners`. */
  readonly addresses: readonly BoundAddress[];
  /** Live sessions (not counting connections refused with SERVER_FULL). */
  readonly sessionCount: number;
  readonly logger: Logger;
  /** What the gauges of `/metrics` show, read when scraped: every live session, the room count. */
  /** `rooms` is undefined while the rooms cannot be counted (a cluster's store is away). */
  snapshot(): Promise<{
    sessions: { state: string; version: number | null }[];
    rooms: number | undefined;
  }>;
  /**
   * Serves one connection of any transport, from its first byte on. `transport` "tcp" lets a
   * refusal (SERVER_FULL) close at once; any other (or none) waits for its ERROR to be flushed.
   */
  handle(stream: ByteStream, transport?: TransportKind): void;
  /**
   * Re-reads what an operator may change while the server runs (SIGHUP): the accounts (when the
   * authenticator can reload) and, given `tls`, the certificate of every TLS listener, for new
   * connections. Throws if the certificate and key do not go together (the listener then keeps
   * its old ones).
   */
  reload(changes?: { tls?: { cert: string | Buffer; key: string | Buffer } }): Promise<{
    usersChanged: boolean;
  }>;
  /**
   * Graceful shutdown: stop listening, ERROR SERVER_SHUTDOWN to every connection, wait up to
   * the shutdown grace for the writes to drain, close everything. Idempotent.
   */
  close(): Promise<void>;
}

/** The default listener list: TCP, or TLS when `tls` is given, on `host`:`port`. */
export function defaultListeners(options: ParrotServerOptions): ListenerFactory[] {
  const host = options.host ?? DEFAULT_HOST;
  const port = options.port ?? DEFAULT_PORT;
  const tls = options.tls;
  if (tls === undefined) return [() => listenTcp({ host, port })];
  // A connection stuck before its TLS handshake completes has no session yet; bound it by the
  // same handshake timeout.
  return [
    ({ handshakeTimeoutMs }) =>
      listenTls({ host, port, cert: tls.cert, key: tls.key, handshakeTimeoutMs }),
  ];
}

export async function startParrotServer(
  options: ParrotServerOptions = {},
): Promise<RunningParrotServer> {
  const shared = await sharedStateFrom(options);
  const { logger, timers, timeouts } = shared;
  const shutdownGraceMs = options.shutdownGraceMs ?? TIMER_DEFAULTS_MS.shutdownGrace;
  const maxConnections = options.maxConnections ?? Number.POSITIVE_INFINITY;
  const sessions = new Set<Session>();
  const onClosed = (session: Session) => sessions.delete(session);
  let nextSessionId = 1;
  let shuttingDown = false;
  // A session closes its channel itself at the peer's end, once the login is free (REQ-9.1).
  const channelOptions = {
    pauseReadingWhileBlocked: true,
    closeTimeoutMs: shutdownGraceMs,
    ownerClosesAtEnd: true,
  };
  const refusalChannelOptions = {
    pauseReadingWhileBlocked: true,
    closeTimeoutMs: REFUSAL_GRACE_MS,
  };

  const refuse = (
    stream: ByteStream,
    transport: TransportKind | undefined,
    code: "SERVER_FULL" | "SERVER_SHUTDOWN",
    detail: string,
  ) => {
    const channel = new PduChannel(stream, refusalChannelOptions);
    logger.warn({ remote: stream.remoteAddress, code }, "connection refused");
    shared.metrics.errorSent(code);
    // Nothing has been negotiated on this connection (REQ-9.5).
    channel.send(withHeaderVersion(errorPdu(code, detail), null));
    // Over plain TCP a few bytes into an empty socket buffer are in the kernel once send returns:
    // closing now, not after the peer's FIN, keeps a flood of refused connections from using up
    // descriptors. Over TLS, WebSocket and QUIC they are not (not yet encrypted or framed; a QUIC
    // client's stream may not have arrived), and destroying dropped them: the client saw a bare
    // close. There the ERROR is flushed, then FIN, and the stream destroyed when the peer closes
    // or the short grace is over.
    if (transport === "tcp") channel.destroy();
    else void channel.close();
  };

  const handle = (stream: ByteStream, transport?: TransportKind) => {
    try {
      if (shuttingDown) {
        refuse(stream, transport, "SERVER_SHUTDOWN", "the server is shutting down");
        return;
      }
      if (sessions.size >= maxConnections) {
        refuse(
          stream,
          transport,
          "SERVER_FULL",
          `the server is at its limit of ${maxConnections} connections`,
        );
        return;
      }
      const channel = new PduChannel(stream, channelOptions);
      const session = new Session(nextSessionId++, channel, shared, onClosed);
      sessions.add(session);
      session.start();
    } catch (error) {
      // Only this connection is affected; the server keeps accepting.
      logger.error({ err: error, remote: stream.remoteAddress }, "cannot set up connection");
      stream.destroy();
    }
  };

  const listeners: Listener[] = [];
  try {
    for (const open of options.listeners ?? defaultListeners(options)) {
      listeners.push(await open({ handshakeTimeoutMs: timers.handshakeTimeoutMs }));
    }
  } catch (error) {
    await Promise.all(listeners.map((listener) => listener.close()));
    timeouts.stop();
    throw error;
  }
  for (const listener of listeners) {
    const { transport } = listener.boundAddress;
    listener.onConnection((stream) => handle(stream, transport));
    listener.onNotice((message, details) => logger.warn(details, message));
    listener.onConnectionError((error, remote) => {
      logger.info({ remote, err: error.message }, "connection failed before it was established");
    });
  }

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shuttingDown = true;
      logger.info({ sessions: sessions.size }, "shutting down");
      const stopListening = Promise.all(listeners.map((listener) => listener.close()));
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

  const addresses = listeners.map((listener) => listener.boundAddress);
  logger.info(
    {
      address: addresses[0],
      ...(addresses.length > 1 ? { addresses } : {}),
      ...timers,
      versions: shared.supportedVersions,
      maxConnections: Number.isFinite(maxConnections) ? maxConnections : "unlimited",
    },
    "listening",
  );
  return {
    get address(): BoundAddress {
      const first = addresses[0];
      if (first === undefined) throw new Error("this server has no listener: see `addresses`");
      return first;
    },
    addresses,
    get sessionCount() {
      return sessions.size;
    },
    logger,
    handle,
    async snapshot() {
      // A cluster's rooms are in Redis: while it is away, the sessions are still worth a scrape.
      let rooms: number | undefined;
      try {
        rooms = (await shared.rooms.roomNames()).length;
      } catch {
        rooms = undefined;
      }
      const live = [...sessions].map((session) => ({
        state: session.state,
        version: session.negotiatedVersion,
      }));
      return { sessions: live, rooms };
    },
    async reload(changes = {}) {
      const { tls } = changes;
      if (tls !== undefined) {
        for (const listener of listeners) listener.setCredentials?.(tls);
      }
      return { usersChanged: (await shared.authenticator.reload?.()) ?? false };
    },
    close,
  };
}
