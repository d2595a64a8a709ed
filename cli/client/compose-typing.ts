/**
 * The interactive typing indicator: turns "what the half-typed line addresses" (see
 * chat-input.ts `composingTo`) into TYPING STARTED/STOPPED for the TypingSender.
 *
 * STARTED goes out when the user starts typing to someone, and again every REPEAT_MS while they
 * keep typing, so the server's typingTimeout never expires a live indicator (REQ-12.29: more often
 * than typingTimeout, never more often than the rate limit). STOPPED goes out when the line is sent,
 * emptied or readdressed, or after IDLE_MS without a keystroke.
 */

import { type Clock, SYSTEM_CLOCK } from "../../client/clock.ts";
import { sameTarget, type TypingSignal, type TypingTarget } from "../../client/typing-sender.ts";
import { LIMITS, TIMER_DEFAULTS_MS } from "../../generated/index.ts";

/** Half the server's timeout: one lost or late repeat still leaves the indicator alive. */
export const REPEAT_MS = Math.max(TIMER_DEFAULTS_MS.typingTimeout / 2, LIMITS.typingMinIntervalMs);
/** A pause this long means the user stopped typing, though the line is still there. */
export const IDLE_MS = 3000;

export class ComposeTyping {
  private current: { target: TypingTarget; startedAt: number } | undefined;
  private idleTimer: unknown;

  constructor(
    private readonly send: (signal: TypingSignal) => void,
    private readonly clock: Clock = SYSTEM_CLOCK,
  ) {}

  /** After every keystroke: whom the line now addresses (undefined: nobody, or nothing typed). */
  keystroke(target: TypingTarget | undefined): void {
    const current = this.current;
    if (current !== undefined && (target === undefined || !sameTarget(current.target, target))) {
      this.stop();
    }
    if (target === undefined) return;
    const now = this.clock.now();
    if (this.current === undefined) {
      this.current = { target, startedAt: now };
      this.send({ target, state: "STARTED" });
    } else if (now - this.current.startedAt >= REPEAT_MS) {
      this.current.startedAt = now;
      this.send({ target, state: "STARTED" });
    }
    this.armIdle();
  }

  /** The line was sent (or abandoned): whoever was being typed to stops seeing the indicator. */
  stop(): void {
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const current = this.current;
    if (current === undefined) return;
    this.current = undefined;
    this.send({ target: current.target, state: "STOPPED" });
  }

  private armIdle(): void {
    if (this.idleTimer !== undefined) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = undefined;
      this.stop();
    }, IDLE_MS);
  }
}
