/**
 * Steps of backpressure.feature: megabytes of CHATs (version 1) or ROOM_SAYs (version 2) written while
 * the sessions read nothing, then everything read behind a PING barrier: each answer once, in order.
 */
import { Then, When } from "@cucumber/cucumber";
import { encode } from "../../generated/index.ts";
import { BACKPRESSURE_BYTES, numberedText, untilWritesSettle } from "../support/backpressure.ts";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import type { ParrotWorld } from "../support/world.ts";

const TEXT_BYTES = 4096;
const COUNT = Math.ceil(BACKPRESSURE_BYTES / TEXT_BYTES);
/**
 * Room messages go to every member: a quarter as many still back both members' sockets up, and keep
 * the server's fan-out (twice the bytes) short next to the advertised ping timeout on a loaded machine.
 */
const ROOM_COUNT = COUNT / 4;
/** The barrier's token, far from the keep-alive's and the scenarios' own. */
const BARRIER = 0xbac0_0001;

/**
 * Pauses `readers`, writes `frames` from `writer` (and, with `barrier`, a PING behind them: its PONG is
 * ordered after their replies on the writer's own connection), waits for the writes to settle, reads on.
 */
async function writeWhileNotReading(
  world: ParrotWorld,
  writer: ClientSession,
  readers: readonly ClientSession[],
  frames: Uint8Array[],
  what: string,
  barrier: boolean,
): Promise<void> {
  for (const reader of readers) reader.peer.pauseReading();
  writer.peer.sendRaw(Buffer.concat(frames), what);
  if (barrier) writer.peer.send({ type: "PING", version: writer.headerVersion, token: BARRIER });
  const { replyTimeoutMs } = world.parameters;
  await untilWritesSettle([writer, ...readers], replyTimeoutMs / 10, replyTimeoutMs);
  for (const reader of readers) reader.peer.resumeReading();
}

When(
  "{string} stops reading and writes megabytes of CHATs and a PING",
  async function (this: ParrotWorld, name: string) {
    const session = this.session(name);
    const frames = Array.from({ length: COUNT }, (_, i) =>
      encode({
        type: "CHAT",
        version: session.headerVersion,
        messageId: i,
        text: numberedText(i, TEXT_BYTES),
      }),
    );
    await writeWhileNotReading(
      this,
      session,
      [session],
      frames,
      `${COUNT} CHATs of ${TEXT_BYTES} bytes, one write`,
      true,
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
      false,
    );
  },
);

// The spec bounds no server's patience with a member that reads nothing: a server may close one that
// falls too far behind (the reference does past 1 MiB of fan-out). What it may never do is leave holes
// or swap messages, so each member must see the messages in order from the first, each once: all of
// them, or a prefix and then the end of its stream. Others' ROOM_EVENTs (the LEFT of a member that was
// closed) may come between.
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

async function expectBarrier(session: ClientSession): Promise<void> {
  const pong = await session.expectPdu("PONG", `the PONG of the barrier PING, token ${BARRIER}`);
  if (pong.token !== BARRIER) session.fail(`PONG carried token ${pong.token}; expected ${BARRIER}`);
}
