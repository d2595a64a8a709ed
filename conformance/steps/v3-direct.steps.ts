/**
 * Steps of v3-direct.feature (spec §15.5): DIRECT_SEND_V3 stored for a user who is away and delivered
 * once, in order, with its original ids, at that user's next version 3 login, and never again.
 */
import { Then, When } from "@cucumber/cucumber";
import type { ClientSession } from "../support/client-session.ts";
import {
  describeId,
  idOf,
  type MessageId,
  readHistory,
  sameId,
} from "../support/conversation-history.ts";
import { userOf } from "../support/room-membership.ts";
import type { ParrotWorld } from "../support/world.ts";

interface StoredSend {
  messageId: number;
  text: string;
  from: string;
  id: MessageId;
}
const stored = new WeakMap<ParrotWorld, StoredSend[]>();
const FIRST_ID = 0x3400_0000;

/** Sends DIRECT_SEND_V3 and expects its DIRECT_STATUS_V3 `status`; records the message. */
async function sendV3(
  world: ParrotWorld,
  sender: ClientSession,
  to: string,
  status: "STORED" | "DELIVERED",
): Promise<StoredSend> {
  const list = stored.get(world) ?? [];
  stored.set(world, list);
  const messageId = FIRST_ID + list.length;
  const text = `kept for you ${list.length}`;
  sender.peer.send({ type: "DIRECT_SEND_V3", version: sender.headerVersion, messageId, to, text });
  const { pdu: answer } = await sender.awaitPdu(
    "DIRECT_STATUS_V3",
    (s) => s.messageId === messageId,
    `DIRECT_STATUS_V3 for message ${messageId}`,
  );
  if (answer.status !== status) {
    sender.fail(
      `expected DIRECT_STATUS_V3 ${status} for message ${messageId}, got ${answer.status}`,
      [],
      status === "STORED" ? "REQ-15.19" : "REQ-15.18",
    );
  }
  const sent = { messageId, text, from: userOf(sender), id: idOf(answer) };
  list.push(sent);
  return sent;
}

When(
  "{string} sends {int} version 3 direct messages to {string}, each answered STORED",
  async function (this: ParrotWorld, name: string, count: number, to: string) {
    for (let i = 0; i < count; i++) await sendV3(this, this.session(name), to, "STORED");
  },
);

When(
  "{string} sends one more version 3 direct message to {string} than its offline queue holds, each answered STORED",
  async function (this: ParrotWorld, name: string, to: string) {
    const sender = this.session(name);
    const queue = sender.sessionInfo?.offlineQueue;
    if (queue === undefined)
      return sender.fail("no SESSION_INFO after the version 3 login", [], "REQ-15.14");
    for (let i = 0; i <= queue; i++) await sendV3(this, sender, to, "STORED");
  },
);

Then(
  "{string}, logging in as {string}, is told of a full queue with the oldest dropped and receives the newest in order",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = await this.loggedIn(name, user, 3);
    const info = session.sessionInfo;
    if (info === undefined)
      return session.fail("no SESSION_INFO after the version 3 login", [], "REQ-15.14");
    const sent = stored.get(this) ?? [];
    if (
      info.storedCount !== info.offlineQueue ||
      info.droppedCount !== sent.length - info.offlineQueue
    ) {
      session.fail(
        `${sent.length} messages sent to a queue of ${info.offlineQueue}: SESSION_INFO says ` +
          `stored_count ${info.storedCount}, dropped_count ${info.droppedCount}`,
        [],
        "REQ-15.21",
      );
    }
    judgeStored(session, sent.slice(sent.length - info.offlineQueue), "REQ-15.21");
    await session.expectServed("nothing else after the stored messages");
  },
);

When(
  "{string} sends a version 3 direct message to {string}, answered DELIVERED",
  async function (this: ParrotWorld, name: string, to: string) {
    await sendV3(this, this.session(name), to, "DELIVERED");
  },
);

Then(
  "{string} receives it as DIRECT_MESSAGE_V3 with the id of its DIRECT_STATUS_V3, and nothing else",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const sent = (stored.get(this) ?? []).at(-1)!;
    const { pdu } = await session.awaitPdu(
      "DIRECT_MESSAGE_V3",
      (m) => m.messageId === sent.messageId,
      `DIRECT_MESSAGE_V3 ${sent.messageId}`,
    );
    if (pdu.from !== sent.from || pdu.text !== sent.text || !sameId(pdu, sent.id)) {
      session.fail(
        `DIRECT_MESSAGE_V3 ${pdu.messageId} ${describeId(pdu)} from ${pdu.from}; the sender was told ` +
          `${describeId(sent.id)}`,
        [],
        "REQ-15.6",
      );
    }
    await session.expectServed("exactly one copy");
  },
);

Then(
  "{string} receives it as DIRECT_MESSAGE, the version 2 form, and nothing else",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const sent = (stored.get(this) ?? []).at(-1)!;
    const { pdu } = await session.awaitPdu(
      "DIRECT_MESSAGE",
      (m) => m.messageId === sent.messageId,
      `DIRECT_MESSAGE ${sent.messageId}, the version 2 form (REQ-15.2)`,
    );
    if (pdu.from !== sent.from || pdu.text !== sent.text) {
      session.fail(`DIRECT_MESSAGE ${pdu.messageId} differs from what was sent`, [], "REQ-15.18");
    }
    await session.expectServed("exactly one copy, nothing of version 3");
  },
);

/** The stored messages a login received must be `expected`, oldest first, with their ids. */
function judgeStored(
  session: ClientSession,
  expected: readonly StoredSend[],
  requirement: string,
): void {
  session.storedMessages.forEach((message, i) => {
    const sent = expected[i]!;
    if (
      message.messageId !== sent.messageId ||
      message.from !== sent.from ||
      message.text !== sent.text ||
      !sameId(message, sent.id)
    ) {
      session.fail(
        `stored message ${i + 1} is ${message.messageId} ${describeId(message)} from ${message.from}; ` +
          `expected ${sent.messageId} ${describeId(sent.id)} from ${sent.from}, oldest first`,
        [],
        requirement,
      );
    }
  });
}

Then(
  "{string}, logging in as {string}, is told of {int} stored messages and receives them in order with their ids",
  async function (this: ParrotWorld, name: string, user: string, count: number) {
    const session = await this.loggedIn(name, user, 3);
    const info = session.sessionInfo;
    if (info === undefined)
      return session.fail("no SESSION_INFO after the version 3 login", [], "REQ-15.14");
    const expected = (stored.get(this) ?? []).slice(-count);
    if (info.storedCount !== count) {
      session.fail(
        `SESSION_INFO stored_count ${info.storedCount}, expected ${count}`,
        [],
        "REQ-15.20",
      );
    }
    judgeStored(session, expected, "REQ-15.20");
    await session.expectServed("nothing else after the stored messages");
  },
);

Then(
  "{string}, logging in as {string} again, is told of no stored messages",
  async function (this: ParrotWorld, name: string, user: string) {
    const session = await this.loggedIn(name, user, 3);
    if (session.sessionInfo?.storedCount !== 0) {
      session.fail(
        `SESSION_INFO stored_count ${session.sessionInfo?.storedCount}: delivered ones again`,
        [],
        "REQ-15.20",
      );
    }
    await session.expectServed("nothing delivered twice");
  },
);

Then(
  "the messages stored for {string} carry ids one after the other, and {string} finds them in its history with that name",
  async function (this: ParrotWorld, to: string, name: string) {
    const session = this.session(name);
    const sent = stored.get(this) ?? [];
    // A name no account has is answered like any other (REQ-15.19): real ids, kept in history.
    sent.forEach(({ id, messageId }, i) => {
      const before = sent[i - 1]?.id;
      const follows =
        before === undefined || (id.epoch === before.epoch && id.seq === before.seq + 1);
      if (id.epoch === 0 || id.seq === 0 || !follows) {
        session.fail(
          `DIRECT_STATUS_V3 STORED for message ${messageId} to ${to} gave ${describeId(id)}: not ` +
            "the next id of one conversation",
          [],
          "REQ-15.19",
        );
      }
    });
    const { page, items } = await readHistory(session, {
      targetKind: "USER",
      target: to,
      anchor: "LATEST",
      limit: sent.length,
    });
    const same =
      page.status === "OK" &&
      items.length === sent.length &&
      items.every(
        (item, i) =>
          item.messageId === sent[i]!.messageId &&
          item.text === sent[i]!.text &&
          item.from === sent[i]!.from &&
          sameId(item, sent[i]!.id),
      );
    if (!same) {
      session.fail(
        `its history with ${to} (page ${page.status}) holds ${items.map((m) => m.messageId).join(", ") || "nothing"}; ` +
          `expected the ${sent.length} messages it was told were STORED`,
        [],
        "REQ-15.19",
      );
    }
  },
);

Then(
  "{string} has been sent nothing about its stored messages",
  async function (this: ParrotWorld, name: string) {
    // REQ-15.19: nothing to anyone else, the sender included (no copy of its own message).
    await this.session(name).expectServed("nothing after DIRECT_STATUS_V3 STORED");
  },
);
