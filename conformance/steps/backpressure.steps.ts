/**
 * Steps of backpressure.feature: megabytes of CHATs (version 1) or ROOM_SAYs (version 2) written while
 * the sessions read nothing, then everything read behind a PING barrier: each answer once, in order.
 */
import { Then, When } from "@cucumber/cucumber";
import {
  FRAME_COUNT as COUNT,
  expectBarrier,
  numberedRequests,
  numberedText,
  TEXT_BYTES,
  writeWhileNotReading,
} from "../support/backpressure.ts";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import type { ParrotWorld } from "../support/world.ts";

/**
 * Room messages go to every member: a quarter as many (2 MB) keep the fan-out (three times the bytes)
 * short next to the advertised ping timeout on a loaded machine. Loopback's kernel buffers may absorb
 * that much; the scenario of backpressure-relayed.steps.ts backs a member's socket up for certain.
 */
const ROOM_COUNT = COUNT / 4;
When(
  "{string} stops reading and writes megabytes of CHATs and a PING",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    await writeWhileNotReading(
      this,
      session,
      [session],
      numberedRequests(session.headerVersion),
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
    const readers = names.map((name) => this.session(name));
    await writeWhileNotReading(
      this,
      writer,
      readers,
      numberedRequests(writer.headerVersion, room, ROOM_COUNT),
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

/**
 * Once the messages are over (all of them, or the sender left): nothing more of them, only ROOM_EVENTs
 * (others cut off meanwhile leave), before a PING's PONG.
 */
async function expectOnlyEventsUntilServed(session: ClientSession, after: string): Promise<void> {
  const token = 0xbac0_0002;
  session.peer.send({ type: "PING", version: session.headerVersion, token });
  for (;;) {
    const event = await session.nextEvent(`the PONG of PING ${token}, ${after}`);
    if (event.kind === "pdu" && event.pdu.type === "ROOM_EVENT") continue;
    if (event.kind === "pdu" && event.pdu.type === "PONG" && event.pdu.token === token) return;
    session.fail(`${after}, expected the PONG, got ${describeEvent(event)}`);
  }
}

async function expectRoomPrefix(session: ClientSession, from: string): Promise<void> {
  for (let i = 0; i < ROOM_COUNT; ) {
    const event = await session.nextEvent(`ROOM_MESSAGE ${i} from ${from}`);
    if (event.kind === "eof" || event.kind === "reset") {
      session.peer.transcript.note(
        `accepted: closed after ${i} of ${ROOM_COUNT} room messages, none skipped`,
      );
      return;
    }
    if (event.kind === "pdu" && event.pdu.type === "ROOM_EVENT") {
      // The sender reads nothing either, and its own copies are relayed PDUs too (§12.4): it may be
      // cut off itself, which ends the flood after a gapless prefix for everybody.
      if (event.pdu.event === "LEFT" && event.pdu.user === from) {
        session.peer.transcript.note(`accepted: "${from}" was cut off after ${i} of ${ROOM_COUNT}`);
        return expectOnlyEventsUntilServed(session, `after "${from}" left the room`);
      }
      continue;
    }
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
  await expectOnlyEventsUntilServed(session, "after the last room message");
}
