/**
 * (v3) A MessageStore that reports what passes through it to ServerMetrics: messages stored in a
 * room's or a direct conversation's history, and direct messages queued for, taken by and dropped
 * from an offline user's queue. Counted here, at the one seam every store is used through, so
 * that the memory, SQLite and Redis stores need no counting of their own.
 */
import { type Awaitable, whenReady } from "./awaitable.ts";
import type { Conversation } from "./history/conversation.ts";
import type {
  HistoryQuery,
  HistoryRead,
  MessageDraft,
  MessageStore,
  OfflineDelivery,
  StoredMessage,
} from "./history/message-store.ts";
import type { ServerMetrics } from "./server-metrics.ts";

export class CountedMessageStore implements MessageStore {
  constructor(
    private readonly store: MessageStore,
    private readonly metrics: ServerMetrics,
  ) {}

  get limits() {
    return this.store.limits;
  }

  // Stays synchronous when the store is (the memory store): a room message then costs no
  // microtask (server/history/room-messages.ts, the fan-out path `make bench` measures).
  append(conversation: Conversation, draft: MessageDraft): Awaitable<StoredMessage> {
    return whenReady(this.store.append(conversation, draft), (stored) => {
      this.metrics.historyStored(conversation.kind);
      return stored;
    });
  }

  read(conversation: Conversation, query: HistoryQuery): Promise<HistoryRead> {
    return this.store.read(conversation, query);
  }

  async enqueueOffline(recipient: string, message: StoredMessage): Promise<void> {
    await this.store.enqueueOffline(recipient, message);
    this.metrics.offlineQueue("queued", 1);
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    const delivery = await this.store.takeOffline(recipient);
    this.metrics.offlineQueue("taken", delivery.messages.length);
    this.metrics.offlineQueue("dropped", delivery.dropped);
    return delivery;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
