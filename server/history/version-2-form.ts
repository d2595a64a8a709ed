/**
 * The form of a fan-out PDU a recipient's version can take (spec §15.1). A room or direct message
 * is published once, in its version-3 form with its id and time; a version-2 recipient gets the
 * version-2 form instead, byte for byte what a server without version 3 would send it (REQ-15.2),
 * and a version-3 recipient the version-3 form (REQ-15.3). The version-2 form of one published PDU
 * is made once and kept as long as that PDU (weakly), so every version-2 member of a room shares
 * one encoded frame (transport/shared-frame.ts), as before version 3.
 */
import { MESSAGE_RULES } from "../../generated/index.ts";
import type { OutgoingPdu } from "../outgoing-pdu.ts";

const version2Forms = new WeakMap<OutgoingPdu, OutgoingPdu>();

/** `pdu` itself if `version` has its type, else its older form if `version` has that, else none. */
export function formForVersion(pdu: OutgoingPdu, version: number): OutgoingPdu | undefined {
  if (MESSAGE_RULES[pdu.type].since <= version) return pdu;
  const older = version2Form(pdu);
  return older !== undefined && MESSAGE_RULES[older.type].since <= version ? older : undefined;
}

function version2Form(pdu: OutgoingPdu): OutgoingPdu | undefined {
  const known = version2Forms.get(pdu);
  if (known !== undefined) return known;
  let older: OutgoingPdu;
  switch (pdu.type) {
    case "ROOM_MESSAGE_V3": {
      const { messageId, room, from, text } = pdu;
      older = { type: "ROOM_MESSAGE", messageId, room, from, text };
      break;
    }
    case "DIRECT_MESSAGE_V3": {
      const { messageId, from, text } = pdu;
      older = { type: "DIRECT_MESSAGE", messageId, from, text };
      break;
    }
    default:
      return undefined;
  }
  version2Forms.set(pdu, older);
  return older;
}
