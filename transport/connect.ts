/**
 * connect(): one entry point for dialing a Parrot server over TCP or, with `tls` set, TLS.
 * Rejects with a TransportError (CONNECTION_REFUSED, CONNECT_TIMEOUT, TLS_FAILURE, ...).
 */
import type { ByteStream } from "./byte-stream.ts";
import { dialTcp } from "./tcp.ts";
import { dialTls } from "./tls.ts";

export interface ConnectOptions {
  /** Dial with TLS; an empty object means "TLS with the system CAs". */
  tls?: { ca?: string | Buffer; insecure?: boolean; servername?: string };
  timeoutMs?: number;
}

export function connect(
  host: string,
  port: number,
  options: ConnectOptions = {},
): Promise<ByteStream> {
  const dialOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  if (options.tls === undefined) return dialTcp(host, port, dialOptions);
  return dialTls(host, port, { ...options.tls, ...dialOptions });
}
