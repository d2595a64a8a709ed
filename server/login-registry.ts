/**
 * LoginRegistry: who holds the one live login of each user, server-wide (REQ-5.1, REQ-5.3). The
 * first session keeps it; a later login for the same user is refused with ALREADY_LOGGED_IN until
 * the holder releases it (REQ-5.6).
 *
 * A login is a lease. `acquire` is asynchronous because a cluster keeps the registry in a network
 * store (issue 13): it may be slow, and it may fail (a rejection ends the requesting connection
 * with INTERNAL_ERROR, never the server). The session holds the connection's later PDUs while it
 * waits, so replies keep the order of requests. Releasing is fire-and-forget for the session: a
 * release that fails only matters to the store, which must expire leases of vanished servers.
 *
 * It is a seam: a server can be given another implementation (the conformance suite's broken
 * variant that accepts duplicate logins hands out a lease to everyone).
 */
export interface LoginLease {
  readonly user: string;
  /** Frees the login. Idempotent: a late or repeated release never frees a newer login. */
  release(): void | Promise<void>;
}

export interface LoginRegistry {
  /** Takes `user`'s login; null when another session holds it. */
  acquire(user: string): Promise<LoginLease | null>;
}

/** The in-memory default: one live login per user in this process. */
export class SingleLoginRegistry implements LoginRegistry {
  private readonly holders = new Map<string, LoginLease>();

  acquire(user: string): Promise<LoginLease | null> {
    if (this.holders.has(user)) return Promise.resolve(null);
    const holders = this.holders;
    const lease: LoginLease = {
      user,
      release() {
        if (holders.get(user) === lease) holders.delete(user);
      },
    };
    holders.set(user, lease);
    return Promise.resolve(lease);
  }

  /** How many users are logged in. */
  get size(): number {
    return this.holders.size;
  }
}
