/**
 * The live events of rooms being resumed, held back until the resume's replay has been shown
 * (spec §15.4): the server sends a replay's first page before the ROOM_EVENT JOINED and the live
 * messages, but a replay longer than max_page is paged on while the room goes on talking, and a
 * user should see what was missed before what came after it. Held events keep their order.
 */
import type { SessionEvent } from "./session-event.ts";

export class RoomHold {
  private readonly held = new Map<string, SessionEvent[]>();

  hold(room: string): void {
    if (!this.held.has(room)) this.held.set(room, []);
  }

  /** Keeps the event if its room is held (true); false means deliver it now. */
  keep(event: SessionEvent): boolean {
    const held = this.held.get(roomOf(event) ?? "");
    held?.push(event);
    return held !== undefined;
  }

  /** Stops holding the room; returns what was held, in order, to be delivered now. */
  release(room: string): SessionEvent[] {
    const held = this.held.get(room) ?? [];
    this.held.delete(room);
    return held;
  }

  /** Every room held now. */
  rooms(): string[] {
    return [...this.held.keys()];
  }
}

/** The room a live event is about, if any: messages, joins and leaves, typing in it. */
function roomOf(event: SessionEvent): string | undefined {
  if (event.kind === "room-message" || event.kind === "room-event") return event.room;
  if (event.kind === "typing" && event.targetKind === "ROOM") return event.room;
  return undefined;
}
