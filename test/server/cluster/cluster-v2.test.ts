/**
 * Issue 13, second step: across two real nodes on one real Redis, WHO_LIST lists everyone online
 * on either node, direct messages reach a recipient on the other node in each sender's order, and
 * presence subscribers hear ONLINE and OFFLINE of users on the other node (spec §13.4).
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { PduOfType } from "../../../generated/index.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import {
  eventually,
  type Node,
  peerOn,
  startNode,
  startRedis,
  stopClusterParts,
} from "./cluster-nodes.ts";

afterEach(stopClusterParts);

async function twoNodes(extra: string[] = []): Promise<[Node, Node]> {
  const redis = await startRedis();
  const users = await writeFastUsersFile(V2_ACCOUNTS);
  return Promise.all([startNode(redis, "A", users, extra), startNode(redis, "B", users, extra)]);
}

async function loggedIn(node: Node, name: string, versions = [1, 2]): Promise<RawPeer> {
  const peer = await peerOn(node, versions);
  assert.equal((await peer.login(name, `${name}-pw`)).status, "OK");
  return peer;
}

async function who(peer: RawPeer, requestId: number): Promise<PduOfType<"WHO_LIST">> {
  peer.send({ type: "WHO_REQUEST", version: 2, requestId, room: "", offset: 0 });
  return peer.expect("WHO_LIST");
}

describe("cluster: users, direct messages and presence across nodes", () => {
  test("WHO_LIST lists the users of both nodes, version 1 too, in byte order; one logged out is gone", async () => {
    const [a, b] = await twoNodes();
    const alice = await loggedIn(a, "alice");
    const bob = await loggedIn(b, "bob");
    const carol = await loggedIn(a, "carol", [1]);
    // A login is listed before its session's next PDU is answered (participation.ts).
    for (const peer of [bob, carol]) await peer.ping(1);
    assert.deepEqual((await who(alice, 1)).names, ["alice", "bob", "carol"]);
    assert.deepEqual((await who(bob, 2)).names, ["alice", "bob", "carol"]);
    await carol.logout();
    // Unlisted one store command after its connection closed (spec §13.5, the last paragraph).
    let requestId = 3;
    let names: readonly string[] = [];
    await eventually("carol unlisted", async () => {
      names = (await who(bob, requestId++)).names;
      return !names.includes("carol");
    });
    assert.deepEqual(names, ["alice", "bob"]);
  });

  test("direct messages cross nodes both ways, each sender's in its order; a version-1 user on the other node is NOT_DELIVERED", async () => {
    const [a, b] = await twoNodes();
    const alice = await loggedIn(a, "alice");
    const bob = await loggedIn(b, "bob");
    const dave = await loggedIn(b, "dave", [1]);
    const count = 50;
    for (let id = 1; id <= count; id++) {
      alice.send({ type: "DIRECT_SEND", version: 2, messageId: id, to: "bob", text: `a${id}` });
      bob.send({ type: "DIRECT_SEND", version: 2, messageId: id, to: "alice", text: `b${id}` });
    }
    for (const [receiver, prefix, from] of [
      [bob, "a", "alice"],
      [alice, "b", "bob"],
    ] as const) {
      const pdus = await receiver.take(2 * count);
      const messages = pdus.filter((pdu) => pdu.type === "DIRECT_MESSAGE");
      const statuses = pdus.filter((pdu) => pdu.type === "DIRECT_STATUS");
      assert.deepEqual(
        messages.map((pdu) => [pdu.from, pdu.text]),
        Array.from({ length: count }, (_, i) => [from, `${prefix}${i + 1}`]),
        "every message once, in the sender's order",
      );
      assert.ok(statuses.every((pdu) => pdu.status === "DELIVERED"));
    }
    alice.send({ type: "DIRECT_SEND", version: 2, messageId: 99, to: "dave", text: "v1?" });
    assert.equal((await alice.expect("DIRECT_STATUS")).status, "NOT_DELIVERED");
    assert.deepEqual(await dave.drain(), []);
  });

  test("the users of a node killed with -9 drop out of WHO_LIST on the other node within the lease (REQ-13.6)", async () => {
    const [a, b] = await twoNodes(["--cluster-lease", "1.5"]);
    await loggedIn(a, "alice");
    const bob = await loggedIn(b, "bob");
    assert.deepEqual((await who(bob, 1)).names, ["alice", "bob"]);
    a.child.kill("SIGKILL");
    await a.exited;
    let requestId = 2;
    let names: readonly string[] = [];
    await eventually("alice gone from WHO_LIST", async () => {
      names = (await who(bob, requestId++)).names;
      return !names.includes("alice");
    });
    assert.deepEqual(names, ["bob"]);
  });

  test("a presence subscriber on node B hears ONLINE and OFFLINE of a user on node A, once each", async () => {
    const [a, b] = await twoNodes();
    const watcher = await loggedIn(b, "bob");
    watcher.send({ type: "PRESENCE_SUBSCRIBE", version: 2, enabled: "ON" });
    assert.deepEqual(await watcher.drain(), [], "PRESENCE_SUBSCRIBE gets no reply");
    const erin = await loggedIn(a, "erin");
    assert.deepEqual(await watcher.expect("PRESENCE_EVENT"), {
      type: "PRESENCE_EVENT",
      version: 2,
      user: "erin",
      status: "ONLINE",
    });
    await erin.logout();
    assert.deepEqual(await watcher.expect("PRESENCE_EVENT"), {
      type: "PRESENCE_EVENT",
      version: 2,
      user: "erin",
      status: "OFFLINE",
    });
    assert.deepEqual(await watcher.drain(), []);
  });
});
