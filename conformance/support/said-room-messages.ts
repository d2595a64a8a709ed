/**
 * The room messages a version 3 scenario said, as their sender received them (with the ids the
 * server gave them), per room: what history pages, replays and other members' copies are judged
 * against. Several step files of §15 share it.
 */
import type { ClientSession } from "./client-session.ts";
import {
  awaitRoomMessageV3,
  type HistoryPage,
  numberedLine,
  type RoomMessageV3,
} from "./conversation-history.ts";
import { userOf } from "./room-membership.ts";
import type { ParrotWorld } from "./world.ts";

const said = new WeakMap<ParrotWorld, Map<string, RoomMessageV3[]>>();

/** The last message a member saw before it left a room, by scenario: where its resume starts. */
export const lastSeen = new WeakMap<ParrotWorld, RoomMessageV3>();

export function lastSeenBeforeLeaving(world: ParrotWorld): RoomMessageV3 {
  const anchor = lastSeen.get(world);
  if (anchor === undefined) throw new Error("scenario bug: nobody left the room");
  return anchor;
}

/** The message ids start apart from every other scenario's. */
const FIRST_ID = 0x3300_0000;
/** Sent in batches: hundreds of messages one round trip each would be slow for nothing. */
const BATCH = 50;

export function saidIn(world: ParrotWorld, room: string): RoomMessageV3[] {
  const rooms = said.get(world) ?? new Map<string, RoomMessageV3[]>();
  said.set(world, rooms);
  const list = rooms.get(room) ?? [];
  rooms.set(room, list);
  return list;
}

/** `speaker` says `count` numbered messages in `room`; each is recorded as its own copy shows it. */
export async function sayNumbered(
  world: ParrotWorld,
  speaker: ClientSession,
  room: string,
  count: number,
): Promise<void> {
  const list = saidIn(world, room);
  for (let sent = 0; sent < count; ) {
    const batch: { messageId: number; text: string }[] = [];
    for (; sent < count && batch.length < BATCH; sent++) {
      const index = list.length + batch.length;
      const message = { messageId: FIRST_ID + index, text: numberedLine(index) };
      batch.push(message);
      speaker.peer.send({ type: "ROOM_SAY", version: speaker.headerVersion, room, ...message });
    }
    for (const { messageId, text } of batch) {
      // Its own copy, with the id the server gave the message (REQ-15.3, REQ-15.5).
      const own = await awaitRoomMessageV3(speaker, room, userOf(speaker), messageId);
      if (own.text !== text) speaker.fail(`ROOM_MESSAGE_V3 ${messageId}: the text differs`);
      list.push(own);
    }
  }
}

/** The page answers `room` with `status`, naming it byte for byte (REQ-15.10..15.12). */
export function judgePageHead(
  session: ClientSession,
  page: HistoryPage,
  room: string,
  status: HistoryPage["status"],
): void {
  if (page.status !== status || page.targetKind !== "ROOM" || page.target !== room) {
    session.fail(
      `expected HISTORY_PAGE ${status} for ROOM ${JSON.stringify(room)}, got ${page.status} for ` +
        `${page.targetKind} ${JSON.stringify(page.target)}`,
      [],
      status === "NOT_MEMBER" ? "REQ-15.11" : status === "GAP" ? "REQ-15.12" : "REQ-15.10",
    );
  }
}

/**
 * An OK or GAP page of a room whose messages were all said in this scenario (none lost to the
 * bounds): its epoch and newest_seq are the last message's, and its oldest_seq is a kept message
 * no newer than the first one said (older ones may be left from an earlier run on the same server).
 */
export function judgePageRange(
  session: ClientSession,
  page: HistoryPage,
  list: readonly RoomMessageV3[],
): void {
  const first = list[0]!;
  const last = list.at(-1)!;
  if (page.epoch !== last.epoch || page.newestSeq !== last.seq) {
    session.fail(
      `HISTORY_PAGE says epoch ${page.epoch}, newest seq ${page.newestSeq}; the room's newest message ` +
        `has epoch ${last.epoch}, seq ${last.seq}`,
      [],
      "REQ-15.10",
    );
  }
  if (page.oldestSeq < 1 || page.oldestSeq > first.seq) {
    session.fail(
      `HISTORY_PAGE says oldest seq ${page.oldestSeq}, but seq ${first.seq} and every message after ` +
        "it are kept",
      [],
      "REQ-15.10",
    );
  }
}
