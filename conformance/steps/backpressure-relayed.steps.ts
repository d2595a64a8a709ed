/**
 * Steps of backpressure.feature for a member whose socket is already full of its own answers when the
 * room speaks: the few room messages relayed to it then wait behind its echoes (below the least bound
 * of REQ-12.38, so they may not cost it its session) and must all arrive, once each, in order.
 */
import { Then, When } from "@cucumber/cucumber";
import {
  FRAME_COUNT as ECHOES,
  expectBarrier,
  numberedRequests,
  numberedText,
  TEXT_BYTES,
  writeWhileNotReading,
} from "../support/backpressure.ts";
import { describeEvent } from "../support/client-session.ts";
import type { ParrotWorld } from "../support/world.ts";

/** Ten full room messages: about 41 KB, below limits.minRelayBacklogBytes (65 536). */
const ROOM_MESSAGES = 10;
/** Room message ids, apart from the echoes' so a mix-up shows. */
const FIRST_ROOM_ID = 0x5a00_0000;

When(
  "{string} stops reading and writes megabytes of CHATs and a PING, and meanwhile {string} says a few messages in {string}",
  async function (this: ParrotWorld, busy: string, speaker: string, room: string) {
    const member = this.session(busy);
    const talker = this.session(speaker);
    await writeWhileNotReading(
      this,
      member,
      [member],
      numberedRequests(member.headerVersion),
      `${ECHOES} CHATs, one write`,
      {
        barrier: true,
        beforeReading: async () => {
          for (let i = 0; i < ROOM_MESSAGES; i++) {
            const messageId = FIRST_ROOM_ID + i;
            const text = numberedText(messageId, TEXT_BYTES);
            talker.peer.send({
              type: "ROOM_SAY",
              version: talker.headerVersion,
              messageId,
              room,
              text,
            });
            await talker.expectPdu("ROOM_MESSAGE", `the speaker's own copy of room message ${i}`);
          }
          // The fan-out of each is one step (REQ-12.7): once the speaker has its PONG, every copy for
          // the busy member has been written or queued behind its echoes.
          await talker.expectServed("the speaker's barrier behind its room messages");
        },
      },
    );
  },
);

Then(
  "{string} receives every echo once, in order, and those room messages from {string}, then the PONG",
  async function (this: ParrotWorld, busy: string, from: string) {
    const member = this.session(busy);
    let echoes = 0;
    let roomMessages = 0;
    while (echoes < ECHOES || roomMessages < ROOM_MESSAGES) {
      const what = `CHAT_ECHO ${echoes} or ROOM_MESSAGE ${roomMessages} from ${from}`;
      const event = await member.nextEvent(what);
      if (event.kind === "pdu" && event.pdu.type === "CHAT_ECHO" && echoes < ECHOES) {
        if (event.pdu.messageId !== echoes || event.pdu.text !== numberedText(echoes, TEXT_BYTES)) {
          member.fail(`expected CHAT_ECHO ${echoes}, got ${describeEvent(event)}`, [], "REQ-6.3");
        }
        echoes++;
        continue;
      }
      if (
        event.kind === "pdu" &&
        event.pdu.type === "ROOM_MESSAGE" &&
        roomMessages < ROOM_MESSAGES
      ) {
        const messageId = FIRST_ROOM_ID + roomMessages;
        const { pdu } = event;
        if (
          pdu.messageId !== messageId ||
          pdu.from !== from ||
          pdu.text !== numberedText(messageId, TEXT_BYTES)
        ) {
          member.fail(
            `expected ROOM_MESSAGE ${messageId} from ${from} (room message ${roomMessages} of ` +
              `${ROOM_MESSAGES}), got ${describeEvent(event)}`,
          );
        }
        roomMessages++;
        continue;
      }
      member.fail(
        `after ${echoes} of ${ECHOES} echoes and ${roomMessages} of ${ROOM_MESSAGES} room ` +
          `messages (fewer relayed bytes than limits.minRelayBacklogBytes), got ${describeEvent(event)}`,
      );
    }
    await expectBarrier(member);
  },
);
