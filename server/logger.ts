/**
 * The server's structured logger (pino). Logs go to stderr so that stdout carries only the
 * "listening" line scripts parse. JSON lines when stderr is not a terminal (log collectors,
 * tests); pino-pretty's human-readable lines when it is.
 *
 * Two bounds, because a peer decides how often some lines are written (issue 12):
 * - What a logger may write: every logger, and so every `logger.child(...)` a connection makes,
 *   gets its own LogBudget (log-budget.ts): a few lines of each message, then one a second, long
 *   strings cut. Applied in pino's `hooks.logMethod`, so callers change nothing. Debug and trace
 *   lines are exempt: whoever asks for them asks for everything.
 * - How long a slow stderr can hold the server: writes are asynchronous, into a buffer of at most
 *   `maxBufferedBytes`. When a log shipper reads too slowly, lines past that are dropped, counted,
 *   and a "log output is too slow" line says how many, instead of every connection waiting on the
 *   pipe. pino writes what is buffered synchronously when the process exits.
 */
import { type Logger, pino } from "pino";
import pretty from "pino-pretty";
import { DEFAULT_LOG_BUDGET, LogBudget, type LogBudgetLimits } from "./log-budget.ts";

export type { Logger } from "pino";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Enough for a burst of a few thousand lines while the reader catches up. */
export const DEFAULT_MAX_BUFFERED_LOG_BYTES = 1024 * 1024;
/** Dropped lines are reported at most this often. */
const DROP_REPORT_INTERVAL_MS = 1000;

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output; defaults to whether stderr is a terminal. */
  pretty?: boolean;
  /** Log bytes held while stderr is slow; beyond this, lines are dropped and counted. */
  maxBufferedBytes?: number;
  /** What each logger (each connection's child) may write; default DEFAULT_LOG_BUDGET. */
  budget?: LogBudgetLimits;
}

type LogSink = ReturnType<typeof pino.destination>;

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? process.stderr.isTTY === true;
  const maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_LOG_BYTES;
  const sink = pino.destination({ dest: 2, sync: false, maxLength: maxBufferedBytes });
  const destination = usePretty
    ? pretty({
        destination: sink,
        colorize: true,
        singleLine: true,
        translateTime: "SYS:HH:MM:ss.l",
      })
    : sink;
  const logger = pino(
    {
      level: options.level,
      base: { name: "parrot-server" },
      hooks: { logMethod: budgetedLogMethod(options.budget ?? DEFAULT_LOG_BUDGET) },
    },
    destination,
  );
  reportDrops(sink, logger, maxBufferedBytes);
  return logger;
}

/** A logger that drops everything, for in-process servers in tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

type LogMethodHook = (
  this: Logger,
  args: unknown[],
  method: (...args: unknown[]) => void,
  level: number,
) => void;

function budgetedLogMethod(limits: LogBudgetLimits): LogMethodHook {
  // One budget per logger object: the root, and each child (one per connection).
  const budgets = new WeakMap<Logger, LogBudget>();
  return function logMethod(this: Logger, args, method, level) {
    let budget = budgets.get(this);
    if (budget === undefined) {
      budget = new LogBudget(limits);
      budgets.set(this, budget);
    }
    const [first, ...rest] = args;
    const fields = isFieldObject(first) ? first : undefined;
    const message = fields === undefined || first instanceof Error ? first : rest[0];
    let suppressed = 0;
    if (level >= this.levels.values["info"]!) {
      const verdict = budget.admit(typeof message === "string" ? message : "");
      if (!verdict.admitted) return;
      suppressed = verdict.suppressed;
    }
    const bounded = fields === undefined ? undefined : budget.bound(fields);
    if (suppressed === 0 && bounded === fields) {
      method.apply(this, args);
      return;
    }
    const extra = suppressed > 0 ? { suppressedLines: suppressed } : {};
    if (first instanceof Error) method.apply(this, [{ err: first, ...extra }, ...rest]);
    else if (bounded !== undefined) method.apply(this, [{ ...bounded, ...extra }, ...rest]);
    else method.apply(this, [extra, ...args]);
  };
}

/** A plain merge object (or an Error, which pino logs as `err`), not the message string. */
function isFieldObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function reportDrops(sink: LogSink, logger: Logger, maxBufferedBytes: number): void {
  let dropped = 0;
  let reportPending = false;
  const report = () => {
    reportPending = false;
    const droppedLines = dropped;
    dropped = 0;
    // If the sink is still full this line is dropped as well, and counted in the next report.
    logger.warn({ droppedLines, maxBufferedBytes }, "log output is too slow: lines dropped");
  };
  sink.on("drop", () => {
    dropped += 1;
    if (reportPending) return;
    reportPending = true;
    setTimeout(report, DROP_REPORT_INTERVAL_MS).unref();
  });
  // pino writes out what is buffered when the process exits; the count of what was not buffered
  // goes last, so that a log that ends early says so.
  process.once("exit", () => {
    if (dropped === 0) return;
    report();
    try {
      sink.flushSync();
    } catch {
      // stderr is gone or still full: nothing more can be said.
    }
  });
}
