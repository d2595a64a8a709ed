/**
 * Steps of backpressure.feature: megabytes of CHATs (version 1) or ROOM_SAYs (version 2) written while
 * the sessions read nothing, then everything read behind a PING barrier: each answer once, in order.
 */
import { Then, When } from "@cucumber/cucumber";
import { encode } from "../../generated/index.ts";
import {
  FRAME_COUNT as COUNT,
  expectBarrier,
  numberedChats,
  numberedText,
  TEXT_BYTES,
  writeWhileNotReading,
} from "../support/backpressure.ts";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import type { ParrotWorld } from "../support/world.ts";

/**
 * As many room messages: loopback's kernel buffers absorb a few MB a member, so a quarter of this
 * never made the server queue anything of its own (the fan-out faults of the corpus went unseen).
 */
const ROOM_COUNT = COUNT;
When(
  "{string} stops reading and writes megabytes of CHATs and a PING",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    await writeWhileNotReading(
      this,
      session,
      [session],
      numberedChats(session.headerVersion),
      `${COUNT} CHATs of ${TEXT_BYTES} bytes, one write`,
      { barrier: true },
    );
  },
);

Then(
  "{string} receives every echo once, in order, and then the PONG",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    for (let i = 0; i < COUNT; i++) await session.expectEcho(i, numberedText(i, TEXT_BYTES));
    await expectBarrier(session);
  },
);

When(
  "{connections} stop reading and {string} says megabytes of messages in {string}",
  async function (this: ParrotWorld, names: string[], sender: string, room: string) {
    const writer = this.session(sender);
    const frames = Array.from({ length: ROOM_COUNT }, (_, i) =>
      encode({
        type: "ROOM_SAY",
        version: writer.headerVersion,
        messageId: i,
        room,
        text: numberedText(i, TEXT_BYTES),
      }),
    );
    const readers = names.map((name) => this.session(name));
    await writeWhileNotReading(
      this,
      writer,
      readers,
      frames,
      `${ROOM_COUNT} ROOM_SAYs of ${TEXT_BYTES} bytes, one write`,
      { barrier: false },
    );
  },
);

// A server may cut off a member whose relayed backlog passes its bound (REQ-12.37: the reference's is
// 1 MiB, 8 MB of fan-out passes it): after a gapless prefix, ERROR SLOW_CONSUMER (which it may lose to
// a reset) and the end of the stream. What it may never do is leave holes or swap messages, so each
// member must see the messages in order from the first, each once: all of them, or a prefix and then
// the end. Others' ROOM_EVENTs (the LEFT of a member that was cut off) may come between. No session
// went a ping timeout without reading, so a PING_TIMEOUT is a fault (REQ-7.3, REQ-7.5).
Then(
  "{connections} each receive those room messages from {string} in order, once each, all or up to the end of the stream",
  async function (this: ParrotWorld, names: string[], from: string) {
    await Promise.all(names.map((name) => expectRoomPrefix(this.session(name), from)));
  },
);

async function expectRoomPrefix(session: ClientSession, from: string): Promise<void> {
  for (let i = 0; i < ROOM_COUNT; ) {
    const event = await session.nextEvent(`ROOM_MESSAGE ${i} from ${from}`);
    if (event.kind === "eof" || event.kind === "reset") {
      session.peer.transcript.note(
        `accepted: closed after ${i} of ${ROOM_COUNT} room messages, none skipped`,
      );
      return;
    }
    if (event.kind === "pdu" && event.pdu.type === "ROOM_EVENT") continue;
    if (event.kind === "pdu" && event.pdu.type === "ERROR" && event.pdu.code === "SLOW_CONSUMER") {
      session.peer.transcript.note(
        `accepted: SLOW_CONSUMER after ${i} of ${ROOM_COUNT}, none skipped`,
      );
      await session.expectClosed("the close after ERROR SLOW_CONSUMER", "REQ-8.3");
      return;
    }
    if (event.kind === "pdu" && event.pdu.type === "ERROR" && event.pdu.code === "PING_TIMEOUT") {
      return session.fail(
        `ERROR PING_TIMEOUT after ${i} of ${ROOM_COUNT} room messages, though the session never went ` +
          "half a ping timeout without reading and kept pinging",
        [],
        "REQ-7.3",
      );
    }
    if (event.kind !== "pdu" || event.pdu.type !== "ROOM_MESSAGE") {
      return session.fail(`expected ROOM_MESSAGE ${i} from ${from}, got ${describeEvent(event)}`);
    }
    const message = event.pdu;
    if (message.messageId !== i || message.from !== from) {
      session.fail(
        `expected ROOM_MESSAGE ${i} from ${from}, got ${message.messageId} from ${message.from}`,
      );
    }
    if (message.text !== numberedText(i, TEXT_BYTES)) {
      session.fail(`ROOM_MESSAGE ${i}: the text differs from the one sent`);
    }
    i++;
  }
  await session.expectServed("nothing after the last room message");
}
