/** News about other users (version 2) that answers nothing of ours: who types, who is online. */
import type { PresenceEventPdu, TypingNoticePdu } from "../../generated/index.ts";
import type { ReceiveContext } from "./receive-context.ts";

export function receiveTypingNotice(pdu: TypingNoticePdu, { session }: ReceiveContext): void {
  session.events.emit({
    kind: "typing",
    targetKind: pdu.targetKind,
    room: pdu.room,
    from: pdu.from,
    state: pdu.state,
  });
}

export function receivePresenceEvent(pdu: PresenceEventPdu, { session }: ReceiveContext): void {
  session.events.emit({ kind: "presence", user: pdu.user, status: pdu.status });
}
