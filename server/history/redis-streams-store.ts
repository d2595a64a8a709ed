/**
 * RedisStreamsHistoryStore: the history of a cluster in the cluster's Redis (issue 16,
 * "Storage"), one stream per conversation whose entry ids are the seqs the scripts give
 * (redis-stream-scripts.ts), so a message appended through any node is read in the same place
 * and order through every other. What `--cluster` selects unless `--history` says otherwise.
 *
 * Redis is the store: what it keeps (its persistence settings) is what survives. When it comes
 * back empty, or a conversation's keys were evicted, the next append or read starts a new epoch,
 * so clients are told the history they knew is gone (REQ-15.8) rather than served ids again.
 *
 * Times come from the appending node's clock (Date.now); the script keeps them from going back
 * within a conversation when two nodes' clocks differ.
 *
 * When Redis cannot answer, every method rejects with StoreUnavailable.
 */
import { createHash } from "node:crypto";
import { type Redis, ReplyError } from "ioredis";
import { StoreUnavailable } from "../store-unavailable.ts";
import {
  checkBounds,
  type DurableHistory,
  freshEpoch,
  type HistoryBounds,
  type HistoryRange,
  type HistorySlice,
  type KeptMessage,
  type MessageToKeep,
  type OfflineDelivery,
} from "./durable-history.ts";
import { APPEND_SCRIPT, QUEUE_SCRIPT, RANGE_SCRIPT, TAKE_SCRIPT } from "./redis-stream-scripts.ts";

export const DEFAULT_HISTORY_KEY_PREFIX = "parrot:history:";

export interface RedisStreamsHistoryOptions {
  /** A connection this store may use (it does not close it) */
  redis: Redis;
  bounds: HistoryBounds;
  /** Milliseconds since 1970 (Date.now by default); tests pass their own. */
  clock?: () => number;
  keyPrefix?: string;
}

type StreamEntry = [id: string, fields: string[]];
type RangeReply = [epoch: number, oldest: number, newest: number, entries: StreamEntry[]];

const UNAVAILABLE = "history is unavailable: the cluster's shared store cannot be reached";

export class RedisStreamsHistoryStore implements DurableHistory {
  readonly bounds: HistoryBounds;
  private readonly redis: Redis;
  private readonly clock: () => number;
  private readonly prefix: string;

  constructor(options: RedisStreamsHistoryOptions) {
    checkBounds(options.bounds);
    this.bounds = options.bounds;
    this.redis = options.redis;
    this.clock = options.clock ?? Date.now;
    this.prefix = options.keyPrefix ?? DEFAULT_HISTORY_KEY_PREFIX;
  }

  async append(conversation: string, message: MessageToKeep): Promise<KeptMessage> {
    const [epoch, seq, timeMs] = (await this.run(
      APPEND_SCRIPT,
      this.conversationKeys(conversation),
      [...this.epochArguments(), this.bounds.count, message.from, message.messageId, message.text],
    )) as [number, number, number];
    return { ...message, epoch, seq, timeMs };
  }

  async range(conversation: string, range: HistoryRange, limit: number): Promise<HistorySlice> {
    const anchor = range.kind === "latest" ? 0 : range.seq;
    if (!Number.isSafeInteger(anchor) || anchor < 0)
      throw new RangeError("a seq is a whole number");
    const [epoch, oldestSeq, newestSeq, entries] = (await this.run(
      RANGE_SCRIPT,
      this.conversationKeys(conversation),
      [...this.epochArguments(), range.kind, anchor, Math.max(0, Math.floor(limit))],
    )) as RangeReply;
    const items = entries.map((entry) => keptMessage(epoch, entry));
    if (range.kind !== "after") items.reverse();
    return { epoch, oldestSeq, newestSeq, items };
  }

  async queueOffline(recipient: string, message: KeptMessage): Promise<void> {
    await this.run(QUEUE_SCRIPT, this.queueKeys(recipient), [
      JSON.stringify(message),
      this.bounds.offlineQueue,
    ]);
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    const [messages, dropped] = (await this.run(TAKE_SCRIPT, this.queueKeys(recipient), [])) as [
      string[],
      number,
    ];
    return { messages: messages.map((json) => JSON.parse(json) as KeptMessage), dropped };
  }

  /** The connection is the caller's: it closes it after the server. */
  async close(): Promise<void> {}

  private conversationKeys(conversation: string): string[] {
    return [`${this.prefix}meta:${conversation}`, `${this.prefix}log:${conversation}`];
  }

  private queueKeys(recipient: string): string[] {
    return [`${this.prefix}offline:${recipient}`, `${this.prefix}offline-dropped:${recipient}`];
  }

  /** ARGV[1..3] of every conversation script: now, the age bound, an epoch to start if lost. */
  private epochArguments(): (string | number)[] {
    return [this.clock(), this.bounds.ageMs, freshEpoch()];
  }

  private async run(
    script: string,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      try {
        // By hash: the body crosses the network once per connection, not once per message.
        return await this.redis.evalsha(sha1(script), keys.length, ...keys, ...args);
      } catch (error) {
        if (!String((error as Error).message).startsWith("NOSCRIPT")) throw error;
        return await this.redis.eval(script, keys.length, ...keys, ...args);
      }
    } catch (error) {
      // An error Redis replied with is a bug here, and says so; anything else is Redis away.
      if (error instanceof ReplyError) throw error;
      throw new StoreUnavailable(`${UNAVAILABLE} (${(error as Error).message})`);
    }
  }
}

const hashes = new Map<string, string>();

function sha1(script: string): string {
  let hash = hashes.get(script);
  if (hash === undefined) {
    hash = createHash("sha1").update(script).digest("hex");
    hashes.set(script, hash);
  }
  return hash;
}

function keptMessage(epoch: number, [id, fields]: StreamEntry): KeptMessage {
  const field = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) field.set(fields[i]!, fields[i + 1]!);
  return {
    epoch,
    seq: Number.parseInt(id, 10),
    timeMs: Number(field.get("t")),
    from: field.get("f") ?? "",
    messageId: Number(field.get("m")),
    text: field.get("x") ?? "",
  };
}
