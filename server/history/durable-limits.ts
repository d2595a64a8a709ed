/**
 * What the durable stores (sqlite-message-store.ts, redis-streams-message-store.ts) share beyond
 * the MessageStore interface: the check of the limits they are given and how they draw epochs.
 */
import { randomInt } from "node:crypto";
import type { StoreLimits } from "./message-store.ts";

/** The largest seq and epoch: both are u4 on the wire. */
export const MAX_U4 = 0xffff_ffff;

/**
 * Refuses limits the spec does not allow (§15.3: history is never unbounded). `countRequired`
 * for a store held in memory (Redis): an age bound alone lets a busy room grow without end there.
 */
export function checkDurableLimits(limits: StoreLimits, countRequired: boolean): void {
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`${name} must be a whole number, not ${value}`);
    }
  }
  if (limits.historyCount > MAX_U4 || limits.offlineQueue > MAX_U4) {
    throw new RangeError(`historyCount and offlineQueue are at most ${MAX_U4}`);
  }
  if (countRequired && limits.historyCount === 0) {
    throw new RangeError("this store needs a historyCount: an age bound alone bounds no memory");
  }
  if (limits.historyCount === 0 && limits.historyAgeMs === 0) {
    throw new RangeError("history needs a bound: historyCount, historyAgeMs or both");
  }
}

/** A random epoch: a u4 that is not 0, and not `previous` when the store still knows it. */
export function newEpoch(previous?: number): number {
  const drawn = randomInt(1, MAX_U4 + 1);
  return drawn === previous ? (drawn % MAX_U4) + 1 : drawn;
}
