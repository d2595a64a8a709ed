// `parrot client --reconnect` in scripted mode against the real reference server, its connection
// relayed through a loopback proxy that the test breaks (test/client/cutting-proxy.ts): the
// client comes back by itself, rejoins its room and keeps chatting, says so on stderr, and does
// not come back after a refused login. Synchronised on what the clients print, never on sleeps.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { runClient } from "./client-process.ts";
import { CuttingProxy } from "./cutting-proxy.ts";
import { ScriptedPeer } from "./scripted-peer.ts";

let target: RunningParrotServer;

before(async () => {
  // A ping timeout well above the client's first back-off (at most 1 s): a connection the
  // server cannot see is gone holds its login that long, so the client meets ALREADY_LOGGED_IN.
  target = await startTestServer({
    accounts: MANY_TEST_ACCOUNTS,
    pingIntervalMs: 2000,
    pingTimeoutMs: 8000,
  });
});

after(async () => {
  await target.close();
});

const LOST = /connection lost: /g;
const WAITING = /reconnecting in \d+\.\d s \(attempt \d+\)/g;
const BACK = /reconnected to 127\.0\.0\.1:\d+, protocol version \d; joining #den again/g;

/** user1 through the proxy with --reconnect, user2 straight to the server; both in #den. */
async function twoInARoom(proxy: CuttingProxy, user1 = "user1", user2 = "user2") {
  const away = new ScriptedPeer(user1, proxy.port, password(user1), ["--reconnect"]);
  const stays = new ScriptedPeer(user2, target.address.port, password(user2));
  away.type("/join den");
  await away.waitFor("[#den] joined");
  stays.type("/join den");
  await stays.waitFor("[#den] joined");
  await away.waitFor(`* ${user2} joined #den`);
  return { away, stays };
}

function password(user: string): string {
  return { user1: "pass1", user2: "pass2", carol: "carol-pw", dave: "dave-pw" }[user] ?? "";
}

describe("scripted client with --reconnect", { concurrency: 1 }, () => {
  test("a reset and then an EOF: each time it reconnects, rejoins the room and keeps chatting", async () => {
    const proxy = await CuttingProxy.start(target.address.port);
    try {
      const { away, stays } = await twoInARoom(proxy);
      for (const [round, how] of [
        [1, "reset"],
        [2, "eof"],
      ] as const) {
        proxy.cut(how);
        // The server let go of the room with the connection; the client joins it again.
        await stays.waitFor("* user1 left #den");
        await away.waitFor("[#den] joined");
        await stays.waitFor("* user1 joined #den");
        stays.type(`/say den are you back ${round}?`);
        await away.waitFor(`[#den user2] are you back ${round}?`);
        away.type(`/say den back ${round}`);
        await stays.waitFor(`[#den user1] back ${round}`);
        // Its own copy answers the ROOM_SAY; through the relay it may come after user2's, and a
        // cut before it would leave the request unanswered (exit 7), which is not this test's.
        await away.waitFor(`[#den user1] back ${round}`);
        await away.waitForStderr(BACK, round);
      }
      const [awayResult, staysResult] = await Promise.all([away.end(), stays.end()]);
      assert.equal(awayResult.code, 0, awayResult.stderr);
      assert.equal(staysResult.code, 0, staysResult.stderr);
      assert.equal(awayResult.stderr.match(LOST)?.length, 2, awayResult.stderr);
      // The back-off starts again after each successful login: both waits are a first attempt.
      const waits = awayResult.stderr.match(WAITING) ?? [];
      assert.equal(waits.length, 2, awayResult.stderr);
      for (const wait of waits) assert.match(wait, /\(attempt 1\)$/);
      // stdout kept only the server's events: the remarks went to stderr.
      assert.doesNotMatch(awayResult.stdout, /reconnect/);
    } finally {
      await proxy.close();
    }
  });

  test("a request in flight when the link dies is reported, ALREADY_LOGGED_IN is waited out, and the run exits 7 at the end", async () => {
    const proxy = await CuttingProxy.start(target.address.port);
    try {
      const { away, stays } = await twoInARoom(proxy, "carol", "dave");
      proxy.freeze();
      away.type("/say den lost in the wire");
      await proxy.swallowedText("lost in the wire");
      // The client's side breaks; the server's side stays open and silent, holding carol's
      // login until the server's ping timeout: the first attempts are refused ALREADY_LOGGED_IN.
      proxy.dropFrozenClients();
      await away.waitForStderr(/the server never answered 1 request\(s\) \(ROOM_SAY \d+\)/g);
      await away.waitForStderr(/already logged in from another location/g);
      await away.waitFor("[#den] joined");
      stays.type("/say den welcome back");
      await away.waitFor("[#den dave] welcome back");
      const [awayResult, staysResult] = await Promise.all([away.end(), stays.end()]);
      assert.equal(staysResult.code, 0, staysResult.stderr);
      assert.equal(awayResult.code, 7, awayResult.stderr);
      assert.match(
        awayResult.stderr,
        /1 request\(s\) sent before a connection dropped were never answered/,
      );
      // Never sent twice: dave never saw the line that was lost.
      assert.doesNotMatch(staysResult.stdout, /lost in the wire/);
    } finally {
      await proxy.close();
    }
  });

  test("input that ends while the server is unreachable ends the run at once with the drop (exit 7)", async () => {
    const proxy = await CuttingProxy.start(target.address.port);
    const away = new ScriptedPeer("user1", proxy.port, "pass1", ["--reconnect"]);
    away.type("hello");
    await away.waitFor("hello");
    // Nothing listens on the proxy's port any more: every attempt is refused.
    await proxy.close();
    await away.waitForStderr(/reconnecting in .*attempt 2\); the last attempt failed: /g);
    const result = await away.end();
    assert.equal(result.code, 7, result.stderr);
    assert.match(result.stderr, /connection lost: the server closed the connection/);
  });

  test("a refused login is not retried: exit 5 at once", async () => {
    const result = await runClient(
      [
        "-s",
        "127.0.0.1",
        "-p",
        String(target.address.port),
        "--user",
        "user3",
        "--reconnect",
        "--send",
        "x",
      ],
      { env: { PARROT_PASSWORD: "wrong" } },
    );
    assert.equal(result.code, 5, result.stderr);
    assert.doesNotMatch(result.stderr, /reconnect/);
  });
});
