/** PING (spec §7): PONG with the same token. */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerResult } from "../session-context.ts";

export function ping(pdu: PduOfType<"PING">): HandlerResult {
  return { outcome: "OK", reply: { type: "PONG", token: pdu.token } };
}
