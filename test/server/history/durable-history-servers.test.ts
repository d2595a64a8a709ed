/**
 * The durable stores under real `parrot server` processes, seen as a version-3 user sees them
 * over TCP: a server on a file store killed with SIGKILL amid traffic and started again on the
 * same file serves the same history (same epoch, ids, times) and delivers the direct message
 * stored before the crash; two cluster nodes on one real redis-server serve one history, a
 * message said on node A read on node B and a direct message stored on A delivered on B; and
 * Redis restarted empty gives a new epoch, which a resume reports as a GAP.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { afterEach, describe, test } from "node:test";
import type { PduOfType } from "../../../generated/index.ts";
import {
  type ParrotProcess,
  startTestServerProcess,
} from "../../../tools/launch/parrot-process.ts";
import { tempDir, writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { BoundAddress } from "../../../transport/listener.ts";
import { eventually, startNode, startRedis, stopClusterParts } from "../cluster/cluster-nodes.ts";
import { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import { joinRoom, readPageOf } from "../v3-peers.ts";

const peers: RawPeer[] = [];
const servers: ParrotProcess[] = [];

afterEach(async () => {
  for (const peer of peers.splice(0)) peer.destroy();
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill("SIGKILL");
    }
    await server.exited;
  }
  await stopClusterParts();
});

async function serverOn(usersFile: string, historyFile: string) {
  const server = await startTestServerProcess(["--history", `file:${historyFile}`], { usersFile });
  servers.push(server);
  return server;
}

/** `name` logged in on version 3, its SESSION_INFO and the stored direct messages read. */
async function loginV3(address: BoundAddress, name: string) {
  const peer = await RawPeer.connect(address);
  peers.push(peer);
  await peer.negotiateAndLogin(name, `${name}-pw`, [3]);
  const info = await peer.expect("SESSION_INFO");
  const stored: PduOfType<"DIRECT_MESSAGE_V3">[] = [];
  for (let i = 0; i < info.storedCount; i++) stored.push(await peer.expect("DIRECT_MESSAGE_V3"));
  return { peer, info, stored };
}

/** Says each text in `room` and returns the sender's own copies, with their ids and times. */
async function sayAll(peer: RawPeer, room: string, texts: string[]) {
  const copies: PduOfType<"ROOM_MESSAGE_V3">[] = [];
  for (const [i, text] of texts.entries()) {
    peer.send({ type: "ROOM_SAY", version: 3, messageId: i + 1, room, text });
    copies.push(await peer.expect("ROOM_MESSAGE_V3"));
  }
  return copies;
}

async function latest(peer: RawPeer, room: string) {
  peer.send({
    type: "HISTORY_REQUEST",
    version: 3,
    requestId: 7,
    targetKind: "ROOM",
    target: room,
    anchor: "LATEST",
    epoch: 0,
    seq: 0,
    limit: 50,
  });
  return readPageOf(peer);
}

async function storedDirect(peer: RawPeer, to: string, text: string) {
  peer.send({ type: "DIRECT_SEND_V3", version: 3, messageId: 99, to, text });
  const status = await peer.expect("DIRECT_STATUS_V3");
  assert.equal(status.status, "STORED");
  return status;
}

/** What a room message and a history item share: id, time, sender's message_id and text. */
function kept(pdu: PduOfType<"ROOM_MESSAGE_V3"> | PduOfType<"HISTORY_ITEM">) {
  return [pdu.epoch, pdu.seq, pdu.timeS, pdu.timeMs, pdu.messageId, pdu.from, pdu.text];
}

describe("file store under a real server", () => {
  test("killed with SIGKILL and started again on the same file: the same history, ids and stored DM", async () => {
    const usersFile = await writeFastUsersFile(V2_ACCOUNTS);
    const historyFile = join(await tempDir(), "history.sqlite");
    const first = await serverOn(usersFile, historyFile);
    const alice = (await loginV3(first.address, "alice")).peer;
    await joinRoom(alice, "lobby");
    const said = await sayAll(alice, "lobby", ["one", "two", "three ✓"]);
    const dm = await storedDirect(alice, "bob", "call me");
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await serverOn(usersFile, historyFile);
    const bob = await loginV3(second.address, "bob");
    assert.equal(bob.info.storedCount, 1, "stored before the crash, delivered after it");
    assert.deepEqual(
      [bob.stored[0]!.from, bob.stored[0]!.text, bob.stored[0]!.epoch, bob.stored[0]!.seq],
      ["alice", "call me", dm.epoch, dm.seq],
    );
    assert.deepEqual([bob.stored[0]!.timeS, bob.stored[0]!.timeMs], [dm.timeS, dm.timeMs]);

    const back = (await loginV3(second.address, "alice")).peer;
    await joinRoom(back, "lobby");
    const { page, items } = await latest(back, "lobby");
    assert.equal(page.status, "OK");
    assert.deepEqual(items.map(kept), said.map(kept), "every message as it was given out");
    assert.deepEqual([page.epoch, page.oldestSeq, page.newestSeq], [said[0]!.epoch, 1, 3]);
    const [next] = await sayAll(back, "lobby", ["after the restart"]);
    assert.deepEqual([next!.epoch, next!.seq], [said[0]!.epoch, 4], "the ids go on");
  });
});

describe("Redis Streams store under a cluster of two nodes", () => {
  test("said on node A, read on node B with the same ids; a DM stored on A is delivered on B", async () => {
    const redis = await startRedis();
    const usersFile = await writeFastUsersFile(V2_ACCOUNTS);
    const [a, b] = await Promise.all([
      startNode(redis, "A", usersFile),
      startNode(redis, "B", usersFile),
    ]);
    const alice = (await loginV3(a.address, "alice")).peer;
    await joinRoom(alice, "lobby");
    const said = await sayAll(alice, "lobby", ["from A", "still A"]);
    await storedDirect(alice, "carol", "for carol, wherever she logs in");

    const bob = (await loginV3(b.address, "bob")).peer;
    await joinRoom(bob, "lobby");
    const { items } = await latest(bob, "lobby");
    assert.deepEqual(items.map(kept), said.map(kept));
    const carol = await loginV3(b.address, "carol");
    assert.deepEqual(
      carol.stored.map((dm) => [dm.from, dm.text]),
      [["alice", "for carol, wherever she logs in"]],
    );
    const [onB] = await sayAll(bob, "lobby", ["from B"]);
    assert.deepEqual([onB!.epoch, onB!.seq], [said[0]!.epoch, 3], "B goes on from A's ids");
  });

  test("Redis restarted without persistence: a resume from the old id is told GAP, in a new epoch", async () => {
    const redis = await startRedis();
    const usersFile = await writeFastUsersFile(V2_ACCOUNTS);
    const node = await startNode(redis, "A", usersFile);
    const alice = (await loginV3(node.address, "alice")).peer;
    await joinRoom(alice, "lobby");
    const [last] = await sayAll(alice, "lobby", ["before the outage"]);
    await redis.stop();
    await redis.start();
    // The node's connections reconnect with a backoff: its cluster one and its history store's.
    const check = redis.client();
    await eventually("node A reconnected to Redis", async () => {
      const clients = String(await check.client("LIST").catch(() => ""));
      return clients.includes("name=parrot:A ") && clients.includes("name=parrot:A:history ");
    });
    const dave = (await loginV3(node.address, "dave")).peer;
    dave.send({
      type: "ROOM_RESUME",
      version: 3,
      requestId: 5,
      room: "lobby",
      epoch: last!.epoch,
      seq: last!.seq,
    });
    assert.equal((await dave.expect("ROOM_RESULT")).status, "OK");
    const { page, items } = await readPageOf(dave);
    assert.equal(page.status, "GAP");
    assert.notEqual(page.epoch, last!.epoch);
    assert.deepEqual(items, []);
  });
});
