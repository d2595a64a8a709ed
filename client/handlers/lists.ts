/**
 * Lists (version 2): ROOM_LIST and WHO_LIST come a page at a time. While there are more names,
 * the next page is asked for under a new request id; the user interface hears once, with every
 * name collected.
 */
import type { RoomListPdu, WhoListPdu } from "../../generated/index.ts";
import { ignoredAnswer } from "./not-outstanding.ts";
import type { ReceiveContext } from "./receive-context.ts";

export function receiveRoomList(pdu: RoomListPdu, { session }: ReceiveContext): void {
  const requests = session.requests;
  const request = requests.pending.take(pdu.requestId, ["ROOM_LIST_REQUEST"]);
  if (request === undefined) {
    ignoredAnswer(session, "a ROOM_LIST for request id", pdu.requestId);
    return;
  }
  const collected = [...request.collected, ...pdu.rooms];
  if (requests.wantsNextPage(pdu.rooms.length, collected.length, pdu.total)) {
    requests.requestRoomPage(collected);
    return;
  }
  session.events.emit({
    kind: "room-list",
    rooms: collected,
    complete: collected.length >= pdu.total,
  });
  session.answered();
}

export function receiveWhoList(pdu: WhoListPdu, { session }: ReceiveContext): void {
  const requests = session.requests;
  const request = requests.pending.take(pdu.requestId, ["WHO_REQUEST"]);
  if (request === undefined) {
    ignoredAnswer(session, "a WHO_LIST for request id", pdu.requestId);
    return;
  }
  const collected = [...request.collected, ...pdu.names];
  if (
    pdu.status === "OK" &&
    requests.wantsNextPage(pdu.names.length, collected.length, pdu.total)
  ) {
    requests.requestWhoPage(request.room, collected);
    return;
  }
  session.events.emit({
    kind: "who-list",
    room: pdu.room,
    status: pdu.status,
    names: collected,
    complete: pdu.status !== "OK" || collected.length >= pdu.total,
  });
  session.answered();
}
