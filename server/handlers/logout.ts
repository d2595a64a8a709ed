/** LOGOUT (spec §5): no reply; the transition leads to CLOSED, which frees the login. */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerContext, HandlerResult } from "../session-context.ts";

export function logout(_pdu: PduOfType<"LOGOUT">, session: HandlerContext): HandlerResult {
  session.log.info({ user: session.user }, "logout");
  return { outcome: "OK" };
}
