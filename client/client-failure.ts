/**
 * Why a session (or the attempt to get one) ended badly, as a value: `reason` is a stable name that
 * code and tests branch on; `message` is one line fit to show a person. The command line maps each
 * reason to an exit code (cli/client/exit-codes.ts); a program using the library branches on it.
 */

export type FailureReason =
  /** The caller's own input is wrong (e.g. an unreadable CA file, a message over the limit). */
  | "USAGE"
  /** Refused, unreachable, timed out, or the TLS handshake failed. */
  | "CANNOT_CONNECT"
  /** The server speaks none of the offered versions. */
  | "NO_COMMON_VERSION"
  /** BAD_CREDENTIALS, or the server's ERROR TOO_MANY_LOGIN_ATTEMPTS. */
  | "LOGIN_REFUSED"
  /** The account is logged in from another location. */
  | "ALREADY_LOGGED_IN"
  /** Closed by the server, a closing ERROR, a protocol violation, or requests left unanswered. */
  | "CONNECTION_LOST"
  /** Nothing that counts as life, or no progress on outstanding answers, within the ping timeout. */
  | "SERVER_SILENT";

export class ClientFailure extends Error {
  override readonly name = "ClientFailure";

  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
  }
}
