// Version-3 direct messages (spec §15.5) against a real server over loopback: DELIVERED with an
// id to an online user, STORED alike for the offline, the version-1 and the unknown, stored
// messages delivered once at the next version-3 login with their original id and time, a bounded
// queue, and DIRECT_SEND unchanged.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import { MemoryMessageStore } from "../../server/history/memory-message-store.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";
import { loginV3 } from "./v3-peers.ts";

let usersFile: string;
let server: RunningParrotServer;
const pool = new PeerPool(() => server);

before(async () => {
  usersFile = await writeFastUsersFile(V2_ACCOUNTS);
  server = await startTestServer({ usersFile });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

function dm(peer: RawPeer, messageId: number, to: string, text = `dm ${messageId}`): void {
  peer.send({ type: "DIRECT_SEND_V3", version: 3, messageId, to, text });
}

describe("DIRECT_SEND_V3", () => {
  test("to a version-3 user: DELIVERED with the id and time the recipient's copy carries (REQ-15.18)", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    const bob = (await loginV3(pool, "bob")).peer;
    dm(alice, 41, "bob", "hi bob ✓");
    const status = await alice.expect("DIRECT_STATUS_V3");
    const copy = await bob.expect("DIRECT_MESSAGE_V3");
    assert.equal(status.status, "DELIVERED");
    assert.deepEqual(copy, {
      type: "DIRECT_MESSAGE_V3",
      version: 3,
      messageId: 41,
      from: "alice",
      epoch: status.epoch,
      seq: status.seq,
      timeS: status.timeS,
      timeMs: status.timeMs,
      text: "hi bob ✓",
    });
    assert.deepEqual(await bob.drain(), []);
    assert.deepEqual(await alice.drain(), []);
  });

  test("to a version-2 user: DELIVERED, and the recipient gets DIRECT_MESSAGE as in version 2 (REQ-15.18, REQ-15.2)", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    const bob = await pool.login("bob", [1, 2]);
    dm(alice, 7, "bob", "hello");
    assert.equal((await alice.expect("DIRECT_STATUS_V3")).status, "DELIVERED");
    assert.deepEqual(await bob.drain(), [
      { type: "DIRECT_MESSAGE", version: 2, messageId: 7, from: "alice", text: "hello" },
    ]);
  });

  test("offline, version-1 only and unknown names get the same STORED; nothing reaches anyone (REQ-15.19)", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    const v1 = await pool.login("dave", [1]);
    const answers = [];
    for (const [messageId, to] of [
      [1, "erin"],
      [2, "dave"],
      [3, "nobody-such"],
    ] as const) {
      dm(alice, messageId, to);
      const {
        messageId: answered,
        epoch,
        seq,
        timeS,
        timeMs,
        ...rest
      } = await alice.expect("DIRECT_STATUS_V3");
      assert.equal(answered, messageId);
      assert.notEqual(epoch, 0);
      assert.ok(Number.isInteger(timeS) && timeMs >= 0 && timeMs <= 999);
      answers.push({ ...rest, seq });
    }
    assert.deepEqual(answers, [
      { type: "DIRECT_STATUS_V3", version: 3, status: "STORED", seq: 1 },
      { type: "DIRECT_STATUS_V3", version: 3, status: "STORED", seq: 1 },
      { type: "DIRECT_STATUS_V3", version: 3, status: "STORED", seq: 1 },
    ]);
    assert.deepEqual(await v1.drain(), []);
    assert.deepEqual(await alice.drain(), []);
  });

  test("stored messages arrive at the next version-3 login, oldest first, with their ids and times, once (REQ-15.20)", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    const statuses = [];
    for (let i = 1; i <= 3; i++) {
      dm(alice, i, "frank", `while you were away ${i}`);
      statuses.push(await alice.expect("DIRECT_STATUS_V3"));
    }
    // A version-2 login leaves them waiting.
    const early = await pool.login("frank", [1, 2]);
    assert.deepEqual(await early.drain(), []);
    await early.logout();

    const { peer: frank, info, stored } = await loginV3(pool, "frank");
    assert.deepEqual([info.storedCount, info.droppedCount], [3, 0]);
    assert.deepEqual(
      stored.map((m) => [m.messageId, m.from, m.text, m.epoch, m.seq, m.timeS, m.timeMs]),
      statuses.map((s, i) => [
        s.messageId,
        "alice",
        `while you were away ${i + 1}`,
        s.epoch,
        s.seq,
        s.timeS,
        s.timeMs,
      ]),
    );
    assert.deepEqual(await frank.drain(), []);
    await frank.logout();
    const again = await loginV3(pool, "frank");
    assert.deepEqual([again.info.storedCount, again.stored], [0, []]);
  });

  test("a DM sent while its recipient logs in arrives once: stored or live, in seq order (REQ-15.20)", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    const sent = 40;
    const connecting = loginV3(pool, "grace");
    for (let i = 1; i <= sent; i++) dm(alice, i, "grace");
    const { peer: grace, stored } = await connecting;
    const seqs = stored.map((m) => m.seq);
    while (seqs.length < sent) seqs.push((await grace.expect("DIRECT_MESSAGE_V3")).seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: sent }, (_, i) => i + 1),
    );
    const answers = await alice.take(sent);
    assert.equal(answers.length, sent);
    assert.deepEqual(await grace.drain(), []);
  });

  test("a full queue lets the oldest go and says how many (REQ-15.21)", async () => {
    const small = await startTestServer({
      usersFile,
      historyStore: new MemoryMessageStore({ offlineQueue: 2 }),
    });
    const smallPool = new PeerPool(() => small);
    try {
      const { peer: alice, info } = await loginV3(smallPool, "alice");
      assert.equal(info.offlineQueue, 2);
      for (let i = 1; i <= 5; i++) {
        dm(alice, i, "heidi");
        assert.equal((await alice.expect("DIRECT_STATUS_V3")).status, "STORED");
      }
      const heidi = await loginV3(smallPool, "heidi");
      assert.deepEqual([heidi.info.storedCount, heidi.info.droppedCount], [2, 3]);
      assert.deepEqual(
        heidi.stored.map((m) => m.messageId),
        [4, 5],
      );
      // Left the queue, not the history.
      heidi.peer.send({
        type: "HISTORY_REQUEST",
        version: 3,
        requestId: 1,
        targetKind: "USER",
        target: "alice",
        anchor: "LATEST",
        epoch: 0,
        seq: 0,
        limit: 10,
      });
      assert.equal((await heidi.peer.expect("HISTORY_PAGE")).itemCount, 5);
    } finally {
      smallPool.destroyAll();
      await small.close();
    }
  });

  test("both parties read their conversation's history; a name with no account reads like any other", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    const ivan = (await loginV3(pool, "ivan")).peer;
    dm(alice, 1, "ivan", "first");
    await alice.expect("DIRECT_STATUS_V3");
    await ivan.expect("DIRECT_MESSAGE_V3");
    ivan.send({ type: "DIRECT_SEND_V3", version: 3, messageId: 9, to: "alice", text: "second" });
    await ivan.expect("DIRECT_STATUS_V3");
    await alice.expect("DIRECT_MESSAGE_V3");
    dm(alice, 2, "no-account-here", "into the void");
    await alice.expect("DIRECT_STATUS_V3");
    const ask = (peer: RawPeer, target: string) =>
      peer.send({
        type: "HISTORY_REQUEST",
        version: 3,
        requestId: 5,
        targetKind: "USER",
        target,
        anchor: "LATEST",
        epoch: 0,
        seq: 0,
        limit: 10,
      });
    const texts = async (peer: RawPeer) => {
      const page = await peer.expect("HISTORY_PAGE");
      const items = await peer.take(page.itemCount);
      return [
        page.status,
        items.map((item) => (item.type === "HISTORY_ITEM" ? item.text : item.type)),
      ];
    };
    ask(alice, "ivan");
    assert.deepEqual(await texts(alice), ["OK", ["first", "second"]]);
    ask(ivan, "alice");
    assert.deepEqual(await texts(ivan), ["OK", ["first", "second"]]);
    ask(alice, "no-account-here");
    assert.deepEqual(await texts(alice), ["OK", ["into the void"]]);
  });
});

describe("DIRECT_SEND on a version-3 server", () => {
  test("keeps its version-2 meaning, also from a version-3 session: NOT_DELIVERED, nothing stored (REQ-15.22)", async () => {
    const alice = (await loginV3(pool, "alice")).peer;
    alice.send({ type: "DIRECT_SEND", version: 3, messageId: 3, to: "judy", text: "hi" });
    assert.deepEqual(await alice.expect("DIRECT_STATUS"), {
      type: "DIRECT_STATUS",
      version: 3,
      messageId: 3,
      status: "NOT_DELIVERED",
    });
    const judy = await loginV3(pool, "judy");
    assert.equal(judy.info.storedCount, 0);
  });

  test("delivered to a version-3 recipient as DIRECT_MESSAGE_V3 with its conversation's id", async () => {
    const bob = await pool.login("bob", [1, 2]);
    const oscar = (await loginV3(pool, "oscar")).peer;
    bob.send({ type: "DIRECT_SEND", version: 2, messageId: 12, to: "oscar", text: "from v2" });
    assert.deepEqual(await bob.expect("DIRECT_STATUS"), {
      type: "DIRECT_STATUS",
      version: 2,
      messageId: 12,
      status: "DELIVERED",
    });
    const copy = await oscar.expect("DIRECT_MESSAGE_V3");
    assert.deepEqual([copy.messageId, copy.from, copy.text, copy.seq], [12, "bob", "from v2", 1]);
  });
});
