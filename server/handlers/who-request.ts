/** WHO_REQUEST (REQ-12.20, REQ-12.21): everyone online (version 1 too) for an empty room, else its members. */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { pageOf } from "../name-list.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function whoRequest(pdu: PduOfType<"WHO_REQUEST">, session: HandlerContext): Handled {
  const { requestId, room, offset } = pdu;
  const { directory, rooms } = session.shared;
  const listed = room === "" ? directory.names() : rooms.memberNames(room);
  return whenReady(listed, (names) => {
    if (names === undefined) {
      return {
        outcome: "NO_SUCH_ROOM",
        reply: { type: "WHO_LIST", requestId, status: "NO_SUCH_ROOM", room, total: 0, names: [] },
      };
    }
    const page = pageOf(names, offset);
    return {
      outcome: "OK",
      reply: { type: "WHO_LIST", requestId, status: "OK", room, ...page },
    };
  });
}
