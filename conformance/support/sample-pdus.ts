/**
 * A well-formed example of every message type, for scenarios that only care about the type: sending a
 * PDU in the wrong state, from the wrong role, or before negotiation. Each is valid on its own, so the
 * only thing wrong with it is where it is sent.
 */
import type { MessageTypeName, Pdu } from "../../generated/index.ts";

export function samplePdu(type: MessageTypeName, version: number): Pdu {
  switch (type) {
    case "VERSION_REQUEST":
      return { type, version, versions: [1] };
    case "VERSION_RESPONSE":
      return {
        type,
        version,
        status: "OK",
        chosenVersion: 1,
        pingIntervalMs: 10_000,
        pingTimeoutMs: 15_000,
        supportedVersions: [1],
      };
    case "LOGIN_REQUEST":
      // An account the suite never provisions: if a broken server let it through, nothing else is held.
      return { type, version, username: "sample", password: "sample" };
    case "LOGIN_RESPONSE":
      return { type, version, status: "OK", text: "sample" };
    case "CHAT":
      return { type, version, messageId: 7, text: "sample" };
    case "CHAT_ECHO":
      return { type, version, messageId: 7, text: "sample" };
    case "PING":
      return { type, version, token: 7 };
    case "PONG":
      return { type, version, token: 7 };
    case "LOGOUT":
      return { type, version };
    case "ERROR":
      return { type, version, code: "INTERNAL_ERROR", text: "sample" };
    // Version 2. Names are ones the suite never provisions or uses as rooms, so a server that wrongly
    // accepts one of these changes nothing another scenario depends on.
    case "DIRECT_SEND":
      return { type, version, messageId: 7, to: "sample", text: "sample" };
    case "DIRECT_STATUS":
      return { type, version, messageId: 7, status: "DELIVERED" };
    case "DIRECT_MESSAGE":
      return { type, version, messageId: 7, from: "sample", text: "sample" };
    case "ROOM_JOIN":
    case "ROOM_LEAVE":
      return { type, version, requestId: 7, room: "sample-room" };
    case "ROOM_RESULT":
      return { type, version, requestId: 7, status: "OK", room: "sample-room" };
    case "ROOM_SAY":
      return { type, version, messageId: 7, room: "sample-room", text: "sample" };
    case "ROOM_MESSAGE":
      return { type, version, messageId: 7, room: "sample-room", from: "sample", text: "sample" };
    case "ROOM_EVENT":
      return { type, version, room: "sample-room", user: "sample", event: "JOINED" };
    case "ROOM_LIST_REQUEST":
      return { type, version, requestId: 7, offset: 0 };
    case "ROOM_LIST":
      return { type, version, requestId: 7, total: 1, rooms: ["sample-room"] };
    case "WHO_REQUEST":
      return { type, version, requestId: 7, room: "", offset: 0 };
    case "WHO_LIST":
      return { type, version, requestId: 7, status: "OK", room: "", total: 1, names: ["sample"] };
    case "TYPING":
      return { type, version, targetKind: "USER", target: "sample", state: "STOPPED" };
    case "TYPING_NOTICE":
      return { type, version, targetKind: "USER", room: "", from: "sample", state: "STOPPED" };
    case "PRESENCE_SUBSCRIBE":
      return { type, version, enabled: "OFF" };
    case "PRESENCE_EVENT":
      return { type, version, user: "sample", status: "ONLINE" };
    // Version 3 (spec §15).
    case "SESSION_INFO":
      return {
        type,
        version,
        maxPage: 100,
        historyCount: 500,
        historyAgeS: 0,
        offlineQueue: 100,
        storedCount: 0,
        droppedCount: 0,
      };
    case "DIRECT_SEND_V3":
      return { type, version, messageId: 7, to: "sample", text: "sample" };
    case "DIRECT_STATUS_V3":
      return {
        type,
        version,
        messageId: 7,
        status: "STORED",
        epoch: 1,
        seq: 1,
        timeS: 0,
        timeMs: 0,
      };
    case "DIRECT_MESSAGE_V3":
      return {
        type,
        version,
        messageId: 7,
        from: "sample",
        epoch: 1,
        seq: 1,
        timeS: 0,
        timeMs: 0,
        text: "sample",
      };
    case "ROOM_MESSAGE_V3":
      return {
        type,
        version,
        messageId: 7,
        room: "sample-room",
        from: "sample",
        epoch: 1,
        seq: 1,
        timeS: 0,
        timeMs: 0,
        text: "sample",
      };
    case "HISTORY_REQUEST":
      return {
        type,
        version,
        requestId: 7,
        targetKind: "ROOM",
        target: "sample-room",
        anchor: "LATEST",
        epoch: 0,
        seq: 0,
        limit: 1,
      };
    case "HISTORY_PAGE":
      return {
        type,
        version,
        requestId: 7,
        status: "NOT_MEMBER",
        targetKind: "ROOM",
        target: "sample-room",
        epoch: 0,
        oldestSeq: 0,
        newestSeq: 0,
        itemCount: 0,
      };
    case "HISTORY_ITEM":
      return {
        type,
        version,
        requestId: 7,
        epoch: 1,
        seq: 1,
        timeS: 0,
        timeMs: 0,
        messageId: 7,
        from: "sample",
        text: "sample",
      };
    case "ROOM_RESUME":
      return { type, version, requestId: 7, room: "sample-room", epoch: 1, seq: 1 };
  }
}
