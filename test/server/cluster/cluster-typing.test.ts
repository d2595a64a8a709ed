/**
 * Issue 13: typing indicators cross nodes and still expire (REQ-13.12, REQ-12.25). Two nodes in
 * this process on one real Redis, with a short typing timeout: the typist's node relays the
 * notice to the target (a user, or a room's other members) on the other node, and when no
 * STOPPED comes it sends STOPPED there itself.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { PduOfType } from "../../../generated/index.ts";
import type { RunningParrotServer } from "../../../server/parrot-server.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import { peerOn, startRedis, stopClusterParts } from "./cluster-nodes.ts";
import { startInProcessNode } from "./in-process-nodes.ts";

afterEach(stopClusterParts);

const TYPING_TIMEOUT_MS = 300;

async function loggedIn(node: RunningParrotServer, name: string): Promise<RawPeer> {
  const peer = await peerOn(node, [1, 2]);
  assert.equal((await peer.login(name, `${name}-pw`)).status, "OK");
  return peer;
}

function notice(
  from: string,
  targetKind: "USER" | "ROOM",
  room: string,
  state: "STARTED" | "STOPPED",
): PduOfType<"TYPING_NOTICE"> {
  return { type: "TYPING_NOTICE", version: 2, targetKind, room, from, state };
}

describe("cluster: typing across nodes", () => {
  test("to a user on the other node: STARTED is relayed, and expires there with STOPPED", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const options = { typingTimeoutMs: TYPING_TIMEOUT_MS };
    const [a, b] = await Promise.all([
      startInProcessNode(redis, "A", users, options),
      startInProcessNode(redis, "B", users, options),
    ]);
    const alice = await loggedIn(a, "alice");
    const bob = await loggedIn(b, "bob");
    alice.send({ type: "TYPING", version: 2, targetKind: "USER", target: "bob", state: "STARTED" });
    assert.deepEqual(await bob.expect("TYPING_NOTICE"), notice("alice", "USER", "", "STARTED"));
    assert.deepEqual(await bob.expect("TYPING_NOTICE"), notice("alice", "USER", "", "STOPPED"));
    assert.deepEqual(await alice.drain(), []);
  });

  test("to a room whose only other member is on the other node: it gets STARTED, then STOPPED when it expires; the typist and a non-member get neither", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const options = { typingTimeoutMs: TYPING_TIMEOUT_MS };
    const [a, b] = await Promise.all([
      startInProcessNode(redis, "A", users, options),
      startInProcessNode(redis, "B", users, options),
    ]);
    const alice = await loggedIn(a, "alice");
    const carol = await loggedIn(a, "carol");
    const bob = await loggedIn(b, "bob");
    let requestId = 0;
    for (const peer of [alice, bob]) {
      peer.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room: "desk" });
      assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
    }
    for (const peer of [alice, bob]) {
      const joins = await peer.drain();
      assert.ok(joins.every((pdu) => pdu.type === "ROOM_EVENT" && pdu.event === "JOINED"));
    }
    alice.send({
      type: "TYPING",
      version: 2,
      targetKind: "ROOM",
      target: "desk",
      state: "STARTED",
    });
    assert.deepEqual(await bob.expect("TYPING_NOTICE"), notice("alice", "ROOM", "desk", "STARTED"));
    assert.deepEqual(await bob.expect("TYPING_NOTICE"), notice("alice", "ROOM", "desk", "STOPPED"));
    assert.deepEqual(await alice.drain(), [], "the typist is not told of its own typing");
    assert.deepEqual(await carol.drain(), [], "nor is a user outside the room");
  });
});
