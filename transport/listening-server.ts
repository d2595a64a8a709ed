/**
 * listenOn: binds a node server (net, tls, http or https: each is a net.Server) and returns the
 * Listener around it, for tcp.ts, tls.ts and websocket/websocket-listener.ts alike: the listeners'
 * registries, the bound address, the descriptor guard (descriptor-guard.ts), TLS handshake
 * failures, and a close that releases the port at once.
 */
import type { Server, Socket } from "node:net";
import { formatAddress } from "./address.ts";
import type { ByteStream } from "./byte-stream.ts";
import { guardDescriptors } from "./descriptor-guard.ts";
import type { BoundAddress, Listener, TransportKind } from "./listener.ts";

export interface ListenOptions {
  /** Address to bind, e.g. "127.0.0.1", "::", "localhost". */
  host: string;
  /** 0 picks a free port; read the real one from `boundAddress`. */
  port: number;
}

/** What the caller reports through the Listener it is given back. */
export interface AcceptedConnections {
  accepted(stream: ByteStream): void;
  /** A connection that failed before becoming a stream (a TLS handshake, a refused upgrade). */
  failed(error: Error, remoteAddress: string): void;
}

/**
 * Binds `server`; `wire` hooks the server's own connection events up to `connections` before it
 * listens. `afterClose` runs once the port is released (e.g. to drop idle HTTP keep-alives).
 */
export function listenOn(
  server: Server,
  transport: TransportKind,
  options: ListenOptions,
  wire: (connections: AcceptedConnections) => void,
  afterClose?: () => void,
): Promise<Listener> {
  const connectionListeners: ((stream: ByteStream) => void)[] = [];
  const errorListeners: ((error: Error, remoteAddress: string) => void)[] = [];
  const noticeListeners: ((message: string, details: Record<string, unknown>) => void)[] = [];
  const notice = (message: string, details: Record<string, unknown>) => {
    for (const listener of noticeListeners) listener(message, details);
  };
  const connections: AcceptedConnections = {
    accepted: (stream) => {
      for (const listener of connectionListeners) listener(stream);
    },
    failed: (error, remote) => {
      for (const listener of errorListeners) listener(error, remote);
    },
  };
  const guard = guardDescriptors(server, notice);
  wire(connections);
  server.on("tlsClientError", (error: Error, socket: Socket) => {
    const remote = formatAddress(socket.remoteAddress, socket.remotePort);
    // node reports a failed or timed-out handshake here but leaves the socket open: with a
    // listener on this event, closing it is the listener's job. Left open, every client that
    // connects and sends nothing would hold a descriptor for good.
    socket.destroy();
    connections.failed(error, remote);
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
            afterClose?.();
            setImmediate(done);
          }),
      });
    });
  });
}
