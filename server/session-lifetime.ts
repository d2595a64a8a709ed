/**
 * The lifetime of one session, as one value rather than loose flags: it only moves forward,
 * except Waiting, which returns to Open when the async handler it waits for settles. Entering
 * Closing (from Open or Waiting, exactly once) is what frees the login and leaves the registries.
 */
export enum Lifetime {
  /** Handling PDUs as they arrive. */
  Open = 0,
  /** An async handler holds the connection's later PDUs unread until it settles. */
  Waiting = 1,
  /** Ending: the login is freed, the channel is closing; nothing more is handled. */
  Closing = 2,
  /** The connection has closed. */
  Closed = 3,
}
