// Version 2 direct messages (spec §12.5) against a real server over loopback: relayed to the
// recipient's one session only, with the sender's name and id; NOT_DELIVERED alike for offline,
// unknown and version-1 recipients; a DM to yourself.
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";

let server: RunningParrotServer;
const pool = new PeerPool(() => server);

before(async () => {
  server = await startTestServer({ usersFile: await writeFastUsersFile(V2_ACCOUNTS) });
});
afterEach(() => pool.destroyAll());
after(() => server.close());

describe("direct messages", () => {
  test("reach the recipient's session only: DELIVERED to the sender first, then one DIRECT_MESSAGE", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    assert.equal(alice.version, 2);

    alice.send({ type: "DIRECT_SEND", version: 2, messageId: 41, to: "bob", text: "hi bob ✓" });
    assert.deepEqual(await alice.expect("DIRECT_STATUS"), {
      type: "DIRECT_STATUS",
      version: 2,
      messageId: 41,
      status: "DELIVERED",
    });
    assert.deepEqual(await bob.expect("DIRECT_MESSAGE"), {
      type: "DIRECT_MESSAGE",
      version: 2,
      messageId: 41,
      from: "alice",
      text: "hi bob ✓",
    });
    // Exactly one, and nobody else got anything.
    assert.deepEqual(await bob.drain(), []);
    assert.deepEqual(await carol.drain(), []);
    assert.deepEqual(await alice.drain(), []);
  });

  test("offline, unknown and version-1 recipients get the same NOT_DELIVERED and nothing is relayed", async () => {
    const alice = await pool.login("alice");
    const v1 = await pool.login("dave", [1]);
    assert.equal(v1.version, 1);
    const statuses = [];
    for (const [messageId, to] of [
      [1, "erin"], // an account, not logged in
      [2, "nobody-such"], // no account
      [3, "dave"], // logged in on version 1
      [4, ""], // not a name at all
    ] as const) {
      alice.send({ type: "DIRECT_SEND", version: 2, messageId, to, text: "anyone there?" });
      const { messageId: answered, ...status } = await alice.expect("DIRECT_STATUS");
      assert.equal(answered, messageId);
      statuses.push(status);
    }
    for (const status of statuses) {
      assert.deepEqual(status, { type: "DIRECT_STATUS", version: 2, status: "NOT_DELIVERED" });
    }
    // The version-1 session saw none of it (REQ-12.3).
    assert.deepEqual(await v1.drain(), []);
  });

  test("a DM to yourself comes back to your own session, after its DELIVERED", async () => {
    const alice = await pool.login("alice");
    alice.send({
      type: "DIRECT_SEND",
      version: 2,
      messageId: 7,
      to: "alice",
      text: "note to self",
    });
    const [status, message] = await alice.take(2);
    assert.deepEqual(status, {
      type: "DIRECT_STATUS",
      version: 2,
      messageId: 7,
      status: "DELIVERED",
    });
    assert.deepEqual(message, {
      type: "DIRECT_MESSAGE",
      version: 2,
      messageId: 7,
      from: "alice",
      text: "note to self",
    });
  });

  test("a user who logged out is offline again: NOT_DELIVERED", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    await bob.logout();
    alice.send({ type: "DIRECT_SEND", version: 2, messageId: 9, to: "bob", text: "still there?" });
    assert.equal((await alice.expect("DIRECT_STATUS")).status, "NOT_DELIVERED");
  });

  test("many DMs from two senders arrive complete and in each sender's order", async () => {
    const alice = await pool.login("alice");
    const bob = await pool.login("bob");
    const carol = await pool.login("carol");
    const count = 50;
    for (let id = 1; id <= count; id++) {
      alice.send({ type: "DIRECT_SEND", version: 2, messageId: id, to: "carol", text: `a${id}` });
      bob.send({ type: "DIRECT_SEND", version: 2, messageId: id, to: "carol", text: `b${id}` });
    }
    const received = (await carol.take(2 * count)).map((pdu) => {
      assert.equal(pdu.type, "DIRECT_MESSAGE");
      return pdu.type === "DIRECT_MESSAGE" ? `${pdu.from}:${pdu.messageId}:${pdu.text}` : "";
    });
    for (const from of ["alice", "bob"]) {
      const expected = Array.from(
        { length: count },
        (_, i) => `${from}:${i + 1}:${from[0]}${i + 1}`,
      );
      assert.deepEqual(
        received.filter((line) => line.startsWith(`${from}:`)),
        expected,
      );
    }
    for (const sender of [alice, bob]) {
      const statuses = await sender.take(count);
      assert.ok(
        statuses.every((pdu) => pdu.type === "DIRECT_STATUS" && pdu.status === "DELIVERED"),
      );
    }
  });
});
