/**
 * The Redis pub/sub channels nodes talk over, and what travels on them (JSON). One place, so the
 * publishing side (remote-participant.ts, cluster-presence.ts) and the receiving side
 * (node-mailbox.ts) cannot disagree.
 */
import type { OutgoingPdu } from "../outgoing-pdu.ts";

/** PDUs for sessions on one node: `{ to, pdu }`. */
export function nodeChannel(nodeId: string): string {
  return `parrot:node:${nodeId}`;
}

/** Presence events for every node's subscribers: `{ from, about, pdu }`. */
export const PRESENCE_CHANNEL = "parrot:presence";

export interface ForUser {
  to: string;
  pdu: OutgoingPdu;
}

export interface PresenceNews {
  /** The node that published it: it has delivered to its own subscribers already. */
  from: string;
  /** The user the event is about: never told about themselves. */
  about: string;
  pdu: OutgoingPdu;
}
