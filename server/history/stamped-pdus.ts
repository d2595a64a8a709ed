/**
 * The version-3 PDUs that carry a stored message: its id (epoch, seq) and acceptance time in the
 * wire's two fields (spec §15.2), the same in every copy of one message (REQ-15.6).
 */
import type { OutgoingPdu } from "../outgoing-pdu.ts";
import type { StoredMessage } from "./message-store.ts";

/** `epoch`, `seq`, `timeS`, `timeMs` of a stored message, as every version-3 form carries them. */
export function idAndTime(message: StoredMessage) {
  const timeS = Math.floor(message.acceptedAtMs / 1000);
  return {
    epoch: message.epoch,
    seq: message.seq,
    timeS,
    timeMs: message.acceptedAtMs - timeS * 1000,
  };
}

export function roomMessageV3(room: string, message: StoredMessage): OutgoingPdu {
  const { messageId, from, text } = message;
  return { type: "ROOM_MESSAGE_V3", messageId, room, from, ...idAndTime(message), text };
}

export function directMessageV3(message: StoredMessage): OutgoingPdu {
  const { messageId, from, text } = message;
  return { type: "DIRECT_MESSAGE_V3", messageId, from, ...idAndTime(message), text };
}

export function historyItem(requestId: number, message: StoredMessage): OutgoingPdu {
  const { messageId, from, text } = message;
  return { type: "HISTORY_ITEM", requestId, ...idAndTime(message), messageId, from, text };
}
