/**
 * OutgoingPdu: a PDU as a handler builds it, without the header version. The session fills the
 * version in from the spec's header-version rule for the type (header-version.ts), so no handler
 * can get it wrong. Also the few PDUs more than one handler builds.
 */
import type { ErrorCodeName, RoomEventKindName } from "../generated/index.ts";
import { MAX_STRING_BYTES } from "../generated/index.ts";
import type { UnversionedPdu } from "../transport/shared-frame.ts";

export type OutgoingPdu = UnversionedPdu;

/** An ERROR PDU whose text is `detail` cut to the spec's limit on a character boundary. */
export function errorPdu(code: ErrorCodeName, detail: string): OutgoingPdu {
  return { type: "ERROR", code, text: truncateUtf8(detail, MAX_STRING_BYTES.ERROR.text) };
}

/** ROOM_EVENT: `user` JOINED or LEFT `room` (a request, or the end of a session). */
export function roomEvent(room: string, user: string, event: RoomEventKindName): OutgoingPdu {
  return { type: "ROOM_EVENT", room, user, event };
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  let result = "";
  let bytes = 0;
  for (const char of text) {
    const charBytes = Buffer.byteLength(char, "utf8");
    if (bytes + charBytes > maxBytes - 3) break;
    result += char;
    bytes += charBytes;
  }
  return `${result}...`;
}
