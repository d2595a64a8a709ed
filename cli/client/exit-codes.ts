/**
 * The client's exit codes: one table used both by the code that exits and by `--help`, so the
 * documentation cannot drift from the behaviour. Scripts branch on these numbers; never renumber one.
 */

import type { FailureReason } from "../../client/client-failure.ts";

export const ExitCode = {
  OK: 0,
  USAGE: 2,
  CANNOT_CONNECT: 3,
  NO_COMMON_VERSION: 4,
  LOGIN_REFUSED: 5,
  ALREADY_LOGGED_IN: 6,
  CONNECTION_LOST: 7,
  SERVER_SILENT: 8,
} as const satisfies Record<"OK" | FailureReason, number>;

export type ExitReason = keyof typeof ExitCode;

/** One line per code, in the order a user meets them; shown by `--help` and mirrored in README.md. */
export const EXIT_CODE_MEANINGS: Readonly<Record<ExitReason, string>> = {
  OK: "logged out cleanly; every message sent was echoed, every request answered",
  USAGE:
    "bad command line or input (unknown option, no password, a message over 4096 bytes, " +
    "a stdin line that cannot be carried out)",
  CANNOT_CONNECT: "cannot connect: refused, unreachable, timed out or TLS handshake failed",
  NO_COMMON_VERSION: "the server speaks none of the offered versions (its versions are printed)",
  LOGIN_REFUSED: "BAD_CREDENTIALS or TOO_MANY_LOGIN_ATTEMPTS (207)",
  ALREADY_LOGGED_IN: "the account is already logged in from another location",
  CONNECTION_LOST:
    "the server closed the connection, sent a closing ERROR (code printed), broke the protocol " +
    "or left requests unanswered",
  SERVER_SILENT:
    "the server stopped answering: nothing received (a PONG for a PING never sent does not " +
    "count), or no answer awaited before LOGOUT, within its advertised ping timeout",
};

/** The table as aligned text lines, for `--help`. */
export function exitCodeTable(): string {
  return (Object.keys(ExitCode) as ExitReason[])
    .map((reason) => `  ${String(ExitCode[reason]).padStart(2)}  ${EXIT_CODE_MEANINGS[reason]}`)
    .join("\n");
}
