/** The memory store: the MessageStore contract, and what only it does (age, forgetting, epochs). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { roomConversation } from "../../../server/history/conversation.ts";
import { MemoryMessageStore } from "../../../server/history/memory-message-store.ts";
import { describeMessageStoreContract } from "./message-store-contract.ts";

describeMessageStoreContract("memory", async (limits) => new MemoryMessageStore(limits));

const draft = (messageId: number, acceptedAtMs = 0) => ({
  messageId,
  from: "user1",
  text: "hi",
  acceptedAtMs,
});

describe("MemoryMessageStore", () => {
  test("advertises its limits, 500 newest messages and 100 queued by default", () => {
    assert.deepEqual(new MemoryMessageStore().limits, {
      historyCount: 500,
      historyAgeMs: 0,
      offlineQueue: 100,
    });
  });

  test("refuses a history with no count bound, and other limits that are not counts", () => {
    assert.throws(() => new MemoryMessageStore({ historyCount: 0 }), RangeError);
    assert.throws(() => new MemoryMessageStore({ offlineQueue: -1 }), RangeError);
    assert.throws(() => new MemoryMessageStore({ historyAgeMs: 1.5 }), RangeError);
    assert.throws(() => new MemoryMessageStore({ maxConversations: 0 }), RangeError);
    assert.throws(() => new MemoryMessageStore({ maxBytes: 0 }), RangeError);
  });

  test("drops messages older than historyAgeMs from what it returns", async () => {
    let now = 10_000;
    const store = new MemoryMessageStore({ historyAgeMs: 1000, now: () => now });
    const lobby = roomConversation("lobby");
    await store.append(lobby, draft(1, 8_000));
    await store.append(lobby, draft(2, 9_500));
    await store.append(lobby, draft(3, 9_900));
    let read = await store.read(lobby, { anchor: "LATEST", limit: 10 });
    assert.deepEqual(
      read.messages.map((m) => m.seq),
      [2, 3],
    );
    assert.equal(read.range.oldestSeq, 2);
    now = 20_000;
    read = await store.read(lobby, { anchor: "AFTER", seq: 0, limit: 10 });
    assert.deepEqual(read.messages, []);
    assert.equal(read.range.oldestSeq, 0, "nothing kept");
    assert.equal(read.range.newestSeq, 3, "but the ids given out are remembered");
  });

  test("forgets the least recently written conversation beyond maxConversations: a new epoch", async () => {
    const epochs = [11, 22, 33, 44];
    const store = new MemoryMessageStore({ maxConversations: 2, newEpoch: () => epochs.shift()! });
    const a = roomConversation("a");
    const b = roomConversation("b");
    assert.equal((await store.append(a, draft(1))).epoch, 11);
    assert.equal((await store.append(b, draft(2))).epoch, 22);
    await store.append(a, draft(3)); // a is now the most recently written
    assert.equal((await store.append(roomConversation("c"), draft(4))).epoch, 33); // b forgotten
    assert.equal((await store.read(a, { anchor: "LATEST", limit: 5 })).messages.length, 2);
    assert.deepEqual((await store.read(b, { anchor: "LATEST", limit: 5 })).range, {
      epoch: 0,
      oldestSeq: 0,
      newestSeq: 0,
    });
    const again = await store.append(b, draft(5));
    assert.deepEqual([again.epoch, again.seq], [44, 1]);
  });

  test("draws epochs that are u4 values other than 0", async () => {
    const store = new MemoryMessageStore({ maxConversations: 1 });
    for (let i = 0; i < 50; i++) {
      const { epoch } = await store.append(roomConversation(`r${i}`), draft(i));
      assert.ok(Number.isInteger(epoch) && epoch >= 1 && epoch <= 0xffffffff, `${epoch}`);
    }
  });
});

describe("MemoryMessageStore byte bound", () => {
  const text = "x".repeat(1000);
  const big = (messageId: number) => ({ messageId, from: "u", text, acceptedAtMs: 0 });

  test("forgets the least recently written conversations once maxBytes is passed", async () => {
    // About three 1000-byte messages fit.
    const store = new MemoryMessageStore({ maxBytes: 3500 });
    await store.append(roomConversation("a"), big(1));
    await store.append(roomConversation("b"), big(2));
    await store.append(roomConversation("c"), big(3));
    await store.append(roomConversation("d"), big(4)); // a is forgotten
    const latest = { anchor: "LATEST", limit: 5 } as const;
    assert.equal((await store.read(roomConversation("a"), latest)).range.epoch, 0);
    for (const room of ["b", "c", "d"]) {
      assert.equal((await store.read(roomConversation(room), latest)).messages.length, 1, room);
    }
  });

  test("a conversation that alone passes maxBytes keeps its newest messages", async () => {
    const store = new MemoryMessageStore({ maxBytes: 2500 });
    const lobby = roomConversation("lobby");
    for (let i = 1; i <= 5; i++) await store.append(lobby, big(i));
    const read = await store.read(lobby, { anchor: "LATEST", limit: 10 });
    assert.deepEqual(
      read.messages.map((m) => m.seq),
      [4, 5],
    );
    assert.equal(read.range.oldestSeq, 4);
  });
});
