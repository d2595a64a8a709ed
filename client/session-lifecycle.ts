/**
 * Where a ClientSession is in its life, as one value. The protocol state (CONNECTED, NEGOTIATED,
 * AUTHENTICATED) is the spec's and comes from the generated transitions; this is what the session
 * itself is doing with the connection, which the spec's states do not say.
 */
export enum Lifecycle {
  /** The connection is up: negotiating, logging in, or logged in and chatting. */
  Open = "OPEN",
  /** LOGOUT was sent (every request was accounted for first); waiting for the server's EOF. */
  LoggingOut = "LOGGING_OUT",
  /** The session has ended (cleanly or not); nothing more is sent or handled. */
  Ended = "ENDED",
}
