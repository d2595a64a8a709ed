/**
 * listenQuic: a Listener serving Parrot over QUIC (spec/README.md §13). Each QUIC connection
 * carries one Parrot connection: its first client-initiated bidirectional stream becomes the
 * ByteStream handed out (REQ-13.2). Further streams are refused with EXTRA_STREAM and leave the
 * connection alone (REQ-13.6); a connection that opens no stream within the handshake timeout is
 * closed with NO_STREAM (REQ-13.7).
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

export interface QuicListenOptions {
  host: string;
  port: number;
  /** PEM certificate chain and private key: QUIC always runs TLS 1.3. */
  cert: string | Buffer;
  key: string | Buffer;
  /** REQ-13.3: from quicIdleTimeoutMs(the server's ping timers). */
  idleTimeoutMs: number;
  /** REQ-13.7: a connection with no Parrot stream this long after it opened is closed. */
  handshakeTimeoutMs: number;
}

export async function listenQuic(options: QuicListenOptions): Promise<Listener> {
  const connectionListeners: ((stream: QuicByteStream) => void)[] = [];
  const errorListeners: ((error: Error, remoteAddress: string) => void)[] = [];
  const server = new QUICServer({
    crypto: serverCrypto(),
    config: {
      ...commonQuicConfig(options.idleTimeoutMs),
      cert: options.cert.toString(),
      key: options.key.toString(),
      verifyPeer: false,
      // REQ-13.6: one Parrot stream per connection; quiche refuses a second at the flow-control
      // level, and a stream that gets through anyway is refused below.
      initialMaxStreamsBidi: 1,
    },
    reasonToCode,
    logger: silentQuicLogger(),
  });
  server.addEventListener(events.EventQUICServerConnection.name, (event) => {
    const connection = (event as events.EventQUICServerConnection).detail;
    adoptConnection(connection, options.handshakeTimeoutMs, (stream) => {
      for (const listener of connectionListeners) listener(stream);
    });
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
      // The server's sessions have said SERVER_SHUTDOWN and closed their streams by now; force
      // ends whatever is left instead of waiting for peers that never answer.
      await server.stop({ isApp: true, errorCode: QUIC_APP_ERROR.NO_ERROR, force: true });
    },
  };
}

/** Waits for the connection's first stream and turns it into a QuicByteStream. */
function adoptConnection(
  connection: QUICConnection,
  handshakeTimeoutMs: number,
  accepted: (stream: QuicByteStream) => void,
): void {
  const remote = formatAddress(connection.remoteHost, connection.remotePort);
  let parrotStream: QuicByteStream | undefined;
  const stop = (errorCode: number) => {
    if (connection.closed) return;
    connection.stop({ isApp: true, errorCode, force: true }).catch(() => {});
  };
  const noStream = setTimeout(() => stop(QUIC_APP_ERROR.NO_STREAM), handshakeTimeoutMs);
  noStream.unref();
  connection.addEventListener(events.EventQUICConnectionStream.name, (event) => {
    const stream = (event as events.EventQUICConnectionStream).detail as QUICStream;
    if (parrotStream !== undefined || stream.type !== "bidi") {
      stream.cancel(QUIC_APP_ERROR.EXTRA_STREAM);
      return;
    }
    clearTimeout(noStream);
    parrotStream = new QuicByteStream(stream, remote, stop);
    accepted(parrotStream);
  });
  connection.addEventListener(events.EventQUICConnectionError.name, () => {});
  connection.addEventListener(
    events.EventQUICConnectionStopped.name,
    () => {
      clearTimeout(noStream);
      parrotStream?.connectionClosed(undefined);
    },
    { once: true },
  );
}
