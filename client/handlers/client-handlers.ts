/**
 * The client's handler table: one handler for every message type the client receives. It is
 * declared with the generated ClientHandlers type, so when spec/protocol.json gives the server a
 * new message to send, `make check` fails here until the client handles it
 * (test/client/handler-table.check.ts proves a missing entry is a type error).
 */
import type { ClientHandlers, ClientReceivedType, Pdu, PduOfType } from "../../generated/index.ts";
import { receiveChatEcho } from "./chat-echo.ts";
import { receiveDirectMessage, receiveDirectStatus } from "./direct.ts";
import { receiveRoomList, receiveWhoList } from "./lists.ts";
import { receiveLoginResponse } from "./login-response.ts";
import { receivePong } from "./pong.ts";
import type { ReceiveContext } from "./receive-context.ts";
import { receiveRoomEvent, receiveRoomMessage, receiveRoomResult } from "./rooms.ts";
import { receiveServerError } from "./server-error.ts";
import { receivePresenceEvent, receiveTypingNotice } from "./typing-and-presence.ts";
import {
  receiveDirectMessageV3,
  receiveDirectStatusV3,
  receiveHistoryItem,
  receiveHistoryPage,
  receiveRoomMessageV3,
  receiveSessionInfo,
} from "./version-3-as-2.ts";
import { receiveVersionResponse } from "./version-response.ts";

export const CLIENT_HANDLERS: ClientHandlers<ReceiveContext, void> = {
  VERSION_RESPONSE: receiveVersionResponse,
  LOGIN_RESPONSE: receiveLoginResponse,
  PONG: receivePong,
  ERROR: receiveServerError,
  CHAT_ECHO: receiveChatEcho,
  DIRECT_STATUS: receiveDirectStatus,
  DIRECT_MESSAGE: receiveDirectMessage,
  ROOM_RESULT: receiveRoomResult,
  ROOM_MESSAGE: receiveRoomMessage,
  ROOM_EVENT: receiveRoomEvent,
  ROOM_LIST: receiveRoomList,
  WHO_LIST: receiveWhoList,
  TYPING_NOTICE: receiveTypingNotice,
  PRESENCE_EVENT: receivePresenceEvent,
  // Version 3, shown as version 2 until the client learns it (version-3-as-2.ts).
  SESSION_INFO: receiveSessionInfo,
  DIRECT_STATUS_V3: receiveDirectStatusV3,
  DIRECT_MESSAGE_V3: receiveDirectMessageV3,
  ROOM_MESSAGE_V3: receiveRoomMessageV3,
  HISTORY_PAGE: receiveHistoryPage,
  HISTORY_ITEM: receiveHistoryItem,
};

const RECEIVED = new Set<string>(Object.keys(CLIENT_HANDLERS));

export function isClientReceived(pdu: Pdu): pdu is PduOfType<ClientReceivedType> {
  return RECEIVED.has(pdu.type);
}

/** Calls the handler of the PDU's own type (the table pairs each type with its handler). */
export function dispatch<T extends ClientReceivedType>(
  pdu: PduOfType<T>,
  context: ReceiveContext,
): void {
  const handler = CLIENT_HANDLERS[(pdu as Pdu).type as T] as (
    pdu: PduOfType<T>,
    c: ReceiveContext,
  ) => void;
  handler(pdu, context);
}
