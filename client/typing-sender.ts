/**
 * Paces outgoing TYPING PDUs so the server never has to refuse one.
 *
 * The server answers a TYPING that arrives less than typingMinIntervalMs after the session's
 * previous accepted one with ERROR RATE_LIMITED and drops it (REQ-12.27), whatever its target. So
 * every TYPING goes through this queue, which sends them in order at least `minGapMs` apart. The
 * gap is the spec's minimum plus a margin: the server measures arrival times, and a first TYPING
 * held up on the network can arrive closer to the second than they were sent.
 *
 * Interactive typing may replace what is still queued for one target (typing then deleting the
 * line should not cost the peer a "typing" then "stopped" pair); explicit /typing commands from a
 * script are sent exactly as written.
 */
import { LIMITS, type TargetKindName, type TypingStateName } from "../generated/index.ts";
import { type Clock, SYSTEM_CLOCK } from "./clock.ts";

export const TYPING_JITTER_MARGIN_MS = 50;

export interface TypingTarget {
  kind: TargetKindName;
  /** A username, or a room name without its "#". */
  name: string;
}

export interface TypingSignal {
  target: TypingTarget;
  state: TypingStateName;
}

export class TypingSender {
  private readonly queue: TypingSignal[] = [];
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private timer: unknown;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly send: (signal: TypingSignal) => void,
    private readonly clock: Clock = SYSTEM_CLOCK,
    private readonly minGapMs: number = LIMITS.typingMinIntervalMs + TYPING_JITTER_MARGIN_MS,
  ) {}

  /**
   * Queues one TYPING. With `replaceQueued`, a signal still queued for the same target is
   * replaced (keeping its place) instead of adding another.
   */
  push(signal: TypingSignal, options: { replaceQueued?: boolean } = {}): void {
    if (this.stopped) return;
    const queued = options.replaceQueued
      ? this.queue.find((each) => sameTarget(each.target, signal.target))
      : undefined;
    if (queued !== undefined) queued.state = signal.state;
    else this.queue.push({ target: { ...signal.target }, state: signal.state });
    this.pump();
  }

  /** Signals queued and not sent yet. */
  get queuedCount(): number {
    return this.queue.length;
  }

  /** Resolves once everything queued has been sent (or the sender was stopped). */
  flushed(): Promise<void> {
    if (this.queue.length === 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops whatever is queued: the session has ended and nothing more can be sent. */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.settleWaiters();
  }

  private pump(): void {
    if (this.timer !== undefined || this.stopped) return;
    const next = this.queue[0];
    if (next === undefined) {
      this.settleWaiters();
      return;
    }
    const wait = this.lastSentAt + this.minGapMs - this.clock.now();
    if (wait > 0) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
      return;
    }
    this.queue.shift();
    this.lastSentAt = this.clock.now();
    this.send(next);
    this.pump();
  }

  private settleWaiters(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

export function sameTarget(a: TypingTarget, b: TypingTarget): boolean {
  return a.kind === b.kind && a.name === b.name;
}
