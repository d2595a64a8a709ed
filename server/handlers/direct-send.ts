/**
 * DIRECT_SEND (REQ-12.9..12.12, and REQ-15.22 on every version): delivered only to a session of
 * version 2 or later holding that login; offline, version 1 only and no such account are
 * answered alike (spec §12.5) and nothing is kept. With version 3 offered, a delivered message
 * also takes its conversation's next id and is kept (REQ-15.5); a version-3 recipient gets it as
 * DIRECT_MESSAGE_V3, a version-2 one as DIRECT_MESSAGE, as before (version-2-form.ts).
 */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import { directConversation } from "../history/conversation.ts";
import { directMessageV3 } from "../history/stamped-pdus.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function directSend(pdu: PduOfType<"DIRECT_SEND">, session: HandlerContext): Handled {
  const { messageId, to, text } = pdu;
  const { directory, bus, history } = session.shared;
  return whenReady(directory.find(to), (recipient) => {
    if (recipient === undefined || !recipient.speaks("DIRECT_MESSAGE")) {
      return {
        outcome: "NOT_DELIVERED",
        reply: { type: "DIRECT_STATUS", messageId, status: "NOT_DELIVERED" },
      };
    }
    const from = session.me().user;
    const audience = { kind: "namedUser", user: to } as const;
    const reply = { type: "DIRECT_STATUS", messageId, status: "DELIVERED" } as const;
    if (history === undefined) {
      return {
        outcome: "DELIVERED",
        reply,
        fanOut: () => bus.publish(audience, { type: "DIRECT_MESSAGE", messageId, from, text }),
      };
    }
    const draft = { messageId, from, text, acceptedAtMs: history.wallClock() };
    return {
      outcome: "DELIVERED",
      reply,
      fanOut: async () => {
        const stored = await history.store.append(directConversation(from, to), draft);
        return bus.publish(audience, directMessageV3(stored));
      },
    };
  });
}
