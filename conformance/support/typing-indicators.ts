/**
 * Typing indicators as the suite tracks them, to judge their expiry (spec/README.md §12.7, REQ-12.25,
 * REQ-12.26): an indicator is one typist and one target; it expires typingTimeout after the last STARTED
 * the server relayed for it, unless a STOPPED was relayed since.
 *
 * The suite cannot see when the server relayed a STARTED, only that it was after the suite sent it and
 * before the notice arrived at a recipient. So an expiry STOPPED at a recipient must arrive no earlier
 * than typingTimeout after the send and no later than typingTimeout plus the spec's tolerance after
 * that recipient got the STARTED, plus --slack on the late side only (as timed-close.ts does for
 * closes: delays only ever make an expiry look later).
 */
import { performance } from "node:perf_hooks";
import { encode, LIMITS, type TargetKindName } from "../../generated/index.ts";
import type { ClientSession } from "./client-session.ts";
import type { SuiteParameters } from "./suite-parameters.ts";

/** Node's timers may fire up to a millisecond early; waits that must not end early add this. */
export const TIMER_ROUNDING_MS = 5;

export interface Indicator {
  typist: ClientSession;
  kind: TargetKindName;
  target: string;
  /** When the last STARTED for it was sent. */
  startedSentAt: number;
  /** When each recipient (by connection name) received the notice of that STARTED. */
  arrivals: Map<string, number>;
  /** When the typist got the PONG of a PING sent behind that STARTED: the server had handled it. */
  handledBy?: number;
  /** A STOPPED was sent for it, or its expiry was seen or waited out: the server keeps no timer. */
  over: boolean;
}

export function indicatorKey(typist: string, kind: TargetKindName, target: string): string {
  return `${typist} → ${kind === "ROOM" ? "room" : "user"} ${JSON.stringify(target)}`;
}

export class TypingIndicators {
  private readonly indicators = new Map<string, Indicator>();

  /** A STARTED went out: the indicator's clock restarts (REQ-12.26: a fresher STARTED postpones expiry). */
  started(typist: ClientSession, kind: TargetKindName, target: string, sentAt: number): void {
    this.indicators.set(indicatorKey(typist.user ?? "", kind, target), {
      typist,
      kind,
      target,
      startedSentAt: sentAt,
      arrivals: new Map(),
      over: false,
    });
  }

  /** The typist sent STOPPED for it. */
  stopped(typist: ClientSession, kind: TargetKindName, target: string): void {
    const indicator = this.indicators.get(indicatorKey(typist.user ?? "", kind, target));
    if (indicator) indicator.over = true;
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

  /**
   * Ends every indicator the scenario left running, before its sessions log out. Otherwise its expiry
   * could reach the next scenario: the spec sends it to the indicator's recipients at expiry time, which
   * may be a new session of the target user, or new members of a room of the same name. A typist that
   * is still there sends STOPPED (after the rate limit); for one that is gone, the expiry is waited out.
   * Best effort: this is cleanup, and the scenario has been judged.
   */
  async settle(parameters: SuiteParameters): Promise<void> {
    for (const indicator of this.indicators.values()) {
      if (indicator.over) continue;
      indicator.over = true;
      const stopped = await stopFromTypist(indicator, parameters).catch(() => false);
      if (stopped) continue;
      const { latest } = expiryWindow(indicator, undefined, parameters);
      const wait = Math.min(latest - performance.now(), parameters.maxTimerMs);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The typist sends STOPPED once the rate limit allows; false if it could not end the indicator. */
async function stopFromTypist(indicator: Indicator, parameters: SuiteParameters): Promise<boolean> {
  const { typist, kind, target } = indicator;
  if (typist.peer.closed || typist.peer.midFrame || typist.user === undefined) return false;
  const version = typist.headerVersion;
  // The PONG shows the server has the typist's last TYPING; the STOPPED goes out the interval after.
  const before = await pingThrough(typist, parameters);
  if (before === undefined) return false;
  indicator.handledBy ??= before;
  const due = before + LIMITS.typingMinIntervalMs + TIMER_ROUNDING_MS;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  typist.peer.sendRaw(
    encode({ type: "TYPING", version, targetKind: kind, target, state: "STOPPED" }),
    `TYPING STOPPED to ${kind === "ROOM" ? "room" : "user"} ${JSON.stringify(target)} (cleanup)`,
  );
  // A typist who left the room is refused (NOT_MEMBER) and the indicator runs on.
  let refused = false;
  const after = await pingThrough(typist, parameters, (event) => {
    if (event.type === "ROOM_RESULT" || event.type === "ERROR") refused = true;
  });
  return after !== undefined && !refused;
}

/** Sends a PING and reads up to its PONG, passing what comes before it to `seen`; the PONG's arrival. */
async function pingThrough(
  session: ClientSession,
  parameters: SuiteParameters,
  seen: (pdu: { type: string }) => void = () => {},
): Promise<number | undefined> {
  const token = session.takeToken();
  session.peer.sendRaw(
    encode({ type: "PING", version: session.headerVersion, token }),
    `PING token=${token} (cleanup)`,
  );
  const deadline = performance.now() + parameters.replyTimeoutMs;
  for (;;) {
    const event = await session.peer.next(deadline - performance.now());
    if (event.kind !== "pdu") return undefined;
    if (event.pdu.type === "PONG" && event.pdu.token === token) return event.at;
    seen(event.pdu);
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
    earliest: indicator.startedSentAt + parameters.typingTimeoutMs,
    latest:
      relayedBy + parameters.typingTimeoutMs + parameters.timeoutToleranceMs + parameters.slackMs,
  };
}
