/** Rooms (version 2): answers to our room requests, messages said in rooms, joins and leaves. */
import type { RoomEventPdu, RoomMessagePdu, RoomResultPdu } from "../../generated/index.ts";
import type { ServerStamp } from "../session-event.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext, SessionCore } from "./receive-context.ts";

export function receiveRoomResult(pdu: RoomResultPdu, { session }: ReceiveContext): void {
  if (pdu.requestId === 0) {
    // The refusal of a room TYPING (REQ-12.24): TYPINGs are not requests, nothing to settle.
    session.events.emit({
      kind: "room-result",
      request: "TYPING",
      room: pdu.room,
      status: pdu.status,
    });
    return;
  }
  const pending = session.requests.pending;
  const kinds = ["ROOM_JOIN", "ROOM_RESUME", "ROOM_LEAVE", "ROOM_SAY"] as const;
  const request = pending.take(pdu.requestId, kinds);
  if (request === undefined) {
    ignoredAnswer(session, "a ROOM_RESULT for request id", pdu.requestId);
    return;
  }
  session.events.emit({
    kind: "room-result",
    request: request.kind,
    room: pdu.room,
    status: pdu.status,
  });
  if (pdu.status === "OK" && request.kind === "ROOM_RESUME") {
    // The replay follows under the same id (history.ts): the resume is not over yet, and what
    // the room says live meanwhile is shown after it.
    session.events.hold(request.room);
    pending.add(pdu.requestId, {
      kind: "HISTORY_REQUEST",
      purpose: "resume",
      targetKind: "ROOM",
      target: request.room,
      anchorEpoch: request.from.epoch,
      collected: [],
      gap: false,
    });
    return;
  }
  const requests = session.requests;
  if (pdu.status === "OK" && request.kind === "ROOM_JOIN" && session.supports("HISTORY_REQUEST")) {
    // Where the room's history stands now, so that a resume after a drop starts from here.
    if (requests.canFollowUp()) {
      const latest = { anchor: "LATEST" as const, from: { epoch: 0, seq: 0 } };
      requests.requestHistoryPage("cursor", "ROOM", pdu.room, latest, 0, [], false);
    }
  }
  session.answered();
}

export function receiveRoomMessage(pdu: RoomMessagePdu, { session }: ReceiveContext): void {
  deliverRoomMessage(session, pdu, undefined, true);
}

/**
 * A room message in either form goes to every member, the sender included (REQ-12.16): the copy
 * of our own ROOM_SAY is its answer, settled even when `show` is false (a copy already shown).
 */
export function deliverRoomMessage(
  session: SessionCore,
  message: { messageId: number; room: string; from: string; text: string },
  stamp: ServerStamp | undefined,
  show: boolean,
): void {
  const pending = session.requests.pending;
  const ours = message.from === session.username && pending.has(message.messageId, ["ROOM_SAY"]);
  if (ours) pending.take(message.messageId, ["ROOM_SAY"]);
  if (show) {
    const { messageId, room, from, text } = message;
    session.events.emit({
      kind: "room-message",
      messageId,
      room,
      from,
      text,
      ...(stamp === undefined ? {} : { stamp }),
    });
  }
  if (ours) session.answered();
}

export function receiveRoomEvent(pdu: RoomEventPdu, { session }: ReceiveContext): void {
  session.events.emit({ kind: "room-event", room: pdu.room, user: pdu.user, event: pdu.event });
}
