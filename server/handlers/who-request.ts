/** WHO_REQUEST (REQ-12.20, REQ-12.21): everyone online (version 1 too) for an empty room, else its members. */
import type { PduOfType } from "../../generated/index.ts";
import { pageOf } from "../name-list.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function whoRequest(pdu: PduOfType<"WHO_REQUEST">, session: HandlerContext): HandlerResult {
  const { requestId, room, offset } = pdu;
  const { directory, rooms } = session.shared;
  const listed = room === "" ? directory.names() : rooms.memberNames(room);
  if (listed === undefined) {
    return {
      outcome: "NO_SUCH_ROOM",
      reply: { type: "WHO_LIST", requestId, status: "NO_SUCH_ROOM", room, total: 0, names: [] },
    };
  }
  const { total, names } = pageOf(listed, offset);
  return {
    outcome: "OK",
    reply: { type: "WHO_LIST", requestId, status: "OK", room, total, names },
  };
}
