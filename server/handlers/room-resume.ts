/**
 * ROOM_RESUME (REQ-15.15, REQ-15.16): ROOM_JOIN's answer, then the AFTER page of the last id the
 * client saw, then JOINED to every member. All of it runs in the room's lane, where the room's
 * messages take their ids and fan out: no message can be said between the read and the join, so
 * each one after the anchor reaches the resumer exactly once, in the replay or live.
 */
import type { PduOfType } from "../../generated/index.ts";
import { roomConversation } from "../history/conversation.ts";
import { roomLane } from "../history/history-context.ts";
import { readPage, sendPage } from "../history/history-page.ts";
import { version3History } from "../history/version-3-history.ts";
import { roomEvent } from "../outgoing-pdu.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function roomResume(
  pdu: PduOfType<"ROOM_RESUME">,
  session: HandlerContext,
): Promise<HandlerResult | undefined> {
  const { requestId, room, epoch, seq } = pdu;
  const history = version3History(session);
  const { rooms, bus } = session.shared;
  return history.lanes.run(roomLane(room), async () => {
    // The session may have ended while earlier tasks of this room ran: joining now would leave
    // a member behind that no session end removes.
    if (session.isClosing) return undefined;
    const me = session.me();
    const status = await rooms.join(me, room);
    const reply = { type: "ROOM_RESULT", requestId, status, room } as const;
    if (status !== "OK") return { outcome: status, reply };
    // Sent here, not by the session after the lane: the replay must follow it inside the lane.
    session.send(reply);
    const limit = history.pageSize;
    const page = await readPage(history.store, roomConversation(room), {
      anchor: "AFTER",
      epoch,
      seq,
      limit,
    });
    if (session.isClosing) return undefined;
    sendPage((item) => session.send(item), requestId, { targetKind: "ROOM", target: room }, page);
    // Another node's messages may have come between the join and the read: in both, not twice.
    const last = page.messages.at(-1);
    if (last !== undefined) rooms.replayedThrough?.(me, room, last);
    await bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "JOINED"));
    return { outcome: "OK" };
  });
}
