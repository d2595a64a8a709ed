/**
 * A login taking part in the server-wide registries, and leaving them. Joining happens once the
 * LOGIN_RESPONSE OK is out (so no DIRECT_MESSAGE reaches a client still waiting for it); leaving
 * is protocol.json serverEvents.SESSION_END: every room with LEFT to the remaining members
 * (REQ-12.18), then OFFLINE to presence subscribers (REQ-12.30). A quiet end (shutdown: every
 * session is ending, spec §12.6) tells nobody.
 */
import { roomEvent } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";
import type { Registries } from "./session-context.ts";

export function takePart({ directory, presence }: Registries, participant: Participant): void {
  directory.add(participant);
  presence.announce(participant, "ONLINE");
}

export function stopTakingPart(
  { directory, rooms, presence }: Registries,
  participant: Participant,
  quiet: boolean,
): void {
  directory.remove(participant);
  presence.remove(participant);
  const left = rooms.leaveAll(participant);
  if (quiet) return;
  for (const room of left) rooms.broadcast(room, roomEvent(room, participant.user, "LEFT"));
  presence.announce(participant, "OFFLINE");
}
