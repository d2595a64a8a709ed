/**
 * The file store (server/history/sqlite-store.ts) on a real SQLite file in a temporary folder:
 * the contract every store keeps, then what only a file gives: the same history, ids and queues
 * after the store is closed and opened again (a server restart), the bounds applied at reopen,
 * and a file it cannot read refused at start.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { HistoryBounds, KeptMessage } from "../../../server/history/durable-history.ts";
import { SqliteHistoryStore } from "../../../server/history/sqlite-store.ts";
import { tempDir } from "../test-server.ts";
import { appendMany, HandClock, historyContract, say, seqs } from "./history-contract.ts";

const APPEND_THEN_WAIT = fileURLToPath(new URL("append-then-wait.ts", import.meta.url));

async function freshPath(): Promise<string> {
  return join(await tempDir(), "nested", "history.sqlite");
}

describe("file history store (SQLite)", () => {
  historyContract(
    async (bounds, clock) =>
      new SqliteHistoryStore({ path: await freshPath(), bounds, clock: clock.now }),
  );

  const bounds: HistoryBounds = { count: 100, ageMs: 0, offlineQueue: 10 };

  test("restart: closed and opened again, the same history in the same order, and ids go on", async () => {
    const path = await freshPath();
    const clock = new HandClock();
    const before = new SqliteHistoryStore({ path, bounds, clock: clock.now });
    const lobby = await appendMany(before, "room:lobby", 1, 7);
    const dm = await before.append("dm:user1\nuser2", say(1, "user2"));
    await before.queueOffline("user1", dm);
    await before.close();

    clock.advance(5_000);
    const after = new SqliteHistoryStore({ path, bounds, clock: clock.now });
    try {
      const page = await after.range("room:lobby", { kind: "latest" }, 100);
      assert.deepEqual(page.items, lobby, "every message, id and time as before the restart");
      assert.deepEqual([page.epoch, page.oldestSeq, page.newestSeq], [lobby[0]!.epoch, 1, 7]);
      const next = await after.append("room:lobby", say(8));
      assert.deepEqual(
        [next.epoch, next.seq],
        [lobby[0]!.epoch, 8],
        "same epoch: nothing was lost",
      );
      assert.deepEqual(await after.takeOffline("user1"), { messages: [dm], dropped: 0 });
    } finally {
      await after.close();
    }
    const again = new SqliteHistoryStore({ path, bounds, clock: clock.now });
    try {
      assert.deepEqual((await again.takeOffline("user1")).messages, [], "taken before the restart");
    } finally {
      await again.close();
    }
  });

  test("a process killed with SIGKILL (no close) loses no committed message", async () => {
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
    const kept = JSON.parse(line as string) as KeptMessage[];
    writer.kill("SIGKILL");
    await exited;
    const reopened = new SqliteHistoryStore({ path, bounds });
    try {
      const page = await reopened.range("room:lobby", { kind: "latest" }, 100);
      assert.deepEqual(page.items, kept);
      assert.equal((await reopened.append("room:lobby", say(26))).seq, 26);
    } finally {
      await reopened.close();
    }
  });

  test("reopened with smaller bounds or later, what is past them is gone at once", async () => {
    const path = await freshPath();
    const clock = new HandClock();
    const first = new SqliteHistoryStore({ path, bounds, clock: clock.now });
    await appendMany(first, "room:lobby", 1, 10);
    clock.advance(120_000);
    await appendMany(first, "room:lobby", 11, 12);
    await first.close();

    const byCount = new SqliteHistoryStore({
      path,
      bounds: { count: 4, ageMs: 0, offlineQueue: 10 },
      clock: clock.now,
    });
    assert.deepEqual(
      seqs((await byCount.range("room:lobby", { kind: "latest" }, 100)).items),
      [9, 10, 11, 12],
    );
    await byCount.close();

    clock.advance(1_000);
    const byAge = new SqliteHistoryStore({
      path,
      bounds: { count: 100, ageMs: 60_000, offlineQueue: 10 },
      clock: clock.now,
    });
    const page = await byAge.range("room:lobby", { kind: "latest" }, 100);
    assert.deepEqual(seqs(page.items), [11, 12]);
    assert.equal(page.oldestSeq, 11);
    await byAge.close();
  });

  test("a file that is not a history database is refused at open, and left as it was", async () => {
    const path = join(await tempDir(), "users.txt");
    await writeFile(path, "user1:not a database\n".repeat(200));
    assert.throws(() => new SqliteHistoryStore({ path, bounds }), /not a database/);
  });

  test("bounds the spec does not allow are refused", async () => {
    const path = await freshPath();
    assert.throws(
      () => new SqliteHistoryStore({ path, bounds: { count: 0, ageMs: 0, offlineQueue: 1 } }),
      /needs a bound/,
    );
  });
});
