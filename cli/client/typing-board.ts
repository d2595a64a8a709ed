/**
 * Who is typing to this user right now, from the TYPING_NOTICEs received.
 *
 * A typist repeats STARTED while typing (REQ-12.29), so the board reports changes only: an
 * indicator appears on the first STARTED and disappears on STOPPED, which the server also sends
 * when an indicator expires (REQ-12.25). A STOPPED for an indicator not shown is ignored, so each
 * appearance is followed by exactly one disappearance. In case the server's STOPPED never comes
 * (it died, or the session ended), an indicator also disappears on its own once the server's
 * deadline and its tolerance have passed twice over without a fresh STARTED.
 */

import { type Clock, SYSTEM_CLOCK } from "../../client/clock.ts";
import { type TargetKindName, TIMER_DEFAULTS_MS } from "../../generated/index.ts";

export interface Typist {
  from: string;
  /** The room for target kind ROOM; "" when typing to this user. */
  room: string;
}

export const LOCAL_TYPING_EXPIRY_MS =
  TIMER_DEFAULTS_MS.typingTimeout + 2 * TIMER_DEFAULTS_MS.timeoutTolerance;

export class TypingBoard {
  private readonly active = new Map<string, { typist: Typist; timer: unknown }>();

  constructor(
    private readonly onChange: (typist: Typist, typing: boolean) => void,
    private readonly clock: Clock = SYSTEM_CLOCK,
    private readonly expiryMs: number = LOCAL_TYPING_EXPIRY_MS,
  ) {}

  notice(notice: {
    targetKind: TargetKindName;
    room: string;
    from: string;
    started: boolean;
  }): void {
    const typist: Typist = {
      from: notice.from,
      room: notice.targetKind === "ROOM" ? notice.room : "",
    };
    const key = `${notice.targetKind}:${typist.room}:${typist.from}`;
    const current = this.active.get(key);
    if (current !== undefined) this.clock.clearTimeout(current.timer);
    if (!notice.started) {
      if (current === undefined) return;
      this.active.delete(key);
      this.onChange(typist, false);
      return;
    }
    const timer = this.clock.setTimeout(() => {
      this.active.delete(key);
      this.onChange(typist, false);
    }, this.expiryMs);
    this.active.set(key, { typist, timer });
    if (current === undefined) this.onChange(typist, true);
  }

  /** Everyone shown as typing, in the order they started. */
  get typists(): Typist[] {
    return [...this.active.values()].map((entry) => entry.typist);
  }

  /** Forgets every indicator without reporting: the session is over. */
  clear(): void {
    for (const entry of this.active.values()) this.clock.clearTimeout(entry.timer);
    this.active.clear();
  }
}
