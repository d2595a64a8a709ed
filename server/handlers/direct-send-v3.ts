/**
 * DIRECT_SEND_V3 (REQ-15.18, REQ-15.19): every message gets its conversation's next id and is
 * kept; a recipient on a version-2 or version-3 session gets it now (DELIVERED), anyone else has
 * it STORED, queued for their next version-3 login when the name is an account's. An offline
 * user, a version-1 user and a name no account has get the same answer, by the same steps but
 * the queueing. The steps run in the recipient's lane, so a login cannot take the queue between
 * "not online" and "queued" (REQ-15.20).
 */
import type { PduOfType } from "../../generated/index.ts";
import { directConversation } from "../history/conversation.ts";
import { recipientLane } from "../history/history-context.ts";
import { directMessageV3, idAndTime } from "../history/stamped-pdus.ts";
import { version3History } from "../history/version-3-history.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function directSendV3(
  pdu: PduOfType<"DIRECT_SEND_V3">,
  session: HandlerContext,
): Promise<HandlerResult | undefined> {
  const { messageId, to, text } = pdu;
  const history = version3History(session);
  const { directory, bus, authenticator } = session.shared;
  const from = session.me().user;
  const draft = { messageId, from, text, acceptedAtMs: history.wallClock() };
  return history.lanes.run(recipientLane(to), async () => {
    const recipient = await directory.find(to);
    const stored = await history.store.append(directConversation(from, to), draft);
    const status = { type: "DIRECT_STATUS_V3", messageId, ...idAndTime(stored) } as const;
    // A version-1 session cannot take a direct message: for it, as for the offline, it waits.
    if (recipient !== undefined && recipient.version >= 2) {
      return {
        outcome: "DELIVERED",
        reply: { ...status, status: "DELIVERED" },
        fanOut: () => bus.publish({ kind: "namedUser", user: to }, directMessageV3(stored)),
      };
    }
    if (authenticator.hasAccount?.(to) ?? true) await history.store.enqueueOffline(to, stored);
    return { outcome: "STORED", reply: { ...status, status: "STORED" } };
  });
}
