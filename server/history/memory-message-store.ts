/**
 * The default MessageStore: everything in this process's memory, gone when it exits (so every
 * conversation starts a new epoch after a restart, REQ-15.8). Each conversation is a bounded ring
 * of its newest messages, optionally aged out too; the number of conversations is bounded as
 * well, the least recently written one being forgotten first, so that a flood of direct messages
 * to made-up names cannot grow the server without end. Offline queues are bounded per recipient;
 * the server queues only for names that are accounts, which bounds the number of queues.
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

export interface MemoryMessageStoreOptions {
  /** Newest messages kept per conversation (at least 1). Default 500. */
  historyCount?: number;
  /** Messages older than this many ms are dropped; 0 (the default) keeps them while count allows. */
  historyAgeMs?: number;
  /** Direct messages queued per offline recipient. Default 100. */
  offlineQueue?: number;
  /** Conversations remembered at once; the least recently written is forgotten. Default 10 000. */
  maxConversations?: number;
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
} as const;

const MAX_SEQ = 0xffffffff;

/** One conversation's history: consecutive seqs, so a seq's index is `seq - messages[0].seq`. */
interface ConversationLog {
  epoch: number;
  newestSeq: number;
  messages: StoredMessage[];
}

interface OfflineQueue {
  messages: StoredMessage[];
  dropped: number;
}

export class MemoryMessageStore implements MessageStore {
  readonly limits: StoreLimits;
  private readonly maxConversations: number;
  private readonly now: () => number;
  private readonly newEpoch: () => number;
  // Map order is the LRU order: a written conversation is moved to the end.
  private readonly logs = new Map<string, ConversationLog>();
  private readonly offline = new Map<string, OfflineQueue>();

  constructor(options: MemoryMessageStoreOptions = {}) {
    const historyCount = options.historyCount ?? MEMORY_STORE_DEFAULTS.historyCount;
    const historyAgeMs = options.historyAgeMs ?? MEMORY_STORE_DEFAULTS.historyAgeMs;
    const offlineQueue = options.offlineQueue ?? MEMORY_STORE_DEFAULTS.offlineQueue;
    const maxConversations = options.maxConversations ?? MEMORY_STORE_DEFAULTS.maxConversations;
    // Memory is only bounded if the count is: an age bound alone lets a busy room grow freely.
    requireInteger("historyCount", historyCount, 1);
    requireInteger("historyAgeMs", historyAgeMs, 0);
    requireInteger("offlineQueue", offlineQueue, 0);
    requireInteger("maxConversations", maxConversations, 1);
    this.limits = { historyCount, historyAgeMs, offlineQueue };
    this.maxConversations = maxConversations;
    this.now = options.now ?? Date.now;
    this.newEpoch = options.newEpoch ?? (() => randomInt(1, 2 ** 32));
  }

  async append(conversation: Conversation, draft: MessageDraft): Promise<StoredMessage> {
    let log = this.logs.get(conversation.key);
    if (log === undefined) {
      log = { epoch: this.newEpoch(), newestSeq: 0, messages: [] };
    } else {
      this.logs.delete(conversation.key);
      if (log.newestSeq === MAX_SEQ)
        log = { epoch: this.nextEpoch(log.epoch), newestSeq: 0, messages: [] };
    }
    this.logs.set(conversation.key, log);
    this.forgetBeyondBound();
    const message: StoredMessage = { ...draft, epoch: log.epoch, seq: log.newestSeq + 1 };
    log.newestSeq = message.seq;
    log.messages.push(message);
    const excess = log.messages.length - this.limits.historyCount;
    if (excess > 0) log.messages.splice(0, excess);
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
    let queue = this.offline.get(recipient);
    if (queue === undefined) {
      queue = { messages: [], dropped: 0 };
      this.offline.set(recipient, queue);
    }
    queue.messages.push(message);
    const excess = queue.messages.length - this.limits.offlineQueue;
    if (excess > 0) {
      queue.messages.splice(0, excess);
      queue.dropped += excess;
    }
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    const queue = this.offline.get(recipient);
    this.offline.delete(recipient);
    return queue ?? { messages: [], dropped: 0 };
  }

  async close(): Promise<void> {
    this.logs.clear();
    this.offline.clear();
  }

  private dropExpired(log: ConversationLog): void {
    if (this.limits.historyAgeMs === 0) return;
    const oldestKept = this.now() - this.limits.historyAgeMs;
    const expired = log.messages.findIndex((m) => m.acceptedAtMs >= oldestKept);
    log.messages.splice(0, expired < 0 ? log.messages.length : expired);
  }

  private forgetBeyondBound(): void {
    // A forgotten conversation that is written again starts a new epoch: its ids cannot go on.
    while (this.logs.size > this.maxConversations) {
      const oldest = this.logs.keys().next().value as string;
      this.logs.delete(oldest);
    }
  }

  private nextEpoch(previous: number): number {
    let epoch = this.newEpoch();
    while (epoch === previous) epoch = this.newEpoch();
    return epoch;
  }
}

function requireInteger(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min || value > MAX_SEQ) {
    throw new RangeError(`${name} must be an integer from ${min} to ${MAX_SEQ}, not ${value}`);
  }
}
