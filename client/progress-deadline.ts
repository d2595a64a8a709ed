/**
 * A deadline that moves each time something happens: `expired` runs once `timeoutMs` have gone by
 * since the last `progress()`. One timer, re-armed only when it fires (progress just records the
 * time), so a busy connection does not churn timers. The keep-alive's dead-server check and the
 * logout barrier's bounded wait are both one of these.
 */
import type { Clock } from "./clock.ts";

export class ProgressDeadline {
  private lastProgressAt: number;
  private timer: unknown;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private timeoutMs: number,
    /** Runs once, with how long it has been since the last progress. */
    private readonly expired: (waitedMs: number) => void,
  ) {
    this.lastProgressAt = clock.now();
    this.arm(timeoutMs);
  }

  get timeout(): number {
    return this.timeoutMs;
  }

  progress(): void {
    this.lastProgressAt = this.clock.now();
  }

  /** Applies a new timeout from now on, counting from the last progress. */
  retime(timeoutMs: number): void {
    if (this.stopped) return;
    this.timeoutMs = timeoutMs;
    this.clock.clearTimeout(this.timer);
    this.arm(Math.max(this.lastProgressAt + timeoutMs - this.clock.now(), 0));
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(delayMs: number): void {
    this.timer = this.clock.setTimeout(() => this.check(), delayMs);
  }

  private check(): void {
    if (this.stopped) return;
    const waited = this.clock.now() - this.lastProgressAt;
    if (waited < this.timeoutMs) {
      this.arm(this.timeoutMs - waited);
      return;
    }
    this.stopped = true;
    this.expired(Math.round(waited));
  }
}
