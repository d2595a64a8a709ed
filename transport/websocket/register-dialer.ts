/**
 * Registers the "ws" transport with connect(): `connect(host, port, { transport: "ws", path })`
 * dials ws://host:port/path (path default "/"), or wss:// when TLS settings are given. Imported by
 * ../all-dialers.ts.
 */
import { registerDialer } from "../connect.ts";
import { dialWebSocket } from "./websocket-dialer.ts";

registerDialer("ws", (host, port, options) => {
  const dialOptions: Parameters<typeof dialWebSocket>[2] = {};
  if (options.tls !== undefined) dialOptions.tls = options.tls;
  if (options.path !== undefined) dialOptions.path = options.path;
  if (options.timeoutMs !== undefined) dialOptions.timeoutMs = options.timeoutMs;
  return dialWebSocket(host, port, dialOptions);
});
