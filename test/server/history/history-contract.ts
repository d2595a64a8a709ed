/**
 * What every durable history store must do (spec §15.2, §15.3, §15.5), as tests to run against
 * each one: ids counted from 1 in one epoch per conversation, ranges oldest first, the count and
 * age bounds, times that never go back, offline queues taken once and bounded. Each store's own
 * test file runs these on a real store (a real SQLite file, a real redis-server) and adds what is
 * its own (restart, several nodes, lost history).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type {
  DurableHistory,
  HistoryBounds,
  KeptMessage,
} from "../../../server/history/durable-history.ts";

/** A clock the test moves by hand, in milliseconds since 1970. */
export class HandClock {
  constructor(public nowMs = Date.UTC(2026, 11, 1, 21, 58, 7, 250)) {}
  readonly now = () => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** Opens a fresh, empty store with these bounds on this clock; closed by the test. */
export type OpenStore = (bounds: HistoryBounds, clock: HandClock) => Promise<DurableHistory>;

const ROOMY: HistoryBounds = { count: 1000, ageMs: 0, offlineQueue: 100 };

export function say(n: number, from = "user1") {
  return { from, messageId: n, text: `message ${n}` };
}

export async function appendMany(
  store: DurableHistory,
  conversation: string,
  first: number,
  last: number,
): Promise<KeptMessage[]> {
  const kept: KeptMessage[] = [];
  for (let n = first; n <= last; n++) kept.push(await store.append(conversation, say(n)));
  return kept;
}

export function seqs(items: readonly KeptMessage[]): number[] {
  return items.map((item) => item.seq);
}

export function historyContract(open: OpenStore): void {
  async function withStore(
    bounds: HistoryBounds,
    body: (store: DurableHistory, clock: HandClock) => Promise<void>,
  ): Promise<void> {
    const clock = new HandClock();
    const store = await open(bounds, clock);
    try {
      await body(store, clock);
    } finally {
      await store.close();
    }
  }

  test("ids: one non-zero epoch per conversation, seq 1, 2, 3 …; the time is the store's clock (REQ-15.5)", () =>
    withStore(ROOMY, async (store, clock) => {
      const first = await store.append("room:lobby", say(7));
      assert.notEqual(first.epoch, 0);
      assert.deepEqual(first, { ...say(7), epoch: first.epoch, seq: 1, timeMs: clock.nowMs });
      clock.advance(1500);
      const second = await store.append("room:lobby", say(8));
      assert.equal(second.epoch, first.epoch, "same epoch while history is kept");
      assert.equal(second.seq, 2);
      assert.equal(second.timeMs, clock.nowMs);
      const elsewhere = await store.append("dm:user1\nuser2", say(9));
      assert.equal(elsewhere.seq, 1, "each conversation counts its own messages");
      assert.equal((await store.append("room:lobby", say(10))).seq, 3);
    }));

  test("a clock stepped back does not give a later message an earlier time", () =>
    withStore(ROOMY, async (store, clock) => {
      const first = await store.append("room:lobby", say(1));
      clock.advance(-60_000);
      const second = await store.append("room:lobby", say(2));
      assert.ok(second.timeMs >= first.timeMs);
    }));

  test("a conversation with no history answers epoch 0, no ids, no items", () =>
    withStore(ROOMY, async (store) => {
      assert.deepEqual(await store.range("room:nobody", { kind: "latest" }, 10), {
        epoch: 0,
        oldestSeq: 0,
        newestSeq: 0,
        items: [],
      });
    }));

  test("LATEST, BEFORE and AFTER: up to limit, oldest first, exactly as appended (§15.3)", () =>
    withStore(ROOMY, async (store) => {
      const kept = await appendMany(store, "room:lobby", 1, 12);
      const latest = await store.range("room:lobby", { kind: "latest" }, 5);
      assert.deepEqual(latest.items, kept.slice(7), "the newest 5, oldest first");
      assert.equal(latest.epoch, kept[0]!.epoch);
      assert.equal(latest.oldestSeq, 1);
      assert.equal(latest.newestSeq, 12);
      const before = await store.range("room:lobby", { kind: "before", seq: 8 }, 3);
      assert.deepEqual(seqs(before.items), [5, 6, 7]);
      const after = await store.range("room:lobby", { kind: "after", seq: 8 }, 3);
      assert.deepEqual(seqs(after.items), [9, 10, 11]);
      assert.deepEqual(
        seqs((await store.range("room:lobby", { kind: "after", seq: 10 }, 50)).items),
        [11, 12],
      );
      assert.deepEqual(
        seqs((await store.range("room:lobby", { kind: "before", seq: 3 }, 50)).items),
        [1, 2],
      );
      assert.deepEqual((await store.range("room:lobby", { kind: "after", seq: 12 }, 5)).items, []);
      assert.deepEqual((await store.range("room:lobby", { kind: "latest" }, 0)).items, []);
      const whole = await store.range("room:lobby", { kind: "after", seq: 0 }, 100);
      assert.deepEqual(whole.items, kept, "sender, message_id, text and time as appended");
    }));

  test("the count bound: only the newest `count` are kept, and ids go on (REQ-15.13)", () =>
    withStore({ count: 5, ageMs: 0, offlineQueue: 10 }, async (store) => {
      await appendMany(store, "room:lobby", 1, 9);
      const page = await store.range("room:lobby", { kind: "latest" }, 100);
      assert.deepEqual(seqs(page.items), [5, 6, 7, 8, 9]);
      assert.equal(page.oldestSeq, 5);
      assert.equal(page.newestSeq, 9);
      const early = await store.range("room:lobby", { kind: "after", seq: 1 }, 100);
      assert.deepEqual(seqs(early.items), [5, 6, 7, 8, 9], "what is gone is not served");
      assert.equal((await store.append("room:lobby", say(10))).seq, 10);
    }));

  test("the age bound: a message older than `ageMs` is no longer served, even with no new message (REQ-15.13)", () =>
    withStore({ count: 0, ageMs: 60_000, offlineQueue: 10 }, async (store, clock) => {
      await appendMany(store, "room:lobby", 1, 3);
      clock.advance(30_000);
      await appendMany(store, "room:lobby", 4, 5);
      clock.advance(30_000);
      const atMinute = await store.range("room:lobby", { kind: "latest" }, 100);
      assert.deepEqual(seqs(atMinute.items), [1, 2, 3, 4, 5], "exactly 60 s old is still kept");
      clock.advance(1);
      const later = await store.range("room:lobby", { kind: "latest" }, 100);
      assert.deepEqual(seqs(later.items), [4, 5]);
      assert.equal(later.oldestSeq, 4);
      assert.equal(later.newestSeq, 5);
      clock.advance(30_000);
      const empty = await store.range("room:lobby", { kind: "latest" }, 100);
      assert.deepEqual(empty.items, []);
      assert.equal(empty.oldestSeq, 0, "none kept");
      assert.equal(empty.newestSeq, 5, "ids are not given again");
      assert.notEqual(empty.epoch, 0);
      const next = await store.append("room:lobby", say(6));
      assert.deepEqual([next.epoch, next.seq], [empty.epoch, 6]);
    }));

  test("offline queue: taken once, oldest first, with the ids and times it was stored with (REQ-15.20)", () =>
    withStore(ROOMY, async (store, clock) => {
      const first = await store.append("dm:user1\nuser2", say(1));
      clock.advance(10);
      const second = await store.append("dm:user1\nuser2", say(2));
      await store.queueOffline("user2", first);
      await store.queueOffline("user2", second);
      await store.queueOffline("user3", first);
      assert.deepEqual(await store.takeOffline("user2"), { messages: [first, second], dropped: 0 });
      assert.deepEqual(await store.takeOffline("user2"), { messages: [], dropped: 0 }, "once");
      assert.deepEqual((await store.takeOffline("user3")).messages, [first], "per recipient");
    }));

  test("offline queue bound: the oldest leaves first and is counted once as dropped (REQ-15.21)", () =>
    withStore({ count: 100, ageMs: 0, offlineQueue: 3 }, async (store) => {
      const kept = await appendMany(store, "dm:user1\nuser2", 1, 5);
      for (const message of kept) await store.queueOffline("user2", message);
      assert.deepEqual(await store.takeOffline("user2"), { messages: kept.slice(2), dropped: 2 });
      assert.deepEqual(await store.takeOffline("user2"), { messages: [], dropped: 0 });
    }));

  test("concurrent appends to one conversation get distinct, gapless seqs in one order", () =>
    withStore(ROOMY, async (store) => {
      const kept = await Promise.all(
        Array.from({ length: 40 }, (_, n) => store.append("room:busy", say(n + 1))),
      );
      assert.deepEqual(
        seqs(kept).sort((a, b) => a - b),
        Array.from({ length: 40 }, (_, n) => n + 1),
      );
      const page = await store.range("room:busy", { kind: "latest" }, 100);
      const bySeq = [...kept].sort((a, b) => a.seq - b.seq);
      assert.deepEqual(page.items, bySeq, "the stored order is the order of the ids");
    }));
}
