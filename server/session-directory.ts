/**
 * SessionDirectory: who is logged in right now, by user name, with the participant (and so the
 * negotiated version) holding that login. Direct messages and typing to a user are routed through
 * it, and WHO_REQUEST with an empty room lists it. Version-1 sessions are in it too: they are
 * online (REQ-12.20), they just never receive version-2 PDUs.
 *
 * The LoginRegistry decides whether a login may happen; this directory only records the logins
 * that did, once their LOGIN_RESPONSE OK has gone out.
 */
import type { Awaitable } from "./awaitable.ts";
import { sortNames } from "./name-list.ts";
import type { Participant } from "./participant.ts";

/**
 * The directory as sessions use it. A cluster's directory lives in a shared store: a lookup may
 * answer later, and the participant it returns may stand for a session on another server.
 */
export interface Directory {
  add(participant: Participant): Awaitable<void>;
  /** Removes `participant` if it is the one listed for its user (a late removal is a no-op). */
  remove(participant: Participant): Awaitable<void>;
  find(user: string): Awaitable<Participant | undefined>;
  /** Every logged-in user name in byte order. */
  names(): Awaitable<readonly string[]>;
}

/** The in-memory default. */
export class SessionDirectory implements Directory {
  private readonly byUser = new Map<string, Participant>();
  // WHO_REQUEST pages through this; re-sorted only after a login or logout.
  private sorted: string[] | undefined;

  add(participant: Participant): void {
    this.byUser.set(participant.user, participant);
    this.sorted = undefined;
  }

  /** Removes `participant` if it is the one listed for its user (a late removal is a no-op). */
  remove(participant: Participant): void {
    if (this.byUser.get(participant.user) !== participant) return;
    this.byUser.delete(participant.user);
    this.sorted = undefined;
  }

  find(user: string): Participant | undefined {
    return this.byUser.get(user);
  }

  /** Every logged-in user name in byte order. */
  names(): readonly string[] {
    this.sorted ??= sortNames(this.byUser.keys());
    return this.sorted;
  }

  get size(): number {
    return this.byUser.size;
  }
}
