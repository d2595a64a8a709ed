/**
 * Slow readers (spec/README.md §12.4, REQ-12.37, REQ-12.38): a member that stops reading while a
 * room's traffic is fanned out to it is cut off once what the server has queued for it passes the
 * server's bound, with ERROR SLOW_CONSUMER after a gapless prefix of the room; below the least bound
 * the spec allows, it is not.
 *
 * The suite sees neither the server's queue nor the kernel buffers between them, only what it sent:
 * a flood that passes limits.maxRelayBacklogBytes plus a generous allowance for the buffers without
 * the reader being cut off fails REQ-12.37; one that stays below limits.minRelayBacklogBytes in all
 * cannot justify a cut (REQ-12.38).
 */
import { Then, When } from "@cucumber/cucumber";
import { encode, LIMITS, type Pdu } from "../../generated/index.ts";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import { userOf } from "../support/room-membership.ts";
import type { ParrotWorld } from "../support/world.ts";

/** Socket buffers on both ends of a loopback connection hold a few MiB; this leaves room for more. */
const KERNEL_BUFFER_ALLOWANCE_BYTES = 48 * 1024 * 1024;
const FULL_TEXT = "x".repeat(4096);
const BATCH = 32;

/** What a flood sent, for the steps that judge what the reader finds afterwards. */
interface Flood {
  room: string;
  from: string;
  sent: number;
}
const floods = new WeakMap<ParrotWorld, Flood>();

/** Bytes of the ROOM_MESSAGE each ROOM_SAY of the flood makes the server relay to the reader. */
function relayedFrameBytes(session: ClientSession, room: string, messageId: number): number {
  const relayed: Pdu = {
    type: "ROOM_MESSAGE",
    version: session.headerVersion,
    messageId,
    room,
    from: userOf(session),
    text: FULL_TEXT,
  };
  return encode(relayed).length;
}

function say(session: ClientSession, room: string, messageId: number): void {
  session.peer.send({
    type: "ROOM_SAY",
    version: session.headerVersion,
    messageId,
    room,
    text: FULL_TEXT,
  });
}

When("{string} stops reading", function (this: ParrotWorld, name: string) {
  this.session(name).peer.pauseReading();
});

When(
  "{string} says full messages in {string} until {string} leaves it",
  async function (this: ParrotWorld, name: string, room: string, readerName: string) {
    const speaker: ClientSession = this.session(name);
    const reader: ClientSession = this.session(readerName);
    const readerUser = userOf(reader);
    const budget = LIMITS.maxRelayBacklogBytes + KERNEL_BUFFER_ALLOWANCE_BYTES;
    let sent = 0;
    let relayedBytes = 0;
    let left = false;
    while (!left) {
      if (relayedBytes > budget) {
        speaker.fail(
          `${sent} full room messages (${relayedBytes} bytes relayed to "${readerName}", who reads ` +
            `nothing) and "${readerUser}" is still in "${room}": the server holds more than ` +
            `limits.maxRelayBacklogBytes (${LIMITS.maxRelayBacklogBytes}) for a reader that stopped`,
          [reader],
          "REQ-12.37",
        );
      }
      for (let i = 0; i < BATCH; i++) {
        sent += 1;
        relayedBytes += relayedFrameBytes(speaker, room, sent);
        say(speaker, room, sent);
      }
      // Its own copies (REQ-12.16), and the reader's LEFT among them once it is cut off (REQ-12.18).
      for (let copies = 0; copies < BATCH; ) {
        const event = await speaker.peer.take(
          (e) => e.kind === "pdu" && (e.pdu.type === "ROOM_MESSAGE" || e.pdu.type === "ROOM_EVENT"),
          this.parameters.replyTimeoutMs,
        );
        if (event.kind !== "pdu") {
          speaker.fail(`waited for its own ROOM_MESSAGE copies while flooding "${room}"`, [reader]);
        }
        const pdu = event.pdu;
        if (pdu.type === "ROOM_MESSAGE") copies += 1;
        else if (pdu.type === "ROOM_EVENT" && pdu.event === "LEFT" && pdu.user === readerUser) {
          left = true;
        }
      }
    }
    floods.set(this, { room, from: userOf(speaker), sent });
  },
);

When(
  "{string} says as many full messages in {string} as fit below the least relay bound",
  async function (this: ParrotWorld, name: string, room: string) {
    const speaker: ClientSession = this.session(name);
    let sent = 0;
    let relayedBytes = relayedFrameBytes(speaker, room, 1);
    while (relayedBytes < LIMITS.minRelayBacklogBytes) {
      sent += 1;
      say(speaker, room, sent);
      relayedBytes += relayedFrameBytes(speaker, room, sent + 1);
    }
    for (let copy = 1; copy <= sent; copy++) {
      await speaker.awaitPdu(
        "ROOM_MESSAGE",
        (pdu) => pdu.messageId === copy,
        `its own copy of room message ${copy}`,
      );
    }
    floods.set(this, { room, from: userOf(speaker), sent });
  },
);

/** Reads the flood's ROOM_MESSAGEs in order from the start; returns how many, and what ended them. */
async function readPrefix(world: ParrotWorld, reader: ClientSession, upTo: number) {
  const flood = floods.get(world);
  if (flood === undefined) throw new Error("no flood was sent in this scenario");
  reader.peer.resumeReading();
  let received = 0;
  while (received < upTo) {
    const event = await reader.nextEvent(`room message ${received + 1} from "${flood.from}"`);
    if (event.kind !== "pdu" || event.pdu.type !== "ROOM_MESSAGE")
      return { flood, received, event };
    const pdu = event.pdu;
    if (pdu.room !== flood.room || pdu.from !== flood.from || pdu.messageId !== received + 1) {
      reader.fail(
        `expected room message ${received + 1} from "${flood.from}" in "${flood.room}", got ` +
          `message ${pdu.messageId} from "${pdu.from}" in "${pdu.room}": a gap or a reordering`,
        [],
        "REQ-12.37",
      );
    }
    received += 1;
  }
  return { flood, received, event: undefined };
}

Then(
  "{string}, reading again, finds a gapless prefix of them and then ERROR SLOW_CONSUMER",
  async function (this: ParrotWorld, name: string) {
    const reader = this.session(name);
    const { flood, received, event } = await readPrefix(this, reader, Number.POSITIVE_INFINITY);
    if (event?.kind === "pdu" && event.pdu.type === "ERROR") {
      // A server whose ping timeout is shorter than the flood ends the reader with PING_TIMEOUT
      // first: the reader was not reading (the server's own answers to it were backed up, §7.1).
      // That keeps the bound as well; only SLOW_CONSUMER tells the reader why, when it comes first.
      if (event.pdu.code !== "SLOW_CONSUMER" && event.pdu.code !== "PING_TIMEOUT") {
        reader.fail(
          `the server cut off a slow reader with ERROR ${event.pdu.code}`,
          [],
          "REQ-12.37",
        );
      }
      await reader.expectClosed(`the close after ERROR ${event.pdu.code}`, "REQ-8.3");
      return;
    }
    reader.fail(
      `after ${received} of the ${flood.sent} room messages, expected ERROR SLOW_CONSUMER, got ` +
        `${event === undefined ? "nothing" : describeEvent(event)}`,
      [],
      "REQ-12.37",
    );
  },
);

Then(
  "{string}, reading again, receives every one of them in order",
  async function (this: ParrotWorld, name: string) {
    const reader = this.session(name);
    const flood = floods.get(this);
    const { received, event } = await readPrefix(this, reader, flood?.sent ?? 0);
    if (event !== undefined) {
      reader.fail(
        `after ${received} of ${flood?.sent} room messages, less than ` +
          `limits.minRelayBacklogBytes in all, got ${describeEvent(event)}`,
        [],
        "REQ-12.38",
      );
    }
  },
);
