/**
 * The WebSocket binding's requirements (spec §2.3) bind only a server that serves WebSocket, and
 * the suite's scenarios run over TCP: until the suite can run over the "ws" dialer (`--transport
 * ws`) and scenarios cite them, test/transport/websocket.test.ts checks them against the reference
 * server. The coverage tests skip these ids; remove an id once a scenario cites it.
 */
export const JUDGED_OVER_WEBSOCKET_ONLY: ReadonlySet<string> = new Set([
  "REQ-2.10",
  "REQ-2.11",
  "REQ-2.12",
  "REQ-2.13",
  "REQ-2.14",
  "REQ-2.15",
]);
