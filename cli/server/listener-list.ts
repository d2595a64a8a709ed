/**
 * The listeners `parrot server` opens: the default TCP (or TLS) listener, a QUIC one with
 * --quic-port (spec §14, TLS required), and a WebSocket one
 * with --ws-port (spec §2.3) on the same address, wss when TLS is configured. Every listener
 * hands its connections to the same server, so users, logins and rooms are shared. The
 * WebSocket port also serves the web client's page, when it has been built.
 */

import {
  defaultListeners,
  type ListenerFactory,
  type ParrotServerOptions,
} from "../../server/parrot-server.ts";
import { listenQuic } from "../../transport/quic/quic-listener.ts";
import { quicIdleTimeoutMs } from "../../transport/quic/quic-settings.ts";
import { listenWebSocket } from "../../transport/websocket/websocket-listener.ts";
import type { ServerConfig } from "./config.ts";
import type { RequestHandler } from "./web-client-files.ts";

/** `onRequest` answers plain HTTP requests on the WebSocket port (the web client's files). */
export function listenersFor(
  config: ServerConfig,
  options: ParrotServerOptions,
  onRequest?: RequestHandler,
): ListenerFactory[] {
  const listeners = defaultListeners(options);
  const tls = options.tls;
  const quicPort = config.quicPort;
  if (quicPort !== undefined && tls !== undefined) {
    const { cert, key } = tls;
    // Beside TCP/TLS, not instead: one server, so one login registry for both (REQ-14.8).
    listeners.push(({ handshakeTimeoutMs }) =>
      listenQuic({
        host: config.host,
        port: quicPort,
        cert,
        key,
        idleTimeoutMs: quicIdleTimeoutMs(config),
        handshakeTimeoutMs,
      }),
    );
  }
  const webSocket = config.webSocket;
  if (webSocket === undefined) return listeners;
  listeners.push(({ handshakeTimeoutMs }) =>
    listenWebSocket({
      host: config.host,
      port: webSocket.port,
      path: webSocket.path,
      handshakeTimeoutMs,
      ...(tls === undefined ? {} : { tls }),
      ...(onRequest === undefined ? {} : { onRequest }),
    }),
  );
  return listeners;
}
