/** ROOM_LEAVE (REQ-12.15): OK, then LEFT to the remaining members. */
import type { PduOfType } from "../../generated/index.ts";
import { type OutgoingPdu, roomEvent } from "../outgoing-pdu.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function roomLeave(pdu: PduOfType<"ROOM_LEAVE">, session: HandlerContext): HandlerResult {
  const { requestId, room } = pdu;
  const { rooms } = session.shared;
  const me = session.me();
  const status = rooms.leave(me, room);
  const reply: OutgoingPdu = { type: "ROOM_RESULT", requestId, status, room };
  if (status !== "OK") return { outcome: status, reply };
  return {
    outcome: "OK",
    reply,
    fanOut: () => rooms.broadcast(room, roomEvent(room, me.user, "LEFT")),
  };
}
