/**
 * Issue 13, rooms across nodes: two real `parrot server --cluster` processes on one real Redis.
 * A room's members on either node see its messages and events in one order, whoever sent them
 * and on whichever node (REQ-13.15, REQ-12.8); ROOM_LIST and a room's WHO_LIST are cluster-wide
 * (REQ-13.16); a node's shutdown tells the other node's members and subscribers its users
 * left (REQ-13.11).
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { Pdu, PduOfType } from "../../../generated/index.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import { type Node, peerOn, startNode, startRedis, stopClusterParts } from "./cluster-nodes.ts";

afterEach(stopClusterParts);

async function twoNodes(): Promise<[Node, Node]> {
  const redis = await startRedis();
  const users = await writeFastUsersFile(V2_ACCOUNTS);
  return Promise.all([startNode(redis, "A", users), startNode(redis, "B", users)]);
}

async function loggedIn(node: Node, name: string): Promise<RawPeer> {
  const peer = await peerOn(node, [1, 2]);
  assert.equal((await peer.login(name, `${name}-pw`)).status, "OK");
  return peer;
}

let requestId = 0;

/** `peer` joins `room`; every member already there (`others`) sees its JOINED. */
async function join(peer: RawPeer, user: string, room: string, others: RawPeer[]): Promise<void> {
  peer.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room });
  assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
  const joined = { type: "ROOM_EVENT", version: 2, room, user, event: "JOINED" };
  assert.deepEqual(await peer.expect("ROOM_EVENT"), joined, "its own JOINED first (REQ-12.13)");
  for (const other of others) assert.deepEqual(await other.expect("ROOM_EVENT"), joined);
}

function said(pdus: Pdu[]): string[] {
  return pdus.map((pdu) => {
    assert.equal(pdu.type, "ROOM_MESSAGE", `only room messages here, got ${pdu.type}`);
    const message = pdu as PduOfType<"ROOM_MESSAGE">;
    return `${message.from}:${message.text}`;
  });
}

describe("cluster: rooms span the nodes", () => {
  test("four members on two nodes, all sending at once: every member sees every message once, in one order, each sender's in its order", async () => {
    const [a, b] = await twoNodes();
    const names = ["alice", "bob", "carol", "dave"];
    const peers = [
      await loggedIn(a, "alice"),
      await loggedIn(b, "bob"),
      await loggedIn(a, "carol"),
      await loggedIn(b, "dave"),
    ];
    for (let i = 0; i < peers.length; i++) {
      await join(peers[i]!, names[i]!, "lobby", peers.slice(0, i));
    }
    const count = 40;
    for (let id = 1; id <= count; id++) {
      for (let i = 0; i < peers.length; i++) {
        peers[i]!.send({
          type: "ROOM_SAY",
          version: 2,
          messageId: id,
          room: "lobby",
          text: `${id}`,
        });
      }
    }
    const seen = await Promise.all(peers.map(async (peer) => said(await peer.take(4 * count))));
    for (const sequence of seen.slice(1))
      assert.deepEqual(sequence, seen[0], "one order (REQ-12.8)");
    for (const name of names) {
      assert.deepEqual(
        seen[0]!.filter((line) => line.startsWith(`${name}:`)),
        Array.from({ length: count }, (_, i) => `${name}:${i + 1}`),
        `${name}'s messages once each, in its order`,
      );
    }
    for (const peer of peers) assert.deepEqual(await peer.drain(), [], "nothing twice");
  });

  test("a join answered OK is in the room's order before anything that follows it: a member joining on the other node right after, and its message, reach the first joiner", async () => {
    const [a, b] = await twoNodes();
    const alice = await loggedIn(a, "alice");
    const bob = await loggedIn(b, "bob");
    alice.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room: "attic" });
    assert.equal((await alice.expect("ROOM_RESULT")).status, "OK");
    bob.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room: "attic" });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "OK");
    bob.send({ type: "ROOM_SAY", version: 2, messageId: 1, room: "attic", text: "hi" });
    const events = (pdus: Pdu[]) =>
      pdus.map((pdu) =>
        pdu.type === "ROOM_EVENT" ? `${pdu.event} ${pdu.user}` : said([pdu]).join(""),
      );
    assert.deepEqual(events(await alice.take(3)), ["JOINED alice", "JOINED bob", "bob:hi"]);
    assert.deepEqual(events(await bob.take(2)), ["JOINED bob", "bob:hi"]);
  });

  test("ROOM_LIST and a room's WHO_LIST list every node's rooms and members; a leaver gets its ROOM_RESULT and nothing after, the others its LEFT", async () => {
    const [a, b] = await twoNodes();
    const alice = await loggedIn(a, "alice");
    const bob = await loggedIn(b, "bob");
    await join(alice, "alice", "kitchen", []);
    await join(bob, "bob", "kitchen", [alice]);
    await join(bob, "bob", "garden", []);
    for (const peer of [alice, bob]) {
      peer.send({ type: "ROOM_LIST_REQUEST", version: 2, requestId: ++requestId, offset: 0 });
      assert.deepEqual((await peer.expect("ROOM_LIST")).rooms, ["garden", "kitchen"]);
      peer.send({
        type: "WHO_REQUEST",
        version: 2,
        requestId: ++requestId,
        room: "kitchen",
        offset: 0,
      });
      assert.deepEqual((await peer.expect("WHO_LIST")).names, ["alice", "bob"]);
    }
    alice.send({ type: "ROOM_LEAVE", version: 2, requestId: ++requestId, room: "kitchen" });
    assert.equal((await alice.expect("ROOM_RESULT")).status, "OK");
    assert.deepEqual(await bob.expect("ROOM_EVENT"), {
      type: "ROOM_EVENT",
      version: 2,
      room: "kitchen",
      user: "alice",
      event: "LEFT",
    });
    bob.send({ type: "ROOM_SAY", version: 2, messageId: 7, room: "kitchen", text: "after" });
    assert.deepEqual(said(await bob.take(1)), ["bob:after"]);
    assert.deepEqual(await alice.drain(), [], "the leaver hears nothing of the room any more");
    bob.send({ type: "ROOM_LEAVE", version: 2, requestId: ++requestId, room: "kitchen" });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "OK");
    alice.send({ type: "ROOM_LIST_REQUEST", version: 2, requestId: ++requestId, offset: 0 });
    assert.deepEqual((await alice.expect("ROOM_LIST")).rooms, ["garden"], "an empty room is gone");
    alice.send({
      type: "WHO_REQUEST",
      version: 2,
      requestId: ++requestId,
      room: "kitchen",
      offset: 0,
    });
    assert.equal((await alice.expect("WHO_LIST")).status, "NO_SUCH_ROOM");
  });

  test("a member logging out on node A, and node A shutting down, each give the members and subscribers on node B a LEFT, then an OFFLINE", async () => {
    const [a, b] = await twoNodes();
    const alice = await loggedIn(a, "alice");
    const carol = await loggedIn(a, "carol");
    const bob = await loggedIn(b, "bob");
    await join(bob, "bob", "porch", []);
    await join(alice, "alice", "porch", [bob]);
    await join(carol, "carol", "porch", [bob, alice]);
    bob.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
    assert.deepEqual(await bob.drain(), []);
    const left = (user: string) => ({
      type: "ROOM_EVENT",
      version: 2,
      room: "porch",
      user,
      event: "LEFT",
    });
    const offline = (user: string) => ({
      type: "PRESENCE_EVENT",
      version: 2,
      user,
      status: "OFFLINE",
    });
    await alice.logout();
    assert.deepEqual(await bob.expect("ROOM_EVENT"), left("alice"));
    assert.deepEqual(await bob.expect("PRESENCE_EVENT"), offline("alice"));
    assert.deepEqual(await carol.expect("ROOM_EVENT"), left("alice"));
    a.child.kill("SIGTERM");
    await carol.expectError("SERVER_SHUTDOWN");
    assert.equal(await a.exited, 0);
    assert.deepEqual(await bob.expect("ROOM_EVENT"), left("carol"));
    assert.deepEqual(await bob.expect("PRESENCE_EVENT"), offline("carol"));
    assert.deepEqual(await bob.drain(), [], "once");
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: ++requestId, room: "porch", offset: 0 });
    assert.deepEqual((await bob.expect("WHO_LIST")).names, ["bob"]);
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: ++requestId, room: "", offset: 0 });
    assert.deepEqual((await bob.expect("WHO_LIST")).names, ["bob"]);
  });

  test("a member whose session ends with PING_TIMEOUT on node B gets nothing after that ERROR, while node A's member keeps talking (REQ-8.3)", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const quick = ["--ping-interval", "0.5", "--ping-timeout", "0.75"];
    const [a, b] = await Promise.all([
      startNode(redis, "A", users),
      startNode(redis, "B", users, quick),
    ]);
    const alice = await loggedIn(a, "alice");
    const carol = await loggedIn(b, "carol");
    await join(alice, "alice", "hall", []);
    await join(carol, "carol", "hall", [alice]);
    // Alice talks until carol's session is over; carol answers no PING.
    let talking = true;
    const talk = (async () => {
      for (let id = 1; talking; id++) {
        alice.send({ type: "ROOM_SAY", version: 2, messageId: id, room: "hall", text: `${id}` });
        // Its own copy; carol's LEFT comes among them once her session is over.
        let own = await alice.next();
        while (own.kind === "pdu" && own.pdu.type === "ROOM_EVENT") own = await alice.next();
        assert.ok(own.kind === "pdu" && own.pdu.type === "ROOM_MESSAGE");
      }
    })();
    let event = await carol.next();
    while (!(event.kind === "pdu" && event.pdu.type === "ERROR")) event = await carol.next();
    assert.equal(event.pdu.code, "PING_TIMEOUT");
    await carol.expectClosed();
    talking = false;
    await talk;
  });
});
