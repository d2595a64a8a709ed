/** ROOM_LIST_REQUEST (REQ-12.19): one page of the existing rooms' names. */
import type { PduOfType } from "../../generated/index.ts";
import { pageOf } from "../name-list.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function roomListRequest(
  pdu: PduOfType<"ROOM_LIST_REQUEST">,
  session: HandlerContext,
): HandlerResult {
  const { total, names } = pageOf(session.shared.rooms.roomNames(), pdu.offset);
  return {
    outcome: "OK",
    reply: { type: "ROOM_LIST", requestId: pdu.requestId, total, rooms: names },
  };
}
