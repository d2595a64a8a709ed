/**
 * Version 3 (spec §15) until the client learns it: the generated ClientHandlers table needs an
 * entry for every type a server may send, and a client offering [1, 2, 3] (the default, from the
 * spec's versions) gets version-3 forms of what it already shows. This file shows them as their
 * version-2 forms and ignores what it has no view for yet (ids, times, history pages it never
 * asks for). The v3-client branch replaces it with the real version-3 client.
 */
import type {
  DirectMessageV3Pdu,
  DirectStatusV3Pdu,
  HistoryItemPdu,
  HistoryPagePdu,
  RoomMessageV3Pdu,
  SessionInfoPdu,
} from "../../generated/index.ts";
import { receiveDirectMessage } from "./direct.ts";
import type { ReceiveContext } from "./receive-context.ts";
import { receiveRoomMessage } from "./rooms.ts";

export function receiveRoomMessageV3(pdu: RoomMessageV3Pdu, context: ReceiveContext): void {
  const { messageId, room, from, text } = pdu;
  receiveRoomMessage(
    { type: "ROOM_MESSAGE", version: pdu.version, messageId, room, from, text },
    context,
  );
}

export function receiveDirectMessageV3(pdu: DirectMessageV3Pdu, context: ReceiveContext): void {
  const { messageId, from, text } = pdu;
  receiveDirectMessage(
    { type: "DIRECT_MESSAGE", version: pdu.version, messageId, from, text },
    context,
  );
}

/** This client sends only DIRECT_SEND, never DIRECT_SEND_V3: no answer of this type is awaited. */
export function receiveDirectStatusV3(pdu: DirectStatusV3Pdu, { session }: ReceiveContext): void {
  session.notice(`unexpected DIRECT_STATUS_V3 for message id ${pdu.messageId}`);
}

/** The server's history limits: nothing to show yet. */
export function receiveSessionInfo(_pdu: SessionInfoPdu, _context: ReceiveContext): void {}

/** This client sends no HISTORY_REQUEST or ROOM_RESUME, so pages and items are never awaited. */
export function receiveHistoryPage(pdu: HistoryPagePdu, { session }: ReceiveContext): void {
  session.notice(`unexpected HISTORY_PAGE for request ${pdu.requestId}`);
}

export function receiveHistoryItem(pdu: HistoryItemPdu, { session }: ReceiveContext): void {
  session.notice(`unexpected HISTORY_ITEM for request ${pdu.requestId}`);
}
