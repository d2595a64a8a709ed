/** Direct messages (version 2): the answer to our DIRECT_SEND, and messages sent to us. */
import type { DirectMessagePdu, DirectStatusPdu } from "../../generated/index.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext } from "./receive-context.ts";

/** DIRECT_STATUS carries only an id: the event names the recipient from our own record. */
export function receiveDirectStatus(pdu: DirectStatusPdu, { session }: ReceiveContext): void {
  const request = session.requests.pending.take(pdu.messageId, ["DIRECT_SEND"]);
  if (request === undefined) {
    ignoredAnswer(session, "a DIRECT_STATUS for message id", pdu.messageId);
    return;
  }
  session.events.emit({
    kind: "direct-status",
    messageId: pdu.messageId,
    to: request.to,
    status: pdu.status,
  });
  session.answered();
}

export function receiveDirectMessage(pdu: DirectMessagePdu, { session }: ReceiveContext): void {
  session.events.emit({
    kind: "direct-message",
    messageId: pdu.messageId,
    from: pdu.from,
    text: pdu.text,
  });
}
