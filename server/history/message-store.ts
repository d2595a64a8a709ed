/**
 * MessageStore: where version 3 keeps history and the direct messages waiting for offline users
 * (spec §15). The server never knows which store it has (aedes' `persistence` option): memory by
 * default (memory-message-store.ts), a file database or Redis Streams behind the same interface.
 * Every method may answer later, so each returns a Promise; `append` may also answer at once (the
 * memory store does), which keeps a room message's fan-out synchronous (room-messages.ts).
 * README.md in this folder says what an implementation must guarantee.
 */
import type { Awaitable } from "../awaitable.ts";
import type { Conversation } from "./conversation.ts";

/** A message as the server accepted it, before the store gives it its id. */
export interface MessageDraft {
  /** The sender's own message_id (ROOM_SAY, DIRECT_SEND, DIRECT_SEND_V3). */
  messageId: number;
  from: string;
  text: string;
  /** When the server accepted it: Unix time in milliseconds (spec §15.2, REQ-15.9). */
  acceptedAtMs: number;
}

/** A message with its place in its conversation: the id (epoch, seq) of spec §15.2. */
export interface StoredMessage extends MessageDraft {
  epoch: number;
  seq: number;
}

/** Where a conversation's history stands: its current epoch and the seqs kept in it. */
export interface HistoryRange {
  /** The current epoch; 0 when the conversation has no history at all. */
  epoch: number;
  /** The oldest message still kept in that epoch; 0 when none is kept. */
  oldestSeq: number;
  /** The newest message ever accepted in that epoch (kept or not); 0 when none was. */
  newestSeq: number;
}

/** Which messages of the current epoch a read wants (spec §15.3; the epoch check is the caller's). */
export type HistoryQuery =
  | { anchor: "LATEST"; limit: number }
  | { anchor: "BEFORE" | "AFTER"; seq: number; limit: number };

export interface HistoryRead {
  range: HistoryRange;
  /** At most `limit` messages of range.epoch, oldest first, every one within the store's bounds. */
  messages: StoredMessage[];
}

/** What is waiting for one user, taken at once: the queue is empty afterwards. */
export interface OfflineDelivery {
  /** Oldest first, each with the id and time it was given when it was stored. */
  messages: StoredMessage[];
  /** Messages that left the full queue since it was last taken (REQ-15.21). */
  dropped: number;
}

/** The bounds a store keeps; the server advertises them in SESSION_INFO (REQ-15.13). */
export interface StoreLimits {
  /** Newest messages kept per conversation; 0 when only age bounds history. */
  historyCount: number;
  /** How long a message is kept, in ms; 0 when only count bounds history. Not both 0. */
  historyAgeMs: number;
  /** Direct messages queued for one recipient at most (the oldest leaves first). */
  offlineQueue: number;
}

export interface MessageStore {
  readonly limits: StoreLimits;
  /**
   * Gives `draft` the conversation's next id (seq + 1 in the current epoch; a new epoch, seq 1,
   * when the history cannot go on) and keeps it. Appends to one conversation take their ids in
   * the order of the calls. An answer at once is the store's choice, not the caller's concern.
   */
  append(conversation: Conversation, draft: MessageDraft): Awaitable<StoredMessage>;
  /** The messages of the current epoch that `query` selects, within the bounds. */
  read(conversation: Conversation, query: HistoryQuery): Promise<HistoryRead>;
  /** Queues a stored direct message (already appended to its conversation) for `recipient`. */
  enqueueOffline(recipient: string, message: StoredMessage): Promise<void>;
  /** Everything queued for `recipient`, removed from the queue in the same step. */
  takeOffline(recipient: string): Promise<OfflineDelivery>;
  /** Releases what the store holds open (connections, files). */
  close(): Promise<void>;
}
