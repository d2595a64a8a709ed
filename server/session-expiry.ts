/**
 * What happens when a session's deadline (session-deadline.ts) comes: the timeout wheel calls
 * `expire`, and this decides whether the session really timed out and sends the ERROR if it did.
 * Kept apart from the engine because it is the one path into a session that no PDU of its own
 * starts: the wheel's interval timer does.
 */
import type { ErrorCodeName, StateName } from "../generated/index.ts";
import type { Logger } from "./logger.ts";
import type { SharedState } from "./session-context.ts";
import { type SessionClock, timeoutError } from "./session-deadline.ts";
import type { Expirable } from "./timeout-wheel.ts";

/** The session as its expiry sees it; Session implements it. */
export interface ExpiringSession extends SessionClock, Expirable {
  readonly state: StateName;
  readonly user: string | null;
  readonly isClosing: boolean;
  readonly log: Logger;
  readonly shared: Pick<SharedState, "timers" | "timeouts" | "metrics">;
  sendError(code: ErrorCodeName, detail: string): void;
  /** Runs a step so that a bug in it costs this connection only (REQ-8.9). */
  guard(step: () => void): void;
}

export function expireSession(session: ExpiringSession, now: number): void {
  if (session.isClosing) return;
  if (timeoutError(session, session.shared.timers, now).code !== "PING_TIMEOUT") {
    timeOut(session, now);
    return;
  }
  // Frames may be waiting in the kernel because this process was busy, not the client silent
  // (REQ-7.3: time the server holds frames unread is not the client's silence). I/O callbacks run
  // before setImmediate ones: whatever arrived is read first, and a frame among it counts. Only
  // for the ping timeout: nothing the client sends may put off the handshake timeout (REQ-7.11).
  const seen = session.lastSeen;
  setImmediate(() => {
    if (session.isClosing) return;
    if (session.lastSeen !== seen || session.waiting) session.shared.timeouts.reschedule(session);
    else timeOut(session, now);
  });
}

function timeOut(session: ExpiringSession, now: number): void {
  session.guard(() => {
    if (session.isClosing) return;
    const { code, detail } = timeoutError(session, session.shared.timers, now);
    session.log.info(
      { state: session.state, user: session.user, ...session.shared.timers },
      code === "HANDSHAKE_TIMEOUT" ? "handshake timeout" : "ping timeout",
    );
    session.shared.metrics.timedOut(code);
    session.sendError(code, detail);
  });
}
