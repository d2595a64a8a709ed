/**
 * The server's structured logger (pino). Logs go to stderr so that stdout carries only the
 * "listening" line scripts parse. JSON lines when stderr is not a terminal (log collectors,
 * tests); pino-pretty's human-readable lines when it is. Both write synchronously: a few lines per
 * connection is cheap, and nothing is lost when the process exits right after shutdown.
 */
import { type Logger, pino } from "pino";
import pretty from "pino-pretty";

export type { Logger } from "pino";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface LoggerOptions {
  level: LogLevel;
  /** Human-readable output; defaults to whether stderr is a terminal. */
  pretty?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? process.stderr.isTTY === true;
  const destination = usePretty
    ? pretty({
        destination: 2,
        sync: true,
        colorize: true,
        singleLine: true,
        translateTime: "SYS:HH:MM:ss.l",
      })
    : pino.destination({ dest: 2, sync: true });
  return pino({ level: options.level, base: { name: "parrot-server" } }, destination);
}

/** A logger that drops everything, for in-process servers in tests. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
