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

/** A room's one sequence (spec §13.5): every PDU for its members, in the order Redis publishes them. */
export const ROOM_CHANNEL_PREFIX = "parrot:room:";
export function roomChannel(room: string): string {
  return ROOM_CHANNEL_PREFIX + room;
}

/** What travels on a room channel: a PDU as it is, or a version-3 room message with its id. */
export type RoomEnvelope = RoomPduEnvelope | StampedRoomEnvelope;

interface EnvelopeOrigin {
  /** The instance that published it, and its number there: the publisher waits for its own. */
  origin: string;
  seq: number;
  /** Members logged in as this user do not get it (a typing notice skips the typist). */
  except?: string;
}

export interface RoomPduEnvelope extends EnvelopeOrigin {
  pdu: OutgoingPdu;
}

/**
 * A room message published by the script that stored it (atomic-room-messages.ts): the script
 * puts its id and time in front, `"stamp":[epoch, seq, time]`, as it publishes (REQ-13.18).
 */
export interface StampedRoomEnvelope extends EnvelopeOrigin {
  said: { messageId: number; from: string; text: string };
  stamp: [epoch: number, seq: number, acceptedAtMs: number];
}
