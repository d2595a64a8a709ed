/** ROOM_SAY (REQ-12.16, REQ-12.17): no reply; one ROOM_MESSAGE to every member, the sender included. */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function roomSay(pdu: PduOfType<"ROOM_SAY">, session: HandlerContext): HandlerResult {
  const { messageId, room, text } = pdu;
  const { rooms } = session.shared;
  const me = session.me();
  if (!rooms.isMember(me, room)) {
    return {
      outcome: "NOT_MEMBER",
      reply: { type: "ROOM_RESULT", requestId: messageId, status: "NOT_MEMBER", room },
    };
  }
  return {
    outcome: "OK",
    fanOut: () =>
      rooms.broadcast(room, { type: "ROOM_MESSAGE", messageId, room, from: me.user, text }),
  };
}
