/**
 * LogoutBarrier: before LOGOUT, wait until every request sent so far is accounted for, and learn
 * which ones the server will never answer.
 *
 * The server handles a connection's frames strictly in order (REQ-2.9), so a PING sent behind the
 * last request comes back as a PONG only after every answer it is going to send (fan-out to this
 * session included): whatever is still outstanding then was refused (a non-closing ERROR, shown as
 * a notice). A list answer may have sent a request for its next page after the PING; then another
 * PING goes behind that. Without this a client would wait forever for an answer that is not coming.
 *
 * The wait is bounded: when neither an answer nor the barrier's PONG arrives for the server's ping
 * timeout, the barrier reports it stalled (the session ends: the server is not making progress),
 * so a server that keeps the connection busy without answering cannot hold the client for ever.
 */
import { type Clock, SYSTEM_CLOCK } from "./clock.ts";
import type { PendingRequests, Unanswered } from "./pending-requests.ts";
import { ProgressDeadline } from "./progress-deadline.ts";

export interface BarrierLink {
  readonly pending: PendingRequests;
  /** Sends a PING now and returns its token. */
  ping(): number;
  /** No answer and no PONG of the barrier within the stall timeout; `why` says so to a person. */
  stalled(why: string): void;
}

export class LogoutBarrier {
  /** Resolves with the requests that will never be answered, once nothing is outstanding. */
  readonly done: Promise<Unanswered[]>;
  private resolveDone!: (unanswered: Unanswered[]) => void;
  private rejectDone!: (cause: Error) => void;
  private token = 0;
  private mark = 0;
  private readonly unanswered: Unanswered[] = [];
  private stall: ProgressDeadline | undefined;
  private finished = false;

  constructor(
    private readonly link: BarrierLink,
    stallTimeoutMs: number,
    clock: Clock = SYSTEM_CLOCK,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    if (link.pending.size === 0) {
      this.finish();
      return;
    }
    this.sendPing();
    this.stall = new ProgressDeadline(clock, stallTimeoutMs, (waited) =>
      link.stalled(
        `the server stopped answering: ${link.pending.size} request(s) still unanswered ` +
          `after ${waited} ms without progress (its ping timeout is ${stallTimeoutMs} ms)`,
      ),
    );
  }

  /** A PONG arrived. True if it was this barrier's. */
  pong(token: number): boolean {
    if (this.finished || token !== this.token) return false;
    this.progress();
    this.unanswered.push(...this.link.pending.takeSentBy(this.mark));
    if (this.link.pending.size > 0) this.sendPing();
    else this.finish();
    return true;
  }

  /** A request was answered: the barrier is done once nothing is outstanding. */
  answered(): void {
    if (this.finished) return;
    this.progress();
    if (this.link.pending.size === 0) this.finish();
  }

  /** The session ended first: whoever waits hears why. */
  cancel(cause: Error): void {
    if (this.finished) return;
    this.stop();
    this.rejectDone(cause);
  }

  private sendPing(): void {
    this.token = this.link.ping();
    this.mark = this.link.pending.mark();
  }

  private progress(): void {
    this.stall?.progress();
  }

  private finish(): void {
    this.stop();
    this.resolveDone(this.unanswered);
  }

  private stop(): void {
    this.finished = true;
    this.stall?.stop();
  }
}

/** "the server never echoed 1 message(s) (message ids 2); ... answered 1 request(s) (...)". */
export function describeUnanswered(unanswered: Unanswered[]): string {
  const chats = unanswered.filter((each) => each.kind === "CHAT");
  const others = unanswered.filter((each) => each.kind !== "CHAT");
  const parts: string[] = [];
  if (chats.length > 0) {
    parts.push(
      `the server never echoed ${chats.length} message(s) ` +
        `(message ids ${chats.map((each) => each.id).join(",")})`,
    );
  }
  if (others.length > 0) {
    parts.push(
      `the server never answered ${others.length} request(s) ` +
        `(${others.map((each) => `${each.kind} ${each.id}`).join(", ")})`,
    );
  }
  return parts.join("; ");
}
