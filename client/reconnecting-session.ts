/**
 * ReconnectingSession: one user's conversation that outlives its connections. When a logged-in
 * session drops (EOF, a reset, a closing ERROR, a silent server) it dials again after a back-off
 * (reconnect-backoff.ts), negotiates and logs in again through the caller's `dial`, and joins the
 * rooms the user was in (joined-rooms.ts): on version 3 with ROOM_RESUME from the last id seen,
 * so the server replays what was missed, and the messages already shown (seen-messages.ts, one
 * for the whole run) are not shown again. What happens is told as ReconnectNews, so a user
 * interface can say so.
 *
 * A drop is not a refusal: a wrong password, a server with no common version or a usage error
 * end the run at once, whereas ALREADY_LOGGED_IN right after a drop is expected (the server may
 * not have noticed the old connection is gone yet: spec §5, the half-open window) and is tried
 * again within the back-off, like a server that is not reachable yet.
 *
 * Requests the old connection never had answered are not sent again (the server may have carried
 * them out: sending twice could say a thing twice). They are told in the "dropped" news, and once
 * the run is over a clean logout still ends CONNECTION_LOST, as ClientSession's logout does for
 * requests left unanswered: a script never mistakes a cut-short conversation for a whole one.
 */
import { ClientFailure, type FailureReason } from "./client-failure.ts";
import type { ClientSession } from "./client-session.ts";
import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import { JoinedRooms } from "./joined-rooms.ts";
import type { Unanswered } from "./pending-requests.ts";
import { type Backoff, backoffDelay, DEFAULT_BACKOFF } from "./reconnect-backoff.ts";
import { SeenMessages } from "./seen-messages.ts";
import { Waiter } from "./waiter.ts";

export type ReconnectNews =
  /** The connection is gone; `unanswered` were sent on it and will never be answered. */
  | { kind: "dropped"; failure: ClientFailure; unanswered: Unanswered[] }
  /** The next attempt starts in `delayMs`; `failure` is why the last one (or the drop) failed. */
  | { kind: "waiting"; attempt: number; delayMs: number; failure: ClientFailure }
  /** Logged in again; `rooms` are being joined again on it, in this order. */
  | { kind: "reconnected"; session: ClientSession; attempts: number; rooms: string[] };

export interface ReconnectOptions {
  /**
   * Connects, negotiates and logs in, with the caller's listeners on the session before its
   * login; throws a ClientFailure when it cannot (a refused login among them). The session is
   * built with `seen` (connectSession's second argument), so what the connections of the run
   * share is shown once.
   */
  dial: (seen: SeenMessages) => Promise<ClientSession>;
  /** False: the first drop ends the run, exactly as a plain ClientSession ends. */
  retry: boolean;
  backoff?: Backoff;
  clock?: Clock;
  /** In [0, 1), for the jitter; Math.random by default. */
  random?: () => number;
}

// What a retry cannot mend: the same credentials, versions and options would fail the same way.
const FATAL: readonly FailureReason[] = ["USAGE", "NO_COMMON_VERSION", "LOGIN_REFUSED"];

export class ReconnectingSession {
  /** Resolves once, when the run is over: undefined after a clean logout, else why not. */
  readonly ended: Promise<ClientFailure | undefined>;

  private session: ClientSession;
  private readonly rooms = new JoinedRooms();
  private readonly newsListeners: ((news: ReconnectNews) => void)[] = [];
  private waitingForSession: Waiter<ClientSession>[] = [];
  private resolveEnded!: (failure: ClientFailure | undefined) => void;
  private finished = false;
  /** The user asked to end the run (logout or abort): a drop now is the end, not a retry. */
  private stopping = false;
  private dialing = false;
  private retryTimer: unknown;
  private attempt = 0;
  /** Why the last live session ended: the run's end if it is stopped before the next one. */
  private lastDrop: ClientFailure | undefined;
  private lostRequests = 0;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly random: () => number;

  /** Dials the first session (its failures are the caller's, not retried) and wraps it. */
  static async start(options: ReconnectOptions): Promise<ReconnectingSession> {
    return new ReconnectingSession(await options.dial(new SeenMessages()), options);
  }

  /** Wraps `first`, already logged in (through `options.dial` or otherwise). */
  constructor(
    first: ClientSession,
    private readonly options: ReconnectOptions,
  ) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.session = first;
    this.adopt(first);
  }

  /** The session in use: the live one, or the last one while the next is being dialled. */
  get current(): ClientSession {
    return this.session;
  }

  /** Drops, waits and reconnections, as they happen. */
  onNews(listener: (news: ReconnectNews) => void): void {
    this.newsListeners.push(listener);
  }

  /**
   * The session to send on: at once if it is logged in, else once the next one is (its rooms
   * asked for again first, so what is sent on it comes after them). Rejects with why the run
   * ended, if it ends first.
   */
  connected(): Promise<ClientSession> {
    if (this.session.canSend && !this.finished) return Promise.resolve(this.session);
    if (this.finished) return this.ended.then((failure) => Promise.reject(this.whyOver(failure)));
    const waiter = new Waiter<ClientSession>();
    this.waitingForSession.push(waiter);
    return waiter.promise;
  }

  /**
   * Ends the run: logs the live session out (waiting for its answers, as ClientSession.logout),
   * or stops waiting to reconnect. Rejects with why the run was not whole: the drop, if there is
   * no live session to log out of, or CONNECTION_LOST if requests went unanswered at a drop.
   */
  async logout(): Promise<void> {
    if (!this.finished && !this.stopping) {
      this.stopping = true;
      if (this.retryTimer !== undefined) {
        this.clock.clearTimeout(this.retryTimer);
        this.retryTimer = undefined;
        this.finish(this.lastDrop);
      } else if (!this.dialing) {
        await this.logOutOf(this.session);
      }
    }
    const failure = await this.ended;
    if (failure !== undefined) throw failure;
  }

  /** Drops the connection at once and ends the run with `failure`. */
  abort(failure: ClientFailure): void {
    if (this.finished) return;
    this.stopping = true;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.dialing || this.session.hasEnded) this.finish(failure);
    else {
      this.session.abort(failure);
      void this.session.ended.then(() => this.finish(failure));
    }
  }

  private adopt(session: ClientSession): void {
    session.onEvent((event) => this.rooms.track(event));
    void session.ended.then((failure) => this.sessionEnded(session, failure));
  }

  private sessionEnded(session: ClientSession, failure: ClientFailure | undefined): void {
    // A logout in progress finishes the run itself, with what the logout says.
    if (session !== this.session || this.finished || this.stopping) return;
    if (failure === undefined || !this.options.retry || FATAL.includes(failure.reason)) {
      this.finish(failure);
      return;
    }
    // The client's own history requests (a room's cursor, a replay) are asked again by the next
    // resume: not the user's loss.
    const unanswered = session.requests.pending
      .takeAll()
      .filter(({ request }) => request.kind !== "HISTORY_REQUEST" || request.purpose === "history")
      .map(({ id, request }) => ({ id, kind: request.kind }));
    this.lostRequests += unanswered.length;
    this.lastDrop = failure;
    this.tell({ kind: "dropped", failure, unanswered });
    this.retryAfter(failure);
  }

  private retryAfter(failure: ClientFailure): void {
    this.attempt += 1;
    const delayMs = backoffDelay(this.attempt, this.backoff, this.random);
    this.tell({ kind: "waiting", attempt: this.attempt, delayMs, failure });
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      void this.redial();
    }, delayMs);
  }

  private async redial(): Promise<void> {
    this.dialing = true;
    let session: ClientSession;
    try {
      session = await this.options.dial(this.session.seen);
    } catch (error) {
      // Not a ClientFailure is a bug: let it surface rather than retry it for ever.
      if (!(error instanceof ClientFailure)) throw error;
      if (this.stopping) this.finish(this.lastDrop);
      else if (FATAL.includes(error.reason)) this.finish(error);
      else this.retryAfter(error);
      return;
    } finally {
      this.dialing = false;
    }
    if (this.finished) {
      // Aborted while dialling: nobody wants this session.
      session.abort(new ClientFailure("CONNECTION_LOST", "the run was aborted while it dialled"));
      return;
    }
    const rooms = this.rooms.names();
    const attempts = this.attempt;
    this.session = session;
    this.adopt(session);
    this.attempt = 0;
    if (this.stopping) {
      // The user asked to stop while we dialled: leave cleanly, now that there is a session.
      await this.logOutOf(session);
      return;
    }
    for (const room of rooms) this.rejoin(session, room);
    this.tell({ kind: "reconnected", session, attempts, rooms });
    const waiting = this.waitingForSession;
    this.waitingForSession = [];
    for (const waiter of waiting) waiter.resolve(session);
  }

  /**
   * Version 3 resumes the room from the last id seen there (spec §15.4): the server replays what
   * was missed. Epoch 0 (nothing known of its history) has everything kept replayed.
   */
  private rejoin(session: ClientSession, room: string): void {
    if (session.supports("ROOM_RESUME")) {
      session.requests.resumeRoom(room, session.seen.last("ROOM", room) ?? { epoch: 0, seq: 0 });
    } else if (session.supports("ROOM_JOIN")) {
      session.requests.joinRoom(room);
    }
  }

  private async logOutOf(session: ClientSession): Promise<void> {
    try {
      await session.logout();
    } catch (error) {
      if (!(error instanceof ClientFailure)) throw error;
      this.finish(error);
      return;
    }
    this.finish(
      this.lostRequests === 0
        ? undefined
        : new ClientFailure(
            "CONNECTION_LOST",
            `${this.lostRequests} request(s) sent before a connection dropped were never answered`,
          ),
    );
  }

  private finish(failure: ClientFailure | undefined): void {
    if (this.finished) return;
    this.finished = true;
    const waiting = this.waitingForSession;
    this.waitingForSession = [];
    for (const waiter of waiting) waiter.reject(this.whyOver(failure));
    this.resolveEnded(failure);
  }

  private whyOver(failure: ClientFailure | undefined): ClientFailure {
    return failure ?? new ClientFailure("CONNECTION_LOST", "the session has ended");
  }

  private tell(news: ReconnectNews): void {
    for (const listener of this.newsListeners) listener(news);
  }
}
