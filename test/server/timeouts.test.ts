// Ping and handshake timeouts on a real server with short timers. These assert THAT a timeout
// happens and what it frees, synchronising on the server's ERROR and close, never how fast.
// The cases use different accounts, so they run concurrently.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { RawPeer } from "./raw-peer.ts";

let server: RunningParrotServer;
const peers: RawPeer[] = [];

async function peer(): Promise<RawPeer> {
  const created = await RawPeer.connect(server.address);
  peers.push(created);
  return created;
}

before(async () => {
  server = await startTestServer({
    pingIntervalMs: 300,
    pingTimeoutMs: 1_200,
    handshakeTimeoutMs: 2_500,
  });
});

after(async () => {
  for (const each of peers) each.destroy();
  await server.close();
});

describe("timeouts", { concurrency: true }, () => {
  describe("ping timeout", { concurrency: true }, () => {
    test("a silent logged-in client is reaped with PING_TIMEOUT and its login freed", async () => {
      const silent = await peer();
      await silent.negotiateAndLogin("user1", "pass1");
      const other = await peer();
      await other.negotiate();
      assert.equal((await other.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
      other.destroy();

      await silent.expectError("PING_TIMEOUT");
      await silent.expectClosed();
      const next = await peer();
      await next.negotiateAndLogin("user1", "pass1");
      await next.logout();
    });

    test("a silent negotiated client is reaped too", async () => {
      const silent = await peer();
      await silent.negotiate();
      await silent.expectError("PING_TIMEOUT");
      await silent.expectClosed();
    });

    test("a client that pings every interval is kept well past the timeout", async () => {
      const client = await peer();
      await client.negotiateAndLogin("user2", "pass2");
      const started = performance.now();
      let token = 0;
      // Three ping timeouts' worth of pings: each must be answered, never an ERROR.
      while (performance.now() - started < 3 * 1_200) {
        token += 1;
        assert.deepEqual(await client.ping(token), { type: "PONG", version: 1, token });
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      assert.equal((await client.chat(1, "still here")).text, "still here");
      await client.logout();
    });
  });

  describe("handshake timeout", { concurrency: true }, () => {
    test("a connection that never sends anything gets HANDSHAKE_TIMEOUT", async () => {
      const silent = await peer();
      await silent.expectError("HANDSHAKE_TIMEOUT");
      await silent.expectClosed();
    });

    test("pinging without logging in does not extend the handshake timeout", async () => {
      const client = await peer();
      await client.negotiate();
      let token = 0;
      for (;;) {
        token += 1;
        client.send({ type: "PING", version: 1, token });
        const event = await client.next();
        if (event.kind === "pdu" && event.pdu.type === "PONG") {
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        assert.deepEqual(
          event.kind === "pdu" && event.pdu.type === "ERROR" && event.pdu.code,
          "HANDSHAKE_TIMEOUT",
        );
        break;
      }
      await client.expectClosed();
    });
  });
});
