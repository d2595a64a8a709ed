/**
 * Judging a server's timers from the client side (REQ-7.4, REQ-7.9): the server must close no earlier
 * than its deadline and no later than the deadline plus the spec's tolerance.
 *
 * The suite cannot see the server's clock, only when bytes left and arrived here, so the deadline is
 * known to lie between two instants: it starts no earlier than `startEarliest` (e.g. when we sent the
 * last frame; the server cannot have received it before) and no later than `startLatest` (e.g. when its
 * reply arrived; it must have received the frame by then). The allowed window is therefore
 * [startEarliest + timeout, startLatest + timeout + tolerance]. Only the late side is widened by --slack,
 * for our own scheduling: every delay there is (the server reading our frame after we sent it, its close
 * reaching us, our event loop noticing) makes a close look later, never earlier, so a close seen before
 * startEarliest + timeout was surely early. The wait is capped by --max-timer: a longer one makes the
 * scenario unsupported.
 */
import type { ErrorCodeName } from "../../generated/index.ts";
import { type ClientSession, describeEvent } from "./client-session.ts";
import type { PeerEvent } from "./raw-peer.ts";
import type { SuiteParameters } from "./suite-parameters.ts";
import type { ParrotWorld } from "./world.ts";

export interface TimedCloseExpectation {
  session: ClientSession;
  code: ErrorCodeName;
  /** What the timer is, for messages: "the advertised ping timeout". */
  timerName: string;
  timeoutMs: number;
  startEarliest: number;
  startLatest: number;
  /** PDUs others cause that may arrive meanwhile and say nothing about the timer (fan-out). */
  ignore?: (event: PeerEvent) => boolean;
}

export async function expectTimedClose(
  world: ParrotWorld,
  parameters: SuiteParameters,
  expectation: TimedCloseExpectation,
): Promise<void> {
  const { session, code, timerName, timeoutMs, startEarliest, startLatest } = expectation;
  const earliest = startEarliest + timeoutMs;
  const latest = startLatest + timeoutMs + parameters.timeoutToleranceMs + parameters.slackMs;
  world.requireWait(latest - world.now(), `waiting out ${timerName} (${timeoutMs} ms)`);
  const transcript = session.peer.transcript;
  const window =
    `${timerName} is ${timeoutMs} ms; with the spec's tolerance of ${parameters.timeoutToleranceMs} ms ` +
    `and ${parameters.slackMs} ms of scheduling slack on the late side, the close had to come between ` +
    `+${transcript.elapsed(earliest).toFixed(0)} ms and +${transcript.elapsed(latest).toFixed(0)} ms ` +
    "on this connection's clock";

  const ignore = expectation.ignore ?? (() => false);
  const event = await session.peer.take((e) => !ignore(e), Math.max(0, latest - world.now()));
  if (event.kind === "timeout") {
    return session.fail(`still open at +${transcript.elapsed(event.at).toFixed(0)} ms: ${window}`);
  }
  if (event.at < earliest) {
    return session.fail(
      `closed too early, at +${transcript.elapsed(event.at).toFixed(0)} ms (${describeEvent(event)}): ${window}`,
    );
  }
  // A RST may swallow the ERROR the server wrote just before closing; the spec allows for it.
  if (event.kind === "reset") {
    transcript.note(`accepted: connection reset before ERROR ${code} could be read`);
    return;
  }
  if (event.kind !== "pdu" || event.pdu.type !== "ERROR" || event.pdu.code !== code) {
    session.fail(`expected ERROR ${code} and a close, got ${describeEvent(event)}`);
  }
  // What was ignored and arrived before the ERROR was sent before it: no fault of the close.
  const errorSeq = event.kind === "pdu" ? event.seq : Number.POSITIVE_INFINITY;
  for (const early of [...session.peer.pending]) {
    if (ignore(early) && "seq" in early && early.seq < errorSeq) {
      await session.peer.take((queued) => queued === early, 0);
    }
  }
  await session.expectClosed(`the close that must follow ERROR ${code}`, "REQ-8.3");
}
