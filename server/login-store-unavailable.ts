/**
 * The error a networked LoginRegistry (server/cluster/) rejects `acquire` with when its store cannot answer (Redis
 * down, unreachable or too slow). Its message is what the refused client reads in the ERROR, so
 * it says what happened and what to do; it names no user and no address.
 */
export class LoginStoreUnavailable extends Error {
  override name = "LoginStoreUnavailable";

  constructor(
    message = "logins are unavailable: the cluster's shared store cannot be reached; try again later",
  ) {
    super(message);
  }
}
