/**
 * By when the server must have told others that a session ended: REQ-12.18 (ROOM_EVENT LEFT) and
 * REQ-12.30 (PRESENCE_EVENT OFFLINE) say "at the latest when it frees the login", and REQ-5.6 says when
 * that is.
 *
 * - The server closed the connection (after LOGOUT, a closing ERROR, a timeout): it freed the login
 *   before that close (REQ-9.1, REQ-5.6), so the notices were already sent when the suite saw the close;
 *   only their delivery remains, bounded by --reply-timeout.
 * - The suite closed it (FIN or RST): the server frees the login once it notices, and by the half-open
 *   window at the latest: the advertised ping timeout plus the spec's tolerance after the last frame.
 */
import { performance } from "node:perf_hooks";
import type { ClientSession } from "./client-session.ts";
import type { SuiteParameters } from "./suite-parameters.ts";

/** The performance.now() instant by which notices about `ended`'s end must have arrived. */
export function sessionEndDeadline(ended: ClientSession, parameters: SuiteParameters): number {
  const now = performance.now();
  const closedByUsAt = ended.peer.closedByUsAt;
  if (closedByUsAt === undefined || !ended.advertised) return now + parameters.replyTimeoutMs;
  const lastFrame = Math.max(ended.peer.lastFrameSentAt, ended.peer.lastReceivedAt);
  const halfOpenEnd =
    lastFrame + ended.advertised.pingTimeoutMs + parameters.timeoutToleranceMs + parameters.slackMs;
  return Math.max(halfOpenEnd, now + parameters.replyTimeoutMs);
}
