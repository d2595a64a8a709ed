/**
 * Fixtures for the version-3 server tests: a version-3 login that also reads the SESSION_INFO
 * and the stored direct messages that follow it (REQ-15.14, REQ-15.20), and the PDUs of a room
 * conversation as a test sends them.
 */
import assert from "node:assert/strict";
import type { Pdu, PduOfType } from "../../generated/index.ts";
import type { RawPeer } from "./raw-peer.ts";
import type { PeerPool } from "./v2-peers.ts";

export interface Version3Login {
  peer: RawPeer;
  info: PduOfType<"SESSION_INFO">;
  stored: PduOfType<"DIRECT_MESSAGE_V3">[];
}

/** Logs `name` in on version 3 and reads what comes before anything else. */
export async function loginV3(pool: PeerPool, name: string): Promise<Version3Login> {
  const peer = await pool.login(name, [1, 2, 3]);
  assert.equal(peer.version, 3);
  const info = await peer.expect("SESSION_INFO");
  const stored = [];
  for (let i = 0; i < info.storedCount; i++) stored.push(await peer.expect("DIRECT_MESSAGE_V3"));
  return { peer, info, stored };
}

/** Joins `room` and reads the ROOM_RESULT OK and the peer's own JOINED. */
export async function joinRoom(peer: RawPeer, room: string, requestId = 1): Promise<void> {
  peer.send({ type: "ROOM_JOIN", version: peer.version, requestId, room });
  assert.equal((await peer.expect("ROOM_RESULT")).status, "OK");
  assert.equal((await peer.expect("ROOM_EVENT")).event, "JOINED");
}

export function say(peer: RawPeer, room: string, messageId: number, text: string): void {
  peer.send({ type: "ROOM_SAY", version: peer.version, messageId, room, text });
}

/** The PDUs that are not ROOM_EVENTs (JOINED and LEFT of others), in order. */
export function withoutRoomEvents(pdus: Pdu[]): Pdu[] {
  return pdus.filter((pdu) => pdu.type !== "ROOM_EVENT");
}

/** What a HISTORY_PAGE and its items say, in a form a test compares at a glance. */
export async function readPageOf(
  peer: RawPeer,
): Promise<{ page: PduOfType<"HISTORY_PAGE">; items: PduOfType<"HISTORY_ITEM">[] }> {
  const page = await peer.expect("HISTORY_PAGE");
  const items = [];
  for (let i = 0; i < page.itemCount; i++) items.push(await peer.expect("HISTORY_ITEM"));
  return { page, items };
}
