/**
 * `parrot server --history memory|file:PATH|redis` and the limits of what it keeps (spec §15.3):
 * which MessageStore (server/history/) version 3 keeps its history and offline direct messages
 * in. Memory is the default of a server on its own, so `make server` needs nothing; `file:PATH`
 * keeps them in an SQLite file across restarts; `redis`, the default with --cluster, keeps them
 * in the cluster's Redis as streams, so every node serves the same history.
 *
 * server-flags.ts lists the flags; config.ts calls `parseHistoryConfig` and builds the memory store;
 * server-command.ts opens a file or Redis store with `openHistoryStore` before the server starts
 * and closes it after the server has closed.
 */
import { Redis } from "ioredis";
import { LIMITS } from "../../generated/index.ts";
import { DEFAULT_HISTORY_PAGE_SIZE } from "../../server/history/history-context.ts";
import { MEMORY_STORE_DEFAULTS } from "../../server/history/memory-message-store.ts";
import type { MessageStore, StoreLimits } from "../../server/history/message-store.ts";
import { RedisStreamsMessageStore } from "../../server/history/redis-streams-message-store.ts";
import { SqliteMessageStore } from "../../server/history/sqlite-message-store.ts";

export type HistoryStoreChoice =
  | { kind: "memory" }
  | { kind: "file"; path: string }
  | { kind: "redis"; url: string; nodeId: string };

export interface HistoryConfig {
  store: HistoryStoreChoice;
  limits: StoreLimits;
  /** SESSION_INFO.max_page. */
  pageSize: number;
}

type Option = { text: string; source: string };

// A million messages per conversation: far past any page a client reads, and a bound an operator
// can reason about for a store in memory.
const MAX_COUNT = 1_000_000;

type Pick = (flag: string) => Option | undefined;

/** Throws `toError(message)` for what cannot be meant (config.ts passes its ConfigError). */
export function parseHistoryConfig(
  pick: Pick,
  cluster: { url: string; nodeId: string } | undefined,
  toError: (message: string) => Error,
): HistoryConfig {
  const storeOption = pick("history");
  const store = parseStore(storeOption, cluster, toError);
  const whole = (option: Option | undefined, fallback: number, min: number, max: number) => {
    if (option === undefined) return fallback;
    const value = Number(option.text);
    if (!/^[0-9]+$/.test(option.text.trim()) || value < min || value > max) {
      throw toError(
        `${option.source}: "${option.text}" is not a whole number from ${min} to ${max}`,
      );
    }
    return value;
  };
  const countOption = pick("history-count");
  // A store in memory (this process's or Redis's) needs a count: an age alone bounds no memory.
  const minCount = store.kind === "file" ? 0 : 1;
  const historyCount = whole(countOption, MEMORY_STORE_DEFAULTS.historyCount, minCount, MAX_COUNT);
  // Whole seconds: SESSION_INFO advertises history_age_s (a u4), and must say what is kept. The
  // memory store takes at most a u4 of milliseconds (49 days).
  const maxAgeS = store.kind === "memory" ? Math.floor(0xffff_ffff / 1000) : 0xffff_ffff;
  const historyAgeMs = 1000 * whole(pick("history-age"), 0, 1, maxAgeS);
  if (historyCount === 0 && historyAgeMs === 0) {
    throw toError(
      `${countOption?.source}: history needs a bound: with a count of 0, give --history-age`,
    );
  }
  const offlineQueue = whole(pick("offline-queue"), MEMORY_STORE_DEFAULTS.offlineQueue, 0, 0xffff);
  const pageSize = whole(pick("history-page"), DEFAULT_HISTORY_PAGE_SIZE, 1, LIMITS.maxHistoryPage);
  return { store, limits: { historyCount, historyAgeMs, offlineQueue }, pageSize };
}

function parseStore(
  option: Option | undefined,
  cluster: { url: string; nodeId: string } | undefined,
  toError: (message: string) => Error,
): HistoryStoreChoice {
  const text = option?.text ?? (cluster === undefined ? "memory" : "redis");
  if (text === "memory") return { kind: "memory" };
  if (text === "redis") {
    if (cluster === undefined) throw toError(`${option?.source}: "redis" needs --cluster`);
    return { kind: "redis", url: cluster.url, nodeId: cluster.nodeId };
  }
  if (text.startsWith("file:") && text.length > "file:".length) {
    return { kind: "file", path: text.slice("file:".length) };
  }
  throw toError(`${option?.source}: "${text}" is not memory, file:PATH or redis`);
}

export interface OpenedHistoryStore {
  store: MessageStore;
  /** After the server has closed: the store, then its connection. */
  close(): Promise<void>;
}

// As the cluster's own connection (server/cluster/redis-cluster.ts): fail at once while Redis is
// away (a message that cannot be stored is refused, not held), reconnect with a capped backoff.
const REDIS_COMMAND_TIMEOUT_MS = 2_000;
const MAX_RETRY_MS = 5_000;

/**
 * Opens a file or Redis store; a file it cannot open or a Redis it cannot reach fails the start.
 * Undefined for memory: config.ts's serverOptionsFromConfig builds that one, for every server
 * started from these flags (the conformance suite's variants too).
 */
export async function openHistoryStore(
  config: HistoryConfig,
): Promise<OpenedHistoryStore | undefined> {
  const { store, limits } = config;
  if (store.kind === "memory") return undefined;
  if (store.kind === "file") {
    const file = new SqliteMessageStore({ path: store.path, limits });
    return { store: file, close: () => file.close() };
  }
  const redis = new Redis(store.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectionName: `parrot:${store.nodeId}:history`,
    retryStrategy: (attempt) => Math.min(MAX_RETRY_MS, 100 * 2 ** (attempt - 1)),
  });
  // The cluster's own connection logs an outage; a store call that fails says so to its caller.
  redis.on("error", () => {});
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`cannot reach the cluster's Redis for history: ${(error as Error).message}`);
  }
  const streams = new RedisStreamsMessageStore({ redis, limits });
  return {
    store: streams,
    close: async () => {
      await streams.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
