/**
 * What follows a version-3 login (server/history/version-3-login.ts), on a session stand-in: the
 * order SESSION_INFO, stored messages, then taking part; and a session that ends while its queue
 * is being taken puts the queue back instead of losing it (REQ-15.20).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { directConversation } from "../../../server/history/conversation.ts";
import { KeyedLanes } from "../../../server/history/keyed-lanes.ts";
import { MemoryMessageStore } from "../../../server/history/memory-message-store.ts";
import { deliverStoredThenTakePart } from "../../../server/history/version-3-login.ts";
import type { OutgoingPdu } from "../../../server/outgoing-pdu.ts";
import type { HandlerContext } from "../../../server/session-context.ts";

/** The three members deliverStoredThenTakePart uses; the rest of a session is not reached. */
function standIn(events: string[], closing: () => boolean): HandlerContext {
  const session = {
    get isClosing() {
      return closing();
    },
    send(pdu: OutgoingPdu) {
      events.push(pdu.type === "DIRECT_MESSAGE_V3" ? `DM ${pdu.messageId}` : pdu.type);
      return true;
    },
    becomeParticipant() {
      events.push("takes part");
    },
  };
  return session as unknown as HandlerContext;
}

async function storeWithTwoFor(user: string, store: MemoryMessageStore): Promise<void> {
  for (const messageId of [1, 2]) {
    const draft = { messageId, from: "alice", text: "hi", acceptedAtMs: 0 };
    await store.enqueueOffline(user, await store.append(directConversation("alice", user), draft));
  }
}

describe("deliverStoredThenTakePart", () => {
  test("sends SESSION_INFO, then the stored messages oldest first, then takes part", async () => {
    const store = new MemoryMessageStore();
    await storeWithTwoFor("bob", store);
    const events: string[] = [];
    const history = { store, pageSize: 100, lanes: new KeyedLanes(), wallClock: () => 0 };
    await deliverStoredThenTakePart(
      standIn(events, () => false),
      history,
      "bob",
    );
    assert.deepEqual(events, ["SESSION_INFO", "DM 1", "DM 2", "takes part"]);
    assert.deepEqual((await store.takeOffline("bob")).messages, [], "taken once");
  });

  test("a session that ended while the queue was taken puts it back, in order", async () => {
    let closing = false;
    let takes = 0;
    class EndsDuringTake extends MemoryMessageStore {
      override async takeOffline(recipient: string) {
        const taken = await super.takeOffline(recipient);
        // The first login's connection ends while the store answers.
        if (++takes === 1) closing = true;
        return taken;
      }
    }
    const store = new EndsDuringTake();
    await storeWithTwoFor("bob", store);
    const events: string[] = [];
    const history = { store, pageSize: 100, lanes: new KeyedLanes(), wallClock: () => 0 };
    await deliverStoredThenTakePart(
      standIn(events, () => closing),
      history,
      "bob",
    );
    assert.deepEqual(events, [], "nothing sent to a session that ended");
    closing = false;
    await deliverStoredThenTakePart(
      standIn(events, () => closing),
      history,
      "bob",
    );
    assert.deepEqual(events, ["SESSION_INFO", "DM 1", "DM 2", "takes part"]);
  });
});
