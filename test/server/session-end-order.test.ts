// REQ-12.18, REQ-12.39: an ended session's LEFT and OFFLINE go out before its login is freed, so the
// user's next session is announced after them. With rooms that answer later (a cluster's store),
// the login stays held until the leave is done; in memory everything happens in one step.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import type { Participant } from "../../server/participant.ts";
import { RoomRegistry, type Rooms } from "../../server/room-registry.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { RawPeer } from "./raw-peer.ts";

const servers: RunningParrotServer[] = [];
const peers: RawPeer[] = [];
after(async () => {
  for (const each of peers) each.destroy();
  await Promise.all(servers.map((server) => server.close()));
});

/** In-memory rooms whose leaveAll answers only when the test lets it. */
class HeldLeaveRooms implements Rooms {
  readonly inner = new RoomRegistry();
  leaveAllCalled: Promise<void>;
  letLeave: () => void = () => {};
  private calledLeaveAll: () => void = () => {};
  private readonly mayLeave: Promise<void>;

  constructor() {
    this.leaveAllCalled = new Promise((resolve) => {
      this.calledLeaveAll = resolve;
    });
    this.mayLeave = new Promise((resolve) => {
      this.letLeave = resolve;
    });
  }

  join = (member: Participant, room: string) => this.inner.join(member, room);
  leave = (member: Participant, room: string) => this.inner.leave(member, room);
  leaveAll = async (member: Participant) => {
    this.calledLeaveAll();
    await this.mayLeave;
    return this.inner.leaveAll(member);
  };
  isMember = (member: Participant, room: string) => this.inner.isMember(member, room);
  memberNames = (room: string) => this.inner.memberNames(room);
  roomNames = () => this.inner.roomNames();
  broadcast: Rooms["broadcast"] = (...args) => this.inner.broadcast(...args);
}

async function v2Login(server: RunningParrotServer, user: string): Promise<RawPeer> {
  const peer = await RawPeer.connect(server.address);
  peers.push(peer);
  await peer.negotiateAndLogin(user, user.replace("user", "pass"), [2]);
  return peer;
}

test("the login of an ended session is freed only after its LEFT and OFFLINE went out", async () => {
  const rooms = new HeldLeaveRooms();
  const server = await startTestServer({ rooms });
  servers.push(server);
  const watcher = await v2Login(server, "user1");
  watcher.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
  const leaver = await v2Login(server, "user2");
  assert.deepEqual(await watcher.take(1), [
    { type: "PRESENCE_EVENT", version: 2, user: "user2", status: "ONLINE" },
  ]);
  watcher.send({ type: "ROOM_JOIN", version: 2, requestId: 1, room: "lobby" });
  await watcher.take(2); // ROOM_RESULT OK, its own JOINED
  leaver.send({ type: "ROOM_JOIN", version: 2, requestId: 2, room: "lobby" });
  await leaver.take(2);
  await watcher.take(1); // user2's JOINED

  leaver.destroy();
  await rooms.leaveAllCalled;
  // The leave is still under way: the login is not free yet.
  const early = await RawPeer.connect(server.address);
  peers.push(early);
  await early.negotiate([2]);
  assert.equal((await early.login("user2", "pass2")).status, "ALREADY_LOGGED_IN");

  rooms.letLeave();
  assert.deepEqual(await watcher.take(2), [
    { type: "ROOM_EVENT", version: 2, room: "lobby", user: "user2", event: "LEFT" },
    { type: "PRESENCE_EVENT", version: 2, user: "user2", status: "OFFLINE" },
  ]);
  const next = await v2Login(server, "user2");
  assert.deepEqual(await watcher.take(1), [
    { type: "PRESENCE_EVENT", version: 2, user: "user2", status: "ONLINE" },
  ]);
  await next.logout();
});
