/**
 * SqliteMessageStore: the history of one server in one SQLite file (better-sqlite3), so that a
 * restart keeps every conversation's epoch, ids and messages and every offline queue (issue 16,
 * "Storage"; README.md in this folder says what a store guarantees). `parrot server --history
 * file:PATH` selects it.
 *
 * Durability: WAL with synchronous=NORMAL. A commit survives the process dying at any point (kill
 * -9 included); a power cut may lose the last commits before the next checkpoint but never
 * corrupts the file. FULL would fsync every message on the fan-out path.
 *
 * better-sqlite3 is synchronous: each call holds the event loop for a few small indexed
 * statements (an append is one transaction), which costs less than a worker thread's round trip,
 * and makes every call atomic and in call order for free.
 *
 * Cost: an append is one commit of a few pages (no fsync: WAL, synchronous=NORMAL); what is past
 * the bounds is deleted every TRIM_EVERY messages of a conversation, so at most that many more
 * rows than the bounds lie in the file, and reads apply the bounds themselves.
 *
 * Times: a message keeps the draft's acceptedAtMs unless the clock stepped back since the
 * conversation's previous message; then it gets that message's time, so times never decrease
 * along a conversation and the age bound removes only a prefix of it.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Conversation } from "./conversation.ts";
import { checkDurableLimits, MAX_U4, newEpoch } from "./durable-limits.ts";
import type {
  HistoryQuery,
  HistoryRead,
  MessageDraft,
  MessageStore,
  OfflineDelivery,
  StoredMessage,
  StoreLimits,
} from "./message-store.ts";
import { SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from "./sqlite-schema.ts";

// What is past the bounds is deleted every this many messages of a conversation, not at each:
// a delete rewrites a page too. Reads never return it meanwhile (they apply the bounds).
const TRIM_EVERY = 64;

export interface SqliteMessageStoreOptions {
  /** The database file; created (with its folder) when missing. */
  path: string;
  limits: StoreLimits;
  /** Wall clock (Unix ms) the age bound is measured with. Default Date.now. */
  now?: () => number;
}

interface ConversationRow {
  epoch: number;
  newest_seq: number;
  newest_time_ms: number;
}

interface MessageRow {
  epoch?: number;
  seq: number;
  time_ms: number;
  sender: string;
  message_id: number;
  text: string;
}

export class SqliteMessageStore implements MessageStore {
  readonly limits: StoreLimits;
  private readonly db: Database.Database;
  private readonly now: () => number;
  private readonly statements: ReturnType<typeof prepare>;
  // Each one SQLite transaction: a crash leaves all of it or none of it.
  private readonly appendNow: (key: string, draft: MessageDraft) => StoredMessage;
  private readonly enqueueNow: (recipient: string, message: StoredMessage) => void;
  private readonly takeNow: (recipient: string) => OfflineDelivery;

  constructor(options: SqliteMessageStoreOptions) {
    checkDurableLimits(options.limits, false);
    this.limits = { ...options.limits };
    this.now = options.now ?? Date.now;
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(SQLITE_SCHEMA);
      checkSchemaVersion(this.db, options.path);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = prepare(this.db);
    this.appendNow = this.db.transaction(this.appendInTransaction.bind(this));
    this.enqueueNow = this.db.transaction(this.enqueueInTransaction.bind(this));
    this.takeNow = this.db.transaction(this.takeInTransaction.bind(this));
    // A restart applies the limits at once (they may be smaller now), not at the next message.
    const { historyCount } = this.limits;
    if (historyCount > 0) this.statements.forgetBeyondCountEverywhere.run(historyCount);
    this.forgetExpired();
  }

  async append(conversation: Conversation, draft: MessageDraft): Promise<StoredMessage> {
    return this.appendNow(conversation.key, draft);
  }

  async read(conversation: Conversation, query: HistoryQuery): Promise<HistoryRead> {
    const s = this.statements;
    const row = s.conversation.get(conversation.key) as ConversationRow | undefined;
    if (row === undefined) return { range: { epoch: 0, oldestSeq: 0, newestSeq: 0 }, messages: [] };
    const since = this.keptSince();
    const floor = this.countFloor(row.newest_seq);
    const window = {
      conversation: conversation.key,
      since,
      floor,
      limit: Math.max(0, query.limit),
    };
    let rows: MessageRow[];
    if (query.anchor === "LATEST") rows = (s.latest.all(window) as MessageRow[]).reverse();
    else if (query.anchor === "BEFORE") {
      rows = (s.before.all({ ...window, seq: query.seq }) as MessageRow[]).reverse();
    } else rows = s.after.all({ ...window, seq: query.seq }) as MessageRow[];
    const oldest = s.oldest.get({ conversation: conversation.key, since, floor }) as
      | { seq: number }
      | undefined;
    return {
      range: { epoch: row.epoch, oldestSeq: oldest?.seq ?? 0, newestSeq: row.newest_seq },
      messages: rows.map((kept) => storedMessage(row.epoch, kept)),
    };
  }

  async enqueueOffline(recipient: string, message: StoredMessage): Promise<void> {
    this.enqueueNow(recipient, message);
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    return this.takeNow(recipient);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private appendInTransaction(key: string, draft: MessageDraft): StoredMessage {
    const s = this.statements;
    let row = s.conversation.get(key) as ConversationRow | undefined;
    if (row?.newest_seq === MAX_U4) {
      // Seq cannot pass a u4: the conversation goes on in a new epoch (REQ-15.8).
      s.forgetConversation.run(key);
      row = { epoch: newEpoch(row.epoch), newest_seq: 0, newest_time_ms: row.newest_time_ms };
    }
    const epoch = row?.epoch ?? newEpoch();
    const seq = (row?.newest_seq ?? 0) + 1;
    const acceptedAtMs = Math.max(draft.acceptedAtMs, row?.newest_time_ms ?? 0);
    s.keepConversation.run({ name: key, epoch, seq, timeMs: acceptedAtMs });
    s.insertMessage.run({ conversation: key, seq, ...columns({ ...draft, acceptedAtMs }) });
    if (seq % TRIM_EVERY === 0) {
      s.forgetBeyond.run({
        conversation: key,
        floor: this.countFloor(seq),
        since: this.keptSince(),
      });
    }
    return { ...draft, acceptedAtMs, epoch, seq };
  }

  private enqueueInTransaction(recipient: string, message: StoredMessage): void {
    const s = this.statements;
    s.enqueue.run({ recipient, epoch: message.epoch, seq: message.seq, ...columns(message) });
    const { queued } = s.queued.get(recipient) as { queued: number };
    const over = queued - this.limits.offlineQueue;
    if (over <= 0) return;
    s.dropOldestQueued.run({ recipient, over });
    s.countDropped.run({ recipient, over });
  }

  private takeInTransaction(recipient: string): OfflineDelivery {
    const s = this.statements;
    // Read in order first: the order of DELETE … RETURNING is not defined.
    const rows = s.queuedInOrder.all(recipient) as Required<MessageRow>[];
    s.emptyQueue.run(recipient);
    const dropped = s.takeDropped.get(recipient) as { dropped: number } | undefined;
    return {
      messages: rows.map((row) => storedMessage(row.epoch, row)),
      dropped: dropped?.dropped ?? 0,
    };
  }

  /** The largest seq past the count bound (0: none is): kept seqs are above it. */
  private countFloor(newestSeq: number): number {
    const { historyCount } = this.limits;
    return historyCount > 0 ? Math.max(0, newestSeq - historyCount) : 0;
  }

  /** The oldest acceptance time still kept: what is older is past the age bound. */
  private keptSince(): number {
    const { historyAgeMs } = this.limits;
    return historyAgeMs > 0 ? this.now() - historyAgeMs : Number.MIN_SAFE_INTEGER;
  }

  private forgetExpired(): void {
    if (this.limits.historyAgeMs > 0) this.statements.forgetExpired.run(this.keptSince());
  }
}

function prepare(db: Database.Database) {
  const kept = "seq, time_ms, sender, message_id, text FROM message";
  const window = "conversation = @conversation AND seq > @floor AND time_ms >= @since";
  return {
    conversation: db.prepare(
      "SELECT epoch, newest_seq, newest_time_ms FROM conversation WHERE name = ?",
    ),
    keepConversation: db.prepare(
      `INSERT INTO conversation (name, epoch, newest_seq, newest_time_ms)
       VALUES (@name, @epoch, @seq, @timeMs)
       ON CONFLICT (name) DO UPDATE SET epoch = @epoch, newest_seq = @seq, newest_time_ms = @timeMs`,
    ),
    insertMessage: db.prepare(
      `INSERT INTO message (conversation, seq, time_ms, sender, message_id, text)
       VALUES (@conversation, @seq, @timeMs, @sender, @messageId, @text)`,
    ),
    forgetConversation: db.prepare("DELETE FROM message WHERE conversation = ?"),
    forgetBeyond: db.prepare(
      `DELETE FROM message WHERE conversation = @conversation
       AND (seq <= @floor OR time_ms < @since)`,
    ),
    forgetBeyondCountEverywhere: db.prepare(
      `DELETE FROM message WHERE seq <= (SELECT newest_seq - ? FROM conversation
       WHERE conversation.name = message.conversation)`,
    ),
    forgetExpired: db.prepare("DELETE FROM message WHERE time_ms < ?"),
    latest: db.prepare(`SELECT ${kept} WHERE ${window} ORDER BY seq DESC LIMIT @limit`),
    before: db.prepare(
      `SELECT ${kept} WHERE ${window} AND seq < @seq ORDER BY seq DESC LIMIT @limit`,
    ),
    after: db.prepare(`SELECT ${kept} WHERE ${window} AND seq > @seq ORDER BY seq LIMIT @limit`),
    oldest: db.prepare(`SELECT seq FROM message WHERE ${window} ORDER BY seq LIMIT 1`),
    enqueue: db.prepare(
      `INSERT INTO offline (recipient, epoch, seq, time_ms, sender, message_id, text)
       VALUES (@recipient, @epoch, @seq, @timeMs, @sender, @messageId, @text)`,
    ),
    queued: db.prepare("SELECT count(*) AS queued FROM offline WHERE recipient = ?"),
    dropOldestQueued: db.prepare(
      `DELETE FROM offline WHERE position IN
       (SELECT position FROM offline WHERE recipient = @recipient ORDER BY position LIMIT @over)`,
    ),
    countDropped: db.prepare(
      `INSERT INTO offline_dropped (recipient, dropped) VALUES (@recipient, @over)
       ON CONFLICT (recipient) DO UPDATE SET dropped = dropped + @over`,
    ),
    queuedInOrder: db.prepare(
      `SELECT epoch, seq, time_ms, sender, message_id, text FROM offline
       WHERE recipient = ? ORDER BY position`,
    ),
    emptyQueue: db.prepare("DELETE FROM offline WHERE recipient = ?"),
    takeDropped: db.prepare("DELETE FROM offline_dropped WHERE recipient = ? RETURNING dropped"),
  };
}

/** The columns a message and a queued message have in common. */
function columns(message: MessageDraft) {
  return {
    timeMs: message.acceptedAtMs,
    sender: message.from,
    messageId: message.messageId,
    text: message.text,
  };
}

function storedMessage(epoch: number, row: MessageRow): StoredMessage {
  return {
    messageId: row.message_id,
    from: row.sender,
    text: row.text,
    acceptedAtMs: row.time_ms,
    epoch,
    seq: row.seq,
  };
}

function checkSchemaVersion(db: Database.Database, path: string): void {
  db.prepare("INSERT OR IGNORE INTO store_info (name, value) VALUES ('schema', ?)").run(
    SQLITE_SCHEMA_VERSION,
  );
  const { value } = db.prepare("SELECT value FROM store_info WHERE name = 'schema'").get() as {
    value: number;
  };
  if (value !== SQLITE_SCHEMA_VERSION) {
    throw new Error(
      `${path}: a history file of schema ${value}; this server reads schema ${SQLITE_SCHEMA_VERSION}`,
    );
  }
}
