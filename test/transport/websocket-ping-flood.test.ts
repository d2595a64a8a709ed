// A WebSocket ping flood from a client that never reads: every ping makes the server queue a
// pong, which a reader that does not read never takes, so without a bound the server's memory
// grows with what the attacker sends. `ws` drops a connection with 60 pongs unsent (its
// maxPendingAutoPongs); this test keeps that true for the reference server (README, "Operating
// notes"), and shows the flood costs only the flooder: another client on the same port chats on.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { after, before, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { listenWebSocket } from "../../transport/websocket/websocket-listener.ts";
import { PARROT_SUBPROTOCOL } from "../../transport/websocket/websocket-stream.ts";
import { RawPeer } from "../server/raw-peer.ts";
import "../../transport/all-dialers.ts";

// Far more pings than any bound would let through, and a bounded amount for the test to send.
const PINGS = 20_000;

let server: RunningParrotServer;

before(async () => {
  server = await startTestServer({
    listeners: [() => listenWebSocket({ host: "127.0.0.1", port: 0 })],
  });
});
after(async () => {
  await server.close();
});

/** A masked client frame (RFC 6455 §5.2) with a payload under 126 bytes. */
function clientFrame(opcode: number, payload: Buffer): Buffer {
  const mask = randomBytes(4);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] as number)));
  return Buffer.concat([Buffer.from([0x80 | opcode, 0x80 | payload.length]), mask, masked]);
}

/** Upgrades a raw TCP connection and returns it without ever reading from it again. */
async function upgradedSocketThatNeverReads(): Promise<Socket> {
  const socket = connect(server.address.port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  socket.write(
    "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n` +
      `Sec-WebSocket-Protocol: ${PARROT_SUBPROTOCOL}\r\n\r\n`,
  );
  await new Promise<void>((resolve) => socket.once("data", () => resolve()));
  socket.pause();
  return socket;
}

test("pings sent faster than their pongs are read drop that connection, and only that one", async () => {
  const peer = await RawPeer.connect(server.address, { transport: "ws" });
  await peer.negotiateAndLogin("user1", "pass1");
  const flooder = await upgradedSocketThatNeverReads();
  const dropped = new Promise<void>((resolve) => flooder.once("close", () => resolve()));
  flooder.on("error", () => {});
  const ping = clientFrame(0x9, Buffer.alloc(125, 0x70));
  const burst = Buffer.concat(Array.from({ length: 100 }, () => ping));
  let sent = 0;
  let closed = false;
  void dropped.then(() => {
    closed = true;
  });
  while (!closed && sent < PINGS) {
    if (!flooder.write(burst)) {
      await Promise.race([dropped, new Promise((resolve) => flooder.once("drain", resolve))]);
    }
    sent += 100;
    await new Promise((resolve) => setImmediate(resolve));
  }
  // Hang guard only: by now the flooder is long past the bound.
  let guard: NodeJS.Timeout | undefined;
  const stillOpen = new Promise<string>((resolve) => {
    guard = setTimeout(resolve, 10_000, "still open");
  });
  const outcome = await Promise.race([dropped.then(() => "dropped"), stillOpen]);
  clearTimeout(guard);
  flooder.destroy();
  assert.equal(outcome, "dropped", `after ${sent} pings whose pongs were never read`);
  assert.equal((await peer.chat(1, "unaffected")).text, "unaffected");
  await peer.logout();
});
