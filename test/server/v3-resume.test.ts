// ROOM_RESUME (spec §15.4) against a real server over loopback: a member whose connection drops
// comes back naming the last id it saw and gets exactly what it missed, then the live messages;
// a gap that cannot be filled is reported; refusals are ROOM_JOIN's.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { PduOfType } from "../../generated/index.ts";
import { MemoryMessageStore } from "../../server/history/memory-message-store.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";
import { joinRoom, loginV3, readPageOf, say } from "./v3-peers.ts";

let usersFile: string;
let server: RunningParrotServer;
const pool = new PeerPool(() => server);
let room = 0;
const freshRoom = () => `resume${++room}`;

before(async () => {
  usersFile = await writeFastUsersFile(V2_ACCOUNTS);
  server = await startTestServer({ usersFile });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

function resume(peer: RawPeer, requestId: number, room: string, epoch: number, seq: number): void {
  peer.send({ type: "ROOM_RESUME", version: 3, requestId, room, epoch, seq });
}

/** Says `texts` one by one, each waited for, and returns the sender's own copies. */
async function sayAll(
  peer: RawPeer,
  room: string,
  texts: string[],
): Promise<PduOfType<"ROOM_MESSAGE_V3">[]> {
  const copies = [];
  for (const [i, text] of texts.entries()) {
    say(peer, room, i, text);
    copies.push(await peer.expect("ROOM_MESSAGE_V3"));
  }
  return copies;
}

/** Drops `peer`'s connection and waits until the server has taken it out of `room`. */
async function dropAndWaitForLeft(peer: RawPeer, witness: RawPeer): Promise<void> {
  peer.destroy();
  const left = await witness.expect("ROOM_EVENT");
  assert.equal(left.event, "LEFT");
}

describe("ROOM_RESUME", () => {
  test("replays exactly what was missed, before JOINED, then live messages follow (REQ-15.15)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    const bob = (await loginV3(pool, "bob")).peer;
    await joinRoom(alice, lobby);
    await joinRoom(bob, lobby);
    await alice.expect("ROOM_EVENT"); // bob JOINED
    const [seen] = await sayAll(alice, lobby, ["before the drop"]);
    assert.ok(seen);
    await bob.expect("ROOM_MESSAGE_V3");
    await dropAndWaitForLeft(bob, alice);
    await sayAll(alice, lobby, ["missed 1", "missed 2"]);

    const back = (await loginV3(pool, "bob")).peer;
    resume(back, 9, lobby, seen.epoch, seen.seq);
    assert.deepEqual(await back.expect("ROOM_RESULT"), {
      type: "ROOM_RESULT",
      version: 3,
      requestId: 9,
      status: "OK",
      room: lobby,
    });
    const { page, items } = await readPageOf(back);
    assert.deepEqual(
      [page.requestId, page.status, page.targetKind, page.target, page.epoch, page.newestSeq],
      [9, "OK", "ROOM", lobby, seen.epoch, 3],
    );
    assert.deepEqual(
      items.map((item) => [item.seq, item.text, item.from]),
      [
        [2, "missed 1", "alice"],
        [3, "missed 2", "alice"],
      ],
    );
    const joined = await back.expect("ROOM_EVENT");
    assert.deepEqual([joined.user, joined.event], ["bob", "JOINED"]);
    assert.deepEqual([(await alice.expect("ROOM_EVENT")).user], ["bob"]);
    say(alice, lobby, 4, "live again");
    const live = await back.expect("ROOM_MESSAGE_V3");
    assert.deepEqual([live.seq, live.text], [4, "live again"]);
  });

  test("while others keep talking, replay and live messages meet: every seq once, in order (REQ-15.16)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    const carol = (await loginV3(pool, "carol")).peer;
    await joinRoom(alice, lobby);
    await joinRoom(carol, lobby);
    await alice.expect("ROOM_EVENT");
    const [anchor] = await sayAll(alice, lobby, ["anchor"]);
    assert.ok(anchor);
    await carol.expect("ROOM_MESSAGE_V3");
    const bob = (await loginV3(pool, "bob")).peer;
    // alice talks without waiting while bob resumes: the server decides where each message falls.
    const talked = 60; // under the default max_page, 100
    for (let i = 0; i < talked; i++) say(alice, lobby, 100 + i, `during ${i}`);
    resume(bob, 1, lobby, anchor.epoch, anchor.seq);
    assert.equal((await bob.expect("ROOM_RESULT")).status, "OK");
    const { page, items } = await readPageOf(bob);
    assert.equal(page.status, "OK");
    const seqs = items.map((item) => item.seq);
    assert.equal((await bob.expect("ROOM_EVENT")).event, "JOINED");
    // Fewer than a page (100) were said, so whatever the replay does not hold arrives live.
    while (seqs.length < talked) seqs.push((await bob.expect("ROOM_MESSAGE_V3")).seq);
    assert.deepEqual(
      seqs,
      Array.from({ length: talked }, (_, i) => anchor.seq + 1 + i),
    );
  });

  test("an anchor of an epoch that is gone: GAP, and the items from the oldest kept (REQ-15.12, REQ-15.15)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    await joinRoom(alice, lobby);
    const [first] = await sayAll(alice, lobby, ["one", "two"]);
    assert.ok(first);
    const bob = (await loginV3(pool, "bob")).peer;
    resume(bob, 5, lobby, first.epoch === 7 ? 8 : 7, 40);
    assert.equal((await bob.expect("ROOM_RESULT")).status, "OK");
    const { page, items } = await readPageOf(bob);
    assert.deepEqual(
      [page.status, page.epoch, page.oldestSeq, page.newestSeq],
      ["GAP", first.epoch, 1, 2],
    );
    assert.deepEqual(
      items.map((item) => item.text),
      ["one", "two"],
    );
    assert.equal((await bob.expect("ROOM_EVENT")).event, "JOINED");
  });

  test("messages after the anchor no longer kept: GAP, from the oldest kept (REQ-15.12)", async () => {
    const small = await startTestServer({
      usersFile,
      historyStore: new MemoryMessageStore({ historyCount: 3 }),
    });
    const smallPool = new PeerPool(() => small);
    try {
      const alice = (await loginV3(smallPool, "alice")).peer;
      await joinRoom(alice, "lobby");
      const copies = await sayAll(alice, "lobby", ["m1", "m2", "m3", "m4", "m5", "m6"]);
      const bob = (await loginV3(smallPool, "bob")).peer;
      resume(bob, 1, "lobby", copies[0]?.epoch ?? 0, 1);
      assert.equal((await bob.expect("ROOM_RESULT")).status, "OK");
      const { page, items } = await readPageOf(bob);
      assert.deepEqual([page.status, page.oldestSeq, page.newestSeq], ["GAP", 4, 6]);
      assert.deepEqual(
        items.map((item) => item.text),
        ["m4", "m5", "m6"],
      );
    } finally {
      smallPool.destroyAll();
      await small.close();
    }
  });

  test("more missed than a page: the first max_page, OK, and the rest by HISTORY_REQUEST AFTER", async () => {
    const small = await startTestServer({ usersFile, historyPageSize: 2 });
    const smallPool = new PeerPool(() => small);
    try {
      const alice = (await loginV3(smallPool, "alice")).peer;
      await joinRoom(alice, "lobby");
      const copies = await sayAll(alice, "lobby", ["m1", "m2", "m3", "m4", "m5"]);
      const bob = (await loginV3(smallPool, "bob")).peer;
      resume(bob, 1, "lobby", copies[0]?.epoch ?? 0, 1);
      await bob.expect("ROOM_RESULT");
      const { page, items } = await readPageOf(bob);
      assert.deepEqual(
        [page.status, page.newestSeq, items.map((item) => item.text)],
        ["OK", 5, ["m2", "m3"]],
      );
    } finally {
      smallPool.destroyAll();
      await small.close();
    }
  });

  test("answered as ROOM_JOIN when refused, and nothing is replayed (REQ-15.15)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    await joinRoom(alice, lobby);
    await sayAll(alice, lobby, ["one"]);
    resume(alice, 3, lobby, 1, 0);
    resume(alice, 4, "bad name!", 1, 0);
    assert.deepEqual(await alice.drain(), [
      { type: "ROOM_RESULT", version: 3, requestId: 3, status: "ALREADY_MEMBER", room: lobby },
      { type: "ROOM_RESULT", version: 3, requestId: 4, status: "BAD_ROOM_NAME", room: "bad name!" },
    ]);
  });
});
