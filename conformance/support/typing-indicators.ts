/**
 * Typing indicators as the suite tracks them, to judge their expiry (spec/README.md §12.7, REQ-12.25,
 * REQ-12.26): an indicator is one typist and one target; it expires typingTimeout after the last STARTED
 * the server relayed for it, unless a STOPPED was relayed since.
 *
 * The suite cannot see when the server relayed a STARTED, only that it was after the suite sent it and
 * before the notice arrived at a recipient. So an expiry STOPPED at a recipient must arrive no earlier
 * than typingTimeout after the send and no later than typingTimeout plus the spec's tolerance after
 * that recipient got the STARTED, widened by --slack on both sides (as timed-close.ts does for closes).
 */
import type { TargetKindName } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import type { SuiteParameters } from "./suite-parameters.ts";

export interface Indicator {
  /** When the last STARTED for it was sent. */
  startedSentAt: number;
  /** When each recipient (by connection name) received the notice of that STARTED. */
  arrivals: Map<string, number>;
  /** When the typist got the PONG of a PING sent behind that STARTED: the server had handled it. */
  handledBy?: number;
}

export function indicatorKey(typist: string, kind: TargetKindName, target: string): string {
  return `${typist} → ${kind === "ROOM" ? "room" : "user"} ${JSON.stringify(target)}`;
}

export class TypingIndicators {
  private readonly indicators = new Map<string, Indicator>();

  /** A STARTED went out: the indicator's clock restarts (REQ-12.26: a fresher STARTED postpones expiry). */
  started(key: string, sentAt: number): void {
    this.indicators.set(key, { startedSentAt: sentAt, arrivals: new Map() });
  }

  /** A recipient received the notice of the last STARTED. */
  arrived(key: string, recipient: string, at: number): void {
    this.indicators.get(key)?.arrivals.set(recipient, at);
  }

  get(key: string): Indicator {
    const indicator = this.indicators.get(key);
    if (!indicator) throw new Error(`scenario bug: no STARTED was sent for ${key}`);
    return indicator;
  }
}

/**
 * The window in which `recipient` must get the expiry STOPPED of `indicator` (performance.now() times).
 * Without a recipient: the window of the indicator's expiry anywhere, for checking that none comes.
 */
export function expiryWindow(
  indicator: Indicator,
  recipient: ClientSession | undefined,
  parameters: SuiteParameters,
): { earliest: number; latest: number } {
  // Every arrival of the STARTED and the typist's PONG behind it bound when the server relayed it; a
  // recipient's expiry comes on its own connection, so its own arrival is its bound.
  const own = recipient ? indicator.arrivals.get(recipient.name) : undefined;
  const bounds = [...indicator.arrivals.values()];
  if (indicator.handledBy !== undefined) bounds.push(indicator.handledBy);
  const relayedBy =
    own ??
    (bounds.length > 0 ? Math.min(...bounds) : indicator.startedSentAt + parameters.replyTimeoutMs);
  return {
    earliest: indicator.startedSentAt + parameters.typingTimeoutMs - parameters.slackMs,
    latest:
      relayedBy + parameters.typingTimeoutMs + parameters.timeoutToleranceMs + parameters.slackMs,
  };
}
