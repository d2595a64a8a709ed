/**
 * What the login throttle (login-throttle.ts, REQ-10.8) remembers: failures per account name and
 * per source address, and when the next attempt on each may be checked. Behind an interface so
 * that the nodes of a cluster can share one count (REQ-10.11, cluster/redis-login-throttle.ts):
 * otherwise an attacker spreading guesses over N nodes gets N times the budget.
 *
 * Each key counts `failures` and keeps `nextAttemptAt`. An attempt books its turn on every key it
 * has: the latest `nextAttemptAt` of them (or now); each key's next turn is then that turn plus
 * its spacing, `baseDelayMs * 2^(failures - freeFailures)` once past `freeFailures` (at most
 * `maxDelayMs`). A turn later than `maxDelayMs` from now is not booked: that attempt is refused
 * unchecked. A failure counts on every key of its attempt; a success forgets its account's count;
 * a key is forgotten `forgetAfterMs` after its last failure.
 */

export interface ThrottleLimits {
  freeFailures: number;
  baseDelayMs: number;
  maxDelayMs: number;
  forgetAfterMs: number;
  /** How many names and how many addresses the in-memory state keeps each (the oldest go). */
  maxTrackedKeys: number;
}

export const LOGIN_THROTTLE_DEFAULTS: ThrottleLimits = {
  freeFailures: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  forgetAfterMs: 15 * 60_000,
  maxTrackedKeys: 10_000,
};

/** The keys one login attempt is counted under. */
export interface AttemptKeys {
  account: string;
  /** The source host without its port; absent when the transport gives none. */
  address?: string;
}

/** When the attempt may be checked, or that it waits `maxDelayMs` and is refused unchecked. */
export type Turn = { checkAfterMs: number } | { refuseAfterMs: number };

export interface LoginThrottleState {
  /** Books this attempt's turn on its keys (nothing is booked for a refusal). */
  reserveTurn(keys: AttemptKeys): Promise<Turn>;
  recordFailure(keys: AttemptKeys): Promise<void>;
  recordSuccess(account: string): Promise<void>;
}

/** The spacing after a key's `failures`th failure. */
export function spacingAfter(failures: number, limits: ThrottleLimits): number {
  const { freeFailures, baseDelayMs, maxDelayMs } = limits;
  if (failures < freeFailures) return 0;
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - freeFailures));
}

interface FailureRecord {
  failures: number;
  lastFailureAt: number;
  /** The earliest time the next attempt on this key may be checked. */
  nextAttemptAt: number;
}

/**
 * The state of one server process. Every method does its work before its first await, so
 * attempts that arrive together are booked in the order they arrived.
 */
export class MemoryLoginThrottleState implements LoginThrottleState {
  private readonly byAccount = new Map<string, FailureRecord>();
  private readonly byAddress = new Map<string, FailureRecord>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now: () => number,
  ) {}

  async reserveTurn(keys: AttemptKeys): Promise<Turn> {
    const records = this.recordsOf(keys);
    const now = this.now();
    let turn = now;
    for (const record of records) turn = Math.max(turn, record.nextAttemptAt);
    const wait = turn - now;
    if (wait > this.limits.maxDelayMs) return { refuseAfterMs: this.limits.maxDelayMs };
    for (const record of records)
      record.nextAttemptAt = turn + spacingAfter(record.failures, this.limits);
    return { checkAfterMs: wait };
  }

  async recordFailure(keys: AttemptKeys): Promise<void> {
    this.fail(this.byAccount, keys.account);
    if (keys.address !== undefined) this.fail(this.byAddress, keys.address);
  }

  async recordSuccess(account: string): Promise<void> {
    this.byAccount.delete(account);
  }

  private recordsOf(keys: AttemptKeys): FailureRecord[] {
    const records = [this.recordFor(this.byAccount, keys.account)];
    if (keys.address !== undefined) records.push(this.recordFor(this.byAddress, keys.address));
    return records.filter((record) => record !== undefined);
  }

  /** The live record of `key`, or undefined if it has none (or it was forgotten). */
  private recordFor(records: Map<string, FailureRecord>, key: string): FailureRecord | undefined {
    const record = records.get(key);
    if (record === undefined) return undefined;
    if (this.now() - record.lastFailureAt > this.limits.forgetAfterMs) {
      records.delete(key);
      return undefined;
    }
    return record;
  }

  private fail(records: Map<string, FailureRecord>, key: string): void {
    const now = this.now();
    const record = this.recordFor(records, key) ?? {
      failures: 0,
      lastFailureAt: now,
      nextAttemptAt: now,
    };
    record.failures += 1;
    record.lastFailureAt = now;
    // Re-inserted, so that the Map's order is least recently failed first.
    records.delete(key);
    records.set(key, record);
    if (records.size > this.limits.maxTrackedKeys) {
      const oldest = records.keys().next();
      if (!oldest.done) records.delete(oldest.value);
    }
    record.nextAttemptAt = Math.max(
      record.nextAttemptAt,
      now + spacingAfter(record.failures, this.limits),
    );
  }
}
