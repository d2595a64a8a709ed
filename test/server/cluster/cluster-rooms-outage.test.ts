/**
 * Issue 13: Redis restarted (empty) in the middle of room traffic across two real nodes. While it
 * is away a room message is refused to its sender with ERROR SERVICE_UNAVAILABLE, which does not
 * close (REQ-13.17), and reaches nobody; once it is back, the nodes write their members back and
 * the room carries on: every message once, in one order, nothing from before delivered again.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { Pdu } from "../../../generated/index.ts";
import { roomChannel } from "../../../server/cluster/cluster-channels.ts";
import { roomMembersKey } from "../../../server/cluster/cluster-keys.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import {
  eventually,
  loggedInOn,
  startNode,
  startRedis,
  stopClusterParts,
} from "./cluster-nodes.ts";

afterEach(stopClusterParts);

function texts(pdus: Pdu[]): string[] {
  return pdus.map((pdu) => (pdu.type === "ROOM_MESSAGE" ? `${pdu.from}:${pdu.text}` : pdu.type));
}

describe("cluster: rooms while Redis restarts", () => {
  test("a room message while Redis is away gets SERVICE_UNAVAILABLE and reaches nobody; the session and the room carry on once it is back, nothing lost or twice", async () => {
    const redis = await startRedis();
    const store = redis.client();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const [a, b] = await Promise.all([startNode(redis, "A", users), startNode(redis, "B", users)]);
    const alice = await loggedInOn(a, "alice");
    const bob = await loggedInOn(b, "bob");
    let id = 0;
    for (const peer of [alice, bob]) {
      peer.send({ type: "ROOM_JOIN", version: 2, requestId: ++id, room: "ops" });
      assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
      assert.equal((await peer.expect("ROOM_EVENT")).event, "JOINED");
    }
    assert.equal((await alice.expect("ROOM_EVENT")).user, "bob", "bob's JOINED, after alice's");
    const say = (peer: RawPeer, text: string) =>
      peer.send({ type: "ROOM_SAY", version: 2, messageId: ++id, room: "ops", text });
    say(alice, "before");
    for (const peer of [alice, bob]) {
      assert.deepEqual(texts(await peer.take(1)), ["alice:before"]);
    }

    await redis.stop();
    say(alice, "during");
    const refused = await alice.expectError("SERVICE_UNAVAILABLE");
    assert.match(refused.text, /cannot be reached/);
    assert.equal((await alice.chat(1, "echo still works")).text, "echo still works");
    assert.deepEqual(await bob.drain(), [], "bob got nothing of it");

    await redis.start();
    await eventually("both nodes wrote their members back and hear the room again", async () => {
      try {
        const members = await store.hkeys(roomMembersKey("ops"));
        const [, listeners] = (await store.pubsub("NUMSUB", roomChannel("ops"))) as [
          string,
          number,
        ];
        return members.length === 2 && Number(listeners) === 2;
      } catch {
        return false;
      }
    });
    for (let n = 1; n <= 10; n++) {
      say(alice, `a${n}`);
      say(bob, `b${n}`);
    }
    const seen = await Promise.all([alice.take(20), bob.take(20)]);
    assert.deepEqual(texts(seen[1]), texts(seen[0]), "one order");
    for (const from of ["alice", "bob"]) {
      const prefix = from[0];
      assert.deepEqual(
        texts(seen[0]).filter((line) => line.startsWith(`${from}:`)),
        Array.from({ length: 10 }, (_, i) => `${from}:${prefix}${i + 1}`),
      );
    }
    assert.deepEqual(await alice.drain(), []);
    assert.deepEqual(await bob.drain(), [], "nothing from before or during came late");
    assert.equal(a.child.exitCode, null, "no node crashed");
  });
});
