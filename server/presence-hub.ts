/**
 * PresenceHub: the sessions that asked for presence events (PRESENCE_SUBSCRIBE on) and the
 * events themselves (spec §12.8). Every login, whatever version it negotiated, is announced
 * ONLINE and every end of a logged-in session OFFLINE, to each subscriber except the session the
 * event is about (REQ-12.30); nobody else gets them (REQ-12.31). Only version-2 sessions can
 * subscribe, so version-1 sessions never see one.
 */
import type { PresenceStatusName } from "../generated/index.ts";
import type { Participant } from "./participant.ts";

export class PresenceHub {
  private readonly subscribers = new Set<Participant>();

  setSubscribed(participant: Participant, subscribed: boolean): void {
    if (subscribed) this.subscribers.add(participant);
    else this.subscribers.delete(participant);
  }

  /** Forgets a participant whose session ended. */
  remove(participant: Participant): void {
    this.subscribers.delete(participant);
  }

  isSubscribed(participant: Participant): boolean {
    return this.subscribers.has(participant);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  announce(about: Participant, status: PresenceStatusName): void {
    if (this.subscribers.size === 0) return;
    const event = { type: "PRESENCE_EVENT", user: about.user, status } as const;
    for (const subscriber of this.subscribers) {
      if (subscriber !== about) subscriber.deliver(event);
    }
  }
}
