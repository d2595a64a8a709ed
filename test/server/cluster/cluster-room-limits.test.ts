/**
 * Issue 13: room limits hold cluster-wide (REQ-13.14). Two nodes in this process on one real Redis,
 * with limits small enough to reach: users on both nodes racing for a room's last places get
 * exactly as many OKs as there are places, whichever node they are on.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import { loggedInOn, startRedis, stopClusterParts } from "./cluster-nodes.ts";
import { startInProcessNode } from "./in-process-nodes.ts";

afterEach(stopClusterParts);

const LIMITS = { maxMembersPerRoom: 2, maxRoomsPerUser: 2 };

let requestId = 0;

/** The ROOM_RESULT of a join; an OK one is followed by the joiner's own JOINED. */
async function joinStatus(peer: RawPeer, room: string): Promise<string> {
  peer.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room });
  const { status } = await peer.expect("ROOM_RESULT");
  if (status === "OK") assert.equal((await peer.expect("ROOM_EVENT")).event, "JOINED");
  return status;
}

describe("cluster: room limits across nodes", () => {
  test("six users on two nodes racing for a room of two places: exactly two get in, whichever node they are on", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const nodes = await Promise.all([
      startInProcessNode(redis, "A", users, { roomLimits: LIMITS }),
      startInProcessNode(redis, "B", users, { roomLimits: LIMITS }),
    ]);
    const names = V2_ACCOUNTS.slice(0, 6).map((account) => account.name);
    const peers = await Promise.all(names.map((name, i) => loggedInOn(nodes[i % 2]!, name)));
    for (const room of ["r1", "r2", "r3"]) {
      for (const peer of peers) {
        peer.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room });
      }
      const statuses = await Promise.all(
        peers.map(async (peer) => (await peer.expect("ROOM_RESULT")).status),
      );
      const admitted = names.filter((_, i) => statuses[i] === "OK");
      assert.equal(admitted.length, 2, `two places in ${room}: ${statuses.join(" ")}`);
      assert.ok(
        statuses.every(
          (status) => status === "OK" || status === "ROOM_FULL" || status === "TOO_MANY_ROOMS",
        ),
        statuses.join(" "),
      );
      const asker = peers[0]!;
      await asker.drain();
      asker.send({ type: "WHO_REQUEST", version: 2, requestId: ++requestId, room, offset: 0 });
      assert.deepEqual((await asker.expect("WHO_LIST")).names, [...admitted].sort());
      for (const peer of peers) await peer.drain();
    }
  });

  test("TOO_MANY_ROOMS and ROOM_FULL with members on both nodes; a place freed on node A goes to a user on node B", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const [a, b] = await Promise.all([
      startInProcessNode(redis, "A", users, { roomLimits: LIMITS }),
      startInProcessNode(redis, "B", users, { roomLimits: LIMITS }),
    ]);
    const alice = await loggedInOn(a, "alice");
    const carol = await loggedInOn(a, "carol");
    const bob = await loggedInOn(b, "bob");
    assert.equal(await joinStatus(alice, "one"), "OK");
    assert.equal(await joinStatus(alice, "two"), "OK");
    assert.equal(await joinStatus(alice, "three"), "TOO_MANY_ROOMS");
    assert.equal(await joinStatus(carol, "one"), "OK");
    assert.equal((await alice.expect("ROOM_EVENT")).user, "carol");
    assert.equal(await joinStatus(bob, "one"), "ROOM_FULL");
    assert.equal(await joinStatus(alice, "one"), "ALREADY_MEMBER");
    carol.send({ type: "ROOM_LEAVE", version: 2, requestId: ++requestId, room: "one" });
    assert.equal((await carol.expect("ROOM_RESULT")).status, "OK");
    assert.equal((await alice.expect("ROOM_EVENT")).event, "LEFT");
    assert.equal(await joinStatus(bob, "one"), "OK");
    const joined = await alice.expect("ROOM_EVENT");
    assert.deepEqual([joined.user, joined.event], ["bob", "JOINED"]);
  });
});
