/**
 * What version 3's handlers share (spec §15): the store, the page size the server advertises,
 * the lanes that keep a conversation's steps from interleaving, and the wall clock that stamps
 * each message's acceptance time. One per server, in SharedState.history.
 */
import type { KeyedLanes } from "./keyed-lanes.ts";
import type { MessageStore } from "./message-store.ts";
import type { RoomMessages } from "./room-messages.ts";

export interface HistoryContext {
  store: MessageStore;
  /** The most items one HISTORY_PAGE carries: SESSION_INFO.max_page (1..limits.maxHistoryPage). */
  pageSize: number;
  /** How a room message takes its id and reaches the members (in the room's lane unless atomic). */
  roomMessages: RoomMessages;
  /** Room keys and recipient keys: see keyed-lanes.ts for which steps must not interleave. */
  lanes: KeyedLanes;
  /** Unix time in ms: when a message is accepted (REQ-15.9). Not the timers' monotonic clock. */
  wallClock: () => number;
}

/** The reference server's page size: SESSION_INFO.max_page unless told otherwise. */
export const DEFAULT_HISTORY_PAGE_SIZE = 100;

/** A room's lane: its appends and fan-outs, and its resumes (the same key as its history). */
export function roomLane(room: string): string {
  return JSON.stringify(["room", room]);
}

/** A recipient's lane: its offline queue and its version-3 login. */
export function recipientLane(user: string): string {
  return JSON.stringify(["recipient", user]);
}
