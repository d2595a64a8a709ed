/** ROOM_LIST_REQUEST (REQ-12.19): one page of the existing rooms' names. */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { pageOf } from "../name-list.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function roomListRequest(
  pdu: PduOfType<"ROOM_LIST_REQUEST">,
  session: HandlerContext,
): Handled {
  return whenReady(session.shared.rooms.roomNames(), (roomNames) => {
    const { total, names } = pageOf(roomNames, pdu.offset);
    return {
      outcome: "OK",
      reply: { type: "ROOM_LIST", requestId: pdu.requestId, total, rooms: names },
    };
  });
}
