/**
 * Issue 13 with version 3: a ROOM_RESUME on one node while a member on the other node keeps
 * talking (REQ-13.19, REQ-15.16). Two real `parrot server --cluster` processes, history in their
 * Redis. The resumer gets every message after the id it names exactly once, in the replay or
 * live, in seq order, however the other node's messages fall around its join and its read.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { PduOfType } from "../../../generated/index.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import { readPageOf } from "../v3-peers.ts";
import { loggedInOn, type Node, startNode, startRedis, stopClusterParts } from "./cluster-nodes.ts";

afterEach(stopClusterParts);

const ROOM = "den";

async function loggedIn(node: Node, name: string): Promise<RawPeer> {
  const peer = await loggedInOn(node, name, 3);
  assert.deepEqual(await peer.drain(), [], "known to both nodes (REQ-13.21)");
  return peer;
}

function say(peer: RawPeer, messageId: number): void {
  peer.send({ type: "ROOM_SAY", version: 3, messageId, room: ROOM, text: `m${messageId}` });
}

describe("cluster: ROOM_RESUME while the other node talks", () => {
  test("every message after the named id reaches the resumer once, replayed or live, in seq order", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const [a, b] = await Promise.all([startNode(redis, "A", users), startNode(redis, "B", users)]);
    const alice = await loggedIn(a, "alice");
    alice.send({ type: "ROOM_JOIN", version: 3, requestId: 1, room: ROOM });
    assert.equal((await alice.expect("ROOM_RESULT")).status, "OK");
    await alice.expect("ROOM_EVENT");
    say(alice, 0);
    const first = await alice.expect("ROOM_MESSAGE_V3");
    const count = 300;
    // Alice talks on node A throughout; bob resumes on node B from her first message meanwhile.
    for (let id = 1; id <= count; id++) say(alice, id);
    const bob = await loggedIn(b, "bob");
    bob.send({
      type: "ROOM_RESUME",
      version: 3,
      requestId: 2,
      room: ROOM,
      epoch: first.epoch,
      seq: first.seq,
    });
    assert.equal((await bob.expect("ROOM_RESULT")).status, "OK");
    const { page, items } = await readPageOf(bob);
    assert.equal(page.status, "OK");
    const joined = await bob.expect("ROOM_EVENT");
    assert.deepEqual([joined.event, joined.user], ["JOINED", "bob"], "JOINED after the replay");
    const replayed = items.map((item) => item.seq);
    const live: PduOfType<"ROOM_MESSAGE_V3">[] = [];
    const last = first.seq + count;
    while ((live.at(-1)?.seq ?? replayed.at(-1) ?? 0) < last) {
      live.push(await bob.expect("ROOM_MESSAGE_V3"));
    }
    const seqs = [...replayed, ...live.map((message) => message.seq)];
    const twiceOrBack = seqs.findIndex((seq, i) => i > 0 && seq <= seqs[i - 1]!);
    assert.equal(twiceOrBack, -1, `nothing twice, in seq order (REQ-15.16): ${seqs.join(" ")}`);
    // A full page leaves the rest to HISTORY_REQUEST AFTER; short of that, nothing is missing.
    const missing = seqs.at(-1)! - first.seq - seqs.length;
    if (items.length < page.itemCount || items.length < 100) {
      assert.equal(missing, 0, `every seq after the named one: ${seqs.join(" ")}`);
    }
    assert.deepEqual(await bob.drain(), [], "nothing more");
  });
});
