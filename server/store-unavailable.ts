/**
 * The error a networked registry (server/cluster/) rejects with when its shared store cannot
 * answer (Redis down, unreachable or too slow). Its message is what the refused client reads in
 * the ERROR INTERNAL_ERROR (session.ts), so it says what happened and what to do; it names no
 * user and no address.
 */
export class StoreUnavailable extends Error {
  override name = "StoreUnavailable";

  constructor(
    message = "logins are unavailable: the cluster's shared store cannot be reached; try again later",
  ) {
    super(message);
  }
}
