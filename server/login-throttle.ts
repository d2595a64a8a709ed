/**
 * LoginThrottle: an Authenticator around another one that slows down guessing (REQ-10.8, OWASP
 * ASVS V2.2). The 3 attempts per connection of REQ-5.7 do not stop an attacker who opens many
 * connections (issue 12: 35 guesses/s against one account from 32 connections).
 *
 * Failures are counted per account name and per source address (the address without its port).
 * After `freeFailures` of them, every further attempt on that name or from that address waits its
 * turn: attempts on one key are checked `baseDelayMs * 2^(failures - freeFailures)` apart (at
 * most `maxDelayMs`), however many connections they come from. No attempt waits longer than
 * `maxDelayMs`, which stays well inside the handshake timeout: one whose turn would come later
 * is refused after `maxDelayMs` without its password being checked. A success clears its account's count; counts are forgotten after
 * `forgetAfterMs` without a failure.
 *
 * Names are counted whether or not an account has them, so the delay says nothing about which
 * accounts exist (REQ-5.2). Only `maxTrackedKeys` names and addresses are remembered each (the
 * oldest go first), so inventing names cannot exhaust memory.
 */
import type { Authenticator, VerifyContext } from "./user-store.ts";

export interface LoginThrottleOptions {
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  forgetAfterMs?: number;
  maxTrackedKeys?: number;
  /**
   * Source hosts whose attempts are neither delayed nor counted. The reference server exempts
   * loopback (the conformance suite, local tools, a health check): see README "Operating notes".
   */
  exempt?: (host: string) => boolean;
  /** performance.now() by default; tests pass a fake clock with a matching `sleep`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const LOGIN_THROTTLE_DEFAULTS = {
  freeFailures: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  forgetAfterMs: 15 * 60_000,
  maxTrackedKeys: 10_000,
} as const;

interface FailureRecord {
  failures: number;
  lastFailureAt: number;
  /** The earliest time the next attempt on this key may be checked. */
  nextAttemptAt: number;
}

export class LoginThrottle implements Authenticator {
  private readonly inner: Authenticator;
  private readonly limits: Required<Omit<LoginThrottleOptions, "now" | "sleep" | "exempt">>;
  private readonly exempt: (host: string) => boolean;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly byAccount = new Map<string, FailureRecord>();
  private readonly byAddress = new Map<string, FailureRecord>();

  constructor(inner: Authenticator, options: LoginThrottleOptions = {}) {
    this.inner = inner;
    this.limits = {
      freeFailures: options.freeFailures ?? LOGIN_THROTTLE_DEFAULTS.freeFailures,
      baseDelayMs: options.baseDelayMs ?? LOGIN_THROTTLE_DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? LOGIN_THROTTLE_DEFAULTS.maxDelayMs,
      forgetAfterMs: options.forgetAfterMs ?? LOGIN_THROTTLE_DEFAULTS.forgetAfterMs,
      maxTrackedKeys: options.maxTrackedKeys ?? LOGIN_THROTTLE_DEFAULTS.maxTrackedKeys,
    };
    this.exempt = options.exempt ?? (() => false);
    this.now = options.now ?? (() => performance.now());
    this.sleep =
      options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  reload(): Promise<boolean> {
    return this.inner.reload?.() ?? Promise.resolve(false);
  }

  hasAccount(name: string): boolean {
    return this.inner.hasAccount?.(name) ?? true;
  }

  async verify(name: string, password: string, context: VerifyContext = {}): Promise<boolean> {
    const address = context.remoteAddress === undefined ? undefined : hostOf(context.remoteAddress);
    if (address !== undefined && this.exempt(address))
      return this.inner.verify(name, password, context);
    const records = [this.recordFor(this.byAccount, name)];
    if (address !== undefined) records.push(this.recordFor(this.byAddress, address));
    const wait = this.reserveTurn(records.filter((record) => record !== undefined));
    if (wait === "no turn") {
      // The queue on this name or address is longer than anyone should wait: refuse unchecked,
      // as late as the longest wait, so that many connections do not make many guesses.
      await this.sleep(this.limits.maxDelayMs);
      return false;
    }
    if (wait > 0) await this.sleep(wait);
    const valid = await this.inner.verify(name, password, context);
    if (valid) {
      this.byAccount.delete(name);
    } else {
      this.fail(this.byAccount, name);
      if (address !== undefined) this.fail(this.byAddress, address);
    }
    return valid;
  }

  /**
   * How long this attempt waits for its turn, which it books so that the next attempt on the same
   * keys waits after it; "no turn" when that would be longer than maxDelayMs.
   */
  private reserveTurn(records: FailureRecord[]): number | "no turn" {
    const now = this.now();
    let turn = now;
    for (const record of records) turn = Math.max(turn, record.nextAttemptAt);
    const wait = turn - now;
    if (wait > this.limits.maxDelayMs) return "no turn";
    for (const record of records) record.nextAttemptAt = turn + this.spacing(record);
    return wait;
  }

  private spacing(record: FailureRecord): number {
    const { freeFailures, baseDelayMs, maxDelayMs } = this.limits;
    if (record.failures < freeFailures) return 0;
    return Math.min(maxDelayMs, baseDelayMs * 2 ** (record.failures - freeFailures));
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
    record.nextAttemptAt = Math.max(record.nextAttemptAt, now + this.spacing(record));
  }
}

/** "198.51.100.7:4242" -> "198.51.100.7", "[2001:db8::1]:4242" -> "2001:db8::1". */
function hostOf(remoteAddress: string): string {
  if (remoteAddress.startsWith("[")) {
    const end = remoteAddress.indexOf("]");
    return end < 0 ? remoteAddress : remoteAddress.slice(1, end);
  }
  const colon = remoteAddress.lastIndexOf(":");
  return colon < 0 ? remoteAddress : remoteAddress.slice(0, colon);
}
