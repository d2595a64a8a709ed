/**
 * The server's handler table: one entry per message type it receives (protocol.json, via the
 * generated ServerHandlers type). A type added to the spec without an entry here fails `tsc`;
 * test/server/handler-table.test.ts shows it. A handler decides only the outcome and the reply's
 * content; session.ts checks both against the spec's transition and applies them.
 *
 * A server can be given overrides for some entries (ParrotServerOptions.handlers): the broken
 * variants of the conformance suite are written that way, calling these defaults where they
 * behave.
 */
import type { Pdu } from "../../generated/index.ts";
import type { Handled, HandlerContext, ServerHandlerTable } from "../session-context.ts";
import { chat } from "./chat.ts";
import { directSend } from "./direct-send.ts";
import { directSendV3 } from "./direct-send-v3.ts";
import { peerError } from "./error.ts";
import { historyRequest } from "./history-request.ts";
import { loginRequest } from "./login-request.ts";
import { logout } from "./logout.ts";
import { ping } from "./ping.ts";
import { presenceSubscribe } from "./presence-subscribe.ts";
import { roomJoin } from "./room-join.ts";
import { roomLeave } from "./room-leave.ts";
import { roomListRequest } from "./room-list-request.ts";
import { roomResume } from "./room-resume.ts";
import { roomSay } from "./room-say.ts";
import { typing } from "./typing.ts";
import { versionRequest } from "./version-request.ts";
import { whoRequest } from "./who-request.ts";

/**
 * The protocol versions this table has handlers for. The server offers the versions the spec
 * defines (SUPPORTED_VERSIONS) that are also listed here, so a version added to the spec is not
 * claimed before the server can serve it: a client offering it simply gets the highest version
 * that is implemented. Add a version here together with the handlers for its message types.
 */
export const IMPLEMENTED_VERSIONS: readonly number[] = [1, 2, 3];

export const SERVER_HANDLERS: ServerHandlerTable = {
  VERSION_REQUEST: versionRequest,
  LOGIN_REQUEST: loginRequest,
  CHAT: chat,
  PING: ping,
  LOGOUT: logout,
  ERROR: peerError,
  // Version 2 (spec §12)
  DIRECT_SEND: directSend,
  ROOM_JOIN: roomJoin,
  ROOM_LEAVE: roomLeave,
  ROOM_SAY: roomSay,
  ROOM_LIST_REQUEST: roomListRequest,
  WHO_REQUEST: whoRequest,
  TYPING: typing,
  PRESENCE_SUBSCRIBE: presenceSubscribe,
  // Version 3 (spec §15)
  DIRECT_SEND_V3: directSendV3,
  HISTORY_REQUEST: historyRequest,
  ROOM_RESUME: roomResume,
};

type AnyHandler = (pdu: Pdu, session: HandlerContext) => Handled;

/**
 * The entry of `table` for the type of `pdu`. classify() accepts only types the server receives,
 * and the table's type has all of those, so a miss means protocol.json and the generated types
 * disagree: it throws (INTERNAL_ERROR for that connection) rather than going unnoticed.
 */
export function handlerFor(table: ServerHandlerTable, pdu: Pdu): AnyHandler {
  const handler = (table as Partial<Record<Pdu["type"], AnyHandler>>)[pdu.type];
  if (handler === undefined)
    throw new Error(`the spec lets the server receive ${pdu.type}: no handler`);
  return handler;
}
