/**
 * The oldest message the page has shown of each room, by server id (spec §15.2), so "Earlier
 * messages" asks for the page BEFORE it (§15.3). A new epoch means what came before is gone: the
 * oldest of the new epoch is what counts from then on.
 */
import type { MessageId } from "../../client/seen-messages.ts";
import type { SessionEvent } from "../../client/session-event.ts";

export class EarliestShown {
  private readonly rooms = new Map<string, MessageId>();

  notice(event: SessionEvent): void {
    if (event.kind === "room-message" && event.stamp !== undefined) {
      this.consider(event.room, event.stamp);
    } else if (event.kind === "history" && event.targetKind === "ROOM") {
      for (const message of event.messages) this.consider(event.target, message.stamp);
    }
  }

  /** The oldest id shown in `room`, or undefined when none was (then the newest are asked for). */
  of(room: string): MessageId | undefined {
    return this.rooms.get(room);
  }

  private consider(room: string, id: MessageId): void {
    const known = this.rooms.get(room);
    if (known === undefined || known.epoch !== id.epoch || id.seq < known.seq) {
      this.rooms.set(room, { epoch: id.epoch, seq: id.seq });
    }
  }
}
