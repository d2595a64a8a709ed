/**
 * "Unsupported" is a verdict apart from "failed": the server (or the run's limits) cannot exercise the
 * requirement at all, e.g. it does not speak the protocol version a scenario needs, or the wait a scenario
 * needs is longer than --max-timer allows. A step throws this; the step wrapper in steps/hooks.ts turns it
 * into cucumber's "skipped" status and records the reason, and run.ts reports it as unsupported.
 */
export class Unsupported extends Error {
  override name = "Unsupported";
}

/** The prefix of the log line that carries the reason; results.ts looks for it in the message stream. */
export const UNSUPPORTED_PREFIX = "unsupported: ";
