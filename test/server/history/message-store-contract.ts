/**
 * What every MessageStore must do (server/history/README.md), as tests. A store's own test file
 * calls `describeMessageStoreContract` with a factory; the memory store's is
 * memory-message-store.test.ts, and a file or Redis store runs the same function on itself.
 */
import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { directConversation, roomConversation } from "../../../server/history/conversation.ts";
import type { MessageDraft, MessageStore } from "../../../server/history/message-store.ts";

/** Limits the contract needs; a factory builds a fresh, empty store with them. */
export interface ContractLimits {
  historyCount: number;
  offlineQueue: number;
}

export type StoreFactory = (limits: ContractLimits) => Promise<MessageStore>;

const draft = (messageId: number, text = `text ${messageId}`, from = "user1"): MessageDraft => ({
  messageId,
  from,
  text,
  acceptedAtMs: 1_796_162_287_250 + messageId,
});

export function describeMessageStoreContract(name: string, factory: StoreFactory): void {
  describe(`MessageStore contract: ${name}`, () => {
    const opened: MessageStore[] = [];
    const open = async (limits: Partial<ContractLimits> = {}) => {
      const store = await factory({ historyCount: 50, offlineQueue: 10, ...limits });
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    test("gives a conversation's messages seq 1, 2, 3 of one non-zero epoch", async () => {
      const store = await open();
      const lobby = roomConversation("lobby");
      const first = await store.append(lobby, draft(1));
      const second = await store.append(lobby, draft(2));
      assert.notEqual(first.epoch, 0);
      assert.ok(Number.isInteger(first.epoch) && first.epoch <= 0xffffffff);
      assert.deepEqual([first.seq, second.seq], [1, 2]);
      assert.equal(second.epoch, first.epoch);
      assert.deepEqual({ ...second }, { ...draft(2), epoch: first.epoch, seq: 2 });
    });

    test("counts each conversation on its own", async () => {
      const store = await open();
      await store.append(roomConversation("lobby"), draft(1));
      await store.append(roomConversation("lobby"), draft(2));
      const other = await store.append(roomConversation("Lobby"), draft(3));
      const direct = await store.append(directConversation("user1", "user2"), draft(4));
      assert.equal(other.seq, 1);
      assert.equal(direct.seq, 1);
    });

    test("gives ids in the order append was called, also when the calls overlap", async () => {
      const store = await open();
      const lobby = roomConversation("lobby");
      const stored = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.append(lobby, draft(100 + i))),
      );
      assert.deepEqual(
        stored.map((m) => [m.messageId, m.seq]),
        stored.map((_, i) => [100 + i, i + 1]),
      );
    });

    test("a direct conversation is the same whichever user is named first", async () => {
      const store = await open();
      await store.append(directConversation("user2", "user1"), draft(1));
      const read = await store.read(directConversation("user1", "user2"), {
        anchor: "LATEST",
        limit: 10,
      });
      assert.deepEqual(
        read.messages.map((m) => m.messageId),
        [1],
      );
    });

    test("keeps every field byte for byte: NUL, emoji, empty text", async () => {
      const store = await open();
      const lobby = roomConversation("lobby");
      const texts = ["a\u0000b", "😀 e\u0301", ""];
      for (const [i, text] of texts.entries()) await store.append(lobby, draft(i, text, "usér"));
      const read = await store.read(lobby, { anchor: "LATEST", limit: 10 });
      assert.deepEqual(
        read.messages.map((m) => [m.text, m.from]),
        texts.map((text) => [text, "usér"]),
      );
    });

    test("an unknown conversation has epoch 0 and nothing in it", async () => {
      const store = await open();
      const read = await store.read(roomConversation("nobody-here"), {
        anchor: "LATEST",
        limit: 5,
      });
      assert.deepEqual(read, { range: { epoch: 0, oldestSeq: 0, newestSeq: 0 }, messages: [] });
    });

    test("LATEST, BEFORE and AFTER select as spec §15.3 says, oldest first, at most limit", async () => {
      const store = await open();
      const lobby = roomConversation("lobby");
      for (let i = 1; i <= 10; i++) await store.append(lobby, draft(i));
      const seqs = async (query: Parameters<MessageStore["read"]>[1]) =>
        (await store.read(lobby, query)).messages.map((m) => m.seq);
      assert.deepEqual(await seqs({ anchor: "LATEST", limit: 3 }), [8, 9, 10]);
      assert.deepEqual(
        await seqs({ anchor: "LATEST", limit: 30 }),
        [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
      assert.deepEqual(await seqs({ anchor: "BEFORE", seq: 5, limit: 3 }), [2, 3, 4]);
      assert.deepEqual(await seqs({ anchor: "BEFORE", seq: 2, limit: 3 }), [1]);
      assert.deepEqual(await seqs({ anchor: "BEFORE", seq: 1, limit: 3 }), []);
      assert.deepEqual(await seqs({ anchor: "BEFORE", seq: 99, limit: 2 }), [9, 10]);
      assert.deepEqual(await seqs({ anchor: "AFTER", seq: 5, limit: 3 }), [6, 7, 8]);
      assert.deepEqual(await seqs({ anchor: "AFTER", seq: 9, limit: 3 }), [10]);
      assert.deepEqual(await seqs({ anchor: "AFTER", seq: 10, limit: 3 }), []);
      assert.deepEqual(await seqs({ anchor: "AFTER", seq: 0, limit: 2 }), [1, 2]);
      assert.deepEqual(await seqs({ anchor: "LATEST", limit: 0 }), []);
      const { range } = await store.read(lobby, { anchor: "LATEST", limit: 0 });
      assert.equal(range.oldestSeq, 1);
      assert.equal(range.newestSeq, 10);
    });

    test("keeps the newest historyCount messages; the range says which", async () => {
      const store = await open({ historyCount: 4 });
      const lobby = roomConversation("lobby");
      let epoch = 0;
      for (let i = 1; i <= 10; i++) epoch = (await store.append(lobby, draft(i))).epoch;
      const read = await store.read(lobby, { anchor: "AFTER", seq: 0, limit: 10 });
      assert.deepEqual(read.range, { epoch, oldestSeq: 7, newestSeq: 10 });
      assert.deepEqual(
        read.messages.map((m) => m.seq),
        [7, 8, 9, 10],
      );
      const before = await store.read(lobby, { anchor: "BEFORE", seq: 8, limit: 10 });
      assert.deepEqual(
        before.messages.map((m) => m.seq),
        [7],
      );
    });

    test("takes a recipient's queue once, oldest first, with ids and times unchanged", async () => {
      const store = await open();
      const conversation = directConversation("user1", "user2");
      const stored = [];
      for (let i = 1; i <= 3; i++) {
        const message = await store.append(conversation, draft(i));
        await store.enqueueOffline("user2", message);
        stored.push(message);
      }
      assert.deepEqual(await store.takeOffline("user2"), { messages: stored, dropped: 0 });
      assert.deepEqual(await store.takeOffline("user2"), { messages: [], dropped: 0 });
      assert.deepEqual(await store.takeOffline("user1"), { messages: [], dropped: 0 });
    });

    test("a full queue lets the oldest go and counts it, until the queue is taken", async () => {
      const store = await open({ offlineQueue: 3 });
      const conversation = directConversation("user1", "user2");
      for (let i = 1; i <= 5; i++) {
        await store.enqueueOffline("user2", await store.append(conversation, draft(i)));
      }
      const taken = await store.takeOffline("user2");
      assert.deepEqual(
        taken.messages.map((m) => m.messageId),
        [3, 4, 5],
      );
      assert.equal(taken.dropped, 2);
      await store.enqueueOffline("user2", await store.append(conversation, draft(6)));
      assert.equal((await store.takeOffline("user2")).dropped, 0);
      // Leaving the queue is not leaving the history.
      const history = await store.read(conversation, { anchor: "LATEST", limit: 10 });
      assert.equal(history.messages.length, 6);
    });
  });
}
