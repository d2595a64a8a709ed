/**
 * Issue 13 with version 3: direct messages between nodes keep their conversation's ids (REQ-13.19,
 * REQ-15.5, REQ-15.6) and each sender's order (REQ-13.7). Two real `parrot server --cluster` processes on one
 * real redis-server, history in Redis (the default): two users on two nodes sending to each other
 * at once share one conversation, whose ids are given once each; messages stored for a user who
 * is away are delivered at its next login, on the other node, oldest first with their ids.
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

/** A version-3 login; its SESSION_INFO and the stored messages that follow it. */
async function loggedIn(node: Node, name: string) {
  const peer = await peerOn(node, [1, 2, 3]);
  assert.equal((await peer.login(name, `${name}-pw`)).status, "OK");
  const info = await peer.expect("SESSION_INFO");
  const stored = [];
  for (let i = 0; i < info.storedCount; i++) stored.push(await peer.expect("DIRECT_MESSAGE_V3"));
  // Known to every node once its next PDU is answered (REQ-13.21): before, a message to it may
  // be STORED, which is not what these tests are about.
  assert.deepEqual(await peer.drain(), []);
  return { peer, info, stored };
}

function sendAll(peer: RawPeer, to: string, count: number, prefix: string): void {
  for (let id = 1; id <= count; id++) {
    peer.send({ type: "DIRECT_SEND_V3", version: 3, messageId: id, to, text: `${prefix}${id}` });
  }
}

const only = <T extends Pdu["type"]>(pdus: Pdu[], type: T) =>
  pdus.filter((pdu): pdu is PduOfType<T> => pdu.type === type);

describe("cluster: version-3 direct messages across nodes", () => {
  test("two users on two nodes sending to each other at once: one conversation, every id once, each side's in increasing order, every message once in its sender's order", async () => {
    const [a, b] = await twoNodes();
    const alice = (await loggedIn(a, "alice")).peer;
    const bob = (await loggedIn(b, "bob")).peer;
    const count = 50;
    sendAll(alice, "bob", count, "a");
    sendAll(bob, "alice", count, "b");
    const ids: string[] = [];
    for (const [peer, from, prefix] of [
      [alice, "bob", "b"],
      [bob, "alice", "a"],
    ] as const) {
      const pdus = await peer.take(2 * count);
      const statuses = only(pdus, "DIRECT_STATUS_V3");
      const received = only(pdus, "DIRECT_MESSAGE_V3");
      assert.deepEqual(
        statuses.map((status) => [status.messageId, status.status]),
        Array.from({ length: count }, (_, i) => [i + 1, "DELIVERED"]),
        "its own sends answered in order",
      );
      assert.deepEqual(
        received.map((message) => [message.from, message.text]),
        Array.from({ length: count }, (_, i) => [from, `${prefix}${i + 1}`]),
        "every message once, in its sender's order (REQ-13.7)",
      );
      for (const list of [statuses, received]) {
        const seqs = list.map((pdu) => pdu.seq);
        assert.deepEqual(
          seqs,
          [...seqs].sort((x, y) => x - y),
          "in increasing seq (REQ-15.5)",
        );
      }
      for (const pdu of [...statuses, ...received]) ids.push(`${pdu.epoch}:${pdu.seq}`);
      assert.deepEqual(await peer.drain(), [], "nothing twice");
    }
    // Each id is seen twice: by its sender (the status) and by its recipient (the message).
    const epoch = ids[0]!.split(":")[0];
    assert.deepEqual(
      [...new Set(ids)].sort((x, y) => Number(x.split(":")[1]) - Number(y.split(":")[1])),
      Array.from({ length: 2 * count }, (_, i) => `${epoch}:${i + 1}`),
      "one conversation: the ids 1 to 100 of one epoch, each given once (REQ-15.5)",
    );
    assert.equal(ids.length, 4 * count, "the same id in the sender's and the recipient's copy");
  });

  test("messages stored on node A and node B for a user who is away reach it at its next login, on either node, oldest first with their ids, once", async () => {
    const [a, b] = await twoNodes();
    const alice = (await loggedIn(a, "alice")).peer;
    const carol = (await loggedIn(b, "carol")).peer;
    const count = 10;
    sendAll(alice, "bob", count, "a");
    sendAll(carol, "bob", count, "c");
    const statuses = await Promise.all([alice.take(count), carol.take(count)]);
    for (const list of statuses) {
      assert.ok(list.every((pdu) => pdu.type === "DIRECT_STATUS_V3" && pdu.status === "STORED"));
    }
    const bob = await loggedIn(b, "bob");
    const { stored, info } = bob;
    assert.equal(info.storedCount, 2 * count);
    const from = (sender: string) => stored.filter((message) => message.from === sender);
    for (const [sender, prefix, answers] of [
      ["alice", "a", statuses[0]!],
      ["carol", "c", statuses[1]!],
    ] as const) {
      assert.deepEqual(
        from(sender).map((message) => message.text),
        Array.from({ length: count }, (_, i) => `${prefix}${i + 1}`),
        `${sender}'s messages once each, in its order`,
      );
      assert.deepEqual(
        from(sender).map((message) => [message.epoch, message.seq]),
        only(answers, "DIRECT_STATUS_V3").map((status) => [status.epoch, status.seq]),
        "stored with the ids their senders were told (REQ-15.6)",
      );
    }
    await bob.peer.logout();
    const again = await loggedIn(a, "bob");
    assert.equal(again.info.storedCount, 0, "taken once (REQ-15.20)");
  });
});
