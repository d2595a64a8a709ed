/** ROOM_JOIN (REQ-12.13, REQ-12.14): OK, then JOINED to every member, the joiner included. */
import type { PduOfType } from "../../generated/index.ts";
import { type OutgoingPdu, roomEvent } from "../outgoing-pdu.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function roomJoin(pdu: PduOfType<"ROOM_JOIN">, session: HandlerContext): HandlerResult {
  const { requestId, room } = pdu;
  const { rooms } = session.shared;
  const me = session.me();
  const status = rooms.join(me, room);
  const reply: OutgoingPdu = { type: "ROOM_RESULT", requestId, status, room };
  if (status !== "OK") return { outcome: status, reply };
  return {
    outcome: "OK",
    reply,
    fanOut: () => rooms.broadcast(room, roomEvent(room, me.user, "JOINED")),
  };
}
