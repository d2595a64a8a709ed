// Version 2 rooms (spec §12.6) against a real server over loopback: join creates, joins and
// leaves are announced, fan-out reaches every member once in one order for everyone, sessions
// leave their rooms however they end, limits, lists.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { Pdu } from "../../generated/index.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { RoomRegistry } from "../../server/room-registry.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";

let server: RunningParrotServer;
let usersFile: string;
const pool = new PeerPool(() => server);

before(async () => {
  usersFile = await writeFastUsersFile(V2_ACCOUNTS);
  // Small limits so TOO_MANY_ROOMS and ROOM_FULL take a few sessions, not hundreds.
  server = await startTestServer({
    usersFile,
    rooms: new RoomRegistry({ maxRoomsPerUser: 3, maxMembersPerRoom: 3 }),
  });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

let nextId = 1;

async function join(peer: RawPeer, room: string): Promise<Pdu[]> {
  const requestId = nextId++;
  peer.send({ type: "ROOM_JOIN", version: 2, requestId, room });
  const result = await peer.expect("ROOM_RESULT");
  assert.deepEqual(result, { type: "ROOM_RESULT", version: 2, requestId, status: "OK", room });
  return peer.take(1);
}

function roomEvent(room: string, user: string, event: "JOINED" | "LEFT"): Pdu {
  return { type: "ROOM_EVENT", version: 2, room, user, event };
}

describe("joining and leaving", () => {
  test("the first join creates the room; later joins are announced to every member, the joiner included", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    assert.deepEqual(await join(alice, "lobby"), [roomEvent("lobby", "alice", "JOINED")]);
    assert.deepEqual(await join(bob, "lobby"), [roomEvent("lobby", "bob", "JOINED")]);
    assert.deepEqual(await alice.take(1), [roomEvent("lobby", "bob", "JOINED")]);
    // Not a member: hears nothing.
    assert.deepEqual(await carol.drain(), []);
    assert.deepEqual(await alice.drain(), []);
  });

  test("a second join is ALREADY_MEMBER and nobody is told", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await join(alice, "lobby");
    await join(bob, "lobby");
    await alice.take(1);
    bob.send({ type: "ROOM_JOIN", version: 2, requestId: 5, room: "lobby" });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "ALREADY_MEMBER");
    assert.deepEqual(await alice.drain(), []);
  });

  test("names outside ^[A-Za-z0-9_-]{1,32}$ are BAD_ROOM_NAME; names are case-sensitive", async () => {
    const alice = await pool.login("alice");
    for (const room of ["", "two words", "lobby!", "café", "a/b", "lobby\n"]) {
      alice.send({ type: "ROOM_JOIN", version: 2, requestId: 77, room });
      assert.deepEqual(await alice.expect("ROOM_RESULT"), {
        type: "ROOM_RESULT",
        version: 2,
        requestId: 77,
        status: "BAD_ROOM_NAME",
        room,
      });
    }
    await join(alice, "Lobby");
    await join(alice, "lobby");
    alice.send({ type: "ROOM_LIST_REQUEST", version: 2, requestId: 1, offset: 0 });
    assert.deepEqual((await alice.expect("ROOM_LIST")).rooms, ["Lobby", "lobby"]);
  });

  test("leave: OK to the leaver, LEFT to the rest; leaving again is NOT_MEMBER; the last one out drops the room", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await join(alice, "den");
    await join(bob, "den");
    await alice.take(1);
    bob.send({ type: "ROOM_LEAVE", version: 2, requestId: 3, room: "den" });
    assert.deepEqual(await bob.expect("ROOM_RESULT"), {
      type: "ROOM_RESULT",
      version: 2,
      requestId: 3,
      status: "OK",
      room: "den",
    });
    assert.deepEqual(await alice.take(1), [roomEvent("den", "bob", "LEFT")]);
    assert.deepEqual(await bob.drain(), [], "the leaver gets no LEFT of its own");
    bob.send({ type: "ROOM_LEAVE", version: 2, requestId: 4, room: "den" });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "NOT_MEMBER");
    bob.send({ type: "ROOM_LEAVE", version: 2, requestId: 5, room: "bad name" });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "NOT_MEMBER");

    alice.send({ type: "ROOM_LEAVE", version: 2, requestId: 6, room: "den" });
    assert.equal((await alice.expect("ROOM_RESULT")).status, "OK");
    alice.send({ type: "WHO_REQUEST", version: 2, requestId: 7, room: "den", offset: 0 });
    assert.equal((await alice.expect("WHO_LIST")).status, "NO_SUCH_ROOM");
  });

  test("TOO_MANY_ROOMS and ROOM_FULL change nothing and tell nobody", async () => {
    const [alice, bob, carol, dave] = await Promise.all(
      ["alice", "bob", "carol", "dave"].map((name) => pool.login(name)),
    );
    for (const room of ["r1", "r2", "r3"]) await join(alice!, room);
    alice!.send({ type: "ROOM_JOIN", version: 2, requestId: 10, room: "r4" });
    assert.equal((await alice!.expect("ROOM_RESULT")).status, "TOO_MANY_ROOMS");
    // ALREADY_MEMBER is checked before TOO_MANY_ROOMS (REQ-12.14's order).
    alice!.send({ type: "ROOM_JOIN", version: 2, requestId: 11, room: "r1" });
    assert.equal((await alice!.expect("ROOM_RESULT")).status, "ALREADY_MEMBER");

    await join(bob!, "r1");
    await join(carol!, "r1");
    await alice!.take(2);
    await bob!.take(1);
    dave!.send({ type: "ROOM_JOIN", version: 2, requestId: 12, room: "r1" });
    assert.equal((await dave!.expect("ROOM_RESULT")).status, "ROOM_FULL");
    for (const member of [alice!, bob!, carol!]) assert.deepEqual(await member.drain(), []);
    alice!.send({ type: "WHO_REQUEST", version: 2, requestId: 13, room: "r1", offset: 0 });
    assert.deepEqual((await alice!.expect("WHO_LIST")).names, ["alice", "bob", "carol"]);
  });
});

describe("room messages", () => {
  test("ROOM_SAY reaches every member once, the sender included, and nobody else", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    await join(alice, "lobby");
    await join(bob, "lobby");
    await alice.take(1);
    alice.send({ type: "ROOM_SAY", version: 2, messageId: 5, room: "lobby", text: "hello all" });
    const message: Pdu = {
      type: "ROOM_MESSAGE",
      version: 2,
      messageId: 5,
      room: "lobby",
      from: "alice",
      text: "hello all",
    };
    assert.deepEqual(await alice.take(1), [message]);
    assert.deepEqual(await bob.take(1), [message]);
    for (const peer of [alice, bob, carol]) assert.deepEqual(await peer.drain(), []);
  });

  test("several senders interleaving: every member sees every message exactly once, in one order", async () => {
    const members = await Promise.all(["alice", "bob", "carol"].map((name) => pool.login(name)));
    for (const [index, member] of members.entries()) {
      await join(member, "busy");
      // Earlier members hear this join.
      for (const earlier of members.slice(0, index)) await earlier.take(1);
    }
    const perSender = 40;
    for (let n = 1; n <= perSender; n++) {
      for (const [index, member] of members.entries()) {
        member.send({
          type: "ROOM_SAY",
          version: 2,
          messageId: n,
          room: "busy",
          text: `${index}:${n}`,
        });
      }
    }
    const histories = await Promise.all(
      members.map(async (member) =>
        (await member.take(perSender * members.length)).map((pdu) =>
          pdu.type === "ROOM_MESSAGE" ? `${pdu.from}/${pdu.messageId}/${pdu.text}` : pdu.type,
        ),
      ),
    );
    const [first, ...others] = histories;
    for (const other of others) assert.deepEqual(other, first, "one order for everyone");
    assert.equal(new Set(first).size, perSender * members.length, "each message exactly once");
    for (const [index, name] of ["alice", "bob", "carol"].entries()) {
      const own = first!.filter((line) => line.startsWith(`${name}/`));
      assert.deepEqual(
        own,
        Array.from({ length: perSender }, (_, i) => `${name}/${i + 1}/${index}:${i + 1}`),
        "each sender's messages in the order sent",
      );
    }
  });

  test("ROOM_SAY by a non-member: NOT_MEMBER carrying its message_id, nothing relayed", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await join(alice, "club");
    bob.send({ type: "ROOM_SAY", version: 2, messageId: 99, room: "club", text: "let me in" });
    assert.deepEqual(await bob.expect("ROOM_RESULT"), {
      type: "ROOM_RESULT",
      version: 2,
      requestId: 99,
      status: "NOT_MEMBER",
      room: "club",
    });
    bob.send({ type: "ROOM_SAY", version: 2, messageId: 100, room: "nowhere", text: "?" });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "NOT_MEMBER");
    assert.deepEqual(await alice.drain(), []);
  });
});

describe("a session that ends leaves its rooms", () => {
  async function threeInRoom(room: string): Promise<[RawPeer, RawPeer, RawPeer]> {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    await join(alice, room);
    await join(bob, room);
    await join(carol, room);
    await alice.take(2);
    await bob.take(1);
    return [alice, bob, carol];
  }

  test("an abrupt close: the others get LEFT and the room's list no longer has it", async () => {
    const [alice, bob, carol] = await threeInRoom("gone");
    carol.destroy();
    assert.deepEqual(await alice.take(1), [roomEvent("gone", "carol", "LEFT")]);
    assert.deepEqual(await bob.take(1), [roomEvent("gone", "carol", "LEFT")]);
    alice.send({ type: "WHO_REQUEST", version: 2, requestId: 1, room: "gone", offset: 0 });
    assert.deepEqual((await alice.expect("WHO_LIST")).names, ["alice", "bob"]);
  });

  test("LOGOUT: LEFT in every room it was in", async () => {
    const [alice, bob, carol] = await threeInRoom("a-room");
    await join(carol, "b-room");
    await join(alice, "b-room");
    await carol.take(1);
    await carol.logout();
    assert.deepEqual(await alice.take(2), [
      roomEvent("a-room", "carol", "LEFT"),
      roomEvent("b-room", "carol", "LEFT"),
    ]);
    assert.deepEqual(await bob.take(1), [roomEvent("a-room", "carol", "LEFT")]);
  });

  test("a closing ERROR (a PDU in the wrong header version): LEFT to the others", async () => {
    const [alice, bob, carol] = await threeInRoom("strict");
    carol.send({ type: "PING", version: 1, token: 1 });
    await carol.expectError("WRONG_VERSION");
    await carol.expectClosed();
    assert.deepEqual(await alice.take(1), [roomEvent("strict", "carol", "LEFT")]);
    assert.deepEqual(await bob.take(1), [roomEvent("strict", "carol", "LEFT")]);
  });

  test("a ping timeout: LEFT to the others", async () => {
    const quick = await startTestServer({ usersFile, pingIntervalMs: 200, pingTimeoutMs: 300 });
    const quickPool = new PeerPool(() => quick);
    try {
      const alice = await quickPool.login("alice");
      const silent = await quickPool.login("bob");
      await join(alice, "timers");
      await join(silent, "timers");
      await alice.take(1);
      // alice keeps pinging; bob says nothing and is reaped.
      const keepAlive = setInterval(() => alice.send({ type: "PING", version: 2, token: 0 }), 100);
      try {
        await silent.expectError("PING_TIMEOUT");
      } finally {
        clearInterval(keepAlive);
      }
      // The LEFT went out as bob's session ended, before anything alice sends from now on.
      const seen = (await alice.drain()).filter((pdu) => pdu.type !== "PONG");
      assert.deepEqual(seen, [roomEvent("timers", "bob", "LEFT")]);
    } finally {
      quickPool.destroyAll();
      await quick.close();
    }
  });
});

describe("lists", () => {
  test("WHO_REQUEST with an empty room lists everyone online, version 1 too, sorted, paged by offset", async () => {
    await pool.login("carol");
    await pool.login("alice", [1]);
    const bob = await pool.login("bob");
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: 3, room: "", offset: 0 });
    assert.deepEqual(await bob.expect("WHO_LIST"), {
      type: "WHO_LIST",
      version: 2,
      requestId: 3,
      status: "OK",
      room: "",
      total: 3,
      names: ["alice", "bob", "carol"],
    });
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: 4, room: "", offset: 2 });
    const page = await bob.expect("WHO_LIST");
    assert.deepEqual([page.total, page.names], [3, ["carol"]]);
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: 5, room: "", offset: 3 });
    const past = await bob.expect("WHO_LIST");
    assert.deepEqual([past.total, past.names], [3, []]);
  });

  test("WHO_REQUEST for a room that does not exist: NO_SUCH_ROOM, total 0, no names", async () => {
    const bob = await pool.login("bob");
    for (const room of ["empty-room", "not a name"]) {
      bob.send({ type: "WHO_REQUEST", version: 2, requestId: 8, room, offset: 0 });
      assert.deepEqual(await bob.expect("WHO_LIST"), {
        type: "WHO_LIST",
        version: 2,
        requestId: 8,
        status: "NO_SUCH_ROOM",
        room,
        total: 0,
        names: [],
      });
    }
  });

  test("ROOM_LIST: every room in byte order, at most 200 per page", async () => {
    const roomy = await startTestServer({
      usersFile,
      rooms: new RoomRegistry({ maxRoomsPerUser: 300 }),
    });
    const roomyPool = new PeerPool(() => roomy);
    try {
      const alice = await roomyPool.login("alice");
      const names = Array.from({ length: 205 }, (_, i) => `room-${String(i).padStart(3, "0")}`);
      // Joined in reverse, with upper case: the list is sorted by bytes, not by creation.
      const all = [...names, "Zebra", "_under"].reverse();
      for (const [index, room] of all.entries()) {
        alice.send({ type: "ROOM_JOIN", version: 2, requestId: index, room });
      }
      await alice.take(all.length * 2);
      const sorted = ["Zebra", "_under", ...names];
      alice.send({ type: "ROOM_LIST_REQUEST", version: 2, requestId: 1, offset: 0 });
      const first = await alice.expect("ROOM_LIST");
      assert.deepEqual([first.requestId, first.total, first.rooms], [1, 207, sorted.slice(0, 200)]);
      alice.send({ type: "ROOM_LIST_REQUEST", version: 2, requestId: 2, offset: 200 });
      const second = await alice.expect("ROOM_LIST");
      assert.deepEqual([second.total, second.rooms], [207, sorted.slice(200)]);
      alice.send({ type: "ROOM_LIST_REQUEST", version: 2, requestId: 3, offset: 0xffff_ffff });
      assert.deepEqual((await alice.expect("ROOM_LIST")).rooms, []);
    } finally {
      roomyPool.destroyAll();
      await roomy.close();
    }
  });
});

describe("slow readers", () => {
  test("a member that stops reading is closed once its backlog passes the bound; the room carries on", async () => {
    const tight = await startTestServer({ usersFile, maxRelayBacklogBytes: 64 * 1024 });
    const tightPool = new PeerPool(() => tight);
    try {
      const alice = await tightPool.login("alice");
      const bob = await tightPool.login("bob");
      const sleepy = await tightPool.login("carol");
      await join(alice, "firehose");
      await join(bob, "firehose");
      await join(sleepy, "firehose");
      await alice.take(2);
      await bob.take(1);
      sleepy.pauseReading();

      // alice talks until carol is gone; kernel buffers take a few MB first.
      const text = "x".repeat(4096);
      let sent = 0;
      let carolLeft = false;
      while (!carolLeft) {
        for (let i = 0; i < 50; i++) {
          sent++;
          alice.send({ type: "ROOM_SAY", version: 2, messageId: sent, room: "firehose", text });
        }
        for (const pdu of await alice.take(50)) {
          if (pdu.type === "ROOM_EVENT") {
            assert.deepEqual(pdu, roomEvent("firehose", "carol", "LEFT"));
            carolLeft = true;
          }
        }
        assert.ok(sent < 5000, "the slow member was never closed");
      }
      // bob saw every message, in order, and carol's departure among them.
      const bobSaw = (await bob.take(sent + 1)).filter((pdu) => pdu.type === "ROOM_MESSAGE");
      assert.deepEqual(
        bobSaw.map((pdu) => (pdu.type === "ROOM_MESSAGE" ? pdu.messageId : 0)),
        Array.from({ length: sent }, (_, i) => i + 1),
      );
      // The slow member, reading again, finds a gapless prefix of the room, then ERROR
      // SLOW_CONSUMER, then the end (REQ-12.37).
      sleepy.resumeReading();
      let expected = 1;
      let last: Pdu | undefined;
      for (;;) {
        const event = await sleepy.next();
        if (event.kind !== "pdu") break;
        assert.equal(last, undefined, "nothing may follow the ERROR");
        if (event.pdu.type === "ERROR") {
          last = event.pdu;
          continue;
        }
        assert.equal(event.pdu.type, "ROOM_MESSAGE");
        if (event.pdu.type === "ROOM_MESSAGE") assert.equal(event.pdu.messageId, expected++);
      }
      assert.ok(expected > 1 && expected <= sent, `carol got ${expected - 1} of ${sent}`);
      assert.equal(last?.type === "ERROR" ? last.code : last?.type, "SLOW_CONSUMER");
    } finally {
      tightPool.destroyAll();
      await tight.close();
    }
  });
});
