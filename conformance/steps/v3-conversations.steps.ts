/**
 * Steps of v3-conversations.feature (spec §15.1, §15.2): what a version 2 sender's room message and
 * a version 2 DIRECT_SEND become for version 3 sessions: the version 3 forms, with ids, kept in the
 * conversation's history that either party reads.
 */
import { Then } from "@cucumber/cucumber";
import type { ClientSession } from "../support/client-session.ts";
import {
  awaitRoomMessageV3,
  describeId,
  type HistoryItem,
  type MessageId,
  readHistory,
  sameId,
} from "../support/conversation-history.ts";
import { userOf } from "../support/room-membership.ts";
import { sampleText } from "../support/sample-texts.ts";
import type { ParrotWorld } from "../support/world.ts";

/** The newest item of `session`'s history with `target` must be the message `copy` shows. */
async function judgeNewestItem(
  session: ClientSession,
  targetKind: "ROOM" | "USER",
  target: string,
  copy: MessageId & { messageId: number; from: string; text: string },
): Promise<void> {
  const { page, items } = await readHistory(session, {
    targetKind,
    target,
    anchor: "LATEST",
    limit: 1,
  });
  const item: HistoryItem | undefined = items[0];
  if (
    page.status !== "OK" ||
    item === undefined ||
    !sameId(item, copy) ||
    item.messageId !== copy.messageId ||
    item.from !== copy.from ||
    item.text !== copy.text
  ) {
    session.fail(
      `the newest message of its history with ${targetKind} ${target} is ` +
        `${item === undefined ? `missing (page ${page.status})` : `${item.messageId} ${describeId(item)} from ${item.from}`}; ` +
        `expected ${copy.messageId} ${describeId(copy)} from ${copy.from}, as it was relayed`,
      [],
      "REQ-15.10",
    );
  }
}

Then(
  "{string} receives room message {int} of {string} in {string} with the {sample} text as ROOM_MESSAGE_V3, and finds it in the room's history",
  async function (
    this: ParrotWorld,
    name: string,
    messageId: number,
    fromName: string,
    room: string,
    kind: string,
  ) {
    const session = this.session(name);
    const from = userOf(this.session(fromName));
    // REQ-15.3: never the version 2 form on a version 3 connection, whoever said it.
    const copy = await awaitRoomMessageV3(session, room, from, messageId);
    if (copy.text !== sampleText(kind)) {
      session.fail(`ROOM_MESSAGE_V3 ${messageId}: the text differs`, [], "REQ-15.3");
    }
    await judgeNewestItem(session, "ROOM", room, copy);
  },
);

Then(
  "{string} receives direct message {int} from {string} with the {sample} text as DIRECT_MESSAGE_V3, and both find it in the history of their conversation",
  async function (
    this: ParrotWorld,
    name: string,
    messageId: number,
    fromName: string,
    kind: string,
  ) {
    const recipient = this.session(name);
    const sender = this.session(fromName);
    const from = userOf(sender);
    const { pdu: copy } = await recipient.awaitPdu(
      "DIRECT_MESSAGE_V3",
      (m) => m.messageId === messageId && m.from === from,
      `DIRECT_MESSAGE_V3 ${messageId} from ${from} (REQ-15.3)`,
    );
    if (copy.text !== sampleText(kind)) {
      recipient.fail(`DIRECT_MESSAGE_V3 ${messageId}: the text differs`, [], "REQ-15.3");
    }
    // One conversation, whichever party asks (spec §15.2: the unordered pair of the two names).
    await judgeNewestItem(recipient, "USER", from, copy);
    await judgeNewestItem(sender, "USER", userOf(recipient), copy);
  },
);
