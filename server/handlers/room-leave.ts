/** ROOM_LEAVE (REQ-12.15): OK, then LEFT to the remaining members. */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { type OutgoingPdu, roomEvent } from "../outgoing-pdu.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function roomLeave(pdu: PduOfType<"ROOM_LEAVE">, session: HandlerContext): Handled {
  const { requestId, room } = pdu;
  const { rooms, bus } = session.shared;
  const me = session.me();
  return whenReady(rooms.leave(me, room), (status) => {
    const reply: OutgoingPdu = { type: "ROOM_RESULT", requestId, status, room };
    if (status !== "OK") return { outcome: status, reply };
    return {
      outcome: "OK",
      reply,
      // The leaver is no member any more: roomMembers now are the others (otherRoomMembers).
      fanOut: () => bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "LEFT")),
    };
  });
}
