/**
 * What the durable stores (file, Redis Streams) must do beyond the MessageStore contract
 * (message-store-contract.ts, which they also run): the age bound on a clock the test moves, times
 * that never go back along a conversation, queued messages that keep every field. Each store's
 * test file runs these on a real store (a real SQLite file, a real redis-server).
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { type Conversation, roomConversation } from "../../../server/history/conversation.ts";
import type {
  MessageDraft,
  MessageStore,
  StoredMessage,
  StoreLimits,
} from "../../../server/history/message-store.ts";

/** A wall clock the test moves by hand (Unix ms). */
export class HandClock {
  constructor(public nowMs = Date.UTC(2026, 11, 1, 21, 58, 7, 250)) {}
  readonly now = () => this.nowMs;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** A fresh, empty store with these limits, measuring age on this clock. */
export type DurableStoreFactory = (limits: StoreLimits, clock: HandClock) => Promise<MessageStore>;

export const LOBBY = roomConversation("lobby");

/** A draft accepted now on `clock`. */
export function draftAt(clock: HandClock, messageId: number, from = "user1"): MessageDraft {
  return { messageId, from, text: `message ${messageId}`, acceptedAtMs: clock.nowMs };
}

export async function appendMany(
  store: MessageStore,
  clock: HandClock,
  first: number,
  last: number,
  conversation: Conversation = LOBBY,
): Promise<StoredMessage[]> {
  const stored: StoredMessage[] = [];
  for (let n = first; n <= last; n++)
    stored.push(await store.append(conversation, draftAt(clock, n)));
  return stored;
}

export function seqs(messages: readonly StoredMessage[]): number[] {
  return messages.map((message) => message.seq);
}

export function describeDurableStoreContract(name: string, factory: DurableStoreFactory): void {
  describe(`durable store contract: ${name}`, () => {
    const opened: MessageStore[] = [];
    const open = async (limits: Partial<StoreLimits>, clock = new HandClock()) => {
      const full = { historyCount: 100, historyAgeMs: 0, offlineQueue: 10, ...limits };
      const store = await factory(full, clock);
      opened.push(store);
      return { store, clock };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    test("advertises the limits it was given", async () => {
      const limits = { historyCount: 7, historyAgeMs: 60_000, offlineQueue: 3 };
      const { store } = await open(limits);
      assert.deepEqual(store.limits, limits);
    });

    test("the age bound: a message older than historyAgeMs is no longer served, even with no new message (REQ-15.13)", async () => {
      const { store, clock } = await open({ historyAgeMs: 60_000 });
      await appendMany(store, clock, 1, 3);
      clock.advance(30_000);
      await appendMany(store, clock, 4, 5);
      clock.advance(30_000);
      const all = (await store.read(LOBBY, { anchor: "LATEST", limit: 100 })).messages;
      assert.deepEqual(seqs(all), [1, 2, 3, 4, 5], "exactly historyAgeMs old is still kept");
      clock.advance(1);
      const later = await store.read(LOBBY, { anchor: "AFTER", seq: 0, limit: 100 });
      assert.deepEqual(seqs(later.messages), [4, 5]);
      assert.deepEqual([later.range.oldestSeq, later.range.newestSeq], [4, 5]);
      clock.advance(30_000);
      const gone = await store.read(LOBBY, { anchor: "LATEST", limit: 100 });
      assert.deepEqual(gone.messages, []);
      assert.deepEqual([gone.range.oldestSeq, gone.range.newestSeq], [0, 5], "ids not given again");
      assert.notEqual(gone.range.epoch, 0);
      const next = await store.append(LOBBY, draftAt(clock, 6));
      assert.deepEqual([next.epoch, next.seq], [gone.range.epoch, 6]);
    });

    test("a draft's time is kept, unless it is before the previous message's: then it gets that one", async () => {
      const { store, clock } = await open({});
      const first = await store.append(LOBBY, draftAt(clock, 1));
      assert.equal(first.acceptedAtMs, clock.nowMs);
      clock.advance(-60_000);
      const second = await store.append(LOBBY, draftAt(clock, 2));
      assert.equal(second.acceptedAtMs, first.acceptedAtMs, "times never go back");
      const read = await store.read(LOBBY, { anchor: "LATEST", limit: 5 });
      assert.deepEqual(read.messages, [first, second], "the store keeps what it returned");
    });

    test("a queued message keeps every field byte for byte: NUL, emoji, empty text", async () => {
      const { store, clock } = await open({});
      const texts = ["a\u0000b", "😀 e\u0301", ""];
      const stored = [];
      for (const [n, text] of texts.entries()) {
        const message = await store.append(LOBBY, { ...draftAt(clock, n), text, from: "usér" });
        await store.enqueueOffline("user2", message);
        stored.push(message);
      }
      assert.deepEqual(await store.takeOffline("user2"), { messages: stored, dropped: 0 });
    });
  });
}
