/**
 * A member that reads nothing but keeps talking (spec/README.md REQ-12.41, §12.4): a backlog of PDUs
 * relayed to it is no reason for the server to stop reading its frames. It sends a short ROOM_SAY every
 * few tens of milliseconds (no PINGs: a PONG is an answer of its own, whose backing up may stop the
 * server reading it, §7.1) while another member floods the room, a batch at a time, each batch only
 * once the talker's latest message has come round. So the talker's messages must keep arriving until
 * the server cuts it off for its backlog (SLOW_CONSUMER, after a gapless prefix); a server that stops
 * reading it instead leaves its messages unread, and the batches stop, well below any bound, until it
 * closes the talker with PING_TIMEOUT, which fails.
 */
import { Then, When } from "@cucumber/cucumber";
import { LIMITS, type Pdu } from "../../generated/index.ts";
import { type ClientSession, describeEvent } from "../support/client-session.ts";
import { userOf } from "../support/room-membership.ts";
import type { ParrotWorld } from "../support/world.ts";

const FULL_TEXT = "y".repeat(4096);
const BATCH = 16;
/** How often the talker talks: far more often than any ping interval. */
const TALK_EVERY_MS = 25;
/** The talker's ids, apart from the flood's. */
const FIRST_TALK_ID = 0x7a00_0000;
/**
 * The most a correct server may hold for a reader, plus socket buffers on both ends: a talker still in
 * the room after this much is held without the bound (REQ-12.37). The talker never pings, so no ping
 * timeout can end the flood first, as it may the other slow-reader scenarios.
 */
const FLOOD_BUDGET_BYTES = LIMITS.maxRelayBacklogBytes + 48 * 1024 * 1024;

interface TalkingFlood {
  room: string;
  flooder: string;
  talker: string;
  talkerName: string;
  floodSent: number;
  talked: number;
}
const floods = new WeakMap<ParrotWorld, TalkingFlood>();

When(
  "{string} stops reading but says a short message in {string} every few milliseconds",
  function (this: ParrotWorld, name: string, room: string) {
    const talker = this.session(name);
    talker.peer.stopKeepAlive();
    talker.peer.pauseReading();
    const flood: TalkingFlood = {
      room,
      flooder: "",
      talker: userOf(talker),
      talkerName: name,
      floodSent: 0,
      talked: 0,
    };
    floods.set(this, flood);
    const timer = setInterval(() => {
      const messageId = FIRST_TALK_ID + flood.talked;
      const text = `still here ${flood.talked}`;
      const sent = talker.peer.send({
        type: "ROOM_SAY",
        version: talker.headerVersion,
        messageId,
        room,
        text,
      });
      if (sent) flood.talked += 1;
      else clearInterval(timer);
    }, TALK_EVERY_MS);
    timer.unref();
    talkers.set(this, timer);
  },
);
const talkers = new WeakMap<ParrotWorld, NodeJS.Timeout>();

When(
  "{string} floods {string}, each batch once the talker's latest message has come round",
  async function (this: ParrotWorld, name: string, room: string) {
    const flooder = this.session(name);
    const flood = floods.get(this);
    if (flood === undefined) throw new Error("scenario bug: nobody is talking");
    const talker = this.session(flood.talkerName);
    flood.flooder = userOf(flooder);
    const { pingTimeoutMs } = this.advertisedTimers(name);
    const patienceMs = pingTimeoutMs + this.parameters.timeoutToleranceMs + this.parameters.slackMs;
    let heard = -1; // the talker's latest message the flooder has received
    let talkerLeft = false;
    let copies = 0;
    const read = async (done: () => boolean, timeoutMs: number): Promise<boolean> => {
      while (!done() && !talkerLeft) {
        const event = await flooder.peer.next(timeoutMs);
        if (event.kind === "timeout") return false;
        if (event.kind !== "pdu")
          return flooder.fail(`the flooder's connection ended: ${describeEvent(event)}`);
        const pdu: Pdu = event.pdu;
        if (pdu.type === "ROOM_MESSAGE" && pdu.from === flood.talker)
          heard = pdu.messageId - FIRST_TALK_ID;
        if (pdu.type === "ROOM_MESSAGE" && pdu.from === flood.flooder) copies += 1;
        if (pdu.type === "ROOM_EVENT" && pdu.event === "LEFT" && pdu.user === flood.talker)
          talkerLeft = true;
      }
      return true;
    };
    let relayed = 0;
    while (!talkerLeft && relayed < FLOOD_BUDGET_BYTES) {
      for (let i = 0; i < BATCH; i++) {
        flood.floodSent += 1;
        const messageId = flood.floodSent;
        flooder.peer.send({
          type: "ROOM_SAY",
          version: flooder.headerVersion,
          messageId,
          room,
          text: FULL_TEXT,
        });
        relayed += FULL_TEXT.length + 64;
      }
      await read(() => copies >= flood.floodSent, this.parameters.replyTimeoutMs);
      if (copies < flood.floodSent && !talkerLeft) {
        flooder.fail(`its own copies of the flood stopped at ${copies} of ${flood.floodSent}`);
      }
      const since = flood.talked;
      // The talker keeps talking: one of its messages sent after this batch must come round before
      // the next batch. None within a ping timeout means the server stopped reading it.
      if (!(await read(() => heard >= since, patienceMs)) && !talkerLeft) {
        flooder.fail(
          `"${flood.talker}" sent a ROOM_SAY every ${TALK_EVERY_MS} ms, but none sent after flood ` +
            `message ${flood.floodSent} came round within ${patienceMs} ms (a ping timeout and its ` +
            "tolerance), and it was not cut off: the server stopped reading it",
          [talker],
          "REQ-12.41",
        );
      }
    }
    if (!talkerLeft) {
      flooder.fail(
        `${flood.floodSent} full room messages (${relayed} bytes relayed to "${flood.talker}", who ` +
          "reads nothing) and it is still in the room: the server holds more than " +
          `limits.maxRelayBacklogBytes (${LIMITS.maxRelayBacklogBytes}) for it, socket buffers allowed for`,
        [talker],
        "REQ-12.37",
      );
    }
  },
);

Then(
  "{string}, reading again, finds a gapless prefix of the flood and its own messages, then all or ERROR SLOW_CONSUMER",
  async function (this: ParrotWorld, name: string) {
    const talker = this.session(name);
    const flood = floods.get(this);
    if (flood === undefined) throw new Error("scenario bug: no flood");
    clearInterval(talkers.get(this));
    const talked = flood.talked;
    talker.peer.resumeReading();
    let floodSeen = 0;
    let ownSeen = 0;
    while (floodSeen < flood.floodSent || ownSeen < talked) {
      const what = `flood message ${floodSeen + 1} from ${flood.flooder} or its own message ${ownSeen}`;
      const event = await talker.nextEvent(what);
      if (event.kind === "eof" || event.kind === "reset") {
        talker.peer.transcript.note(
          `accepted: closed after ${floodSeen} flood messages, none skipped`,
        );
        return;
      }
      if (event.kind !== "pdu") return talker.fail(`expected ${what}, got ${describeEvent(event)}`);
      const pdu = event.pdu;
      if (pdu.type === "ROOM_EVENT") continue;
      if (pdu.type === "ERROR") return judgeError(talker, pdu.code, floodSeen);
      if (
        pdu.type === "ROOM_MESSAGE" &&
        pdu.from === flood.flooder &&
        pdu.messageId === floodSeen + 1
      ) {
        floodSeen += 1;
        continue;
      }
      if (
        pdu.type === "ROOM_MESSAGE" &&
        pdu.from === flood.talker &&
        pdu.messageId === FIRST_TALK_ID + ownSeen
      ) {
        ownSeen += 1;
        continue;
      }
      talker.fail(`expected ${what}, got ${describeEvent(event)}`, [], "REQ-12.8");
    }
    await talker.expectServed("the talker, served all along, is still served");
  },
);

async function judgeError(talker: ClientSession, code: string, floodSeen: number): Promise<void> {
  if (code !== "SLOW_CONSUMER") {
    talker.fail(
      `ERROR ${code} after ${floodSeen} flood messages: the talker sent a ROOM_SAY every ` +
        `${TALK_EVERY_MS} ms and its relayed backlog was within the bound, yet the server stopped ` +
        "reading it",
      [],
      "REQ-12.41",
    );
  }
  await talker.expectClosed("the close after ERROR SLOW_CONSUMER", "REQ-8.3");
}
