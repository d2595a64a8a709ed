import type { ChatEchoPdu } from "../../generated/index.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext } from "./receive-context.ts";

/** CHAT_ECHO: the answer to one CHAT of ours. */
export function receiveChatEcho(pdu: ChatEchoPdu, { session }: ReceiveContext): void {
  if (session.requests.pending.take(pdu.messageId, ["CHAT"]) === undefined) {
    ignoredAnswer(session, "an echo for message id", pdu.messageId);
    return;
  }
  session.events.emit({ kind: "echo", messageId: pdu.messageId, text: pdu.text });
  session.answered();
}
