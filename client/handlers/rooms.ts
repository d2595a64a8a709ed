/** Rooms (version 2): answers to our room requests, messages said in rooms, joins and leaves. */
import type { RoomEventPdu, RoomMessagePdu, RoomResultPdu } from "../../generated/index.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext } from "./receive-context.ts";

export function receiveRoomResult(pdu: RoomResultPdu, { session }: ReceiveContext): void {
  if (pdu.requestId === 0) {
    // The refusal of a room TYPING (REQ-12.24): TYPINGs are not requests, nothing to settle.
    session.emit({ kind: "room-result", request: "TYPING", room: pdu.room, status: pdu.status });
    return;
  }
  const pending = session.requests.pending;
  const request = pending.take(pdu.requestId, ["ROOM_JOIN", "ROOM_LEAVE", "ROOM_SAY"]);
  if (request === undefined) {
    ignoredAnswer(session, "a ROOM_RESULT for request id", pdu.requestId);
    return;
  }
  session.emit({ kind: "room-result", request: request.kind, room: pdu.room, status: pdu.status });
  session.answered();
}

/**
 * ROOM_MESSAGE goes to every member, the sender included (REQ-12.16): the copy of our own
 * ROOM_SAY is its answer.
 */
export function receiveRoomMessage(pdu: RoomMessagePdu, { session }: ReceiveContext): void {
  const pending = session.requests.pending;
  const ours = pdu.from === session.username && pending.has(pdu.messageId, ["ROOM_SAY"]);
  if (ours) pending.take(pdu.messageId, ["ROOM_SAY"]);
  session.emit({
    kind: "room-message",
    messageId: pdu.messageId,
    room: pdu.room,
    from: pdu.from,
    text: pdu.text,
  });
  if (ours) session.answered();
}

export function receiveRoomEvent(pdu: RoomEventPdu, { session }: ReceiveContext): void {
  session.emit({ kind: "room-event", room: pdu.room, user: pdu.user, event: pdu.event });
}
