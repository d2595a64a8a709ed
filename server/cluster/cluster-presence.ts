/**
 * ClusterPresence: presence events reach subscribers on every node (spec §13.4). This node's
 * subscribers are a local PresenceHub, served at once as on one server; an event about one of
 * this node's users is also published on the presence channel, and every other node hands it to
 * its own subscribers (node-mailbox.ts). Subscriptions never leave their node.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { OutgoingPdu } from "../outgoing-pdu.ts";
import type { Participant } from "../participant.ts";
import { type Presence, PresenceHub } from "../presence-hub.ts";
import { AbsentParticipant } from "./absent-participant.ts";
import { PRESENCE_CHANNEL, type PresenceNews } from "./cluster-channels.ts";
import { RemoteParticipant } from "./remote-participant.ts";

export class ClusterPresence implements Presence {
  /** This node's subscribers. */
  readonly local = new PresenceHub();

  constructor(
    private readonly nodeId: string,
    private readonly publisher: Redis,
    private readonly logger: Logger,
  ) {}

  setSubscribed(participant: Participant, subscribed: boolean): void {
    this.local.setSubscribed(participant, subscribed);
  }

  remove(participant: Participant): void {
    this.local.remove(participant);
  }

  /** OFFLINE for a user whose node died (node-liveness.ts), to the subscribers of every node. */
  announceGone(user: string): void {
    this.deliverToSubscribers(
      { type: "PRESENCE_EVENT", user, status: "OFFLINE" },
      new AbsentParticipant(user),
    );
  }

  /** Resolves to how many of this node's subscribers got it; other nodes count their own. */
  deliverToSubscribers(pdu: OutgoingPdu, about: Participant): number {
    const delivered = this.local.deliverToSubscribers(pdu, about);
    if (!(about instanceof RemoteParticipant)) {
      const news: PresenceNews = { from: this.nodeId, about: about.user, pdu };
      this.publisher
        .publish(PRESENCE_CHANNEL, JSON.stringify(news))
        .catch((error: unknown) =>
          this.logger.error({ err: error, type: pdu.type }, "cluster: publishing presence failed"),
        );
    }
    return delivered;
  }
}
