/**
 * What the durable history stores (sqlite-store.ts, redis-streams-store.ts) keep and answer:
 * per conversation (a room, or the direct conversation of two users) the messages accepted into
 * its history, each with the id (epoch, seq) and time the store gave it (spec §15.2), bounded by
 * count and age (§15.3); and per recipient the queue of direct messages stored while it was away
 * (§15.5). The server decides what a page means (GAP, NOT_MEMBER); a store only keeps and ranges.
 */
import { randomInt } from "node:crypto";

/** A message as the server accepted it, before the store gives it its id and time. */
export interface MessageToKeep {
  /** Username of the sender. */
  from: string;
  /** The sender's own message_id, kept so every copy carries it. */
  messageId: number;
  text: string;
}

/** A message with the id and time its store gave it. */
export interface KeptMessage extends MessageToKeep {
  /** Never 0; a new one says the history before it is gone (REQ-15.8). */
  epoch: number;
  /** 1 for the first message of its epoch, one more for each next one (REQ-15.5). */
  seq: number;
  /** Acceptance time, milliseconds since 1970-01-01T00:00:00Z; never less than the previous one's. */
  timeMs: number;
}

export type HistoryRange =
  | { kind: "latest" }
  | { kind: "before"; seq: number }
  | { kind: "after"; seq: number };

/** One range of a conversation's current epoch, as kept now. */
export interface HistorySlice {
  /** The conversation's current epoch; 0 when it has no history. */
  epoch: number;
  /** Seq of the oldest message kept in that epoch; 0 when none is kept. */
  oldestSeq: number;
  /** Seq of the newest message accepted in that epoch; 0 when none was. */
  newestSeq: number;
  /** At most the limit asked for, oldest first. */
  items: KeptMessage[];
}

/** What a store keeps; at most one of `count` and `ageMs` is 0 (no bound of that kind). */
export interface HistoryBounds {
  /** Newest messages kept per conversation; 0: bounded by age only. */
  count: number;
  /** How long a message is kept after it was accepted; 0: bounded by count only. */
  ageMs: number;
  /** Direct messages queued for one offline recipient at most; past it the oldest leaves. */
  offlineQueue: number;
}

export interface OfflineDelivery {
  /** Oldest first, with the ids and times they were given when stored. */
  messages: KeptMessage[];
  /** How many left the queue because it was full since the last take. */
  dropped: number;
}

export interface DurableHistory {
  readonly bounds: HistoryBounds;
  /** Gives `message` the next id of `conversation` and the time now, and keeps it. */
  append(conversation: string, message: MessageToKeep): Promise<KeptMessage>;
  /** Up to `limit` kept messages of the current epoch, oldest first. */
  range(conversation: string, range: HistoryRange, limit: number): Promise<HistorySlice>;
  /** Queues a kept direct message for `recipient`'s next version-3 login. */
  queueOffline(recipient: string, message: KeptMessage): Promise<void>;
  /** Everything queued for `recipient`, emptied in the same step: each is taken once. */
  takeOffline(recipient: string): Promise<OfflineDelivery>;
  close(): Promise<void>;
}

/** A random epoch: a u4 that is never 0 (and never `previous`, when one is known). */
export function freshEpoch(previous?: number): number {
  const drawn = randomInt(1, 0x1_0000_0000);
  return drawn === previous ? (drawn % 0xffff_ffff) + 1 : drawn;
}

/** Refuses bounds the spec does not allow (§15.3: never unbounded). */
export function checkBounds(bounds: HistoryBounds): void {
  const whole = (n: number) => Number.isSafeInteger(n) && n >= 0;
  if (!whole(bounds.count) || !whole(bounds.ageMs) || !whole(bounds.offlineQueue)) {
    throw new RangeError("history bounds are whole numbers, 0 or more");
  }
  if (bounds.count === 0 && bounds.ageMs === 0) {
    throw new RangeError("history needs a bound: a count, an age or both");
  }
}
