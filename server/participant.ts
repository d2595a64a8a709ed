/**
 * Participant: what the server-wide registries (the session directory, rooms, presence, typing)
 * know of one logged-in session: its user, the version it negotiated, and a way to hand it a PDU
 * that someone else's action caused. A Session creates one when its login succeeds; keeping the
 * registries on this small interface keeps connection details (and import cycles with
 * session.ts) out of them, and lets the object's identity stand for "this login".
 */
import { MESSAGE_RULES, type MessageTypeName } from "../generated/index.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";

export interface Participant {
  readonly user: string;
  /** The protocol version its connection negotiated. */
  readonly version: number;
  /**
   * Queues a PDU caused by another session's request or by a server event (a fan-out); the
   * header version is the recipient's own. Never throws: a recipient that cannot take it any
   * more ends its own connection, never the sender's.
   */
  deliver(pdu: OutgoingPdu): void;
}

/** Whether a participant's version has `type` at all: a v1 session never gets a v2 PDU (REQ-12.3). */
export function speaks(participant: Participant, type: MessageTypeName): boolean {
  return MESSAGE_RULES[type].since <= participant.version;
}
