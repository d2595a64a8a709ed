/**
 * The rooms a user is in, as the server's answers say (not as the user asked): a reconnecting
 * client joins them again on its new connection, since the server let go of every membership
 * when the old one dropped.
 */
import type { SessionEvent } from "./session-event.ts";

export class JoinedRooms {
  // Insertion order: rooms are joined again in the order the user joined them.
  private readonly rooms = new Set<string>();

  /** Follows one event of the session: a join or leave answered, a membership refused. */
  track(event: SessionEvent): void {
    if (event.kind !== "room-result") return;
    if (event.request === "ROOM_JOIN" || event.request === "ROOM_RESUME") {
      if (event.status === "OK" || event.status === "ALREADY_MEMBER") this.rooms.add(event.room);
      else this.rooms.delete(event.room);
    } else if (event.request === "ROOM_LEAVE" || event.status === "NOT_MEMBER") {
      // A ROOM_SAY or room TYPING answered NOT_MEMBER says the membership is gone too.
      this.rooms.delete(event.room);
    }
  }

  names(): string[] {
    return [...this.rooms];
  }
}
