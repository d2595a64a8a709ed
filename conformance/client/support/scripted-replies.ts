/**
 * What the scripted server answers when a scenario lets it behave like an ordinary server: an echo for a
 * CHAT, the close after a LOGOUT, and for the version 2 requests the answers a server with no other
 * users would give (the DM delivered, the room joined with its JOINED event, the room message relayed
 * back). Scenarios override the parts they are about (withheld echoes, a refused login).
 */
import type { Pdu } from "../../../generated/index.ts";

/** The replies to one PDU the client sent, in the order they go out; none for PING (handled apart). */
export function ordinaryReplies(pdu: Pdu, version: number, user: string): Pdu[] {
  switch (pdu.type) {
    case "CHAT":
      return [{ type: "CHAT_ECHO", version, messageId: pdu.messageId, text: pdu.text }];
    case "DIRECT_SEND":
      return [{ type: "DIRECT_STATUS", version, messageId: pdu.messageId, status: "DELIVERED" }];
    case "ROOM_JOIN":
      return [
        { type: "ROOM_RESULT", version, requestId: pdu.requestId, status: "OK", room: pdu.room },
        { type: "ROOM_EVENT", version, room: pdu.room, user, event: "JOINED" },
      ];
    case "ROOM_LEAVE":
      return [
        { type: "ROOM_RESULT", version, requestId: pdu.requestId, status: "OK", room: pdu.room },
      ];
    case "ROOM_SAY":
      return [
        {
          type: "ROOM_MESSAGE",
          version,
          messageId: pdu.messageId,
          room: pdu.room,
          from: user,
          text: pdu.text,
        },
      ];
    case "ROOM_LIST_REQUEST":
      return [{ type: "ROOM_LIST", version, requestId: pdu.requestId, total: 0, rooms: [] }];
    case "WHO_REQUEST":
      return [
        {
          type: "WHO_LIST",
          version,
          requestId: pdu.requestId,
          status: "OK",
          room: pdu.room,
          total: 1,
          names: [user],
        },
      ];
    default:
      return [];
  }
}

/** The room the interleaving scenario's traffic is in; the client is told to join it. */
export const TRAFFIC_ROOM = "lobby";
const OTHER_USER = "user2";

/**
 * Version 2 PDUs another user causes, sent ahead of the `n`th echo: user2 joining (odd n) or leaving
 * (even n) the room, saying something in it, and a direct message to the client.
 */
export function otherUsersTraffic(n: number, version: number): Pdu[] {
  return [
    {
      type: "ROOM_EVENT",
      version,
      room: TRAFFIC_ROOM,
      user: OTHER_USER,
      event: n % 2 === 1 ? "JOINED" : "LEFT",
    },
    {
      type: "ROOM_MESSAGE",
      version,
      messageId: n,
      room: TRAFFIC_ROOM,
      from: OTHER_USER,
      text: `room line ${n}`,
    },
    { type: "DIRECT_MESSAGE", version, messageId: n, from: OTHER_USER, text: `direct line ${n}` },
  ];
}
