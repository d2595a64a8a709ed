/** CHAT (spec §6): echoed back as CHAT_ECHO, same id and text (REQ-6.1). */
import type { PduOfType } from "../../generated/index.ts";
import type { HandlerResult } from "../session-context.ts";

export function chat(pdu: PduOfType<"CHAT">): HandlerResult {
  return { outcome: "OK", reply: { type: "CHAT_ECHO", messageId: pdu.messageId, text: pdu.text } };
}
