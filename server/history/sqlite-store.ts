/**
 * SqliteHistoryStore: the history of one server in one SQLite file (better-sqlite3), so that a
 * restart keeps every conversation's epoch, ids and messages and every offline queue (issue 16,
 * "Storage"). Without --cluster it is what `--history file:PATH` selects.
 *
 * Durability: WAL with synchronous=NORMAL. A commit survives the process dying at any point (kill
 * -9 included); a power cut may lose the last commits before the next checkpoint but never
 * corrupts the file. FULL would fsync every message on the fan-out path, the cost the bench's
 * "history on vs off" ratio measures.
 *
 * better-sqlite3 is synchronous: each call holds the event loop for one small indexed statement
 * (an append is one transaction of a few), which is cheaper than a worker thread's round trip.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
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

// Bumped when the tables change; a file of another version is refused, not guessed at.
const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS store_info (name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conversation (
  name TEXT PRIMARY KEY,
  epoch INTEGER NOT NULL,
  newest_seq INTEGER NOT NULL,
  newest_time_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS message (
  conversation TEXT NOT NULL,
  seq INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  sender TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  text TEXT NOT NULL,
  PRIMARY KEY (conversation, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS message_by_time ON message (time_ms);
CREATE TABLE IF NOT EXISTS offline (
  position INTEGER PRIMARY KEY,
  recipient TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  time_ms INTEGER NOT NULL,
  sender TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS offline_by_recipient ON offline (recipient, position);
CREATE TABLE IF NOT EXISTS offline_dropped (
  recipient TEXT PRIMARY KEY,
  dropped INTEGER NOT NULL
) WITHOUT ROWID;
`;

export interface SqliteHistoryOptions {
  /** The database file; created (with its folder) when missing. */
  path: string;
  bounds: HistoryBounds;
  /** Milliseconds since 1970 (Date.now by default); tests pass their own. */
  clock?: () => number;
}

interface ConversationRow {
  epoch: number;
  newest_seq: number;
  newest_time_ms: number;
}

interface MessageRow {
  seq: number;
  time_ms: number;
  sender: string;
  message_id: number;
  text: string;
}

interface OfflineRow extends MessageRow {
  epoch: number;
}

export class SqliteHistoryStore implements DurableHistory {
  readonly bounds: HistoryBounds;
  private readonly db: Database.Database;
  private readonly clock: () => number;
  private readonly statements: ReturnType<typeof prepare>;
  // Each one SQLite transaction: a crash leaves all of it or none.
  private readonly appendNow: (conversation: string, message: MessageToKeep) => KeptMessage;
  private readonly queueNow: (recipient: string, message: KeptMessage) => void;
  private readonly takeNow: (recipient: string) => OfflineDelivery;

  constructor(options: SqliteHistoryOptions) {
    checkBounds(options.bounds);
    this.bounds = options.bounds;
    this.clock = options.clock ?? Date.now;
    mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    try {
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.exec(SCHEMA);
      checkSchemaVersion(this.db, options.path);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.statements = prepare(this.db);
    this.appendNow = this.db.transaction(this.appendInTransaction.bind(this));
    this.queueNow = this.db.transaction(this.queueInTransaction.bind(this));
    this.takeNow = this.db.transaction(this.takeInTransaction.bind(this));
    // A restart applies the bounds at once (they may be smaller now), not at the next message.
    if (this.bounds.count > 0) this.statements.forgetBeyondCountEverywhere.run(this.bounds.count);
    this.forgetExpired(this.clock());
  }

  async append(conversation: string, message: MessageToKeep): Promise<KeptMessage> {
    return this.appendNow(conversation, message);
  }

  async range(conversation: string, range: HistoryRange, limit: number): Promise<HistorySlice> {
    const s = this.statements;
    const row = s.conversation.get(conversation) as ConversationRow | undefined;
    if (row === undefined) return { epoch: 0, oldestSeq: 0, newestSeq: 0, items: [] };
    const since = this.keptSince(this.clock());
    const window = { conversation, since, limit: Math.max(0, limit) };
    let rows: MessageRow[];
    if (range.kind === "latest") rows = (s.latest.all(window) as MessageRow[]).reverse();
    else if (range.kind === "before") {
      rows = (s.before.all({ ...window, seq: range.seq }) as MessageRow[]).reverse();
    } else rows = s.after.all({ ...window, seq: range.seq }) as MessageRow[];
    const oldest = s.oldest.get({ conversation, since }) as { seq: number } | undefined;
    return {
      epoch: row.epoch,
      oldestSeq: oldest?.seq ?? 0,
      newestSeq: row.newest_seq,
      items: rows.map((kept) => keptMessage(row.epoch, kept)),
    };
  }

  async queueOffline(recipient: string, message: KeptMessage): Promise<void> {
    this.queueNow(recipient, message);
  }

  async takeOffline(recipient: string): Promise<OfflineDelivery> {
    return this.takeNow(recipient);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private appendInTransaction(conversation: string, message: MessageToKeep): KeptMessage {
    const s = this.statements;
    const row = s.conversation.get(conversation) as ConversationRow | undefined;
    const epoch = row?.epoch ?? freshEpoch();
    const seq = (row?.newest_seq ?? 0) + 1;
    // A clock stepped back must not give a later message an earlier time.
    const timeMs = Math.max(this.clock(), row?.newest_time_ms ?? 0);
    s.keepConversation.run({ name: conversation, epoch, seq, timeMs });
    s.insertMessage.run({
      conversation,
      seq,
      timeMs,
      sender: message.from,
      messageId: message.messageId,
      text: message.text,
    });
    if (this.bounds.count > 0) {
      s.forgetBeyondCount.run({ conversation, seq: seq - this.bounds.count });
    }
    this.forgetExpired(timeMs);
    return { ...message, epoch, seq, timeMs };
  }

  private queueInTransaction(recipient: string, message: KeptMessage): void {
    const s = this.statements;
    s.queue.run({
      recipient,
      epoch: message.epoch,
      seq: message.seq,
      timeMs: message.timeMs,
      sender: message.from,
      messageId: message.messageId,
      text: message.text,
    });
    const { queued } = s.queued.get(recipient) as { queued: number };
    const over = queued - this.bounds.offlineQueue;
    if (over <= 0) return;
    s.dropOldestQueued.run({ recipient, over });
    s.countDropped.run({ recipient, over });
  }

  private takeInTransaction(recipient: string): OfflineDelivery {
    const s = this.statements;
    // Read in order first: the order of DELETE ... RETURNING is arbitrary.
    const rows = s.queuedInOrder.all(recipient) as OfflineRow[];
    s.emptyQueue.run(recipient);
    const dropped = s.takeDropped.get(recipient) as { dropped: number } | undefined;
    return {
      messages: rows.map((row) => keptMessage(row.epoch, row)),
      dropped: dropped?.dropped ?? 0,
    };
  }

  /** The oldest time still kept: everything before it is past the age bound. */
  private keptSince(now: number): number {
    return this.bounds.ageMs > 0 ? now - this.bounds.ageMs : Number.MIN_SAFE_INTEGER;
  }

  private forgetExpired(now: number): void {
    if (this.bounds.ageMs > 0) this.statements.forgetExpired.run(this.keptSince(now));
  }
}

function prepare(db: Database.Database) {
  const kept = "seq, time_ms, sender, message_id, text FROM message";
  const window = "conversation = @conversation AND time_ms >= @since";
  return {
    conversation: db.prepare(
      "SELECT epoch, newest_seq, newest_time_ms FROM conversation WHERE name = ?",
    ),
    keepConversation: db.prepare(
      `INSERT INTO conversation (name, epoch, newest_seq, newest_time_ms)
       VALUES (@name, @epoch, @seq, @timeMs)
       ON CONFLICT (name) DO UPDATE SET newest_seq = @seq, newest_time_ms = @timeMs`,
    ),
    insertMessage: db.prepare(
      `INSERT INTO message (conversation, seq, time_ms, sender, message_id, text)
       VALUES (@conversation, @seq, @timeMs, @sender, @messageId, @text)`,
    ),
    forgetBeyondCount: db.prepare(
      "DELETE FROM message WHERE conversation = @conversation AND seq <= @seq",
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
    queue: db.prepare(
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

function keptMessage(epoch: number, row: MessageRow): KeptMessage {
  return {
    epoch,
    seq: row.seq,
    timeMs: row.time_ms,
    from: row.sender,
    messageId: row.message_id,
    text: row.text,
  };
}

function checkSchemaVersion(db: Database.Database, path: string): void {
  db.prepare("INSERT OR IGNORE INTO store_info (name, value) VALUES ('schema', ?)").run(
    SCHEMA_VERSION,
  );
  const { value } = db.prepare("SELECT value FROM store_info WHERE name = 'schema'").get() as {
    value: number;
  };
  if (value !== SCHEMA_VERSION) {
    throw new Error(
      `${path}: a history file of schema ${value}, this server reads ${SCHEMA_VERSION}`,
    );
  }
}
