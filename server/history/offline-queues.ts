/**
 * OfflineQueues: the memory store's direct messages waiting for offline recipients (spec §15.5),
 * bounded twice. Per recipient, at most `perRecipient` messages, the oldest leaving first
 * (REQ-15.21). And all queues together hold at most `maxBytes` (REQ-10.13): without that, one
 * user sending to every account filled every queue, and memory grew with the number of accounts
 * (300 accounts: 130 MiB, from one sender). Past it the oldest queued message of all leaves, so
 * a flood pushes out its own messages before a quiet user's newer one; whatever leaves is
 * counted in its recipient's `dropped` either way.
 */
import type { OfflineDelivery, StoredMessage } from "./message-store.ts";

/** One queued message, in its recipient's queue and in the order of all of them. */
interface Entry {
  readonly recipient: string;
  readonly message: StoredMessage;
  readonly cost: number;
  queued: boolean;
}

interface Queue {
  entries: Entry[];
  dropped: number;
}

export class OfflineQueues {
  private readonly queues = new Map<string, Queue>();
  // Every entry in enqueue order; those no longer queued are skipped, and compacted away.
  private order: Entry[] = [];
  private head = 0;
  private queuedCount = 0;
  private bytes = 0;

  constructor(
    private readonly perRecipient: number,
    private readonly maxBytes: number,
    private readonly costOf: (message: StoredMessage) => number,
  ) {}

  enqueue(recipient: string, message: StoredMessage): void {
    let queue = this.queues.get(recipient);
    if (queue === undefined) {
      queue = { entries: [], dropped: 0 };
      this.queues.set(recipient, queue);
    }
    const entry: Entry = { recipient, message, cost: this.costOf(message), queued: true };
    queue.entries.push(entry);
    this.order.push(entry);
    this.queuedCount++;
    this.bytes += entry.cost;
    while (queue.entries.length > this.perRecipient) this.dropOldestOf(queue);
    while (this.bytes > this.maxBytes) this.dropOldestOfAll();
    this.compact();
  }

  take(recipient: string): OfflineDelivery {
    const queue = this.queues.get(recipient);
    if (queue === undefined) return { messages: [], dropped: 0 };
    this.queues.delete(recipient);
    for (const entry of queue.entries) this.unqueue(entry);
    this.compact();
    return { messages: queue.entries.map((entry) => entry.message), dropped: queue.dropped };
  }

  clear(): void {
    this.queues.clear();
    this.order = [];
    this.head = 0;
    this.queuedCount = 0;
    this.bytes = 0;
  }

  private dropOldestOf(queue: Queue): void {
    const entry = queue.entries.shift();
    if (entry === undefined) return;
    this.unqueue(entry);
    queue.dropped++;
  }

  /**
   * The oldest entry still queued is the head of its recipient's queue: every older entry of
   * that recipient came before it in `order` and has left already.
   */
  private dropOldestOfAll(): void {
    while (this.head < this.order.length) {
      const entry = this.order[this.head++] as Entry;
      if (!entry.queued) continue;
      const queue = this.queues.get(entry.recipient) as Queue;
      this.dropOldestOf(queue);
      return;
    }
  }

  private unqueue(entry: Entry): void {
    entry.queued = false;
    this.queuedCount--;
    this.bytes -= entry.cost;
  }

  /**
   * Keeps `order`, the entries before `head` included, within twice what is queued: entries that
   * left (dropped, taken) still hold their messages until they are compacted away.
   */
  private compact(): void {
    if (this.order.length <= 2 * this.queuedCount + 1024) return;
    this.order = this.order.slice(this.head).filter((entry) => entry.queued);
    this.head = 0;
  }
}
