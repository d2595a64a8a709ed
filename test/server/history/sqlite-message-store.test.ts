/**
 * The file store (server/history/sqlite-message-store.ts) on a real SQLite file in a temporary
 * folder: the MessageStore contract and the durable one, then what only a file gives: the same
 * history, ids and queues after the store is closed and opened again (a server restart), after a
 * writer was killed with SIGKILL, the limits applied at reopen, and a file it cannot read refused.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { directConversation } from "../../../server/history/conversation.ts";
import type { StoredMessage, StoreLimits } from "../../../server/history/message-store.ts";
import { SqliteMessageStore } from "../../../server/history/sqlite-message-store.ts";
import { tempDir } from "../../../tools/launch/test-accounts.ts";
import {
  appendMany,
  describeDurableStoreContract,
  draftAt,
  HandClock,
  LOBBY,
  seqs,
} from "./durable-store-contract.ts";
import { describeMessageStoreContract } from "./message-store-contract.ts";

const APPEND_THEN_WAIT = fileURLToPath(new URL("append-then-wait.ts", import.meta.url));
const limits: StoreLimits = { historyCount: 100, historyAgeMs: 0, offlineQueue: 10 };

async function freshPath(): Promise<string> {
  return join(await tempDir(), "nested", "history.sqlite");
}

describeMessageStoreContract(
  "file (SQLite)",
  async (contract) =>
    new SqliteMessageStore({ path: await freshPath(), limits: { ...limits, ...contract } }),
);

describeDurableStoreContract(
  "file (SQLite)",
  async (storeLimits, clock) =>
    new SqliteMessageStore({ path: await freshPath(), limits: storeLimits, now: clock.now }),
);

describe("file store across restarts", () => {
  test("closed and opened again: the same history in the same order, the queues, and ids go on", async () => {
    const path = await freshPath();
    const clock = new HandClock();
    const before = new SqliteMessageStore({ path, limits, now: clock.now });
    const lobby = await appendMany(before, clock, 1, 7);
    const dm = await before.append(directConversation("user2", "user1"), draftAt(clock, 1));
    await before.enqueueOffline("user1", dm);
    await before.close();

    clock.advance(5_000);
    const after = new SqliteMessageStore({ path, limits, now: clock.now });
    try {
      const read = await after.read(LOBBY, { anchor: "LATEST", limit: 100 });
      assert.deepEqual(read.messages, lobby, "every message, id and time as before the restart");
      assert.deepEqual(read.range, { epoch: lobby[0]!.epoch, oldestSeq: 1, newestSeq: 7 });
      const next = await after.append(LOBBY, draftAt(clock, 8));
      assert.deepEqual([next.epoch, next.seq], [lobby[0]!.epoch, 8], "same epoch: nothing lost");
      assert.deepEqual(await after.takeOffline("user1"), { messages: [dm], dropped: 0 });
    } finally {
      await after.close();
    }
    const again = new SqliteMessageStore({ path, limits, now: clock.now });
    try {
      assert.deepEqual((await again.takeOffline("user1")).messages, [], "taken before the restart");
    } finally {
      await again.close();
    }
  });

  test("a writer killed with SIGKILL (no close) loses no committed message", async () => {
    const path = await freshPath();
    const writer = spawn(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), APPEND_THEN_WAIT, path, "25"],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const exited = new Promise((resolve) => writer.once("exit", resolve));
    const [line] = await Promise.race([
      once(createInterface({ input: writer.stdout! }), "line"),
      exited.then((code) =>
        Promise.reject(new Error(`the writer exited (${code}) before writing`)),
      ),
    ]);
    const stored = JSON.parse(line as string) as StoredMessage[];
    writer.kill("SIGKILL");
    await exited;
    const reopened = new SqliteMessageStore({ path, limits });
    try {
      const read = await reopened.read(LOBBY, { anchor: "LATEST", limit: 100 });
      assert.deepEqual(read.messages, stored);
      assert.equal((await reopened.append(LOBBY, draftAt(new HandClock(), 26))).seq, 26);
    } finally {
      await reopened.close();
    }
  });

  test("reopened with smaller limits, or later, what is past them is gone at once", async () => {
    const path = await freshPath();
    const clock = new HandClock();
    const first = new SqliteMessageStore({ path, limits, now: clock.now });
    await appendMany(first, clock, 1, 10);
    clock.advance(120_000);
    await appendMany(first, clock, 11, 12);
    await first.close();

    const byCount = new SqliteMessageStore({
      path,
      limits: { ...limits, historyCount: 4 },
      now: clock.now,
    });
    const counted = await byCount.read(LOBBY, { anchor: "LATEST", limit: 100 });
    assert.deepEqual(seqs(counted.messages), [9, 10, 11, 12]);
    await byCount.close();

    clock.advance(1_000);
    const byAge = new SqliteMessageStore({
      path,
      limits: { ...limits, historyAgeMs: 60_000 },
      now: clock.now,
    });
    const aged = await byAge.read(LOBBY, { anchor: "LATEST", limit: 100 });
    assert.deepEqual(seqs(aged.messages), [11, 12]);
    assert.equal(aged.range.oldestSeq, 11);
    await byAge.close();
  });

  test("what is past the bounds leaves the file too, not only what is served", async () => {
    const path = await freshPath();
    const clock = new HandClock();
    const store = new SqliteMessageStore({
      path,
      limits: { historyCount: 10, historyAgeMs: 60_000, offlineQueue: 10 },
      now: clock.now,
    });
    await appendMany(store, clock, 1, 300);
    const rows = () => {
      const file = new Database(path, { readonly: true });
      try {
        return (file.prepare("SELECT count(*) AS n FROM message").get() as { n: number }).n;
      } finally {
        file.close();
      }
    };
    // Trimmed in steps (sqlite-message-store.ts, TRIM_EVERY = 64): never more than that over.
    assert.ok(rows() <= 10 + 64, `${rows()} rows kept for a bound of 10`);
    clock.advance(120_000);
    await appendMany(store, clock, 301, 364);
    assert.ok(rows() <= 64, `${rows()} rows after every older message aged out`);
    await store.close();
  });

  test("seq at 0xffffffff: the next message starts a new epoch at seq 1 (REQ-15.8)", async () => {
    const path = await freshPath();
    const clock = new HandClock();
    const store = new SqliteMessageStore({ path, limits, now: clock.now });
    const [last] = await appendMany(store, clock, 1, 1);
    await store.close();
    const file = new Database(path);
    file.prepare("UPDATE conversation SET newest_seq = 4294967295").run();
    file.close();
    const reopened = new SqliteMessageStore({ path, limits, now: clock.now });
    try {
      const next = await reopened.append(LOBBY, draftAt(clock, 2));
      assert.notEqual(next.epoch, last!.epoch);
      assert.equal(next.seq, 1);
      const read = await reopened.read(LOBBY, { anchor: "LATEST", limit: 10 });
      assert.deepEqual(read.messages, [next], "nothing of the old epoch is served in the new one");
    } finally {
      await reopened.close();
    }
  });

  test("a file that is not a history database is refused at open, and left as it was", async () => {
    const path = join(await tempDir(), "users.txt");
    const content = "user1:not a database\n".repeat(200);
    await writeFile(path, content);
    assert.throws(() => new SqliteMessageStore({ path, limits }), /not a database/);
    assert.equal(await readFile(path, "utf8"), content);
  });

  test("limits the spec does not allow are refused", async () => {
    const path = await freshPath();
    const none = { historyCount: 0, historyAgeMs: 0, offlineQueue: 1 };
    assert.throws(() => new SqliteMessageStore({ path, limits: none }), /needs a bound/);
    const ageOnly = { historyCount: 0, historyAgeMs: 1000, offlineQueue: 1 };
    const store = new SqliteMessageStore({ path, limits: ageOnly });
    await store.close();
  });
});
