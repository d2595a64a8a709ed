/**
 * LoginRegistry: which user is logged in on which live session, server-wide. One user, at most
 * one live login (REQ-5.1, REQ-5.3): the first session keeps it; a later login for the same user
 * is refused with ALREADY_LOGGED_IN until the holder releases it (REQ-5.6).
 *
 * It is a seam: a server can be given another implementation (the conformance suite's broken
 * variant that accepts duplicate logins is one that always says yes).
 */
export interface LoginRegistry {
  /** Takes `user` for `holder`; false when another holder has it. */
  acquire(user: string, holder: object): boolean;
  /** Frees `user` if `holder` has it; a no-op otherwise, so a late release cannot free a newer login. */
  release(user: string, holder: object): void;
  /** How many users are logged in. */
  readonly size: number;
}

export class SingleLoginRegistry implements LoginRegistry {
  private readonly holders = new Map<string, object>();

  acquire(user: string, holder: object): boolean {
    const current = this.holders.get(user);
    if (current !== undefined) return current === holder;
    this.holders.set(user, holder);
    return true;
  }

  release(user: string, holder: object): void {
    if (this.holders.get(user) === holder) this.holders.delete(user);
  }

  get size(): number {
    return this.holders.size;
  }
}
