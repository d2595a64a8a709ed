/**
 * Logging many accounts in at once, for set-up (the precondition check, the load scenarios), not for
 * judging: how fast a server checks passwords is its own business, and a strong KDF is a virtue.
 *
 * Each account connects, negotiates and logs in in one go, a few at a time. The whole crowd has one
 * deadline, the run's set-up allowance (--setup-timeout), apart from --reply-timeout: a server hashing
 * with production-strength scrypt may take seconds to let 200 sessions in. A login the server did not
 * answer before closing the connection (HANDSHAKE_TIMEOUT while the password was still being checked, a
 * close, a reset) is retried on a fresh connection with fewer logins in flight, since the queue of
 * password checks is what made it late. Whatever is not logged in by the deadline (or could not even
 * connect) is "unanswered", and the caller decides what that means (a load scenario is unsupported, never failed, for it).
 */
import { performance } from "node:perf_hooks";
import { ERRORS } from "../../generated/index.ts";
import type { Account } from "./accounts.ts";
import type { ClientSession } from "./client-session.ts";
import { ConformanceFailure } from "./conformance-failure.ts";
import { describePdu } from "./raw-peer.ts";

export type LoginOutcome =
  | { kind: "ok"; account: Account; session: ClientSession }
  /** A clear answer that the account cannot be used: it is not provisioned, or someone holds it. */
  | {
      kind: "refused";
      account: Account;
      status: "BAD_CREDENTIALS" | "ALREADY_LOGGED_IN";
      session: ClientSession;
    }
  /** Not logged in by the deadline, or refused a connection for good (SERVER_FULL). */
  | { kind: "unanswered"; account: Account; why: string }
  /** The server did something the spec does not allow on the way: a failure for the caller to raise. */
  | { kind: "broken"; account: Account; failure: ConformanceFailure };

export interface CrowdOptions {
  /** Opens a connection named after the account (the caller keeps track of it). */
  open(name: string): Promise<ClientSession>;
  /** The protocol version each session negotiates. */
  version: number;
  /** performance.now() by which the whole crowd must be in. */
  deadline: number;
  /** Logins in flight at the start; halved (down to one) each time a login has to be retried. */
  concurrency: number;
  /** Every session opened, as it opens, so the caller can clean up whatever the outcome. */
  opened?: (session: ClientSession) => void;
  /**
   * Over several targets: until when an ALREADY_LOGGED_IN for this account may be an earlier
   * scenario's login not yet freed on every node (leftover-logins.ts), and the pause between tries.
   */
  leftover?: { until(account: Account): number | undefined; pauseMs: number };
}

/** The outcome of each account's login, in the accounts' order. */
export async function logInCrowd(
  accounts: readonly Account[],
  options: CrowdOptions,
): Promise<LoginOutcome[]> {
  const outcomes: LoginOutcome[] = new Array(accounts.length);
  const queue = accounts.map((account, index) => ({ account, index }));
  let limit = Math.max(1, options.concurrency);
  let inFlight = 0;
  // Workers over the limit wait here; every finished login wakes them all to look again.
  let waiting: (() => void)[] = [];
  const wakeAll = () => {
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
  };

  // A worker that finds the queue empty stops; a retry goes back to the queue from a worker that is
  // still running, which then takes it (or another does).
  const worker = async (): Promise<void> => {
    for (;;) {
      while (inFlight >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
      const next = queue.shift();
      if (!next) return;
      inFlight++;
      const limitAtStart = limit;
      const attempt = await attemptLogin(next.account, options);
      inFlight--;
      if (attempt.kind === "again") {
        // An earlier scenario's login on its way out: not the server being slow, so no backing off.
        await new Promise((resolve) => setTimeout(resolve, options.leftover?.pauseMs ?? 0));
        queue.push(next);
      } else if (attempt.kind === "retry") {
        // Once per burst: the logins that started under the same limit were late together.
        if (limit === limitAtStart) limit = Math.max(1, Math.floor(limit / 2));
        if (performance.now() < options.deadline) queue.push(next);
        else outcomes[next.index] = { kind: "unanswered", account: next.account, why: attempt.why };
      } else {
        outcomes[next.index] = attempt;
      }
      wakeAll();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return outcomes;
}

type Attempt = LoginOutcome | { kind: "retry"; why: string } | { kind: "again" };

async function attemptLogin(account: Account, options: CrowdOptions): Promise<Attempt> {
  let session: ClientSession;
  try {
    session = await options.open(account.name);
  } catch (error) {
    return { kind: "unanswered", account, why: (error as Error).message };
  }
  options.opened?.(session);
  try {
    session.offerVersions([options.version]);
    const early = await replyOrEnd(session, options.deadline);
    if (early) return settle(session, account, early);
    const negotiated = await session.readVersionResponse();
    if (negotiated.status !== "OK") {
      session.fail(`negotiating version ${options.version} failed: ${describePdu(negotiated)}`);
    }
    session.keepAlive();
    session.sendLogin(account.name, account.password);
    const late = await replyOrEnd(session, options.deadline);
    if (late) return settle(session, account, late);
    const response = await session.readLoginResponse();
    if (response.status === "OK") return { kind: "ok", account, session };
    const leftoverUntil = options.leftover?.until(account);
    if (
      response.status === "ALREADY_LOGGED_IN" &&
      leftoverUntil !== undefined &&
      performance.now() < Math.min(leftoverUntil, options.deadline)
    ) {
      session.peer.destroy();
      return { kind: "again" };
    }
    return { kind: "refused", account, status: response.status, session };
  } catch (error) {
    if (!(error instanceof ConformanceFailure)) throw error;
    session.peer.destroy();
    return { kind: "broken", account, failure: error };
  }
}

/** Why the awaited reply will not come, or undefined when the next event can be read as it. */
async function replyOrEnd(session: ClientSession, deadline: number): Promise<string | undefined> {
  const event = await session.peer.next(Math.max(0, deadline - performance.now()));
  if (event.kind === "timeout") return "timeout";
  if (event.kind === "eof" || event.kind === "reset") return "closed";
  if (event.kind === "pdu" && event.pdu.type === "ERROR") {
    if (event.pdu.code === "SERVER_FULL") return "full";
    if (ERRORS[event.pdu.code].closes) return "closed";
  }
  // The reply, or something else that the session's own reading of the reply will judge.
  session.peer.unread(event);
  return undefined;
}

function settle(session: ClientSession, account: Account, why: string): Attempt {
  session.peer.destroy();
  if (why === "timeout") {
    return { kind: "unanswered", account, why: "no answer within the set-up allowance" };
  }
  if (why === "full") {
    return { kind: "unanswered", account, why: "the server refused the connection: SERVER_FULL" };
  }
  return { kind: "retry", why: "the server closed the connection before it answered" };
}
