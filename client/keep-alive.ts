/**
 * KeepAlive: the client's PINGs and its "is the server still there?" decision, as its own object
 * (like nats.js heartbeats.ts); the session only starts it, feeds it what it hears, and stops it.
 *
 * - PINGs go out every PING_EARLY_FACTOR × the advertised interval, the first one that long after
 *   the VERSION_RESPONSE: a client must ping at least once per interval (REQ-7.1), and timers fire
 *   late on a loaded machine, so it aims early rather than at the deadline.
 * - Life is any PDU from the server except a PONG whose token this client never sent: a server
 *   (or something pretending to be one) that only repeats PONGs it made up is not answering us.
 * - The server is dead when nothing that counts as life arrived for its advertised ping timeout
 *   (before the VERSION_RESPONSE, the protocol's default).
 */
import { TIMER_DEFAULTS_MS } from "../generated/index.ts";
import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import { ProgressDeadline } from "./progress-deadline.ts";

/** PINGs are sent at this fraction of the advertised interval. */
export const PING_EARLY_FACTOR = 0.8;
// A server advertising a 0 ms interval would have us ping in a busy loop; no sane server does,
// and a floor keeps a broken one from costing more than a little traffic.
const MIN_PING_PERIOD_MS = 10;
// Ping tokens are u4 on the wire; after the last one they start again at 1.
const MAX_U32 = 0xffff_ffff;
// Tokens remembered while their PONG is awaited. The server answers in order, so a PONG also
// settles every older token; the cap only matters for a server that never answers at all.
const MAX_REMEMBERED_TOKENS = 64;

export interface KeepAliveLink {
  /** Puts one PING with this token on the wire. */
  sendPing(token: number): void;
  /** Nothing that counts as life arrived within the ping timeout; `why` says so to a person. */
  dead(why: string): void;
}

export class KeepAlive {
  private nextToken = 1;
  private readonly awaited = new Set<number>();
  private readonly silence: ProgressDeadline;
  private pingTimer: unknown;
  private stopped = false;

  constructor(
    private readonly link: KeepAliveLink,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {
    // Until the server advertises its timeout, allow it the protocol's default to answer at all.
    this.silence = new ProgressDeadline(clock, TIMER_DEFAULTS_MS.pingTimeout, (silentFor) =>
      link.dead(
        `the server stopped answering: nothing received for ${silentFor} ms ` +
          `(its ping timeout is ${this.silence.timeout} ms)`,
      ),
    );
  }

  /** VERSION_RESPONSE OK arrived now: ping on the server's interval, judge by its timeout. */
  start(intervalMs: number, timeoutMs: number): void {
    if (this.stopped) return;
    this.heard();
    this.silence.retime(timeoutMs);
    const period = Math.max(intervalMs * PING_EARLY_FACTOR, MIN_PING_PERIOD_MS);
    this.schedulePing(this.clock.now() + period, period);
  }

  /** The server sent a PDU other than PONG (or a frame we could not decode). */
  heard(): void {
    this.silence.progress();
  }

  /** A PONG arrived. True if it answers a PING of ours (only then is it life). */
  pong(token: number): boolean {
    if (!this.awaited.has(token)) return false;
    // PONGs come back in order (REQ-2.9): this one settles every older PING too.
    for (const each of this.awaited) {
      this.awaited.delete(each);
      if (each === token) break;
    }
    this.heard();
    return true;
  }

  /** Sends one PING now, outside the schedule (the logout barrier's), and returns its token. */
  ping(): number {
    const token = this.nextToken;
    this.nextToken = token === MAX_U32 ? 1 : token + 1;
    this.awaited.add(token);
    if (this.awaited.size > MAX_REMEMBERED_TOKENS) {
      this.awaited.delete(this.awaited.values().next().value as number);
    }
    this.link.sendPing(token);
    return token;
  }

  /** No more scheduled PINGs (LOGOUT was sent); the silence check keeps running. */
  stopPinging(): void {
    this.clock.clearTimeout(this.pingTimer);
    this.pingTimer = undefined;
  }

  /** The session has ended: no timer of ours may keep the process alive or fire. */
  stop(): void {
    this.stopped = true;
    this.stopPinging();
    this.silence.stop();
  }

  // Each PING is planned a period after the previous plan, not after the timer fired, so timer
  // lateness does not add up; one that falls behind the clock goes at once instead of in a burst.
  private schedulePing(at: number, period: number): void {
    this.pingTimer = this.clock.setTimeout(
      () => {
        this.ping();
        this.schedulePing(Math.max(at + period, this.clock.now()), period);
      },
      Math.max(at - this.clock.now(), 0),
    );
  }
}
