/**
 * Issue 13: a node that dies without a word (kill -9). The survivors notice its heartbeat expire
 * and one of them sweeps its users, once: every member of their rooms on the surviving nodes gets
 * LEFT, then every presence subscriber OFFLINE, each exactly once, and before the dead node's
 * logins are free, so within the lease (REQ-13.9, REQ-13.10, REQ-13.3). Three real nodes on one
 * real Redis, so two survivors race for the sweep.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { DEFAULT_LOGIN_KEY_PREFIX } from "../../../server/cluster/redis-login-registry.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import {
  eventually,
  loggedInOn,
  startNode,
  startRedis,
  stopClusterParts,
} from "./cluster-nodes.ts";

afterEach(stopClusterParts);

// Long enough that the sweep (within half a lease and a sixth) is well inside it on a busy machine.
const LEASE = ["--cluster-lease", "6"];

describe("cluster: a node killed with -9", () => {
  test("its user leaves the rooms (LEFT) and goes OFFLINE for the members and subscribers on both surviving nodes, once each, before its login is free", async () => {
    const redis = await startRedis();
    const store = redis.client();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const [a, b, c] = await Promise.all(
      ["A", "B", "C"].map((name) => startNode(redis, name, users, LEASE)),
    );
    const alice = await loggedInOn(a!, "alice");
    const bob = await loggedInOn(b!, "bob");
    const carol = await loggedInOn(c!, "carol");
    let requestId = 0;
    for (const peer of [bob, carol, alice]) {
      peer.send({ type: "ROOM_JOIN", version: 2, requestId: ++requestId, room: "hall" });
      assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
    }
    for (const watcher of [bob, carol]) {
      await eventually("alice's JOINED reached every member", async () =>
        (await watcher.drain()).some((pdu) => pdu.type === "ROOM_EVENT" && pdu.user === "alice"),
      );
      watcher.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
      assert.deepEqual(await watcher.drain(), []);
    }

    a!.child.kill("SIGKILL");
    await a!.exited;
    for (const watcher of [bob, carol]) {
      assert.deepEqual(await watcher.expect("ROOM_EVENT"), {
        type: "ROOM_EVENT",
        version: 2,
        room: "hall",
        user: "alice",
        event: "LEFT",
      });
      assert.deepEqual(await watcher.expect("PRESENCE_EVENT"), {
        type: "PRESENCE_EVENT",
        version: 2,
        user: "alice",
        status: "OFFLINE",
      });
    }
    assert.equal(
      await store.exists(`${DEFAULT_LOGIN_KEY_PREFIX}alice`),
      1,
      "announced while the dead node's login still holds: within its lease",
    );
    for (const watcher of [bob, carol]) assert.deepEqual(await watcher.drain(), [], "once");
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: ++requestId, room: "hall", offset: 0 });
    assert.deepEqual((await bob.expect("WHO_LIST")).names, ["bob", "carol"]);
    bob.send({ type: "WHO_REQUEST", version: 2, requestId: ++requestId, room: "", offset: 0 });
    assert.deepEqual((await bob.expect("WHO_LIST")).names, ["bob", "carol"]);
  });
});
