/**
 * dialQuic: connects to a Parrot server over QUIC (spec/README.md §14) and opens the one Parrot
 * stream; registered as the "quic" dialer of transport/connect.ts on import. The server's
 * certificate is checked by quic-certificate-check.ts (the native check cannot verify an IP
 * address), against `tls.ca` or node's bundled roots, unless `tls.insecure`.
 */
import { errors, events, QUICClient } from "@matrixai/quic";
import { formatAddress } from "../address.ts";
import type { ByteStream } from "../byte-stream.ts";
import { type ConnectOptions, registerDialer } from "../connect.ts";
import { DEFAULT_CONNECT_TIMEOUT_MS } from "../tcp.ts";
import { TransportError } from "../transport-error.ts";
import { QuicByteStream } from "./quic-byte-stream.ts";
import { certificateVerifier, trustAnchors } from "./quic-certificate-check.ts";
import {
  commonQuicConfig,
  DEFAULT_QUIC_IDLE_TIMEOUT_MS,
  reasonToCode,
  silentQuicLogger,
} from "./quic-settings.ts";
import { clientCrypto } from "./quic-token-crypto.ts";

export async function dialQuic(
  host: string,
  port: number,
  options: ConnectOptions = {},
): Promise<ByteStream> {
  const target = formatAddress(host, port);
  const serverName = options.tls?.servername ?? host;
  const insecure = options.tls?.insecure === true;
  let client: QUICClient;
  try {
    client = await QUICClient.createQUICClient(
      {
        host,
        port,
        serverName,
        crypto: clientCrypto(),
        config: {
          ...commonQuicConfig(DEFAULT_QUIC_IDLE_TIMEOUT_MS),
          // With verifyPeer off, @matrixai/quic never finishes a connection that has a
          // verifyCallback (it waits for a check it will not run): give one only when checking.
          ...(insecure
            ? { verifyPeer: false }
            : {
                verifyPeer: true,
                verifyCallback: certificateVerifier(serverName, trustAnchors(options.tls?.ca)),
              }),
          // The server never opens a stream of its own (REQ-14.2).
          initialMaxStreamsBidi: 0,
        },
        reasonToCode,
        logger: silentQuicLogger(),
      },
      { timer: options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS },
    );
  } catch (error) {
    throw dialError(error, target);
  }
  const connection = client.connection;
  const stop = (errorCode: number) => {
    if (client.closed) return;
    client.destroy({ isApp: true, errorCode, force: true }).catch(() => {});
  };
  const stream = new QuicByteStream(connection.newStream("bidi"), target, stop);
  client.addEventListener(events.EventQUICClientError.name, () => {});
  client.addEventListener(
    events.EventQUICClientDestroyed.name,
    () => stream.connectionClosed(undefined),
    { once: true },
  );
  return stream;
}

function dialError(error: unknown, target: string): TransportError {
  if (
    error instanceof errors.ErrorQUICConnectionLocalTLS ||
    error instanceof errors.ErrorQUICConnectionPeerTLS
  ) {
    return new TransportError("TLS_FAILURE", `QUIC TLS handshake with ${target} failed`, {
      cause: error,
    });
  }
  if (
    error instanceof errors.ErrorQUICClientCreateTimeout ||
    error instanceof errors.ErrorQUICConnectionStartTimeout ||
    error instanceof errors.ErrorQUICConnectionIdleTimeout
  ) {
    // UDP has no "refused": a port nobody serves looks like a server that never answers.
    return new TransportError("CONNECT_TIMEOUT", `no QUIC answer from ${target}`, { cause: error });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new TransportError("CONNECTION_FAILED", `cannot connect to ${target}: ${detail}`, {
    cause: error,
  });
}

registerDialer("quic", dialQuic);
