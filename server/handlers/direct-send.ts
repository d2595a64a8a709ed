/**
 * DIRECT_SEND (REQ-12.9..12.12): delivered only to a version-2 session holding that login;
 * offline, version 1 only and no such account are answered alike (spec §12.5).
 */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function directSend(pdu: PduOfType<"DIRECT_SEND">, session: HandlerContext): HandlerResult {
  const { messageId, to, text } = pdu;
  const recipient = session.shared.directory.find(to);
  if (recipient === undefined || !recipient.speaks("DIRECT_MESSAGE")) {
    return {
      outcome: "NOT_DELIVERED",
      reply: { type: "DIRECT_STATUS", messageId, status: "NOT_DELIVERED" },
    };
  }
  const from = session.me().user;
  return {
    outcome: "DELIVERED",
    reply: { type: "DIRECT_STATUS", messageId, status: "DELIVERED" },
    fanOut: () => recipient.deliver({ type: "DIRECT_MESSAGE", messageId, from, text }),
  };
}
