/**
 * The header version a PDU carries (REQ-4.9), from protocol.json's per-type rule: "zero" (the
 * negotiation PDUs), "negotiated" or "current" (the connection's version, 0 before negotiation).
 * Every PDU the server sends gets its version from here: replies, ERRORs to refused connections
 * and fan-out to each recipient alike.
 */
import { MESSAGE_RULES, type MessageTypeName, type Pdu } from "../generated/index.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";

export function headerVersionFor(type: MessageTypeName, negotiatedVersion: number | null): number {
  return MESSAGE_RULES[type].headerVersion === "zero" ? 0 : (negotiatedVersion ?? 0);
}

/**
 * Sets the header version on `pdu` itself and returns it as a Pdu. Only for a PDU built for one
 * send (a reply): copying it with a spread costs more than the encoding (bench/README.md, echo
 * profile). A PDU shared by a fan-out keeps no version; transport/shared-frame.ts encodes it
 * once per version instead.
 */
export function withHeaderVersion(pdu: OutgoingPdu, negotiatedVersion: number | null): Pdu {
  const stamped = pdu as Pdu;
  stamped.version = headerVersionFor(pdu.type, negotiatedVersion);
  return stamped;
}
