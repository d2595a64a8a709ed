/**
 * Where a session's news goes: the event listeners (answers, and what other users did), the
 * notice listeners (what the user should see that does not end the session), and the rooms whose
 * live events are held back while a resume's replay is still coming (room-hold.ts).
 */
import { RoomHold } from "./room-hold.ts";
import type { SessionEvent } from "./session-event.ts";

export class EventOutlet {
  private readonly eventListeners: ((event: SessionEvent) => void)[] = [];
  private readonly noticeListeners: ((notice: string) => void)[] = [];
  private readonly heldRooms = new RoomHold();

  onEvent(listener: (event: SessionEvent) => void): void {
    this.eventListeners.push(listener);
  }

  onNotice(listener: (notice: string) => void): void {
    this.noticeListeners.push(listener);
  }

  /** An answer or news for the user interface; held if its room is held. */
  emit(event: SessionEvent): void {
    if (this.heldRooms.keep(event)) return;
    for (const listener of this.eventListeners) listener(event);
  }

  /** Something the user should see that does not end the session. */
  notice(message: string): void {
    for (const listener of this.noticeListeners) listener(message);
  }

  /**
   * Holds back the room's live events (messages, joins, typing) until `release`: a resume's
   * replay is shown before what happened after it, however many pages it takes.
   */
  hold(room: string): void {
    this.heldRooms.hold(room);
  }

  /** Shows what was held for the room, in order, and stops holding it. */
  release(room: string): void {
    for (const event of this.heldRooms.release(room)) this.emit(event);
  }

  /** A replay cut short by the session's end: what arrived live for its room is still shown. */
  releaseAll(): void {
    for (const room of this.heldRooms.rooms()) this.release(room);
  }
}
