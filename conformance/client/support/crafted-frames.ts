/**
 * The frames a client must refuse, by the names the features use. Each is built from the generated
 * encoder and then broken in exactly one way, so the client's ERROR code can only come from that fault.
 */
import { type ChatPdu, encode, HEADER_LENGTH, MessageType } from "../../../generated/index.ts";

export interface CraftedFrame {
  bytes: Uint8Array;
  what: string;
}

/** Writes `payload` behind a header of `type` and `version`, the length field set to the payload's. */
function frame(version: number, type: number, payload: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(HEADER_LENGTH + payload.length);
  const view = new DataView(bytes.buffer);
  view.setUint16(0, 0x5052);
  view.setUint8(2, version);
  view.setUint8(3, type);
  view.setUint32(4, payload.length);
  bytes.set(payload, HEADER_LENGTH);
  return bytes;
}

function echoPayload(chat: ChatPdu, version: number): Uint8Array {
  return encode({
    type: "CHAT_ECHO",
    version,
    messageId: chat.messageId,
    text: chat.text,
  }).subarray(HEADER_LENGTH);
}

/** `chat` is the CHAT the frame answers; `version` the connection's. */
export function craftedFrame(name: string, chat: ChatPdu, version: number): CraftedFrame {
  const echo = echoPayload(chat, version);
  switch (name) {
    case "a frame of bad magic": {
      const bytes = frame(version, MessageType.CHAT_ECHO, echo);
      bytes[0] = 0x47;
      bytes[1] = 0x45;
      return { bytes, what: "CHAT_ECHO with magic 0x4745 (bad magic)" };
    }
    case "a header announcing 8193 bytes": {
      const bytes = frame(version, MessageType.CHAT_ECHO, new Uint8Array(0));
      new DataView(bytes.buffer).setUint32(4, 8193);
      return { bytes, what: "CHAT_ECHO header with payload_length 8193 (no payload follows)" };
    }
    case "a CHAT_ECHO with a byte after its text":
      return {
        bytes: frame(version, MessageType.CHAT_ECHO, Uint8Array.from([...echo, 0x00])),
        what: "CHAT_ECHO with one byte after its last field",
      };
    case "a CHAT_ECHO whose text is not UTF-8": {
      const payload = Uint8Array.from([...echo.subarray(0, 4), 0x00, 0x02, 0xff, 0xfe]);
      return {
        bytes: frame(version, MessageType.CHAT_ECHO, payload),
        what: "CHAT_ECHO with text ff fe",
      };
    }
    case "a CHAT_ECHO with header version 9":
      return {
        bytes: frame(9, MessageType.CHAT_ECHO, echo),
        what: "CHAT_ECHO with header version 9",
      };
    case "a PDU of unknown type 0x7e":
      return {
        bytes: frame(version, 0x7e, Uint8Array.of(1, 2, 3)),
        what: "type 0x7e, 3 payload bytes",
      };
    case "a CHAT":
      return {
        bytes: encode({ type: "CHAT", version, messageId: 77, text: "from the server" }),
        what: "CHAT from the server (a client type)",
      };
    case "a ROOM_EVENT with header version 1":
      return {
        bytes: encode({
          type: "ROOM_EVENT",
          version: 1,
          room: "lobby",
          user: "user2",
          event: "JOINED",
        }),
        what: "ROOM_EVENT (version 2 type) with header version 1",
      };
    case "an ERROR UNKNOWN_MESSAGE_TYPE":
      return {
        bytes: encode({
          type: "ERROR",
          version,
          code: "UNKNOWN_MESSAGE_TYPE",
          text: "what was that",
        }),
        what: "ERROR UNKNOWN_MESSAGE_TYPE (does not close)",
      };
    default:
      throw new Error(`scenario bug: no crafted frame named "${name}"`);
  }
}
