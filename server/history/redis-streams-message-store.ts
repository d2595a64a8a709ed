/**
 * RedisStreamsMessageStore: the history of a cluster in the cluster's Redis (issue 16,
 * "Storage"; README.md in this folder says what a store guarantees), one stream per conversation
 * whose entry ids are the seqs the scripts give (redis-stream-scripts.ts), so a message appended
 * through any node is read in the same place and order through every other. What `--cluster`
 * selects unless `--history` says otherwise.
 *
 * Redis is the store: what it keeps (its persistence settings) is what survives. When it comes
 * back empty, or a conversation's keys were evicted, the next append or read starts a new epoch,
 * so clients are told the history they knew is gone (REQ-15.8) rather than served ids again.
 *
 * A message keeps the draft's acceptedAtMs (the appending node's clock) unless that is before the
 * conversation's previous message, whose time it then gets: two nodes' clocks differ, and times
 * must not go back along a conversation. Calls on one connection run in call order, and each
 * script atomically, so appends to one conversation take their ids in the order of the calls.
 *
 * When Redis cannot answer, every method rejects with StoreUnavailable.
 */
import { createHash } from "node:crypto";
import { type Redis, ReplyError } from "ioredis";
import { StoreUnavailable } from "../store-unavailable.ts";
import type { Conversation } from "./conversation.ts";
import { checkDurableLimits, newEpoch } from "./durable-limits.ts";
import type {
  HistoryQuery,
  HistoryRead,
  MessageDraft,
  MessageStore,
  OfflineDelivery,
  StoredMessage,
  StoreLimits,
} from "./message-store.ts";
import {
  APPEND_AND_PUBLISH_SCRIPT,
  APPEND_SCRIPT,
  QUEUE_SCRIPT,
  RANGE_SCRIPT,
  TAKE_SCRIPT,
} from "./redis-stream-scripts.ts";

export const DEFAULT_HISTORY_KEY_PREFIX = "parrot:history:";

export interface RedisStreamsMessageStoreOptions {
  /** The connection to use; the caller closes it, after the store. */
  redis: Redis;
  /** historyCount is required (not 0): Redis holds the history in memory. */
  limits: StoreLimits;
  /** Wall clock (Unix ms) the age bound is measured with. Default Date.now. */
  now?: () => number;
  keyPrefix?: string;
}

type StreamEntry = [id: string, fields: string[]];
type RangeReply = [epoch: number, oldest: number, newest: number, entries: StreamEntry[]];

const UNAVAILABLE = "history is unavailable: the cluster's shared store cannot be reached";

export class RedisStreamsMessageStore implements MessageStore {
  readonly limits: StoreLimits;
  private readonly redis: Redis;
  private readonly now: () => number;
  private readonly prefix: string;

  constructor(options: RedisStreamsMessageStoreOptions) {
    checkDurableLimits(options.limits, true);
    this.limits = { ...options.limits };
    this.redis = options.redis;
    this.now = options.now ?? Date.now;
    this.prefix = options.keyPrefix ?? DEFAULT_HISTORY_KEY_PREFIX;
  }

  async append(conversation: Conversation, draft: MessageDraft): Promise<StoredMessage> {
    const [epoch, seq, acceptedAtMs] = (await this.run(
      APPEND_SCRIPT,
      this.conversationKeys(conversation),
      this.appendArguments(draft),
    )) as [number, number, number];
    return { ...draft, acceptedAtMs, epoch, seq };
  }

  /**
   * Appends `draft` and, in the same atomic step, publishes `envelope` (a JSON object) on
   * `channel` with `"stamp":[epoch,seq,time]` added: no other message can take an id or be
   * published on that channel in between, so a channel's order is the order of its ids, whichever
   * nodes append (REQ-13.18). `subscribers` is what PUBLISH answered.
   */
  async appendAndPublish(
    conversation: Conversation,
    draft: MessageDraft,
    channel: string,
    envelope: string,
  ): Promise<{ stored: StoredMessage; subscribers: number }> {
    if (!envelope.startsWith("{") || envelope === "{}") {
      throw new RangeError("the envelope is a JSON object with at least one field");
    }
    const [epoch, seq, acceptedAtMs, subscribers] = (await this.run(
      APPEND_AND_PUBLISH_SCRIPT,
      this.conversationKeys(conversation),
      [...this.appendArguments(draft), channel, envelope],
    )) as [number, number, number, number];
    return { stored: { ...draft, acceptedAtMs, epoch, seq }, subscribers };
  }

  async read(conversation: Conversation, query: HistoryQuery): Promise<HistoryRead> {
    const anchor = query.anchor === "LATEST" ? 0 : query.seq;
    if (!Number.isSafeInteger(anchor) || anchor < 0)
      throw new RangeError("a seq is a whole number");
    const [epoch, oldestSeq, newestSeq, entries] = (await this.run(
      RANGE_SCRIPT,
      this.conversationKeys(conversation),
      [...this.epochArguments(), query.anchor, anchor, Math.max(0, Math.floor(query.limit))],
    )) as RangeReply;
    const messages = entries.map((entry) => storedMessage(epoch, entry));
    if (query.anchor !== "AFTER") messages.reverse();
    return { range: { epoch, oldestSeq, newestSeq }, messages };
  }

  async enqueueOffline(recipient: string, message: StoredMessage): Promise<void> {
    await this.run(QUEUE_SCRIPT, this.queueKeys(recipient), [
      JSON.stringify(message),
      this.limits.offlineQueue,
    ]);
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    const [messages, dropped] = (await this.run(TAKE_SCRIPT, this.queueKeys(recipient), [])) as [
      string[],
      number,
    ];
    return { messages: messages.map((json) => JSON.parse(json) as StoredMessage), dropped };
  }

  /** The connection is the caller's: it closes it after the server. */
  async close(): Promise<void> {}

  private conversationKeys({ key }: Conversation): string[] {
    return [`${this.prefix}meta:${key}`, `${this.prefix}log:${key}`];
  }

  private queueKeys(recipient: string): string[] {
    return [`${this.prefix}offline:${recipient}`, `${this.prefix}offline-dropped:${recipient}`];
  }

  /** ARGV[1..8] of the append scripts. */
  private appendArguments(draft: MessageDraft): (string | number)[] {
    return [
      ...this.epochArguments(),
      this.limits.historyCount,
      draft.acceptedAtMs,
      draft.from,
      draft.messageId,
      draft.text,
    ];
  }

  /** ARGV[1..3] of every conversation script: now, the age bound, an epoch to start if lost. */
  private epochArguments(): (string | number)[] {
    return [this.now(), this.limits.historyAgeMs, newEpoch()];
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

function storedMessage(epoch: number, [id, fields]: StreamEntry): StoredMessage {
  const field = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) field.set(fields[i]!, fields[i + 1]!);
  return {
    messageId: Number(field.get("m")),
    from: field.get("f") ?? "",
    text: field.get("x") ?? "",
    acceptedAtMs: Number(field.get("t")),
    epoch,
    seq: Number.parseInt(id, 10),
  };
}
