/**
 * Participant: what the server-wide registries (the session directory, rooms, presence, typing)
 * know of one logged-in session: its user, the version it negotiated, which types it may
 * receive, and a way to hand it a PDU that someone else's action caused. Keeping the registries
 * on this small interface keeps connection details out of them, lets the object's identity stand
 * for "this login", and lets a cluster stand a remote session behind the same four members.
 */
import type { MessageTypeName } from "../generated/index.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";

export interface Participant {
  readonly user: string;
  /** The protocol version its connection negotiated. */
  readonly version: number;
  /** Whether its version has `type` at all: a v1 session never gets a v2 PDU (REQ-12.3). */
  speaks(type: MessageTypeName): boolean;
  /**
   * Queues a PDU caused by another session's request or by a server event (a fan-out); the
   * header version is the recipient's own. Never throws: a recipient that cannot take it any
   * more ends its own connection, never the sender's.
   */
  deliver(pdu: OutgoingPdu): void;
}
