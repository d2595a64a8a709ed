// Slowloris against the WebSocket listener's HTTP side (REQ-2.23): connections that never finish the
// request that would upgrade them are closed once the handshake timeout has passed (README,
// "Operating notes"; REQ-7.9's clock runs from the connect), not when node next looks. Found by
// an attack probe: node checks unfinished requests only every connectionsCheckingInterval,
// 30 s by default, so with --handshake-timeout 2 each such connection held its descriptor for
// 20-30 s: one attacker with a few thousand of them pinned the server's descriptors.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { listenWebSocket } from "../../transport/websocket/websocket-listener.ts";
import { RawPeer } from "../server/raw-peer.ts";
import "../../transport/all-dialers.ts";

const HANDSHAKE_TIMEOUT_MS = 1500;
// Far below node's own 30 s check, far above the timeout plus its 1 s tolerance on a slow machine.
const HANG_GUARD_MS = 15_000;

let server: RunningParrotServer;

before(async () => {
  server = await startTestServer({
    handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
    listeners: [
      ({ handshakeTimeoutMs }) =>
        listenWebSocket({ host: "127.0.0.1", port: 0, handshakeTimeoutMs }),
    ],
  });
});
after(async () => {
  await server.close();
});

/** Opens a raw TCP connection to the WebSocket port and writes `start` (an unfinished request). */
async function slowPeer(start: string): Promise<{ socket: Socket; closed: Promise<string> }> {
  const socket = connect(server.address.port, "127.0.0.1");
  let answer = "";
  socket.on("data", (chunk: Buffer) => {
    answer += chunk.toString("latin1");
  });
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve, reject) => {
    const guard = setTimeout(
      () => reject(new Error(`still open after ${HANG_GUARD_MS} ms: ${JSON.stringify(start)}`)),
      HANG_GUARD_MS,
    );
    socket.on("close", () => {
      clearTimeout(guard);
      resolve(answer);
    });
  });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  if (start !== "") socket.write(start);
  return { socket, closed };
}

describe("unfinished HTTP requests on the WebSocket port are closed at the handshake timeout", () => {
  for (const [name, start] of [
    ["nothing sent", ""],
    ["headers never finished", "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"],
    ["request line only", "GET / HTTP/1.1\r\n"],
  ] as const) {
    test(`${name}: closed (408) while a Parrot client on the same port chats`, async () => {
      const slow = await slowPeer(start);
      try {
        // A real client is served meanwhile, and still is after the slow one is gone.
        const peer = await RawPeer.connect(server.address, { transport: "ws" });
        await peer.negotiateAndLogin("user1", "pass1");
        assert.equal((await peer.chat(1, "served")).text, "served");
        const answer = await slow.closed;
        assert.match(answer, /^(HTTP\/1\.1 408|$)/, answer);
        assert.equal((await peer.chat(2, "still served")).text, "still served");
        await peer.logout();
      } finally {
        slow.socket.destroy();
      }
    });
  }
});
