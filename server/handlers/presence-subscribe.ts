/** PRESENCE_SUBSCRIBE (REQ-12.31, REQ-12.32): no reply. */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function presenceSubscribe(
  pdu: PduOfType<"PRESENCE_SUBSCRIBE">,
  session: HandlerContext,
): HandlerResult {
  session.shared.presence.setSubscribed(session.me(), pdu.enabled === "ON");
  return { outcome: "OK" };
}
