/**
 * Arrival order across an answer that comes later (REQ-12.7). While a handler's or a fan-out's
 * Promise settles (the login's password check and lease; remote shared state), the connection's
 * later PDUs stay unread: the channel is paused and the session is Waiting. So replies keep the
 * order of requests, and a fan-out is done before the next PDU is handled. The in-memory default
 * never gets here for anything but a login: there is nothing to hold when the answer is at hand.
 */
import type { PduChannel } from "../transport/pdu-channel.ts";
import type { Awaitable } from "./awaitable.ts";
import type { SharedState } from "./session-context.ts";
import { Lifetime } from "./session-lifetime.ts";
import type { Expirable } from "./timeout-wheel.ts";

/** The session as the hold sees it; Session implements it. */
export interface HoldingSession extends Expirable {
  lifetime: Lifetime;
  readonly channel: PduChannel;
  readonly shared: Pick<SharedState, "timeouts">;
  /** Something arrived from the peer (or reading resumes): the ping clock starts again. */
  touch(): void;
  internalError(error: unknown): void;
}

/** Holds every later PDU of the session's connection until `pending` settles. */
export function holdWhile(session: HoldingSession, pending: Awaitable<unknown>): void {
  if (!(pending instanceof Promise)) return;
  session.channel.pause();
  session.lifetime = Lifetime.Waiting;
  pending
    .catch((error: unknown) => session.internalError(error))
    .finally(() => {
      session.touch();
      if (session.lifetime !== Lifetime.Waiting) return;
      session.lifetime = Lifetime.Open;
      // The handshake deadline was suspended while the login was checked and may have passed
      // meanwhile: a refused login is then followed by HANDSHAKE_TIMEOUT (REQ-7.13).
      session.shared.timeouts.reschedule(session);
      session.channel.resume();
    });
}
