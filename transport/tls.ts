/**
 * TLS transport: `listenTls` (server side, certificate + key in PEM) and `dialTls` (client side,
 * optional extra CA, or `insecure` to skip verification for testing). Same ByteStream contract as
 * tcp.ts; accepted connections are handed out only after the handshake succeeds.
 */
import { isIP } from "node:net";
import { type ConnectionOptions, createServer, connect as tlsConnect } from "node:tls";
import type { ByteStream } from "./byte-stream.ts";
import type { Listener } from "./listener.ts";
import { type DialOptions, dialSocket, type ListenOptions, startListening } from "./tcp.ts";

export interface TlsListenOptions extends ListenOptions {
  /** PEM certificate chain. */
  cert: string | Buffer;
  /** PEM private key. */
  key: string | Buffer;
  /** Drop connections whose TLS handshake takes longer than this. Default node's 120 s. */
  handshakeTimeoutMs?: number;
}

export interface TlsDialOptions extends DialOptions {
  /** PEM CA certificate(s) to trust in addition to the system ones (e.g. a self-signed cert). */
  ca?: string | Buffer;
  /** Skip certificate verification. For testing only: anyone can impersonate the server. */
  insecure?: boolean;
  /** Name to send in SNI and verify the certificate against; defaults to `host`. */
  servername?: string;
}

export async function listenTls(options: TlsListenOptions): Promise<Listener> {
  const server = createServer({
    cert: options.cert,
    key: options.key,
    allowHalfOpen: true,
    ...(options.handshakeTimeoutMs === undefined
      ? {}
      : { handshakeTimeout: options.handshakeTimeoutMs }),
  });
  const listener = await startListening(server, "secureConnection", "tls", options);
  return {
    ...listener,
    // What SIGHUP does with a renewed certificate (mosquitto, ngircd do the same).
    setCredentials: ({ cert, key }) => server.setSecureContext({ cert, key }),
  };
}

export function dialTls(
  host: string,
  port: number,
  options: TlsDialOptions = {},
): Promise<ByteStream> {
  // tls.connect passes allowHalfOpen on to the TLSSocket; @types/node does not list it.
  const connectOptions: ConnectionOptions & { allowHalfOpen: boolean } = {
    host,
    port,
    allowHalfOpen: true,
    rejectUnauthorized: options.insecure !== true,
  };
  if (options.ca !== undefined) connectOptions.ca = options.ca;
  const servername = options.servername ?? host;
  // SNI carries host names only; for an IP the certificate is still checked against the IP.
  if (isIP(servername) === 0) connectOptions.servername = servername;
  const socket = tlsConnect(connectOptions);
  socket.setNoDelay(true);
  return dialSocket(socket, "secureConnect", host, port, options);
}
