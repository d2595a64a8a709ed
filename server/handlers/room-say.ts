/** ROOM_SAY (REQ-12.16, REQ-12.17): no reply; one ROOM_MESSAGE to every member, the sender included. */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import type { Handled, HandlerContext } from "../session-context.ts";
import { StoreUnavailable } from "../store-unavailable.ts";

export function roomSay(pdu: PduOfType<"ROOM_SAY">, session: HandlerContext): Handled {
  const { messageId, room, text } = pdu;
  const { rooms, bus } = session.shared;
  const me = session.me();
  return whenReady(rooms.isMember(me, room), (member) => {
    if (!member) {
      return {
        outcome: "NOT_MEMBER",
        reply: { type: "ROOM_RESULT", requestId: messageId, status: "NOT_MEMBER", room },
      };
    }
    return {
      outcome: "OK",
      fanOut: () => {
        const message = { type: "ROOM_MESSAGE", messageId, room, from: me.user, text } as const;
        const published = bus.publish({ kind: "roomMembers", room }, message);
        if (!(published instanceof Promise)) return published;
        // A cluster's store away: the sender is told, and its session goes on (REQ-13.17).
        return published.catch((error: unknown) => {
          if (!(error instanceof StoreUnavailable)) throw error;
          session.sendError("SERVICE_UNAVAILABLE", error.message);
          return 0;
        });
      },
    };
  });
}
