/**
 * The default MessageStore: everything in this process's memory, gone when it exits (so every
 * conversation starts a new epoch after a restart, REQ-15.8). Each conversation is a bounded ring
 * of its newest messages, optionally aged out too. The number of conversations and the bytes of
 * all their messages are bounded as well, the least recently written conversation being forgotten
 * first (its next message starts a new epoch), so that a flood of direct messages to made-up names
 * cannot grow the server without end. Offline queues are bounded per recipient and in bytes all
 * together (offline-queues.ts), whatever the number of accounts.
 */
import { randomInt } from "node:crypto";
import type { Conversation } from "./conversation.ts";
import type {
  HistoryQuery,
  HistoryRead,
  MessageDraft,
  MessageStore,
  OfflineDelivery,
  StoredMessage,
  StoreLimits,
} from "./message-store.ts";
import { OfflineQueues } from "./offline-queues.ts";

export interface MemoryMessageStoreOptions {
  /** Newest messages kept per conversation (at least 1). Default 500. */
  historyCount?: number;
  /** Messages older than this many ms are dropped; 0 (the default) keeps them while count allows. */
  historyAgeMs?: number;
  /** Direct messages queued per offline recipient. Default 100. */
  offlineQueue?: number;
  /** Conversations remembered at once; the least recently written is forgotten. Default 10 000. */
  maxConversations?: number;
  /**
   * Bytes of history kept in all (texts and names as UTF-8, plus a fixed cost per message); past
   * it the least recently written conversations are forgotten. Default 64 MiB.
   */
  maxBytes?: number;
  /** Bytes of all offline queues together (same units); past it the oldest queued leaves. 64 MiB. */
  maxOfflineBytes?: number;
  /** Wall clock (Unix ms) the age bound is measured with. Default Date.now. */
  now?: () => number;
  /** A new epoch: a u4 that is not 0. Default random. */
  newEpoch?: () => number;
}

export const MEMORY_STORE_DEFAULTS = {
  historyCount: 500,
  historyAgeMs: 0,
  offlineQueue: 100,
  maxConversations: 10_000,
  maxBytes: 64 * 1024 * 1024,
  maxOfflineBytes: 64 * 1024 * 1024,
} as const;

const MAX_SEQ = 0xffffffff;
/** What one kept message costs beyond its strings: the object, its numbers, its array slot. */
const MESSAGE_OVERHEAD_BYTES = 96;

/** One conversation's history: consecutive seqs, so a seq's index is `seq - messages[0].seq`. */
interface ConversationLog {
  epoch: number;
  newestSeq: number;
  messages: StoredMessage[];
  /** What `messages` cost, in the units of maxBytes. */
  bytes: number;
}

export class MemoryMessageStore implements MessageStore {
  readonly limits: StoreLimits;
  private readonly maxConversations: number;
  private readonly maxBytes: number;
  private readonly now: () => number;
  private readonly newEpoch: () => number;
  // Map order is the LRU order: a written conversation is moved to the end.
  private readonly logs = new Map<string, ConversationLog>();
  private readonly offline: OfflineQueues;
  private bytes = 0;

  constructor(options: MemoryMessageStoreOptions = {}) {
    const historyCount = options.historyCount ?? MEMORY_STORE_DEFAULTS.historyCount;
    const historyAgeMs = options.historyAgeMs ?? MEMORY_STORE_DEFAULTS.historyAgeMs;
    const offlineQueue = options.offlineQueue ?? MEMORY_STORE_DEFAULTS.offlineQueue;
    const maxConversations = options.maxConversations ?? MEMORY_STORE_DEFAULTS.maxConversations;
    const maxBytes = options.maxBytes ?? MEMORY_STORE_DEFAULTS.maxBytes;
    const maxOfflineBytes = options.maxOfflineBytes ?? MEMORY_STORE_DEFAULTS.maxOfflineBytes;
    // Memory is only bounded if the count is: an age bound alone lets a busy room grow freely.
    requireInteger("historyCount", historyCount, 1, MAX_SEQ);
    requireInteger("historyAgeMs", historyAgeMs, 0, Number.MAX_SAFE_INTEGER);
    requireInteger("offlineQueue", offlineQueue, 0, MAX_SEQ);
    requireInteger("maxConversations", maxConversations, 1, MAX_SEQ);
    requireInteger("maxBytes", maxBytes, 1, Number.MAX_SAFE_INTEGER);
    requireInteger("maxOfflineBytes", maxOfflineBytes, 1, Number.MAX_SAFE_INTEGER);
    this.limits = { historyCount, historyAgeMs, offlineQueue };
    this.maxConversations = maxConversations;
    this.maxBytes = maxBytes;
    this.offline = new OfflineQueues(offlineQueue, maxOfflineBytes, costOf);
    this.now = options.now ?? Date.now;
    this.newEpoch = options.newEpoch ?? (() => randomInt(1, 2 ** 32));
  }

  /** At once, not a Promise: the room fan-out after it stays synchronous (room-messages.ts). */
  append(conversation: Conversation, draft: MessageDraft): StoredMessage {
    let log = this.logs.get(conversation.key);
    if (log !== undefined) {
      this.logs.delete(conversation.key);
      if (log.newestSeq === MAX_SEQ) {
        this.bytes -= log.bytes;
        log = { epoch: this.nextEpoch(log.epoch), newestSeq: 0, messages: [], bytes: 0 };
      }
    }
    log ??= { epoch: this.newEpoch(), newestSeq: 0, messages: [], bytes: 0 };
    this.logs.set(conversation.key, log);
    const message: StoredMessage = { ...draft, epoch: log.epoch, seq: log.newestSeq + 1 };
    log.newestSeq = message.seq;
    log.messages.push(message);
    const cost = costOf(message);
    log.bytes += cost;
    this.bytes += cost;
    this.dropOldest(log, log.messages.length - this.limits.historyCount);
    this.forgetBeyondBounds(log);
    return message;
  }

  async read(conversation: Conversation, query: HistoryQuery): Promise<HistoryRead> {
    const log = this.logs.get(conversation.key);
    if (log === undefined) return { range: { epoch: 0, oldestSeq: 0, newestSeq: 0 }, messages: [] };
    this.dropExpired(log);
    const { messages } = log;
    const firstSeq = messages[0]?.seq ?? log.newestSeq + 1;
    const range = { epoch: log.epoch, oldestSeq: messages[0]?.seq ?? 0, newestSeq: log.newestSeq };
    const clamp = (index: number) => Math.min(Math.max(index, 0), messages.length);
    const { limit } = query;
    if (limit === 0) return { range, messages: [] };
    switch (query.anchor) {
      case "LATEST":
        return { range, messages: messages.slice(-limit) };
      case "BEFORE": {
        const end = clamp(query.seq - firstSeq);
        return { range, messages: messages.slice(Math.max(0, end - limit), end) };
      }
      case "AFTER": {
        const start = clamp(query.seq + 1 - firstSeq);
        return { range, messages: messages.slice(start, start + limit) };
      }
    }
  }

  async enqueueOffline(recipient: string, message: StoredMessage): Promise<void> {
    this.offline.enqueue(recipient, message);
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    return this.offline.take(recipient);
  }

  async close(): Promise<void> {
    this.logs.clear();
    this.offline.clear();
    this.bytes = 0;
  }

  private dropExpired(log: ConversationLog): void {
    if (this.limits.historyAgeMs === 0) return;
    const oldestKept = this.now() - this.limits.historyAgeMs;
    const expired = log.messages.findIndex((m) => m.acceptedAtMs >= oldestKept);
    this.dropOldest(log, expired < 0 ? log.messages.length : expired);
  }

  /** Removes the `count` oldest messages of `log`; nothing when count ≤ 0. */
  private dropOldest(log: ConversationLog, count: number): void {
    if (count <= 0) return;
    let freed = 0;
    for (const message of log.messages.splice(0, count)) freed += costOf(message);
    log.bytes -= freed;
    this.bytes -= freed;
  }

  /**
   * Forgets the least recently written conversations until both bounds hold. The one just written
   * goes last: if it alone passes maxBytes, its own oldest messages go, its newest always stays.
   */
  private forgetBeyondBounds(current: ConversationLog): void {
    for (const [key, log] of this.logs) {
      if (this.logs.size <= this.maxConversations && this.bytes <= this.maxBytes) return;
      if (log === current) break;
      this.logs.delete(key);
      this.bytes -= log.bytes;
    }
    while (this.bytes > this.maxBytes && current.messages.length > 1) this.dropOldest(current, 1);
  }

  private nextEpoch(previous: number): number {
    let epoch = this.newEpoch();
    while (epoch === previous) epoch = this.newEpoch();
    return epoch;
  }
}

function costOf(message: StoredMessage): number {
  return MESSAGE_OVERHEAD_BYTES + Buffer.byteLength(message.text) + Buffer.byteLength(message.from);
}

function requireInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, not ${value}`);
  }
}
