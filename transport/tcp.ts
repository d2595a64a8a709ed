/**
 * Plain TCP transport: `listenTcp` (server side) and `dialTcp` (client side), both producing
 * ByteStreams. TCP_NODELAY is set on every socket (see socket-stream.ts).
 */
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { formatAddress } from "./address.ts";
import type { ByteStream } from "./byte-stream.ts";
import type { Listener, TransportKind } from "./listener.ts";
import { type ListenOptions, listenOn } from "./listening-server.ts";
import { SocketByteStream } from "./socket-stream.ts";
import { TransportError, transportErrorFromSocketError } from "./transport-error.ts";

export type { ListenOptions } from "./listening-server.ts";

export interface DialOptions {
  /** Give up connecting after this long. Default 10 s. */
  timeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export function listenTcp(options: ListenOptions): Promise<Listener> {
  const server = createServer({ noDelay: true, allowHalfOpen: true });
  return startListening(server, "connection", "tcp", options);
}

export function dialTcp(
  host: string,
  port: number,
  options: DialOptions = {},
): Promise<ByteStream> {
  return dialSocket(
    netConnect({ host, port, noDelay: true, allowHalfOpen: true }),
    "connect",
    host,
    port,
    options,
  );
}

/**
 * Shared by tcp.ts and tls.ts: binds `server` (listening-server.ts) and wraps each accepted
 * socket (emitted as `connectionEvent`) in a SocketByteStream.
 */
export function startListening(
  server: Server,
  connectionEvent: "connection" | "secureConnection",
  transport: TransportKind,
  options: ListenOptions,
): Promise<Listener> {
  return listenOn(server, transport, options, (connections) => {
    server.on(connectionEvent, (socket: Socket) => {
      connections.accepted(new SocketByteStream(socket));
    });
  });
}

/**
 * Shared by tcp.ts and tls.ts: waits for `readyEvent` on a socket being dialed and turns every
 * failure (refused, timeout, TLS alert, bad certificate) into a TransportError.
 */
export function dialSocket(
  socket: Socket,
  readyEvent: "connect" | "secureConnect",
  host: string,
  port: number,
  options: DialOptions,
): Promise<ByteStream> {
  const target = formatAddress(host, port);
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new TransportError("CONNECT_TIMEOUT", `timed out connecting to ${target}`));
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(transportErrorFromSocketError(error, target));
    };
    socket.once("error", onError);
    socket.once(readyEvent, () => {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve(new SocketByteStream(socket));
    });
  });
}
