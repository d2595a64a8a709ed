/**
 * Logins an earlier scenario let go of, which the nodes of a cluster may not all know are free yet
 * (spec/README.md §13.6): what a run over several targets tolerates in set-up, and only there.
 *
 * Every scenario ends by logging its sessions out (world.ts cleanup) or finds them already closed (a
 * reset, a closing ERROR). On one server the login is free once the server has seen the close, which
 * a single process does before it reads the next scenario's first login. Across nodes the news goes
 * through the shared store, and a login the next scenario makes on another node may meet the old
 * one for a moment. That is no verdict on the next scenario's requirements, so a set-up login (a
 * "Given ... is logged in") refused ALREADY_LOGGED_IN for an account an earlier scenario released is
 * tried again, paced, for as long as the half-open window of §5 (ping timeout + tolerance) after the
 * release, and no longer. Logins a scenario judges (a second login while the first lives, a login
 * right after a LOGOUT's EOF) are never retried: those windows are the scenario's own verdict.
 */
import { performance } from "node:perf_hooks";

/** When the suite last let go of each account (performance.now()), over the whole run. */
const released = new Map<string, number>();

/** Records that the scenario just ended has let go of these accounts. */
export function noteReleased(users: Iterable<string>): void {
  const now = performance.now();
  for (const user of users) released.set(user, now);
}

/**
 * Until when (performance.now()) a refusal of `user` may still be an earlier scenario's login that
 * not every node has seen freed; undefined when no earlier scenario held it.
 */
export function leftoverUntil(user: string, windowMs: number): number | undefined {
  const at = released.get(user);
  return at === undefined ? undefined : at + windowMs;
}

/** The pause between two tries: a small fraction of the ping interval, as the half-open retries. */
export function leftoverPace(pingIntervalMs: number): number {
  return Math.max(10, pingIntervalMs / 20);
}
