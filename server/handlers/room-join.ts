/** ROOM_JOIN (REQ-12.13, REQ-12.14): OK, then JOINED to every member, the joiner included. */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { type OutgoingPdu, roomEvent } from "../outgoing-pdu.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function roomJoin(pdu: PduOfType<"ROOM_JOIN">, session: HandlerContext): Handled {
  const { requestId, room } = pdu;
  const { rooms, bus } = session.shared;
  const me = session.me();
  return whenReady(rooms.join(me, room), (status) => {
    const reply: OutgoingPdu = { type: "ROOM_RESULT", requestId, status, room };
    if (status !== "OK") return { outcome: status, reply };
    return {
      outcome: "OK",
      reply,
      fanOut: () => bus.publish({ kind: "roomMembers", room }, roomEvent(room, me.user, "JOINED")),
    };
  });
}
