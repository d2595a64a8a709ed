/**
 * TypingTracker: typing indicators of version 2 (spec §12.7): relaying TYPING as TYPING_NOTICE,
 * the per-session rate limit, and expiring indicators nobody stopped.
 *
 * An indicator is one (typist, target) pair. It exists from the first STARTED that reached
 * someone until a STOPPED for it is relayed or it expires: typingTimeout after its last relayed
 * STARTED, the server sends TYPING_NOTICE STOPPED itself to the indicator's recipients at that
 * moment (the target user's version-2 session, or the room's other members), also when the
 * typist has logged out or left the room since (REQ-12.25). So a typist that vanishes never
 * leaves an "is typing" stuck on anyone's screen.
 *
 * Expiry runs on the server's TimeoutScheduler (the same wheel as the ping timeouts), not on a
 * timer per keystroke: a repeated STARTED only moves the indicator's deadline later, which the
 * wheel picks up when the old deadline's bucket comes due. Precision is the wheel's: no earlier
 * than the deadline, at most a tick plus event-loop lag after it, inside timeoutTolerance.
 *
 * Rate limit (REQ-12.27, REQ-12.28): a session's TYPING less than typingMinIntervalMs after its
 * previous accepted one is refused; a refused one does not restart the interval.
 */
import {
  LIMITS,
  type TargetKindName,
  TIMER_DEFAULTS_MS,
  type TypingStateName,
} from "../generated/index.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import type { RoomRegistry } from "./room-registry.ts";
import type { SessionDirectory } from "./session-directory.ts";
import type { Expirable, TimeoutScheduler } from "./timeout-wheel.ts";

export interface TypingTrackerOptions {
  scheduler: TimeoutScheduler;
  directory: SessionDirectory;
  rooms: RoomRegistry;
  /** The scheduler's clock (performance.now() milliseconds). */
  now: () => number;
  /** Default timers.typingTimeout. */
  typingTimeoutMs?: number;
  /** Default limits.typingMinIntervalMs. */
  minIntervalMs?: number;
}

export class TypingTracker {
  readonly typingTimeoutMs: number;
  readonly minIntervalMs: number;
  private readonly options: TypingTrackerOptions;
  private readonly indicators = new Map<string, Indicator>();
  // Keyed by the participant object: a new login starts with a clean slate.
  private readonly lastAccepted = new WeakMap<Participant, number>();

  constructor(options: TypingTrackerOptions) {
    this.options = options;
    this.typingTimeoutMs = options.typingTimeoutMs ?? TIMER_DEFAULTS_MS.typingTimeout;
    this.minIntervalMs = options.minIntervalMs ?? LIMITS.typingMinIntervalMs;
  }

  /** Live indicators (started, neither stopped nor expired yet). */
  get size(): number {
    return this.indicators.size;
  }

  /**
   * The rate limit: false if `typist`'s previous accepted TYPING was less than the minimum
   * interval ago; otherwise records this one as accepted and returns true.
   */
  admit(typist: Participant): boolean {
    const now = this.options.now();
    const last = this.lastAccepted.get(typist);
    if (last !== undefined && now - last < this.minIntervalMs) return false;
    this.lastAccepted.set(typist, now);
    return true;
  }

  /**
   * Relays an accepted TYPING to its recipients now and updates the indicator. The caller has
   * checked that a typist typing to a room is a member of it (else ROOM_RESULT NOT_MEMBER).
   */
  relay(
    typist: Participant,
    targetKind: TargetKindName,
    target: string,
    state: TypingStateName,
  ): void {
    const notice = noticeOf(typist.user, targetKind, target, state);
    const reached = this.sendToRecipients(typist.user, targetKind, target, notice);
    const key = keyOf(typist.user, targetKind, target);
    const indicator = this.indicators.get(key);
    if (state === "STOPPED") {
      if (indicator !== undefined) this.drop(indicator);
      return;
    }
    // Only a STARTED somebody saw needs a STOPPED later (REQ-12.25 counts relayed ones).
    if (reached === 0) return;
    if (indicator !== undefined) {
      // A later deadline needs nothing from the scheduler: it asks again when the old one is due.
      indicator.startedAt = this.options.now();
      return;
    }
    const created = new Indicator(this, key, typist.user, targetKind, target, this.options.now());
    this.indicators.set(key, created);
    this.options.scheduler.track(created);
  }

  /** Called by an indicator whose deadline has passed: STOPPED to whoever its recipients are now. */
  expire(indicator: Indicator): void {
    if (this.indicators.get(indicator.key) !== indicator) return;
    this.indicators.delete(indicator.key);
    const { typist, targetKind, target } = indicator;
    this.sendToRecipients(
      typist,
      targetKind,
      target,
      noticeOf(typist, targetKind, target, "STOPPED"),
    );
  }

  private drop(indicator: Indicator): void {
    this.indicators.delete(indicator.key);
    this.options.scheduler.untrack(indicator);
  }

  private sendToRecipients(
    typist: string,
    targetKind: TargetKindName,
    target: string,
    notice: OutgoingPdu,
  ): number {
    if (targetKind === "ROOM") {
      return this.options.rooms.broadcast(target, notice, { exceptUser: typist });
    }
    const recipient = this.options.directory.find(target);
    if (recipient === undefined || !recipient.speaks("TYPING_NOTICE")) return 0;
    recipient.deliver(notice);
    return 1;
  }
}

/** One (typist, target) indicator on the scheduler. */
class Indicator implements Expirable {
  constructor(
    private readonly tracker: TypingTracker,
    readonly key: string,
    readonly typist: string,
    readonly targetKind: TargetKindName,
    readonly target: string,
    public startedAt: number,
  ) {}

  deadline(): number {
    return this.startedAt + this.tracker.typingTimeoutMs;
  }

  expire(): void {
    this.tracker.expire(this);
  }
}

function keyOf(typist: string, targetKind: TargetKindName, target: string): string {
  // Names may hold any UTF-8, "|" included; the typist's length prefix keeps keys unambiguous.
  return `${typist.length}:${typist}|${targetKind}|${target}`;
}

function noticeOf(
  typist: string,
  targetKind: TargetKindName,
  target: string,
  state: TypingStateName,
): OutgoingPdu {
  return {
    type: "TYPING_NOTICE",
    targetKind,
    room: targetKind === "ROOM" ? target : "",
    from: typist,
    state,
  };
}
