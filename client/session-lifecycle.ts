/**
 * Where a ClientSession is in its life, as one value. The protocol state (CONNECTED, NEGOTIATED,
 * AUTHENTICATED) is the spec's and comes from the generated transitions; this is what the session
 * itself is doing with the connection, which the spec's states do not say.
 */
import { ClientFailure } from "./client-failure.ts";

export enum Lifecycle {
  /** The connection is up: negotiating, logging in, or logged in and chatting. */
  Open = "OPEN",
  /** LOGOUT was sent (every request was accounted for first); waiting for the server's EOF. */
  LoggingOut = "LOGGING_OUT",
  /** The session has ended (cleanly or not); nothing more is sent or handled. */
  Ended = "ENDED",
}

/**
 * Throws unless the session is Open, so that `action` may be done. An ended session throws its
 * failure: not a bug in the caller, since the server may end a session at any moment, so the
 * caller hears why. Logging out is a bug: nothing may be sent behind LOGOUT.
 */
export function requireOpen(
  lifecycle: Lifecycle,
  action: string,
  failure: ClientFailure | undefined,
): void {
  if (lifecycle === Lifecycle.Ended) {
    throw (
      failure ?? new ClientFailure("CONNECTION_LOST", `cannot ${action}: the session has ended`)
    );
  }
  if (lifecycle === Lifecycle.LoggingOut) throw new Error(`cannot ${action}: logging out`);
}
