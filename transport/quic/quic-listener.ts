/**
 * listenQuic: a Listener serving Parrot over QUIC (spec/README.md §14). Each QUIC connection
 * carries one Parrot connection: its first client-initiated bidirectional stream is the
 * ByteStream handed out (REQ-14.2), handed out as soon as the connection is up and attached to
 * the stream when it comes. Further streams are refused with EXTRA_STREAM and leave the
 * connection alone (REQ-14.6); a connection that opens no stream within the handshake timeout is
 * closed with NO_STREAM (REQ-14.7).
 */
import { events, type QUICConnection, QUICServer, type QUICStream } from "@matrixai/quic";
import { formatAddress } from "../address.ts";
import type { BoundAddress, Listener } from "../listener.ts";
import { QuicByteStream } from "./quic-byte-stream.ts";
import {
  commonQuicConfig,
  QUIC_APP_ERROR,
  reasonToCode,
  silentQuicLogger,
} from "./quic-settings.ts";
import { serverCrypto } from "./quic-token-crypto.ts";

/** The longest close() waits for the connections to end before it releases the port anyway. */
const CLOSE_WAIT_LIMIT_MS = 10_000;

export interface QuicListenOptions {
  host: string;
  port: number;
  /** PEM certificate chain and private key: QUIC always runs TLS 1.3. */
  cert: string | Buffer;
  key: string | Buffer;
  /** REQ-14.3: from quicIdleTimeoutMs(the server's ping timers). */
  idleTimeoutMs: number;
  /** REQ-14.7: a connection with no Parrot stream this long after it opened is closed. */
  handshakeTimeoutMs: number;
}

export async function listenQuic(options: QuicListenOptions): Promise<Listener> {
  const connectionListeners: ((stream: QuicByteStream) => void)[] = [];
  const errorListeners: ((error: Error, remoteAddress: string) => void)[] = [];
  const connections = new Set<AdoptedConnection>();
  let closing = false;
  const server = new QUICServer({
    crypto: serverCrypto(),
    config: {
      ...commonQuicConfig(options.idleTimeoutMs),
      cert: options.cert.toString(),
      key: options.key.toString(),
      verifyPeer: false,
      // REQ-14.6: one Parrot stream per connection; quiche refuses a second at the flow-control
      // level, and a stream that gets through anyway is refused below.
      initialMaxStreamsBidi: 1,
    },
    reasonToCode,
    logger: silentQuicLogger(),
  });
  server.addEventListener(events.EventQUICServerConnection.name, (event) => {
    const connection = (event as events.EventQUICServerConnection).detail;
    // A listener that has stopped accepting refuses connections that reach it anyway.
    if (closing) {
      connection
        .stop({ isApp: true, errorCode: QUIC_APP_ERROR.NO_ERROR, force: true })
        .catch(() => {});
      return;
    }
    const adopted = adoptConnection(connection, options.handshakeTimeoutMs, (stream) => {
      for (const listener of connectionListeners) listener(stream);
    });
    connections.add(adopted);
    void adopted.stopped.then(() => connections.delete(adopted));
  });
  server.addEventListener(events.EventQUICServerError.name, (event) => {
    const error = (event as events.EventQUICServerError).detail;
    for (const listener of errorListeners) listener(error, "unknown");
  });
  await server.start({ host: options.host, port: options.port });
  const boundAddress: BoundAddress = { host: server.host, port: server.port, transport: "quic" };
  return {
    boundAddress,
    onConnection: (listener) => connectionListeners.push(listener),
    onConnectionError: (listener) => errorListeners.push(listener),
    onNotice: () => {},
    close: async () => {
      // Every connection shares the listener's UDP socket, so the port can only be released once
      // they have ended: sessions close theirs (the server's shutdown bounds that by its grace);
      // a connection without a Parrot stream has nothing to wait for.
      closing = true;
      for (const connection of connections) {
        if (!connection.hasStream) connection.stop(QUIC_APP_ERROR.NO_ERROR);
      }
      // A hang guard only: a connection the library never reports stopped must not keep the
      // port (and a shutting-down server) forever.
      let guard: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all([...connections].map((connection) => connection.stopped)),
        new Promise<void>((resolve) => {
          guard = setTimeout(resolve, CLOSE_WAIT_LIMIT_MS);
        }),
      ]);
      clearTimeout(guard);
      await server.stop({ isApp: true, errorCode: QUIC_APP_ERROR.NO_ERROR, force: true });
    },
  };
}

interface AdoptedConnection {
  readonly hasStream: boolean;
  stop(errorCode: number): void;
  /** Resolves once the QUIC connection has stopped, for whatever reason. */
  stopped: Promise<void>;
}

/**
 * Hands the connection out as a QuicByteStream at once, so the session's handshake timeout runs
 * from the connect (REQ-7.11), and attaches the connection's first stream to it when it comes.
 */
function adoptConnection(
  connection: QUICConnection,
  handshakeTimeoutMs: number,
  accepted: (stream: QuicByteStream) => void,
): AdoptedConnection {
  const remote = formatAddress(connection.remoteHost, connection.remotePort);
  const stop = (errorCode: number) => {
    if (connection.closed) return;
    connection.stop({ isApp: true, errorCode, force: true }).catch(() => {});
  };
  const parrotStream = new QuicByteStream(undefined, remote, stop);
  // REQ-14.7: the session cannot say anything to a client that opened no stream; this closes it.
  const noStream = setTimeout(() => stop(QUIC_APP_ERROR.NO_STREAM), handshakeTimeoutMs);
  noStream.unref();
  connection.addEventListener(events.EventQUICConnectionStream.name, (event) => {
    const stream = (event as events.EventQUICConnectionStream).detail as QUICStream;
    if (parrotStream.hasStream || stream.type !== "bidi") {
      stream.cancel(QUIC_APP_ERROR.EXTRA_STREAM);
      return;
    }
    clearTimeout(noStream);
    parrotStream.attach(stream);
  });
  // Errors are reported again as the stop that follows them; without a listener they would throw.
  connection.addEventListener(events.EventQUICConnectionError.name, () => {});
  const stopped = new Promise<void>((resolve) => {
    connection.addEventListener(
      events.EventQUICConnectionStopped.name,
      () => {
        clearTimeout(noStream);
        parrotStream.connectionClosed(undefined);
        resolve();
      },
      { once: true },
    );
  });
  accepted(parrotStream);
  return {
    get hasStream() {
      return parrotStream.hasStream;
    },
    stop,
    stopped,
  };
}
