/**
 * ROOM_RESUME as a scenario sees it (spec §15.4): the request naming the last id seen, and the answer
 * REQ-15.15 prescribes when it is OK: ROOM_RESULT OK, the replay page and its items, then the
 * resumer's own JOINED, each the next PDU.
 */
import type { ClientSession } from "./client-session.ts";
import {
  type HistoryItem,
  judgeItems,
  type MessageId,
  type RoomMessageV3,
  readPage,
} from "./conversation-history.ts";
import { userOf } from "./room-membership.ts";
import { judgePageHead, judgePageRange } from "./said-room-messages.ts";

/** Sends ROOM_RESUME of `room` from `anchor`; returns its request id. */
export function sendResume(
  session: ClientSession,
  room: string,
  anchor: Pick<MessageId, "epoch" | "seq">,
): number {
  const requestId = session.takeRequestId();
  session.peer.send({
    type: "ROOM_RESUME",
    version: session.headerVersion,
    requestId,
    room,
    epoch: anchor.epoch,
    seq: anchor.seq,
  });
  return requestId;
}

/**
 * The OK answer to resume `requestId`: the replay must hold exactly `replayed`, its page the range of
 * `said` (every message of the room said in the scenario). Returns the replayed items.
 */
export async function expectReplay(
  session: ClientSession,
  requestId: number,
  room: string,
  said: readonly RoomMessageV3[],
  replayed: readonly RoomMessageV3[],
): Promise<HistoryItem[]> {
  const result = await session.expectPdu("ROOM_RESULT", `ROOM_RESULT ${requestId} for the resume`);
  if (result.requestId !== requestId || result.status !== "OK") {
    session.fail(`expected ROOM_RESULT ${requestId} OK, got ${result.status}`, [], "REQ-15.15");
  }
  const { page, items } = await readPage(session, requestId, "the replay's HISTORY_PAGE");
  judgePageHead(session, page, room, "OK");
  judgePageRange(session, page, said);
  judgeItems(session, items, replayed, "the replay");
  const joined = await session.expectPdu(
    "ROOM_EVENT",
    "its own ROOM_EVENT JOINED after the replay",
  );
  if (joined.event !== "JOINED" || joined.user !== userOf(session) || joined.room !== room) {
    session.fail(
      `expected its own ROOM_EVENT JOINED in ${room} after the replay, got ${joined.event} of ` +
        `${joined.user} in ${joined.room}`,
      [],
      "REQ-15.15",
    );
  }
  return items;
}
