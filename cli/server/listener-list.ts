/**
 * The listeners `parrot server` opens: the default TCP (or TLS) listener, plus a WebSocket one
 * with --ws-port (spec §2.3) on the same address, wss when TLS is configured. Every listener
 * hands its connections to the same server, so users, logins and rooms are shared. The
 * WebSocket port also serves the web client's page, when it has been built.
 */
import {
  defaultListeners,
  type ListenerFactory,
  type ParrotServerOptions,
} from "../../server/parrot-server.ts";
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
  const webSocket = config.webSocket;
  if (webSocket === undefined) return listeners;
  const tls = options.tls;
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
