/**
 * LogBudget: how much one logger (the server's, or one connection's child) may write, so that no
 * peer can make the server log without limit (issue 12: 100 000 ERROR PDUs before login made
 * 68.7 MB of log in half a second).
 *
 * - Each message (the `msg` of a log call, a fixed string in the code) has a token bucket: a
 *   burst of `burstLines`, then `linesPerSecond`. So a flood of one kind ("peer sent ERROR")
 *   cannot crowd out the lines that tell the story ("login ok", "disconnected").
 * - Lines left out are counted; the next line this logger writes carries `suppressedLines`.
 * - Every string field is cut to `maxFieldChars` and its control characters are escaped: the
 *   peer chooses some of them (an ERROR's text, a user name), and a terminal should not obey it.
 *
 * logger.ts applies it in pino's `hooks.logMethod`, one budget per logger instance, so every
 * `logger.child(...)` gets its own without its caller doing anything.
 */

export interface LogBudgetLimits {
  /** Lines of one message a logger may write at once. */
  burstLines: number;
  /** Lines of one message per second after the burst. */
  linesPerSecond: number;
  /** Longer string fields are cut to this many characters. */
  maxFieldChars: number;
  /** Distinct messages tracked one by one; beyond that they share one bucket. */
  maxTrackedMessages: number;
}

export const DEFAULT_LOG_BUDGET: LogBudgetLimits = {
  burstLines: 10,
  linesPerSecond: 1,
  maxFieldChars: 200,
  maxTrackedMessages: 32,
};

/** The bucket that messages beyond maxTrackedMessages share. */
const OVERFLOW_KEY = "\u0000overflow";

interface Bucket {
  tokens: number;
  refilledAt: number;
}

export class LogBudget {
  private readonly limits: LogBudgetLimits;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private suppressed = 0;

  constructor(
    limits: LogBudgetLimits = DEFAULT_LOG_BUDGET,
    now: () => number = () => performance.now(),
  ) {
    this.limits = limits;
    this.now = now;
  }

  /**
   * Whether a line with this message may be written now. When it may, returns the number of
   * lines left out since the last one written (0 if none), and resets that count.
   */
  admit(message: string): { admitted: false } | { admitted: true; suppressed: number } {
    const bucket = this.bucketFor(message);
    const now = this.now();
    const { burstLines, linesPerSecond } = this.limits;
    bucket.tokens = Math.min(
      burstLines,
      bucket.tokens + ((now - bucket.refilledAt) / 1000) * linesPerSecond,
    );
    bucket.refilledAt = now;
    if (bucket.tokens < 1) {
      this.suppressed += 1;
      return { admitted: false };
    }
    bucket.tokens -= 1;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    return { admitted: true, suppressed };
  }

  /** `fields` with long strings cut and control characters escaped; the same object if none. */
  bound(fields: Record<string, unknown>): Record<string, unknown> {
    let bounded: Record<string, unknown> | undefined;
    for (const key of Object.keys(fields)) {
      const value = fields[key];
      if (typeof value !== "string") continue;
      const safe = boundText(value, this.limits.maxFieldChars);
      if (safe === value) continue;
      bounded ??= { ...fields };
      bounded[key] = safe;
    }
    return bounded ?? fields;
  }

  private bucketFor(message: string): Bucket {
    let bucket = this.buckets.get(message);
    if (bucket !== undefined) return bucket;
    const key = this.buckets.size < this.limits.maxTrackedMessages ? message : OVERFLOW_KEY;
    bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: this.limits.burstLines, refilledAt: this.now() };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

// C0 and C1 controls and DEL: a terminal showing pretty logs would act on them.
const CONTROL_CHARACTER = /\p{Cc}/u;
const CONTROL_CHARACTERS = /\p{Cc}/gu;

function boundText(text: string, maxChars: number): string {
  let bounded = text;
  if (bounded.length > maxChars) {
    bounded = `${bounded.slice(0, maxChars)}… (${text.length - maxChars} more characters)`;
  }
  if (!CONTROL_CHARACTER.test(bounded)) return bounded;
  return bounded.replace(
    CONTROL_CHARACTERS,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
