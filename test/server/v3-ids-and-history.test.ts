// Version 3 ids and history (spec §15.1-15.3) against a real server over loopback: negotiation,
// SESSION_INFO first, ids that count per room, version-2 members that see exactly version 2,
// history pages in order, non-members refused, GAP for another epoch.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";
import { joinRoom, loginV3, readPageOf, say, withoutRoomEvents } from "./v3-peers.ts";

const ACCEPTED_AT = Date.UTC(2026, 11, 1, 21, 58, 7, 250);
let server: RunningParrotServer;
const pool = new PeerPool(() => server);
let room = 0;
/** A room of its own for each test: history outlives a room's members. */
const freshRoom = () => `r${++room}`;

before(async () => {
  server = await startTestServer({
    usersFile: await writeFastUsersFile(V2_ACCOUNTS),
    wallClock: () => ACCEPTED_AT,
  });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

describe("version 3 negotiation and login", () => {
  test("[1, 2, 3] gets 3 and the list [1, 2, 3] (REQ-15.1)", async () => {
    const peer = await pool.connect();
    const response = await peer.negotiate([1, 2, 3]);
    assert.deepEqual([response.chosenVersion, response.supportedVersions], [3, [1, 2, 3]]);
  });

  test("SESSION_INFO comes right after LOGIN_RESPONSE OK, with the server's bounds (REQ-15.14)", async () => {
    const { peer, info } = await loginV3(pool, "alice");
    assert.deepEqual(info, {
      type: "SESSION_INFO",
      version: 3,
      maxPage: 100,
      historyCount: 500,
      historyAgeS: 0,
      offlineQueue: 100,
      storedCount: 0,
      droppedCount: 0,
    });
    assert.deepEqual(await peer.drain(), []);
  });

  test("a version-2 login gets no SESSION_INFO (REQ-15.2)", async () => {
    const peer = await pool.login("bob", [1, 2]);
    assert.deepEqual(await peer.drain(), []);
  });

  test("version-3 requests before login: AUTHENTICATION_REQUIRED, the connection stays (REQ-15.4)", async () => {
    const peer = await pool.connect();
    await peer.negotiate([3]);
    for (const pdu of [
      { type: "DIRECT_SEND_V3", version: 3, messageId: 1, to: "bob", text: "hi" },
      { type: "ROOM_RESUME", version: 3, requestId: 2, room: "lobby", epoch: 1, seq: 1 },
      {
        type: "HISTORY_REQUEST",
        version: 3,
        requestId: 3,
        targetKind: "ROOM",
        target: "lobby",
        anchor: "LATEST",
        epoch: 0,
        seq: 0,
        limit: 5,
      },
    ] as const) {
      peer.send(pdu);
      await peer.expectError("AUTHENTICATION_REQUIRED");
    }
    assert.deepEqual(await peer.drain(), []);
  });

  test("version-3 types on a version-2 connection: UNSUPPORTED_IN_VERSION", async () => {
    const peer = await pool.login("carol", [1, 2]);
    peer.send({ type: "ROOM_RESUME", version: 2, requestId: 2, room: "lobby", epoch: 1, seq: 1 });
    await peer.expectError("UNSUPPORTED_IN_VERSION");
    assert.deepEqual(await peer.drain(), []);
  });
});

describe("room messages with ids", () => {
  test("every member gets the same id and time, seq counting from 1; version 2 sees ROOM_MESSAGE (REQ-15.2, 15.3, 15.5, 15.6)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    const bob = (await loginV3(pool, "bob")).peer;
    const carol = await pool.login("carol", [1, 2]);
    for (const peer of [alice, bob, carol]) await joinRoom(peer, lobby);
    await alice.drain();
    await bob.drain();

    say(alice, lobby, 5, "hello all");
    // carol says hers once alice's has reached her, so the order of the two is known.
    const carolFirst = await carol.take(1);
    say(carol, lobby, 9, "from version 2");
    const aliceGot = await alice.take(2);
    const bobGot = await bob.take(2);
    assert.deepEqual(bobGot, aliceGot, "one order, one id per message for every member");
    const [first, second] = aliceGot;
    assert.deepEqual(withoutRoomEvents(aliceGot), aliceGot, "no event in between");
    assert.equal(first?.type, "ROOM_MESSAGE_V3");
    assert.equal(second?.type, "ROOM_MESSAGE_V3");
    if (first?.type !== "ROOM_MESSAGE_V3" || second?.type !== "ROOM_MESSAGE_V3") return;
    assert.deepEqual(
      { ...first, epoch: 0 },
      {
        type: "ROOM_MESSAGE_V3",
        version: 3,
        messageId: 5,
        room: lobby,
        from: "alice",
        epoch: 0,
        seq: 1,
        timeS: Math.floor(ACCEPTED_AT / 1000),
        timeMs: 250,
        text: "hello all",
      },
    );
    assert.notEqual(first.epoch, 0);
    assert.deepEqual([second.epoch, second.seq, second.from], [first.epoch, 2, "carol"]);
    assert.deepEqual(
      [...carolFirst, ...(await carol.take(1))],
      [
        {
          type: "ROOM_MESSAGE",
          version: 2,
          messageId: 5,
          room: lobby,
          from: "alice",
          text: "hello all",
        },
        {
          type: "ROOM_MESSAGE",
          version: 2,
          messageId: 9,
          room: lobby,
          from: "carol",
          text: "from version 2",
        },
      ],
    );
  });

  test("many senders at once: each member sees seqs 1..n in increasing order, none twice (REQ-15.7)", async () => {
    const lobby = freshRoom();
    const names = ["alice", "bob", "carol", "dave"];
    const peers = [];
    for (const name of names) peers.push((await loginV3(pool, name)).peer);
    for (const peer of peers) await joinRoom(peer, lobby);
    for (const peer of peers) await peer.drain();
    const perSender = 25;
    for (let i = 0; i < perSender; i++) {
      for (const [n, peer] of peers.entries()) say(peer, lobby, i, `${names[n]} ${i}`);
    }
    const total = perSender * peers.length;
    for (const peer of peers) {
      const seen = (await peer.take(total)).filter((pdu) => pdu.type === "ROOM_MESSAGE_V3");
      assert.deepEqual(
        seen.map((pdu) => pdu.seq),
        Array.from({ length: total }, (_, i) => i + 1),
      );
    }
  });
});

describe("history pages", () => {
  test("LATEST, BEFORE and AFTER pages, oldest first, capped by limit (REQ-15.10)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    await joinRoom(alice, lobby);
    for (let i = 1; i <= 6; i++) say(alice, lobby, i, `m${i}`);
    const live = await alice.take(6);
    const epoch = live[0]?.type === "ROOM_MESSAGE_V3" ? live[0].epoch : 0;
    const ask = (
      requestId: number,
      anchor: "LATEST" | "BEFORE" | "AFTER",
      seq: number,
      limit: number,
    ) =>
      alice.send({
        type: "HISTORY_REQUEST",
        version: 3,
        requestId,
        targetKind: "ROOM",
        target: lobby,
        anchor,
        epoch,
        seq,
        limit,
      });
    const texts = async () => {
      const { page, items } = await readPageOf(alice);
      assert.ok(items.every((item) => item.requestId === page.requestId));
      return [
        page.status,
        page.epoch,
        page.oldestSeq,
        page.newestSeq,
        items.map((item) => item.text),
      ];
    };
    ask(1, "LATEST", 0, 2);
    assert.deepEqual(await texts(), ["OK", epoch, 1, 6, ["m5", "m6"]]);
    ask(2, "BEFORE", 5, 3);
    assert.deepEqual(await texts(), ["OK", epoch, 1, 6, ["m2", "m3", "m4"]]);
    ask(3, "AFTER", 4, 10);
    assert.deepEqual(await texts(), ["OK", epoch, 1, 6, ["m5", "m6"]]);
    ask(4, "AFTER", 6, 10);
    assert.deepEqual(await texts(), ["OK", epoch, 1, 6, []]);
    ask(5, "LATEST", 0, 0);
    assert.deepEqual(await texts(), ["OK", epoch, 1, 6, []]);
    assert.deepEqual(await alice.drain(), [], "nothing but the pages");
  });

  test("a history item carries the message's id, time, sender and text as accepted (REQ-15.6)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    await joinRoom(alice, lobby);
    say(alice, lobby, 77, "a\u0000b 😀");
    const live = await alice.expect("ROOM_MESSAGE_V3");
    alice.send({
      type: "HISTORY_REQUEST",
      version: 3,
      requestId: 8,
      targetKind: "ROOM",
      target: lobby,
      anchor: "LATEST",
      epoch: 0,
      seq: 0,
      limit: 1,
    });
    const { items } = await readPageOf(alice);
    assert.deepEqual(items, [
      {
        type: "HISTORY_ITEM",
        version: 3,
        requestId: 8,
        epoch: live.epoch,
        seq: live.seq,
        timeS: live.timeS,
        timeMs: live.timeMs,
        messageId: 77,
        from: "alice",
        text: "a\u0000b 😀",
      },
    ]);
  });

  test("a room one is not a member of: NOT_MEMBER and nothing else (REQ-15.11)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    const bob = (await loginV3(pool, "bob")).peer;
    await joinRoom(alice, lobby);
    say(alice, lobby, 1, "secret");
    await alice.expect("ROOM_MESSAGE_V3");
    for (const target of [lobby, "no-such-room", "not a room name"]) {
      bob.send({
        type: "HISTORY_REQUEST",
        version: 3,
        requestId: 3,
        targetKind: "ROOM",
        target,
        anchor: "LATEST",
        epoch: 0,
        seq: 0,
        limit: 10,
      });
      assert.deepEqual(await bob.drain(), [
        {
          type: "HISTORY_PAGE",
          version: 3,
          requestId: 3,
          status: "NOT_MEMBER",
          targetKind: "ROOM",
          target,
          epoch: 0,
          oldestSeq: 0,
          newestSeq: 0,
          itemCount: 0,
        },
      ]);
    }
  });

  test("an anchor of another epoch is a GAP: BEFORE gets the newest, AFTER the oldest (REQ-15.12)", async () => {
    const lobby = freshRoom();
    const alice = (await loginV3(pool, "alice")).peer;
    await joinRoom(alice, lobby);
    for (let i = 1; i <= 3; i++) say(alice, lobby, i, `m${i}`);
    const [first] = await alice.take(3);
    const epoch = first?.type === "ROOM_MESSAGE_V3" ? first.epoch : 0;
    const otherEpoch = epoch === 1 ? 2 : 1;
    for (const [anchor, texts] of [
      ["BEFORE", ["m2", "m3"]],
      ["AFTER", ["m1", "m2"]],
    ] as const) {
      alice.send({
        type: "HISTORY_REQUEST",
        version: 3,
        requestId: 4,
        targetKind: "ROOM",
        target: lobby,
        anchor,
        epoch: otherEpoch,
        seq: 2,
        limit: 2,
      });
      const { page, items } = await readPageOf(alice);
      assert.deepEqual(
        [page.status, page.epoch, items.map((item) => item.text)],
        ["GAP", epoch, texts],
      );
    }
  });

  test("a page never holds more than the advertised max_page", async () => {
    const small = await startTestServer({
      usersFile: await writeFastUsersFile(V2_ACCOUNTS),
      historyPageSize: 2,
    });
    const smallPool = new PeerPool(() => small);
    try {
      const { peer, info } = await loginV3(smallPool, "alice");
      assert.equal(info.maxPage, 2);
      await joinRoom(peer, "lobby");
      for (let i = 1; i <= 4; i++) say(peer, "lobby", i, `m${i}`);
      await peer.take(4);
      peer.send({
        type: "HISTORY_REQUEST",
        version: 3,
        requestId: 1,
        targetKind: "ROOM",
        target: "lobby",
        anchor: "LATEST",
        epoch: 0,
        seq: 0,
        limit: 65535,
      });
      const { items } = await readPageOf(peer);
      assert.deepEqual(
        items.map((item) => item.text),
        ["m3", "m4"],
      );
    } finally {
      smallPool.destroyAll();
      await small.close();
    }
  });
});

describe("coexistence", () => {
  test("a version-1 session sees none of the version-3 traffic around it (REQ-15.2)", async () => {
    const lobby = freshRoom();
    const old = await pool.login("dave", [1]);
    const alice = (await loginV3(pool, "alice")).peer;
    const bob = (await loginV3(pool, "bob")).peer;
    await joinRoom(alice, lobby);
    await joinRoom(bob, lobby);
    say(alice, lobby, 1, "room traffic");
    alice.send({ type: "DIRECT_SEND_V3", version: 3, messageId: 2, to: "dave", text: "stored" });
    alice.send({ type: "DIRECT_SEND_V3", version: 3, messageId: 3, to: "bob", text: "live" });
    await alice.drain();
    await bob.drain();
    assert.deepEqual(await old.chat(4, "still echoed"), {
      type: "CHAT_ECHO",
      version: 1,
      messageId: 4,
      text: "still echoed",
    });
    assert.deepEqual(await old.drain(), []);
  });

  test("a server offering [1, 2] keeps no history and speaks version 2 as before", async () => {
    const v2only = await startTestServer({
      usersFile: await writeFastUsersFile(V2_ACCOUNTS),
      supportedVersions: [1, 2],
    });
    const v2pool = new PeerPool(() => v2only);
    try {
      const probe = await v2pool.connect();
      const response = await probe.negotiate([1, 2, 3]);
      assert.deepEqual([response.chosenVersion, response.supportedVersions], [2, [1, 2]]);
      const alice = await v2pool.login("alice", [1, 2, 3]);
      await joinRoom(alice, "lobby");
      say(alice, "lobby", 5, "hi");
      assert.deepEqual(await alice.drain(), [
        {
          type: "ROOM_MESSAGE",
          version: 2,
          messageId: 5,
          room: "lobby",
          from: "alice",
          text: "hi",
        },
      ]);
    } finally {
      v2pool.destroyAll();
      await v2only.close();
    }
  });
});
