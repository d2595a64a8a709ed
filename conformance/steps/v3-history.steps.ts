/**
 * Steps of v3-history.feature (spec §15): room messages with server ids, history pages, resume, and
 * what version 2 sessions see on a version 3 server.
 */
import { Then, When } from "@cucumber/cucumber";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import {
  awaitRoomMessageV3,
  describeId,
  type HistoryAnchor,
  idOf,
  judgeItems,
  type RoomMessageV3,
  readHistory,
  sameId,
} from "../support/conversation-history.ts";
import { userOf } from "../support/room-membership.ts";
import { expectReplay, sendResume } from "../support/room-resume.ts";
import {
  judgePageHead,
  judgePageRange,
  lastSeen,
  lastSeenBeforeLeaving,
  saidIn,
  sayNumbered,
} from "../support/said-room-messages.ts";
import type { ParrotWorld } from "../support/world.ts";

When(
  "{string} says {int} numbered messages in {string}",
  async function (this: ParrotWorld, name: string, count: number, room: string) {
    await sayNumbered(this, this.session(name), room, count);
  },
);

Then(
  "the ids of the messages in {string} follow each other: one epoch, each seq one more than the last",
  function (this: ParrotWorld, room: string) {
    const list = saidIn(this, room);
    const speaker = [...this.sessions.values()][0]!;
    list.forEach((message, i) => {
      if (message.epoch === 0) speaker.fail(`message ${message.messageId} carried epoch 0`);
      if (i === 0) return;
      const before = list[i - 1]!;
      if (message.epoch !== before.epoch || message.seq !== before.seq + 1) {
        speaker.fail(
          `message ${message.messageId} has id ${describeId(message)} right after ` +
            `${describeId(before)}: not the next seq of the same epoch`,
          [],
          "REQ-15.5",
        );
      }
    });
  },
);

Then(
  "{connections} each receive those messages in {string} as ROOM_MESSAGE_V3, in order, with the same ids and times",
  async function (this: ParrotWorld, names: string[], room: string) {
    const list = saidIn(this, room);
    for (const name of names) {
      const member = this.session(name);
      if (list.some((m) => m.from === userOf(member))) continue; // the sender's were read as said
      let previous = 0;
      for (const message of list) {
        const copy = await awaitRoomMessageV3(member, room, message.from, message.messageId);
        if (!sameId(copy, message) || copy.text !== message.text) {
          member.fail(
            `its copy of message ${message.messageId} has id ${describeId(copy)}; the sender's has ` +
              `${describeId(message)}`,
            [],
            "REQ-15.6",
          );
        }
        if (copy.seq <= previous) {
          member.fail(`seq ${copy.seq} came after seq ${previous}`, [], "REQ-15.7");
        }
        previous = copy.seq;
      }
      await member.expectServed("nothing else after the room's messages");
    }
  },
);

/** Which said messages (1-based, inclusive) a page must hold, as the feature names them. */
function slice(world: ParrotWorld, room: string, first: number, last: number): RoomMessageV3[] {
  return saidIn(world, room).slice(first - 1, last);
}

When(
  "{string} asks for the history of {string} {word} message {int} with a limit of {int}, it gets messages {int} to {int}",
  async function (
    this: ParrotWorld,
    name: string,
    room: string,
    anchor: string,
    anchorIndex: number,
    limit: number,
    first: number,
    last: number,
  ) {
    const session = this.session(name);
    const anchorMessage = saidIn(this, room)[anchorIndex - 1]!;
    const { page, items } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: anchor as HistoryAnchor,
      epoch: anchorMessage.epoch,
      seq: anchorMessage.seq,
      limit,
    });
    judgePageHead(session, page, room, "OK");
    judgePageRange(session, page, saidIn(this, room));
    judgeItems(session, items, slice(this, room, first, last), `${anchor} message ${anchorIndex}`);
  },
);

When(
  "{string} asks for the latest {int} messages of {string}, it gets messages {int} to {int}",
  async function (
    this: ParrotWorld,
    name: string,
    limit: number,
    room: string,
    first: number,
    last: number,
  ) {
    const session = this.session(name);
    const { page, items } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "LATEST",
      limit,
    });
    judgePageHead(session, page, room, "OK");
    judgePageRange(session, page, saidIn(this, room));
    judgeItems(session, items, slice(this, room, first, last), `LATEST ${limit}`);
  },
);

When(
  "{string} asks for the history of {string} after message {int} of another epoch, it gets GAP and the oldest messages kept",
  async function (this: ParrotWorld, name: string, room: string, anchorIndex: number) {
    const session = this.session(name);
    const list = saidIn(this, room);
    const anchorMessage = list[anchorIndex - 1]!;
    const otherEpoch = anchorMessage.epoch === 0xffffffff ? 1 : anchorMessage.epoch + 1;
    const { page, items } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "AFTER",
      epoch: otherEpoch,
      seq: anchorMessage.seq,
      limit: list.length,
    });
    judgePageHead(session, page, room, "GAP");
    judgeItems(session, items, list, `AFTER an id of epoch ${otherEpoch}`);
  },
);

Then(
  "{string} asking for the history of {string} is answered NOT_MEMBER with no items",
  async function (this: ParrotWorld, name: string, room: string) {
    const session = this.session(name);
    const { page } = await readHistory(session, {
      targetKind: "ROOM",
      target: room,
      anchor: "LATEST",
      limit: 10,
    });
    judgePageHead(session, page, room, "NOT_MEMBER");
    if (page.epoch !== 0 || page.oldestSeq !== 0 || page.newestSeq !== 0 || page.itemCount !== 0) {
      session.fail(
        `HISTORY_PAGE NOT_MEMBER told epoch ${page.epoch}, seqs ${page.oldestSeq}..${page.newestSeq}, ` +
          `${page.itemCount} items: all must be 0`,
        [],
        "REQ-15.11",
      );
    }
    await session.expectServed("nothing after the refused page");
  },
);

When(
  "{string} leaves {string} after message {int}",
  async function (this: ParrotWorld, name: string, room: string, index: number) {
    const session = this.session(name);
    // It saw the messages up to `index` live first (their copies are read here, ids compared).
    for (const message of saidIn(this, room).slice(0, index)) {
      const copy = await awaitRoomMessageV3(session, room, message.from, message.messageId);
      if (!sameId(copy, message)) {
        session.fail(
          `its copy ${describeId(copy)}, the sender's ${describeId(message)}`,
          [],
          "REQ-15.6",
        );
      }
    }
    lastSeen.set(this, saidIn(this, room)[index - 1]!);
    const requestId = session.takeRequestId();
    session.peer.send({ type: "ROOM_LEAVE", version: session.headerVersion, requestId, room });
    await session.awaitPdu(
      "ROOM_RESULT",
      (r) => r.requestId === requestId && r.status === "OK",
      `ROOM_RESULT OK for leaving ${room}`,
    );
    await expectOnlyRoomEventsBeforePong(session, `after leaving ${room}`);
  },
);

/** A PING barrier that lets ROOM_EVENTs (its own LEFT, others' comings and goings) pass, nothing else. */
async function expectOnlyRoomEventsBeforePong(
  session: ClientSession,
  after: string,
): Promise<void> {
  const token = session.takeToken();
  session.peer.send({ type: "PING", version: session.headerVersion, token });
  for (;;) {
    const event = await session.nextEvent(`the PONG of PING ${token}, ${after}`);
    if (event.kind === "pdu" && event.pdu.type === "ROOM_EVENT") continue;
    if (event.kind === "pdu" && event.pdu.type === "PONG" && event.pdu.token === token) return;
    session.fail(
      `${after}, expected only ROOM_EVENTs before the PONG, got ${describeEvent(event)}`,
    );
  }
}

When(
  "{string} resumes {string} from the last message it saw, it gets ROOM_RESULT OK, messages {int} to {int} replayed, then its JOINED",
  async function (this: ParrotWorld, name: string, room: string, first: number, last: number) {
    const session = this.session(name);
    const anchor = lastSeenBeforeLeaving(this);
    const requestId = sendResume(session, room, anchor);
    await expectReplay(
      session,
      requestId,
      room,
      saidIn(this, room),
      slice(this, room, first, last),
    );
  },
);

Then(
  "{string} receives message {int} of {string} live, once, and nothing else",
  async function (this: ParrotWorld, name: string, index: number, room: string) {
    const session = this.session(name);
    const message = saidIn(this, room)[index - 1]!;
    const copy = await awaitRoomMessageV3(session, room, message.from, message.messageId);
    if (!sameId(copy, message)) {
      session.fail(
        `live copy ${describeId(copy)}, expected ${describeId(idOf(message))}`,
        [],
        "REQ-15.6",
      );
    }
    await session.expectServed("nothing twice: no second copy of any message");
  },
);

Then(
  "{string} receives those messages in {string} as ROOM_MESSAGE, the version 2 form, and nothing else",
  async function (this: ParrotWorld, name: string, room: string) {
    const member = this.session(name);
    for (const message of saidIn(this, room)) {
      const { pdu } = await member.awaitPdu(
        "ROOM_MESSAGE",
        (m) => m.room === room && m.from === message.from && m.messageId === message.messageId,
        `ROOM_MESSAGE ${message.messageId} from ${message.from}, the version 2 form (REQ-15.2)`,
      );
      if (pdu.text !== message.text) member.fail(`ROOM_MESSAGE ${pdu.messageId}: the text differs`);
    }
    await member.expectServed("nothing of version 3 on a version 2 connection");
  },
);
