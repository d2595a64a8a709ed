/**
 * connect(): one entry point for dialing a Parrot server, through a registry of dialers keyed by
 * transport kind. TCP ("tcp") and TLS ("tls") are registered here; another transport (QUIC,
 * WebSocket) registers its own dialer with `registerDialer` and every client can use it by name,
 * without a change to the client. A dialer rejects with a TransportError (CONNECTION_REFUSED,
 * CONNECT_TIMEOUT, TLS_FAILURE, ...) when it cannot connect.
 */
import type { ByteStream } from "./byte-stream.ts";
import { dialTcp } from "./tcp.ts";
import { dialTls } from "./tls.ts";

export interface ConnectOptions {
  /** The registered transport to dial; default "tls" when `tls` is set, else "tcp". */
  transport?: string;
  /** TLS settings; an empty object means "TLS with the system CAs". */
  tls?: { ca?: string | Buffer; insecure?: boolean; servername?: string };
  /** Transports that address a resource on the server (WebSocket's HTTP path); default "/". */
  path?: string;
  timeoutMs?: number;
}

/** Opens one connection to host:port with the options a caller gave connect(). */
export type Dialer = (host: string, port: number, options: ConnectOptions) => Promise<ByteStream>;

const dialers = new Map<string, Dialer>();

/** Makes `kind` dialable by connect(); registering a kind again replaces its dialer. */
export function registerDialer(kind: string, dialer: Dialer): void {
  dialers.set(kind, dialer);
}

/** The transport kinds connect() can dial, in the order they were registered. */
export function dialerKinds(): string[] {
  return [...dialers.keys()];
}

export function connect(
  host: string,
  port: number,
  options: ConnectOptions = {},
): Promise<ByteStream> {
  const kind = options.transport ?? (options.tls === undefined ? "tcp" : "tls");
  const dialer = dialers.get(kind);
  if (dialer === undefined) {
    // A programming error (nothing registered under that name), not a network condition.
    return Promise.reject(
      new Error(`no dialer for transport "${kind}" (registered: ${dialerKinds().join(", ")})`),
    );
  }
  return dialer(host, port, options);
}

function timeoutOf(options: ConnectOptions): { timeoutMs?: number } {
  return options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
}

registerDialer("tcp", (host, port, options) => dialTcp(host, port, timeoutOf(options)));
registerDialer("tls", (host, port, options) =>
  dialTls(host, port, { ...options.tls, ...timeoutOf(options) }),
);
