/**
 * Issue 13 with version 3: a room's one order across nodes holds its ids too (REQ-13.18). Two
 * real `parrot server --cluster` processes (history in the cluster's Redis, the default) on one
 * real redis-server; version-3 and version-2 members on both nodes, senders of both versions on
 * both nodes sending at once, and members joining and leaving on both nodes meanwhile. Every
 * member sees one sequence of messages and events, each once; the version-3 members see the ids
 * 1, 2, 3, … of one epoch in arrival order; the history holds the same messages in that order.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import type { Pdu } from "../../../generated/index.ts";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import type { RawPeer } from "../raw-peer.ts";
import { V2_ACCOUNTS } from "../v2-peers.ts";
import { readPageOf } from "../v3-peers.ts";
import { loggedInOn, startNode, startRedis, stopClusterParts } from "./cluster-nodes.ts";

afterEach(stopClusterParts);

const ROOM = "lobby";
let requestId = 0;

/** `peer` joins; its ROOM_RESULT OK, then its own JOINED. */
async function join(peer: RawPeer): Promise<void> {
  peer.send({ type: "ROOM_JOIN", version: peer.version, requestId: ++requestId, room: ROOM });
  assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
  assert.equal((await peer.expect("ROOM_EVENT")).event, "JOINED");
}

/** The next ROOM_RESULT; the room's messages and events a churner gets meanwhile are not judged. */
async function resultSkippingRoomPdus(peer: RawPeer) {
  for (;;) {
    const event = await peer.next();
    if (event.kind !== "pdu") throw new Error(`closed: ${peer.describe()}`);
    if (event.pdu.type === "ROOM_RESULT") return event.pdu;
  }
}

/** One line per room PDU, the same for a version-2 and a version-3 member. */
function line(pdu: Pdu): string {
  if (pdu.type === "ROOM_EVENT") return `${pdu.event} ${pdu.user}`;
  if (pdu.type === "ROOM_MESSAGE" || pdu.type === "ROOM_MESSAGE_V3")
    return `${pdu.from}: ${pdu.text}`;
  throw new Error(`not a room PDU: ${JSON.stringify(pdu)}`);
}

describe("cluster: a room's order and its version-3 ids are one", () => {
  test("senders of both versions on both nodes at once, members joining and leaving on both: one sequence for all, ids 1, 2, 3, … in arrival order, nothing lost or twice", async () => {
    const redis = await startRedis();
    const users = await writeFastUsersFile(V2_ACCOUNTS);
    const [a, b] = await Promise.all([startNode(redis, "A", users), startNode(redis, "B", users)]);
    const members = [
      { name: "alice", peer: await loggedInOn(a, "alice", 3) },
      { name: "bob", peer: await loggedInOn(b, "bob", 3) },
      { name: "carol", peer: await loggedInOn(a, "carol", 2) },
      { name: "dave", peer: await loggedInOn(b, "dave", 2) },
    ];
    for (const [i, { peer }] of members.entries()) {
      await join(peer);
      // Each JOINED reaches the members already there.
      for (const earlier of members.slice(0, i)) await earlier.peer.expect("ROOM_EVENT");
    }
    const churners = [await loggedInOn(a, "erin", 2), await loggedInOn(b, "frank", 2)];
    const count = 60;
    const cycles = 5;
    for (let id = 1; id <= count; id++) {
      for (const { peer } of members) {
        peer.send({
          type: "ROOM_SAY",
          version: peer.version,
          messageId: id,
          room: ROOM,
          text: `${id}`,
        });
      }
    }
    // Meanwhile a member on each node comes and goes, so events interleave with the messages.
    await Promise.all(
      churners.map(async (peer) => {
        for (let i = 0; i < cycles; i++) {
          for (const type of ["ROOM_JOIN", "ROOM_LEAVE"] as const) {
            peer.send({ type, version: 2, requestId: ++requestId, room: ROOM });
            assert.equal((await resultSkippingRoomPdus(peer)).status, "OK");
          }
        }
      }),
    );
    const expected = members.length * count + churners.length * cycles * 2;
    const seen = await Promise.all(members.map(({ peer }) => peer.take(expected)));
    const lines = seen.map((pdus) => pdus.map(line));
    for (const [i, { name }] of members.entries()) {
      assert.deepEqual(lines[i], lines[0], `${name} sees the sequence alice sees (REQ-13.15)`);
    }
    for (const { name } of members) {
      assert.deepEqual(
        lines[0]!.filter((text) => text.startsWith(`${name}: `)),
        Array.from({ length: count }, (_, i) => `${name}: ${i + 1}`),
        `${name}'s messages once each, in its order`,
      );
    }
    for (const churner of ["erin", "frank"]) {
      assert.deepEqual(
        lines[0]!.filter((text) => text.endsWith(` ${churner}`)),
        Array.from(
          { length: 2 * cycles },
          (_, i) => `${i % 2 === 0 ? "JOINED" : "LEFT"} ${churner}`,
        ),
        `${churner}'s JOINED and LEFT alternate, once each`,
      );
    }
    for (const [i, { name, peer }] of members.entries()) {
      const messages = seen[i]!.filter((pdu) => pdu.type !== "ROOM_EVENT");
      if (peer.version === 3) {
        const ids = messages.map((pdu) => (pdu.type === "ROOM_MESSAGE_V3" ? pdu : undefined));
        assert.ok(
          ids.every((pdu) => pdu !== undefined),
          `${name} gets version-3 messages only`,
        );
        const epoch = ids[0]!.epoch;
        assert.deepEqual(
          ids.map((pdu) => `${pdu!.epoch}:${pdu!.seq}`),
          ids.map((_, n) => `${epoch}:${n + 1}`),
          `${name} sees the ids 1, 2, 3, … of one epoch in arrival order (REQ-13.18, REQ-15.7)`,
        );
      } else {
        assert.ok(
          messages.every((pdu) => pdu.type === "ROOM_MESSAGE"),
          `${name} gets version 2`,
        );
      }
      assert.deepEqual(await peer.drain(), [], `${name}: nothing more, nothing twice`);
    }
    // The history, read through the other node, is that same sequence of messages.
    const history = members[1]!.peer;
    const messageLines = lines[0]!.filter((text) => !/^(JOINED|LEFT) /.test(text));
    history.send({
      type: "HISTORY_REQUEST",
      version: 3,
      requestId: ++requestId,
      targetKind: "ROOM",
      target: ROOM,
      anchor: "LATEST",
      epoch: 0,
      seq: 0,
      limit: 100,
    });
    const { items } = await readPageOf(history);
    assert.deepEqual(
      items.map((item) => `${item.from}: ${item.text}`),
      messageLines.slice(-items.length),
      "the history keeps the order the members saw",
    );
  });
});
