/**
 * When a session times out, and with which ERROR (spec §7): HANDSHAKE_TIMEOUT if it is not
 * AUTHENTICATED within the handshake timeout of opening (REQ-7.9), PING_TIMEOUT if nothing came
 * from it for the ping timeout once NEGOTIATED (REQ-7.4). A login being checked suspends both: the
 * wait is the server's (REQ-7.3, REQ-7.13), and the session reschedules once it ends. Pure functions of the session's clock
 * readings, so session.ts only reports them to the TimeoutScheduler.
 */
import type { ErrorCodeName, StateName } from "../generated/index.ts";
import type { SessionTimers } from "./session-context.ts";

export interface SessionClock {
  readonly state: StateName;
  readonly openedAt: number;
  /** When the last frame arrived. */
  readonly lastSeen: number;
  /** True while the server itself holds the connection's frames unread (an async handler). */
  readonly waiting: boolean;
}

export function sessionDeadline(
  clock: SessionClock,
  timers: SessionTimers,
  now: number,
): number | null {
  const { state } = clock;
  let deadline: number | null = null;
  // A login read before the deadline gets its answer however long the check takes (REQ-7.13).
  if (state !== "AUTHENTICATED" && !clock.waiting) {
    deadline = clock.openedAt + timers.handshakeTimeoutMs;
  }
  if (state === "NEGOTIATED" || state === "AUTHENTICATED") {
    // While the server holds the client's frames unread (a password check), the wait is the
    // server's, not the client's silence (REQ-7.3): the clock starts when reading resumes.
    const seen = clock.waiting ? now : clock.lastSeen;
    const pingDeadline = seen + timers.pingTimeoutMs;
    deadline = deadline === null ? pingDeadline : Math.min(deadline, pingDeadline);
  }
  return deadline;
}

/** The ERROR a session whose deadline has come gets at `now`. */
export function timeoutError(
  clock: SessionClock,
  timers: SessionTimers,
  now: number,
): { code: ErrorCodeName; detail: string } {
  const { handshakeTimeoutMs, pingTimeoutMs } = timers;
  if (clock.state !== "AUTHENTICATED" && now >= clock.openedAt + handshakeTimeoutMs) {
    return { code: "HANDSHAKE_TIMEOUT", detail: `not logged in within ${handshakeTimeoutMs} ms` };
  }
  return { code: "PING_TIMEOUT", detail: `nothing received for ${pingTimeoutMs} ms` };
}
