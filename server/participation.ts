/**
 * A login taking part in the server-wide registries, and leaving them. Joining happens once the
 * LOGIN_RESPONSE OK is out (so no DIRECT_MESSAGE reaches a client still waiting for it); leaving
 * is protocol.json serverEvents.SESSION_END: every room with LEFT to the remaining members
 * (REQ-12.18), then OFFLINE to presence subscribers (REQ-12.30), then the login is freed. A quiet end (shutdown: every
 * session is ending, spec §12.6) tells nobody.
 *
 * With remote registries each step may answer later; the steps still run in this order. A
 * failure to join ends the session; a failure to leave is logged (the session is ending; the
 * store must expire what a vanished server left behind).
 */
import type { PresenceStatusName } from "../generated/index.ts";
import { type Awaitable, whenReady } from "./awaitable.ts";
import type { Logger } from "./logger.ts";
import type { LoginLease } from "./login-registry.ts";
import { roomEvent } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import type { Registries } from "./session-context.ts";

/** Done when it settles; the session holds its next PDU until then (a failure ends it). */
export function takePart(registries: Registries, participant: Participant): Awaitable<unknown> {
  return whenReady(registries.directory.add(participant), () =>
    announce(registries, participant, "ONLINE"),
  );
}

/**
 * However a session ends, once: takes its participant (if it has one yet) out of the registries,
 * then frees its login lease (if it holds one). LEFT and OFFLINE go out before the login is free,
 * so the user's next session is announced after them (REQ-12.18, REQ-12.39); with remote
 * registries the lease waits for them. A failure to leave still frees the login. Settles (never
 * rejects) once the login is free, so the session can close its connection after that (REQ-9.1,
 * REQ-13.2: a client that sees the close may log in again at once, on any node).
 */
export function endLogin(
  registries: Registries,
  lease: LoginLease | null,
  participant: Participant | null,
  { quiet, log }: { quiet: boolean; log: Logger },
): Awaitable<void> {
  let left: Awaitable<unknown>;
  try {
    left = participant === null ? undefined : stopTakingPart(registries, participant, quiet, log);
  } catch (error) {
    log.error({ err: error }, "leaving the registries failed");
  }
  if (lease === null) return undefined;
  const release = (): Awaitable<void> => {
    const failed = (error: unknown) => log.error({ err: error }, "login release failed");
    try {
      const released = lease.release();
      return released instanceof Promise ? released.catch(failed) : undefined;
    } catch (error) {
      failed(error);
      return undefined;
    }
  };
  if (!(left instanceof Promise)) return release();
  return left.then(release, (error: unknown) => {
    log.error({ err: error }, "leaving the registries failed");
    return release();
  });
}

function stopTakingPart(
  registries: Registries,
  participant: Participant,
  quiet: boolean,
  log: Logger,
): Awaitable<unknown> {
  const { directory, rooms, presence, bus } = registries;
  const left = whenReady(directory.remove(participant), () =>
    whenReady(presence.remove(participant), () =>
      whenReady(rooms.leaveAll(participant), (rooms) => {
        if (quiet) return;
        for (const room of rooms) {
          bus.publish({ kind: "roomMembers", room }, roomEvent(room, participant.user, "LEFT"));
        }
        return announce(registries, participant, "OFFLINE");
      }),
    ),
  );
  const failed = (error: unknown) => log.error({ err: error }, "leaving the registries failed");
  return left instanceof Promise ? left.catch(failed) : left;
}

function announce(
  { bus }: Registries,
  about: Participant,
  status: PresenceStatusName,
): ReturnType<Registries["bus"]["publish"]> {
  return bus.publish(
    { kind: "presenceSubscribers", about },
    { type: "PRESENCE_EVENT", user: about.user, status },
  );
}
