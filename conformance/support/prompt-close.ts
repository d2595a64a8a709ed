/**
 * A close the spec asks for because of something the client did (a cut frame, LOGOUT, no common
 * version) must come from that rule, not from a timer that happened to fire while the suite waited: a
 * server that ignores a stream cut mid-frame is still closed later by its ping timeout, and that close
 * must not pass for the one REQ-2.8 asks for.
 *
 * So a close that follows ERROR PING_TIMEOUT or HANDSHAKE_TIMEOUT is refused, and so is a silent one
 * seen only once a timer could have fired: no server timer can fire before the last complete frame's
 * send time plus the ping timeout (or the connect plus the handshake timeout), since the server cannot
 * have received the frame, or accepted the connection, earlier.
 */
import type { ErrorCodeName } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import { describeEvent } from "./client-session.ts";
import type { SuiteParameters } from "./suite-parameters.ts";

/** The errors a server's own timers send (§7). */
const TIMER_ERRORS: ReadonlySet<ErrorCodeName> = new Set(["PING_TIMEOUT", "HANDSHAKE_TIMEOUT"]);

/** The earliest instant a server timer could close this connection; Infinity if none runs. */
export function earliestTimerClose(session: ClientSession, parameters: SuiteParameters): number {
  const instants = [Number.POSITIVE_INFINITY];
  if (session.advertised && session.negotiatedVersion !== null) {
    instants.push(session.peer.lastFrameSentAt + session.advertised.pingTimeoutMs);
  }
  if (session.user === undefined && parameters.handshakeTimeoutMs !== null) {
    instants.push(session.peer.connectStartedAt + parameters.handshakeTimeoutMs);
  }
  return Math.min(...instants);
}

export interface PromptClose {
  /** What the close is for, for messages: "the close of a stream cut mid-frame". */
  what: string;
  /** Whether an ERROR (not a timer's) may come before the close. */
  errorAllowed: boolean;
  requirement?: string;
}

export async function expectPromptClose(
  session: ClientSession,
  parameters: SuiteParameters,
  { what, errorAllowed, requirement }: PromptClose,
): Promise<void> {
  const timerAt = earliestTimerClose(session, parameters);
  let event = await session.nextEvent(what);
  if (event.kind === "pdu" && event.pdu.type === "ERROR" && errorAllowed) {
    const code = event.pdu.code;
    if (TIMER_ERRORS.has(code)) {
      session.fail(
        `expected ${what}; the server closed only when its timer fired (ERROR ${code})`,
        [],
        requirement,
      );
    }
    event = await session.nextEvent(`the close after ERROR ${code}`);
  }
  if (event.kind !== "eof" && event.kind !== "reset") {
    session.fail(`expected ${what}, got ${describeEvent(event)}`, [], requirement);
  }
  if (event.at >= timerAt) {
    session.fail(
      `expected ${what} at once; it came only at +${session.peer.transcript.elapsed(event.at).toFixed(0)} ms, ` +
        `once a server timer could have fired (from +${session.peer.transcript.elapsed(timerAt).toFixed(0)} ms), ` +
        "so it may be a timer's close, not this rule's",
      [],
      requirement,
    );
  }
}
