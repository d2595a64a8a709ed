/**
 * `parrot server` flags for version 3's history (spec §15): how much the in-memory store keeps.
 * The store's own choice (memory, a file, Redis) comes with the v3-stores work; these size the
 * default one. Kept out of config.ts, which parses everything else.
 */
import { MEMORY_STORE_DEFAULTS } from "../../server/history/memory-message-store.ts";

export interface HistoryConfig {
  /** Newest messages kept per room and per direct conversation. */
  count: number;
  /** Direct messages kept for one offline user. */
  offlineQueue: number;
}

export const HISTORY_USAGE = `      --history-count N        (v3) newest messages kept per room and per direct conversation,
                               in memory (default ${MEMORY_STORE_DEFAULTS.historyCount}) [PARROT_HISTORY_COUNT]
      --offline-queue N        (v3) direct messages kept for one offline user; past it the oldest
                               goes (default ${MEMORY_STORE_DEFAULTS.offlineQueue}) [PARROT_OFFLINE_QUEUE]`;

type Option = { text: string; source: string } | undefined;

/** `parseCount` is config.ts's whole-number parser, so errors read alike. */
export function parseHistoryConfig(
  countOption: Option,
  queueOption: Option,
  parseCount: (option: { text: string; source: string }, min: number, max: number) => number,
): HistoryConfig {
  return {
    count:
      countOption === undefined
        ? MEMORY_STORE_DEFAULTS.historyCount
        : parseCount(countOption, 1, 1_000_000),
    // SESSION_INFO advertises the queue in a u2.
    offlineQueue:
      queueOption === undefined
        ? MEMORY_STORE_DEFAULTS.offlineQueue
        : parseCount(queueOption, 0, 0xffff),
  };
}
