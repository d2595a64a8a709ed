// The server engine driven over in-memory streams (transport/memory-stream.ts), no socket: a
// server that listens nowhere serves any ByteStream handed to `handle()`, and shared state that
// answers later (a slow or failing login lease, remote-looking rooms and directory) changes
// nothing a client can see: PDUs of one connection are still handled strictly in arrival order,
// and every member of a room sees one order.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import type { Pdu } from "../../generated/index.ts";
import { type FanOutBus, LocalBus } from "../../server/fan-out-bus.ts";
import type { LoginLease, LoginRegistry } from "../../server/login-registry.ts";
import { SingleLoginRegistry } from "../../server/login-registry.ts";
import type { OutgoingPdu } from "../../server/outgoing-pdu.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import type { Participant } from "../../server/participant.ts";
import { PresenceHub } from "../../server/presence-hub.ts";
import { type BroadcastOptions, RoomRegistry, type Rooms } from "../../server/room-registry.ts";
import { type Directory, SessionDirectory } from "../../server/session-directory.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { memoryStreamPair } from "../../transport/memory-stream.ts";
import { RawPeer } from "./raw-peer.ts";

/** Answers on a later turn of the event loop, as a network store would. */
function later<T>(value: T): Promise<T> {
  return new Promise((resolve) => setImmediate(() => resolve(value)));
}

const servers: RunningParrotServer[] = [];
after(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function serverInMemory(
  options: Parameters<typeof startTestServer>[0] = {},
): Promise<{ server: RunningParrotServer; peer: () => RawPeer }> {
  const server = await startTestServer({ listeners: [], ...options });
  servers.push(server);
  const peer = () => {
    const pair = memoryStreamPair();
    server.handle(pair.server);
    return RawPeer.over(pair.client);
  };
  return { server, peer };
}

describe("a server that listens nowhere", () => {
  test("serves a stream handed to handle(): negotiation, login, echoes, logout", async () => {
    const { server, peer } = await serverInMemory();
    assert.deepEqual(server.addresses, []);
    assert.throws(() => server.address, /no listener/);
    const alice = peer();
    await alice.negotiateAndLogin("user1", "pass1");
    assert.equal(server.sessionCount, 1);
    assert.deepEqual(await alice.chat(7, "hello"), {
      type: "CHAT_ECHO",
      version: 1,
      messageId: 7,
      text: "hello",
    });
    await alice.logout();
    await alice.closed();
    // The lease was released: the same user logs in again.
    const again = peer();
    await again.negotiateAndLogin("user1", "pass1");
    again.destroy();
  });

  test("bad input is answered with the spec's error code on that stream alone", async () => {
    const { peer } = await serverInMemory();
    const bystander = peer();
    await bystander.negotiateAndLogin("user2", "pass2");
    const client = peer();
    client.sendFrame(Uint8Array.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07]));
    await client.expectError("BAD_MAGIC");
    await client.expectClosed();
    assert.equal((await bystander.ping(1)).token, 1);
    bystander.destroy();
  });
});

describe("a login lease that answers later", () => {
  class SlowLeases implements LoginRegistry {
    readonly inner = new SingleLoginRegistry();
    async acquire(user: string): Promise<LoginLease | null> {
      return later(await this.inner.acquire(user));
    }
  }

  test("CHATs pipelined behind the LOGIN_REQUEST are echoed after the LOGIN_RESPONSE, in order", async () => {
    const leases = new SlowLeases();
    const { peer } = await serverInMemory({ logins: leases });
    const client = peer();
    await client.negotiate([1]);
    client.send({ type: "LOGIN_REQUEST", version: 1, username: "user1", password: "pass1" });
    for (let id = 1; id <= 20; id++)
      client.send({ type: "CHAT", version: 1, messageId: id, text: `m${id}` });
    const login = await client.expect("LOGIN_RESPONSE");
    assert.equal(login.status, "OK");
    const echoes = await client.take(20);
    assert.deepEqual(
      echoes.map((pdu) => (pdu.type === "CHAT_ECHO" ? pdu.messageId : pdu.type)),
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    assert.equal(leases.inner.size, 1);
    client.destroy();
    await client.closed();
  });

  test("a second login of the same user is refused while the first holds the lease", async () => {
    const { peer } = await serverInMemory({ logins: new SlowLeases() });
    const first = peer();
    await first.negotiateAndLogin("user1", "pass1");
    const second = peer();
    await second.negotiate([1]);
    assert.equal((await second.login("user1", "pass1")).status, "ALREADY_LOGGED_IN");
    first.destroy();
    second.destroy();
  });

  test("a lease that fails ends that connection with INTERNAL_ERROR, nobody else's", async () => {
    const failing: LoginRegistry = {
      acquire: (user) =>
        user === "user1"
          ? Promise.reject(new Error("store unreachable"))
          : later({ user, release() {} }),
    };
    const { peer } = await serverInMemory({ logins: failing });
    const other = peer();
    await other.negotiateAndLogin("user2", "pass2");
    const victim = peer();
    await victim.negotiate([1]);
    victim.send({ type: "LOGIN_REQUEST", version: 1, username: "user1", password: "pass1" });
    await victim.expectError("INTERNAL_ERROR");
    await victim.expectClosed();
    assert.equal((await other.ping(2)).token, 2);
    other.destroy();
  });
});

/** The in-memory registries, every answer a Promise resolved on a later turn. */
class RemoteLookingRooms implements Rooms {
  private readonly inner = new RoomRegistry();
  join = (member: Participant, room: string) => later(this.inner.join(member, room));
  leave = (member: Participant, room: string) => later(this.inner.leave(member, room));
  leaveAll = (member: Participant) => later(this.inner.leaveAll(member));
  isMember = (member: Participant, room: string) => later(this.inner.isMember(member, room));
  memberNames = (room: string) => later(this.inner.memberNames(room));
  roomNames = () => later(this.inner.roomNames());
  broadcast = (room: string, pdu: OutgoingPdu, options?: BroadcastOptions) =>
    this.inner.broadcast(room, pdu, options);
}

class RemoteLookingDirectory implements Directory {
  private readonly inner = new SessionDirectory();
  add = (participant: Participant) => later(this.inner.add(participant));
  remove = (participant: Participant) => later(this.inner.remove(participant));
  find = (user: string) => later(this.inner.find(user));
  names = () => later(this.inner.names());
}

describe("rooms and a directory that answer later", () => {
  const say = (peer: RawPeer, messageId: number, text: string): void =>
    peer.send({ type: "ROOM_SAY", version: 2, messageId, room: "lobby", text });

  test("replies keep request order, and both members see one order of the room", async () => {
    const { peer } = await serverInMemory({
      rooms: new RemoteLookingRooms(),
      directory: new RemoteLookingDirectory(),
    });
    const alice = peer();
    const bob = peer();
    await alice.negotiateAndLogin("user1", "pass1", [2]);
    await bob.negotiateAndLogin("user2", "pass2", [2]);
    alice.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "lobby" });
    alice.send({ type: "WHO_REQUEST", version: 2, requestId: 2, room: "lobby", offset: 0 });
    const [joined, aliceJoinedEvent, who] = await alice.take(3);
    assert.equal(joined?.type === "ROOM_RESULT" && joined.status, "OK");
    assert.equal(aliceJoinedEvent?.type, "ROOM_EVENT");
    assert.deepEqual(who?.type === "WHO_LIST" && who.names, ["user1"]);
    bob.send({ type: "ROOM_JOIN", version: 2, requestId: 3, room: "lobby" });
    await bob.take(2);
    await alice.take(1);

    const count = 30;
    for (let id = 1; id <= count; id++) {
      say(alice, id, `a${id}`);
      say(bob, 1000 + id, `b${id}`);
    }
    const texts = (pdus: Pdu[]) =>
      pdus.map((pdu) => (pdu.type === "ROOM_MESSAGE" ? pdu.text : pdu.type));
    const seenByAlice = texts(await alice.take(2 * count));
    const seenByBob = texts(await bob.take(2 * count));
    assert.deepEqual(seenByBob, seenByAlice);
    // Each sender's own messages in the order sent.
    const ofAlice = seenByAlice.filter((text) => text.startsWith("a"));
    assert.deepEqual(
      ofAlice,
      Array.from({ length: count }, (_, index) => `a${index + 1}`),
    );

    // A DM through the directory, then the end of a session: LEFT to the remaining member.
    alice.send({ type: "DIRECT_SEND", version: 2, messageId: 9, to: "user2", text: "psst" });
    assert.equal((await alice.expect("DIRECT_STATUS")).status, "DELIVERED");
    assert.equal((await bob.expect("DIRECT_MESSAGE")).text, "psst");
    alice.destroy();
    const left = await bob.expect("ROOM_EVENT");
    assert.deepEqual([left.user, left.event], ["user1", "LEFT"]);
    bob.destroy();
  });
});

describe("a fan-out bus that delivers later", () => {
  test("the requester's own copy still comes before the answer to its next PDU (REQ-12.7)", async () => {
    const directory = new SessionDirectory();
    const rooms = new RoomRegistry();
    const presence = new PresenceHub();
    const local = new LocalBus({ directory, rooms, presence });
    const bus: FanOutBus = {
      publish: (audience, pdu) => later(null).then(() => local.publish(audience, pdu)),
    };
    const { peer } = await serverInMemory({ directory, rooms, presence, bus });
    const alice = peer();
    await alice.negotiateAndLogin("user1", "pass1", [2]);
    alice.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "den" });
    for (let id = 1; id <= 5; id++) {
      alice.send({ type: "ROOM_SAY", version: 2, messageId: id, room: "den", text: `t${id}` });
    }
    const before = await alice.drain();
    assert.deepEqual(
      before.map((pdu) => (pdu.type === "ROOM_MESSAGE" ? pdu.text : pdu.type)),
      ["ROOM_RESULT", "ROOM_EVENT", "t1", "t2", "t3", "t4", "t5"],
    );
    alice.destroy();
  });
});
