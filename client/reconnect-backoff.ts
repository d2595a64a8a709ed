/**
 * How long a reconnecting client waits before its next attempt: exponential back-off, bounded,
 * with jitter, so a server that restarts is not hit by every client it had in the same instant
 * (the "thundering herd"), and a server that stays down costs each client at most one attempt
 * per `maxMs`.
 */

export interface Backoff {
  /** The ceiling of the first wait; each further failed attempt doubles it. */
  initialMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
}

/** 1 s, 2 s, 4 s … 30 s: what MQTT and IRC clients commonly use. */
export const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 30_000 };

/**
 * The wait before attempt `attempt` (1 for the first after a drop). "Equal jitter": somewhere in
 * the upper half of the ceiling, never less, so the clients of a crowd spread out yet none of them
 * hammers a server that is still down. `random` is in [0, 1), as Math.random.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
