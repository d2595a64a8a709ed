/**
 * The connection under a RawPeer (raw-peer.ts): a ByteStream, plus the two things a ByteStream
 * cannot say and the suite's timing needs, when a write has left this process and how to break
 * the connection abruptly.
 */
import net from "node:net";
import tls from "node:tls";
import { connect as dialByKind } from "../../transport/all-dialers.ts";
import type { ByteStream } from "../../transport/byte-stream.ts";
import { SocketByteStream } from "../../transport/socket-stream.ts";
import type { TargetAddress } from "./suite-parameters.ts";

/** A connection as RawPeer drives it: its ByteStream, plus the two things a ByteStream cannot say. */
export interface Wire {
  stream: ByteStream;
  /** Writes bytes and resolves once they have left this process (the kernel has them). */
  writeFlushed(bytes: Uint8Array): Promise<void>;
  /** Closes abruptly, the way a crashed client looks to the server. */
  reset(): void;
  /** Bytes written that have not left this process yet (backpressure scenarios wait on it). */
  unsentBytes(): number;
}

/** TCP / TLS: the socket's write callback and a real RST (TLS cannot reset: it is destroyed). */
export function socketWire(socket: net.Socket): Wire {
  return {
    stream: new SocketByteStream(socket),
    writeFlushed: (bytes) => new Promise<void>((resolve) => socket.write(bytes, () => resolve())),
    reset: () => {
      if (socket instanceof tls.TLSSocket) socket.destroy();
      else socket.resetAndDestroy();
    },
    unsentBytes: () => socket.writableLength,
  };
}

/**
 * Another transport: a write has left once the stream no longer needs a drain and the event loop
 * has turned (QUIC hands bytes to quiche and the UDP socket asynchronously). A reset is destroy():
 * for QUIC a CONNECTION_CLOSE with ABORTED (spec §14.2).
 */
export function streamWire(stream: ByteStream): Wire {
  return {
    stream,
    writeFlushed: async (bytes) => {
      stream.write(bytes);
      if (stream.writableNeedDrain) await new Promise<void>((resolve) => stream.onDrain(resolve));
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
    reset: () => stream.destroy(),
    // A ByteStream tells only whether it is above its high-water mark, not how much it holds.
    unsentBytes: () => (stream.writableNeedDrain ? 1 : 0),
  };
}

/** Opens a connection to the target; rejects with a readable message when it cannot be reached. */
export function openWire(target: TargetAddress, timeoutMs: number): Promise<Wire> {
  const kind = target.transport ?? (target.tls ? "tls" : "tcp");
  if (kind !== "tcp" && kind !== "tls") {
    return dialByKind(target.host, target.port, {
      transport: kind,
      // QUIC always carries TLS; WebSocket only as wss (--tls).
      ...(target.tls || kind === "quic"
        ? {
            tls: {
              insecure: target.insecure,
              ...(target.ca === undefined ? {} : { ca: target.ca }),
              ...(target.servername === undefined ? {} : { servername: target.servername }),
            },
          }
        : {}),
      ...(target.path === undefined ? {} : { path: target.path }),
      timeoutMs,
    }).then(
      (stream) => streamWire(stream),
      (error: Error) => {
        throw new Error(`could not connect to ${describe(target)}: ${error.message}`);
      },
    );
  }
  return new Promise<Wire>((resolve, reject) => {
    const socket = target.tls
      ? tls.connect({
          host: target.host,
          port: target.port,
          ca: target.ca,
          rejectUnauthorized: !target.insecure,
          servername: target.servername ?? (net.isIP(target.host) ? undefined : target.host),
          allowHalfOpen: true,
        } as tls.ConnectionOptions)
      : net.connect({ host: target.host, port: target.port, allowHalfOpen: true });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`could not connect to ${describe(target)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onError = (error: Error) => {
      clearTimeout(timer);
      reject(new Error(`could not connect to ${describe(target)}: ${error.message}`));
    };
    socket.once("error", onError);
    socket.once(target.tls ? "secureConnect" : "connect", () => {
      clearTimeout(timer);
      socket.off("error", onError);
      resolve(socketWire(socket));
    });
  });
}

function describe(target: TargetAddress): string {
  const kind = target.transport ?? (target.tls ? "tls" : "");
  return `${target.host}:${target.port}${kind === "" ? "" : ` (${kind})`}`;
}
