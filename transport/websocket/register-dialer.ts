/**
 * Registers the "ws" transport with connect(): `connect(host, port, { transport: "ws" })` dials
 * ws://host:port/, or wss:// when TLS settings are given. Imported by ../all-dialers.ts.
 */
import { registerDialer } from "../connect.ts";
import { dialWebSocket } from "./websocket-dialer.ts";

registerDialer("ws", (host, port, options) => {
  const dialOptions: Parameters<typeof dialWebSocket>[2] = {};
  if (options.tls !== undefined) dialOptions.tls = options.tls;
  if (options.timeoutMs !== undefined) dialOptions.timeoutMs = options.timeoutMs;
  return dialWebSocket(host, port, dialOptions);
});
