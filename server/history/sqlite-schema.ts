/**
 * The tables of the file store (sqlite-message-store.ts). `conversation` holds each history's
 * current epoch and newest seq (so ids go on after its messages aged out or were trimmed);
 * `message` the messages kept, by conversation and seq; `offline` the queued direct messages in
 * the order they were queued (`position`), and `offline_dropped` how many left each full queue.
 * No index on time: ages are trimmed per conversation along its key (times grow with seq), and
 * every page an index adds is written again at every message.
 */

// Bumped when the tables change: a file of another schema is refused, not guessed at.
export const SQLITE_SCHEMA_VERSION = 1;

export const SQLITE_SCHEMA = `
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
