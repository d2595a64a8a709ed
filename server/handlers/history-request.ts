/**
 * HISTORY_REQUEST (REQ-15.10..15.12): a page of a room the requester is a member of, or of its
 * direct conversation with any name (an unknown name is answered like any other, REQ-15.19).
 */
import type { PduOfType } from "../../generated/index.ts";
import { directConversation, roomConversation } from "../history/conversation.ts";
import { readPage, sendPage } from "../history/history-page.ts";
import { version3History } from "../history/version-3-history.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export async function historyRequest(
  pdu: PduOfType<"HISTORY_REQUEST">,
  session: HandlerContext,
): Promise<HandlerResult | undefined> {
  const { requestId, targetKind, target, anchor, epoch, seq } = pdu;
  const history = version3History(session);
  const me = session.me();
  if (targetKind === "ROOM" && !(await session.shared.rooms.isMember(me, target))) {
    return {
      outcome: "NOT_MEMBER",
      reply: {
        type: "HISTORY_PAGE",
        requestId,
        status: "NOT_MEMBER",
        targetKind,
        target,
        epoch: 0,
        oldestSeq: 0,
        newestSeq: 0,
        itemCount: 0,
      },
    };
  }
  const conversation =
    targetKind === "ROOM" ? roomConversation(target) : directConversation(me.user, target);
  const limit = Math.min(pdu.limit, history.pageSize);
  const page = await readPage(history.store, conversation, { anchor, epoch, seq, limit });
  if (session.isClosing) return undefined;
  // The page and its items are sent here, together, so that nothing comes between them.
  sendPage((item) => session.send(item), requestId, { targetKind, target }, page);
  return { outcome: page.status };
}
