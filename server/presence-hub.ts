/**
 * PresenceHub: the sessions that asked for presence events (PRESENCE_SUBSCRIBE on), which are
 * the fan-out bus's presenceSubscribers audience (spec §12.8). Every login, whatever version it
 * negotiated, is announced ONLINE and every end of a logged-in session OFFLINE
 * (participation.ts), to each subscriber except the session the event is about (REQ-12.30);
 * nobody else gets them (REQ-12.31). Only version-2 sessions can subscribe, so version-1
 * sessions never see one.
 */
import type { Awaitable } from "./awaitable.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";

/** The presence subscriptions as sessions use them; a cluster's may answer later. */
export interface Presence {
  setSubscribed(participant: Participant, subscribed: boolean): Awaitable<void>;
  /** Forgets a participant whose session ended. */
  remove(participant: Participant): Awaitable<void>;
  /** Hands `pdu` to every subscriber but `about`; resolves to how many got it. */
  deliverToSubscribers(pdu: OutgoingPdu, about: Participant): Awaitable<number>;
}

/** The in-memory default. */
export class PresenceHub implements Presence {
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

  deliverToSubscribers(pdu: OutgoingPdu, about: Participant): number {
    let delivered = 0;
    for (const subscriber of this.subscribers) {
      if (subscriber === about) continue;
      subscriber.deliver(pdu);
      delivered++;
    }
    return delivered;
  }
}
