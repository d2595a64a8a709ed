// One user sending direct messages to every account (spec §15.5) fills every offline queue:
// each is bounded (REQ-15.21), but all of them together grew with the number of accounts (an
// attack probe: 300 accounts, one sender, 130 MiB held). REQ-10.13 bounds them together; past
// the bound the oldest queued message of all leaves, so a quiet user's later message to a
// flooded recipient still arrives, and what left is counted in dropped_count.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { MemoryMessageStore } from "../../server/history/memory-message-store.ts";
import type { RunningParrotServer } from "../../server/parrot-server.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { PeerPool } from "./v2-peers.ts";
import { loginV3 } from "./v3-peers.ts";

const RECIPIENTS = Array.from({ length: 10 }, (_, i) => `r${i}`);
const ROUNDS = 10;
const TEXT = "q".repeat(1000);
// What the memory store counts for one message from "flood" or "quiet": its text and sender,
// and a fixed 96 bytes for the object.
const COST = 96 + TEXT.length + "flood".length;
const QUEUED_IN_ALL = 20;

let server: RunningParrotServer;
const pool = new PeerPool(() => server);

before(async () => {
  const accounts = ["flood", "quiet", ...RECIPIENTS].map((name) => ({
    name,
    password: `${name}-pw`,
  }));
  server = await startTestServer({
    usersFile: await writeFastUsersFile(accounts),
    historyStore: new MemoryMessageStore({ maxOfflineBytes: QUEUED_IN_ALL * COST }),
  });
});
after(async () => {
  pool.destroyAll();
  await server.close();
});

test("a sender filling every recipient's queue is bounded in all; a later message still arrives (REQ-10.13)", async () => {
  const flood = (await loginV3(pool, "flood")).peer;
  let messageId = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const to of RECIPIENTS) {
      flood.send({ type: "DIRECT_SEND_V3", version: 3, messageId: ++messageId, to, text: TEXT });
    }
  }
  // Every one is answered STORED: the sender cannot tell a full queue from an empty one.
  for (const status of await flood.take(ROUNDS * RECIPIENTS.length)) {
    assert.ok(status.type === "DIRECT_STATUS_V3" && status.status === "STORED");
  }
  const quiet = (await loginV3(pool, "quiet")).peer;
  quiet.send({ type: "DIRECT_SEND_V3", version: 3, messageId: 7, to: "r0", text: TEXT });
  assert.equal((await quiet.expect("DIRECT_STATUS_V3")).status, "STORED");

  let queued = 0;
  for (const name of RECIPIENTS) {
    const { info, stored } = await loginV3(pool, name);
    queued += info.storedCount;
    const fromFlood = stored.filter((message) => message.from === "flood");
    // Nothing vanishes unaccounted: what did not arrive is counted as dropped.
    assert.equal(fromFlood.length + info.droppedCount, ROUNDS, `${name}: ${JSON.stringify(info)}`);
    // The newest survive, oldest first.
    const ids = fromFlood.map((message) => message.messageId);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    if (name === "r0") {
      assert.deepEqual(
        stored.filter((message) => message.from === "quiet").map((message) => message.text),
        [TEXT],
        "the quiet user's message, sent after the flood, is delivered",
      );
    }
  }
  assert.ok(
    queued <= QUEUED_IN_ALL,
    `${queued} messages were still queued, bound ${QUEUED_IN_ALL}`,
  );
  assert.ok(queued >= QUEUED_IN_ALL - 1, `only ${queued} queued: the bound dropped too much`);
});
