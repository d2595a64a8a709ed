/**
 * LoginThrottle: an Authenticator around another one that slows down guessing (REQ-10.8, OWASP
 * ASVS V2.2). The 3 attempts per connection of REQ-5.7 do not stop an attacker who opens many
 * connections (issue 12: 35 guesses/s against one account from 32 connections).
 *
 * Failures are counted per account name and per source address (the address without its port),
 * in a LoginThrottleState (login-throttle-state.ts says how turns are booked): this process's
 * memory by default, or the cluster's Redis, so that every node counts every node's failures
 * (REQ-10.11). No attempt waits longer than `maxDelayMs`, which stays well inside the handshake
 * timeout: one whose turn would come later is refused after `maxDelayMs` without its password
 * being checked.
 *
 * Names are counted whether or not an account has them, so the delay says nothing about which
 * accounts exist (REQ-5.2). The in-memory state remembers only `maxTrackedKeys` names and
 * addresses each (the oldest go first), so inventing names cannot exhaust memory.
 */
import {
  type AttemptKeys,
  LOGIN_THROTTLE_DEFAULTS,
  type LoginThrottleState,
  MemoryLoginThrottleState,
  type ThrottleLimits,
} from "./login-throttle-state.ts";
import type { Authenticator, VerifyContext } from "./user-store.ts";

export interface LoginThrottleOptions extends Partial<ThrottleLimits> {
  /**
   * Where failures are counted; default a MemoryLoginThrottleState with the limits above (a
   * state given here has its own limits, and those above are ignored).
   */
  state?: LoginThrottleState;
  /**
   * Source hosts whose attempts are neither delayed nor counted. The reference server exempts
   * loopback (the conformance suite, local tools, a health check): see README "Operating notes".
   */
  exempt?: (host: string) => boolean;
  /** performance.now() by default; tests pass a fake clock with a matching `sleep`. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class LoginThrottle implements Authenticator {
  private readonly inner: Authenticator;
  private readonly state: LoginThrottleState;
  private readonly exempt: (host: string) => boolean;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(inner: Authenticator, options: LoginThrottleOptions = {}) {
    this.inner = inner;
    const { state, exempt, now, sleep, ...limits } = options;
    this.state =
      state ??
      new MemoryLoginThrottleState(
        { ...LOGIN_THROTTLE_DEFAULTS, ...definedOnly(limits) },
        now ?? (() => performance.now()),
      );
    this.exempt = exempt ?? (() => false);
    this.sleep = sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()));
  }

  reload(): Promise<boolean> {
    return this.inner.reload?.() ?? Promise.resolve(false);
  }

  hasAccount(name: string): boolean {
    return this.inner.hasAccount?.(name) ?? true;
  }

  /** Rejects with StoreUnavailable when a shared state cannot be reached (REQ-10.12). */
  async verify(name: string, password: string, context: VerifyContext = {}): Promise<boolean> {
    const address = context.remoteAddress === undefined ? undefined : hostOf(context.remoteAddress);
    if (address !== undefined && this.exempt(address))
      return this.inner.verify(name, password, context);
    const keys: AttemptKeys =
      address === undefined ? { account: name } : { account: name, address };
    const turn = await this.state.reserveTurn(keys);
    if ("refuseAfterMs" in turn) {
      // The queue on this name or address is longer than anyone should wait: refuse unchecked,
      // as late as the longest wait, so that many connections do not make many guesses.
      await this.sleep(turn.refuseAfterMs);
      return false;
    }
    if (turn.checkAfterMs > 0) await this.sleep(turn.checkAfterMs);
    const valid = await this.inner.verify(name, password, context);
    if (valid) await this.state.recordSuccess(name);
    else await this.state.recordFailure(keys);
    return valid;
  }
}

function definedOnly(limits: Partial<ThrottleLimits>): Partial<ThrottleLimits> {
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
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
