/** PRESENCE_SUBSCRIBE (REQ-12.31, REQ-12.32): no reply. */
import type { PduOfType } from "../../generated/index.ts";
import { whenReady } from "../awaitable.ts";
import type { Handled, HandlerContext } from "../session-context.ts";

export function presenceSubscribe(
  pdu: PduOfType<"PRESENCE_SUBSCRIBE">,
  session: HandlerContext,
): Handled {
  const subscribed = session.shared.presence.setSubscribed(session.me(), pdu.enabled === "ON");
  return whenReady(subscribed, () => ({ outcome: "OK" }));
}
