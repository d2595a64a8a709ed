/**
 * Listener: what the server needs from a transport that accepts connections. tcp.ts and tls.ts
 * implement it; `boundAddress` is the address actually bound (the real port when 0 was asked for).
 */
import type { ByteStream } from "./byte-stream.ts";

/**
 * Which transport a listener serves: "tcp" and "tls" here; a plug-in names its own ("ws", "quic").
 * Only logs and the listening line show it.
 */
export type TransportKind = string;

export interface BoundAddress {
  /** The bound IP address, e.g. "127.0.0.1" or "::1". */
  host: string;
  port: number;
  transport: TransportKind;
}

export interface Listener {
  readonly boundAddress: BoundAddress;
  /** Called once per accepted connection (for TLS: once the handshake has completed). */
  onConnection(listener: (stream: ByteStream) => void): void;
  /** Called for connections that failed before becoming a stream (e.g. a bad TLS handshake). */
  onConnectionError(listener: (error: Error, remoteAddress: string) => void): void;
  /**
   * Called when the listener stops or starts accepting on its own, e.g. when file descriptors run
   * low (descriptor-headroom.ts); `details` are for a structured log line.
   */
  onNotice(listener: (message: string, details: Record<string, unknown>) => void): void;
  /**
   * (TLS) Serves new connections with this certificate and key from now on; established ones
   * keep theirs. Throws if they are not a valid pair. Absent on transports without credentials.
   */
  setCredentials?(credentials: { cert: string | Buffer; key: string | Buffer }): void;
  /** Stops accepting and releases the port; existing connections are left alone. */
  close(): Promise<void>;
}
