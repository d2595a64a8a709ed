/**
 * The version-3 forms of room and direct messages (spec §15.2), and SESSION_INFO (§15.3): each
 * message carries its server id and time, which the events pass on; a message already shown
 * (same conversation, same id) is dropped here, so a user sees each message once (REQ-15.17).
 */
import type {
  DirectMessageV3Pdu,
  DirectStatusV3Pdu,
  RoomMessageV3Pdu,
  SessionInfoPdu,
} from "../../generated/index.ts";
import type { ServerStamp } from "../session-event.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext } from "./receive-context.ts";
import { deliverRoomMessage } from "./rooms.ts";

/** The id and time fields every version-3 message form has, as one value. */
export function stampOf(pdu: {
  epoch: number;
  seq: number;
  timeS: number;
  timeMs: number;
}): ServerStamp {
  return { epoch: pdu.epoch, seq: pdu.seq, timeMs: pdu.timeS * 1000 + pdu.timeMs };
}

export function receiveRoomMessageV3(pdu: RoomMessageV3Pdu, { session }: ReceiveContext): void {
  const stamp = stampOf(pdu);
  const fresh = session.seen.record("ROOM", pdu.room, stamp);
  deliverRoomMessage(session, pdu, fresh ? stamp : undefined, fresh);
}

export function receiveDirectMessageV3(pdu: DirectMessageV3Pdu, { session }: ReceiveContext): void {
  const stamp = stampOf(pdu);
  // Counted even when dropped: SESSION_INFO announced this many stored ones, in this place.
  const stored = session.nextDirectMessageIsStored();
  if (!session.seen.record("USER", pdu.from, stamp)) return;
  session.events.emit({
    kind: "direct-message",
    messageId: pdu.messageId,
    from: pdu.from,
    text: pdu.text,
    stamp,
    stored,
  });
}

/** DIRECT_STATUS_V3 answers our DIRECT_SEND_V3: DELIVERED, or STORED for the recipient. */
export function receiveDirectStatusV3(pdu: DirectStatusV3Pdu, { session }: ReceiveContext): void {
  const request = session.requests.pending.take(pdu.messageId, ["DIRECT_SEND"]);
  if (request === undefined) {
    ignoredAnswer(session, "a DIRECT_STATUS_V3 for message id", pdu.messageId);
    return;
  }
  session.events.emit({
    kind: "direct-status",
    messageId: pdu.messageId,
    to: request.to,
    status: pdu.status,
    stamp: stampOf(pdu),
  });
  session.answered();
}

export function receiveSessionInfo(pdu: SessionInfoPdu, { session }: ReceiveContext): void {
  session.storedDirectMessagesFollow(pdu.storedCount);
  session.requests.maxHistoryPage = pdu.maxPage;
  session.events.emit({
    kind: "session-info",
    maxPage: pdu.maxPage,
    historyCount: pdu.historyCount,
    historyAgeS: pdu.historyAgeS,
    offlineQueue: pdu.offlineQueue,
    storedCount: pdu.storedCount,
    droppedCount: pdu.droppedCount,
  });
}
