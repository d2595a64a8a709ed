/**
 * Plain TCP transport: `listenTcp` (server side) and `dialTcp` (client side), both producing
 * ByteStreams. TCP_NODELAY is set on every socket (see socket-stream.ts).
 */
import { createServer, connect as netConnect, type Server, type Socket } from "node:net";
import { formatAddress } from "./address.ts";
import type { ByteStream } from "./byte-stream.ts";
import { DescriptorHeadroom } from "./descriptor-headroom.ts";
import type { BoundAddress, Listener, TransportKind } from "./listener.ts";
import { SocketByteStream } from "./socket-stream.ts";
import { TransportError, transportErrorFromSocketError } from "./transport-error.ts";

export interface ListenOptions {
  /** Address to bind, e.g. "127.0.0.1", "::", "localhost". */
  host: string;
  /** 0 picks a free port; read the real one from `boundAddress`. */
  port: number;
}

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
 * Shared by tcp.ts and tls.ts: binds `server`, wraps each accepted socket (emitted as
 * `connectionEvent`) in a SocketByteStream, and reports the bound address.
 */
export function startListening(
  server: Server,
  connectionEvent: "connection" | "secureConnection",
  transport: TransportKind,
  options: ListenOptions,
): Promise<Listener> {
  const connectionListeners: ((stream: ByteStream) => void)[] = [];
  const errorListeners: ((error: Error, remoteAddress: string) => void)[] = [];
  const noticeListeners: ((message: string, details: Record<string, unknown>) => void)[] = [];
  const notice = (message: string, details: Record<string, unknown>) => {
    for (const listener of noticeListeners) listener(message, details);
  };
  const guard = watchDescriptors(server, notice);
  server.on(connectionEvent, (socket: Socket) => {
    const stream = new SocketByteStream(socket);
    for (const listener of connectionListeners) listener(stream);
  });
  server.on("tlsClientError", (error: Error, socket: Socket) => {
    const remote = formatAddress(socket.remoteAddress, socket.remotePort);
    // node reports a failed or timed-out handshake here but leaves the socket open: with a
    // listener on this event, closing it is the listener's job. Left open, every client that
    // connects and sends nothing would hold a descriptor for good.
    socket.destroy();
    for (const listener of errorListeners) listener(error, remote);
  });
  return new Promise((resolve, reject) => {
    const onListenError = (error: Error) => reject(error);
    server.once("error", onListenError);
    server.listen(options.port, options.host, () => {
      server.off("error", onListenError);
      // After listening, a server error (rare: EMFILE on accept) must not crash the process.
      server.on("error", guard.acceptFailed);
      const address = server.address();
      if (address === null || typeof address === "string") {
        reject(new Error(`unexpected listening address ${String(address)}`));
        return;
      }
      const boundAddress: BoundAddress = { host: address.address, port: address.port, transport };
      resolve({
        boundAddress,
        onConnection: (listener) => connectionListeners.push(listener),
        onConnectionError: (listener) => errorListeners.push(listener),
        onNotice: (listener) => noticeListeners.push(listener),
        close: () =>
          new Promise<void>((done) => {
            guard.stop();
            // server.close()'s callback waits for every connection to end; the port itself is
            // released right away, which is all this promises.
            server.close();
            setImmediate(done);
          }),
      });
    });
  });
}

/**
 * Counts every accepted socket (TLS ones from the TCP accept on, before their handshake) and
 * stops listening while file descriptors run low (descriptor-headroom.ts) or accept() fails for
 * lack of them, then listens again on the same address once enough are free: checked when a
 * connection closes, and every second (descriptors held elsewhere may be the ones freed).
 */
function watchDescriptors(
  server: Server,
  notice: (message: string, details: Record<string, unknown>) => void,
): { stop(): void; acceptFailed(error: Error): void } {
  const headroom = new DescriptorHeadroom();
  let stopped = false;
  let address: { port: number; host: string } | undefined;
  let resumeCheck: NodeJS.Timeout | undefined;
  const usage = () => ({ inUse: headroom.inUse(), limit: headroom.limit });

  const acceptFailed = (error: NodeJS.ErrnoException) => {
    if ((error.code === "EMFILE" || error.code === "ENFILE") && server.listening) {
      headroom.pause();
      pause(`accept failed (${error.code}): not accepting connections until descriptors free up`);
      return;
    }
    notice("accept failed", { err: error.message });
  };
  const pause = (message: string) => {
    const bound = server.address();
    if (bound !== null && typeof bound !== "string") {
      address = { port: bound.port, host: bound.address };
    }
    server.close();
    notice(message, usage());
    resumeCheck ??= setInterval(() => {
      if (headroom.mayResume()) listenAgain();
    }, 1000).unref();
  };
  const listenAgain = () => {
    if (stopped || address === undefined || server.listening) return;
    clearInterval(resumeCheck);
    resumeCheck = undefined;
    server.once("error", (error) => {
      notice("cannot listen again; retrying in 1 s", { err: error.message });
      setTimeout(listenAgain, 1000).unref();
    });
    server.listen(address.port, address.host, () => {
      server.removeAllListeners("error");
      server.on("error", acceptFailed);
      notice("file descriptors free again: accepting connections", usage());
    });
  };
  server.on("connection", (socket: Socket) => {
    socket.once("close", () => {
      if (headroom.closed()) listenAgain();
    });
    if (headroom.opened()) {
      pause("file descriptors nearly exhausted: not accepting connections until some close");
    }
  });
  return {
    stop() {
      stopped = true;
      clearInterval(resumeCheck);
    },
    acceptFailed,
  };
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
