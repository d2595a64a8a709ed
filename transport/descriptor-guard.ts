/**
 * guardDescriptors: keeps a listening node server (net, tls, http, https: each is a net.Server)
 * from running the process out of file descriptors. It counts every accepted socket (TLS ones
 * from the TCP accept on, before their handshake; WebSocket ones before their HTTP upgrade) and
 * stops listening while file descriptors run low (descriptor-headroom.ts) or accept() fails for
 * lack of them, then listens again on the same address once enough are free: checked when a
 * connection closes, and every second (descriptors held elsewhere may be the ones freed).
 */

import type { Server, Socket } from "node:net";
import { DescriptorHeadroom } from "./descriptor-headroom.ts";

export interface DescriptorGuard {
  /** For the server's "error" event once it listens: EMFILE pauses, anything else is a notice. */
  acceptFailed(error: Error): void;
  /** The server closes for good: never listen again. */
  stop(): void;
}

export function guardDescriptors(
  server: Server,
  notice: (message: string, details: Record<string, unknown>) => void,
): DescriptorGuard {
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
