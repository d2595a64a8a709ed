// The version-3 client's history and resume against the real reference server, in scripted mode:
// a replay longer than the server's page is paged on and shown whole, in order; a replay the
// server cannot fill is shown with its gap marker; /history shows the newest messages of a room
// a member asks for, and refuses a room it is not in; /history USER shows the direct messages
// between the two users, both ways; a version-2 session has no /history.
// The real server's own bounds are configured small (historyPageSize, the store's historyCount).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MemoryMessageStore } from "../../server/history/memory-message-store.ts";
import type { ParrotServerOptions } from "../../server/server-options.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { MANY_TEST_ACCOUNTS } from "../../tools/launch/test-accounts.ts";
import { awayWhile, type RoomPair, twoInRoom } from "./away-from-room.ts";
import { CuttingProxy } from "./cutting-proxy.ts";
import { ScriptedPeer } from "./scripted-peer.ts";

/** user2 says each text in #den and waits for its own copy, so the order is the server's. */
async function sayAll(stays: ScriptedPeer, texts: string[]): Promise<void> {
  for (const text of texts) stays.type(`/say den ${text}`);
  for (const text of texts) await stays.waitFor(`[#den user2] ${text}`);
}

/**
 * A server with `options`, user1 (--reconnect, through a proxy) and user2 in #den; after `body`
 * both end their input and must exit 0.
 */
async function withPairInDen(
  options: ParrotServerOptions,
  body: (proxy: CuttingProxy, pair: RoomPair) => Promise<void>,
): Promise<void> {
  const target = await startTestServer({ accounts: MANY_TEST_ACCOUNTS, ...options });
  const proxy = await CuttingProxy.start(target.address.port);
  try {
    const users: [[string, string], [string, string]] = [
      ["user1", "pass1"],
      ["user2", "pass2"],
    ];
    const pair = await twoInRoom(proxy, target.address.port, "den", ...users);
    await body(proxy, pair);
    const [away, stays] = await Promise.all([pair.away.end(), pair.stays.end()]);
    assert.equal(away.code, 0, away.stderr);
    assert.equal(stays.code, 0, stays.stderr);
  } finally {
    await proxy.close();
    await target.close();
  }
}

const said = (count: number) => Array.from({ length: count }, (_, i) => `message ${i + 1}`);

describe("version-3 client: history and resume", { concurrency: 1 }, () => {
  test("5 missed with pages of 2: the replay is paged on and shown whole, in order", async () => {
    await withPairInDen({ historyPageSize: 2 }, async (proxy, pair) => {
      const shown = await awayWhile(proxy, pair, "den", () => sayAll(pair.stays, said(5)));
      assert.deepEqual(shown, [
        "[#den] joined",
        "* 5 message(s) missed in #den while you were away",
        ...said(5).map((text) => `(replayed TIME) [#den user2] ${text}`),
        "* user1 joined #den",
      ]);
    });
  });

  test("4 missed where the server keeps 2: the gap is shown, then what is kept", async () => {
    const historyStore = new MemoryMessageStore({ historyCount: 2 });
    await withPairInDen({ historyStore }, async (proxy, pair) => {
      await sayAll(pair.stays, ["before"]);
      await pair.away.waitFor("[#den user2] before");
      const shown = await awayWhile(proxy, pair, "den", () => sayAll(pair.stays, said(4)));
      assert.deepEqual(shown, [
        "[#den] joined",
        "* gap in #den: some messages from while you were away are gone",
        "* 2 message(s) missed in #den while you were away",
        "(replayed TIME) [#den user2] message 3",
        "(replayed TIME) [#den user2] message 4",
        "* user1 joined #den",
      ]);
    });
  });

  test("/history #ROOM N: the newest N, oldest first; not a member of another room; none on v2", async () => {
    const target = await startTestServer({
      accounts: MANY_TEST_ACCOUNTS,
    });
    try {
      const user = new ScriptedPeer("user1", target.address.port, "pass1");
      user.type("/join den");
      await user.waitFor("[#den] joined");
      for (const text of said(3)) user.type(`/say den ${text}`);
      for (const text of said(3)) await user.waitFor(`[#den user1] ${text}`);
      user.type("/history #den 2");
      await user.waitFor("* history of #den: 2 message(s)");
      user.type("/history #elsewhere");
      await user.waitFor("[#elsewhere] not a member");
      const result = await user.end();
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.split("\n");
      const at = lines.indexOf("* history of #den: 2 message(s)");
      assert.match(lines[at + 1]!, /^\(history \S+Z\) \[#den user1\] message 2$/);
      assert.match(lines[at + 2]!, /^\(history \S+Z\) \[#den user1\] message 3$/);

      const v2 = new ScriptedPeer("user2", target.address.port, "pass2", ["--versions", "1,2"]);
      v2.type("/history #den");
      const refused = await v2.result;
      assert.equal(refused.code, 2);
      assert.match(refused.stderr, /\/history needs protocol v3; this session negotiated v2/);
    } finally {
      await target.close();
    }
  });

  test("/history USER N: the direct messages with USER, both ways, oldest first", async () => {
    const target = await startTestServer();
    try {
      const one = new ScriptedPeer("user1", target.address.port, "pass1");
      const two = new ScriptedPeer("user2", target.address.port, "pass2");
      // user2 logged in first (its answer to /rooms says so), so the first message is delivered
      // live rather than stored for a login still under way.
      two.type("/rooms");
      await two.waitFor("rooms: (none)");
      one.type("/msg user2 hello two");
      await one.waitFor("[dm to user2] delivered");
      await two.waitFor("[dm from user1] hello two");
      two.type("/msg user1 hello one");
      await one.waitFor("[dm from user2] hello one");
      one.type("/msg user2 bye");
      await two.waitFor("[dm from user1] bye");
      two.type("/history user1 2");
      await two.waitFor("* history of dm with user1: 2 message(s)");
      const [first, second] = await Promise.all([one.end(), two.end()]);
      assert.equal(first.code, 0, first.stderr);
      assert.equal(second.code, 0, second.stderr);
      const lines = second.stdout.split("\n");
      const at = lines.indexOf("* history of dm with user1: 2 message(s)");
      assert.match(lines[at + 1]!, /^\(history \S+Z\) \[dm from user2\] hello one$/);
      assert.match(lines[at + 2]!, /^\(history \S+Z\) \[dm from user1\] bye$/);
    } finally {
      await target.close();
    }
  });
});
