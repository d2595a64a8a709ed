/**
 * DIRECT_SEND (REQ-12.9..12.12): delivered only to a version-2 session holding that login;
 * offline, version 1 only and no such account are answered alike (spec §12.5).
 */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function directSend(pdu: PduOfType<"DIRECT_SEND">, session: HandlerContext): Handled {
  const { messageId, to, text } = pdu;
  const { directory, bus } = session.shared;
  return whenReady(directory.find(to), (recipient) => {
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
      fanOut: () =>
        bus.publish(
          { kind: "namedUser", user: to },
          { type: "DIRECT_MESSAGE", messageId, from, text },
        ),
    };
  });
}
