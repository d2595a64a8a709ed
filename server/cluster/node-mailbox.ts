/**
 * NodeMailbox: what other nodes send this one, on a subscriber connection of its own (a Redis
 * connection in subscribe mode can do nothing else): PDUs for its sessions on its node channel,
 * presence events on the presence channel, and the PDUs of the rooms it has members in
 * (room-sequence.ts). ioredis subscribes again by itself after a reconnect.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { AbsentParticipant } from "./absent-participant.ts";
import {
  type ForUser,
  nodeChannel,
  PRESENCE_CHANNEL,
  type PresenceNews,
} from "./cluster-channels.ts";
import type { ClusterPresence } from "./cluster-presence.ts";
import type { RedisDirectory } from "./redis-directory.ts";
import { RoomSequence } from "./room-sequence.ts";

export class NodeMailbox {
  private readonly ownChannel: string;

  constructor(
    private readonly subscriber: Redis,
    private readonly nodeId: string,
    private readonly directory: RedisDirectory,
    private readonly presence: ClusterPresence,
    private readonly rooms: RoomSequence,
    private readonly logger: Logger,
  ) {
    this.ownChannel = nodeChannel(nodeId);
    subscriber.on("message", (channel: string, message: string) => this.receive(channel, message));
  }

  async open(): Promise<void> {
    await this.subscriber.subscribe(this.ownChannel, PRESENCE_CHANNEL);
  }

  private receive(channel: string, message: string): void {
    this.logger.debug({ channel, bytes: message.length }, "cluster: message from another node");
    try {
      if (channel === this.ownChannel) this.forUser(JSON.parse(message) as ForUser);
      else if (channel === PRESENCE_CHANNEL) this.presenceNews(JSON.parse(message) as PresenceNews);
      else if (RoomSequence.isRoomChannel(channel)) this.rooms.receive(channel, message);
    } catch (error) {
      this.logger.error(
        { err: error, channel },
        "cluster: a message from another node was not understood",
      );
    }
  }

  private forUser({ to, pdu }: ForUser): void {
    const recipient = this.directory.local.find(to);
    if (recipient === undefined) {
      this.logger.info(
        { user: to, type: pdu.type },
        "cluster: relayed PDU for a session that has ended",
      );
      return;
    }
    recipient.deliver(pdu);
  }

  private presenceNews({ from, about, pdu }: PresenceNews): void {
    if (from === this.nodeId) return; // delivered to our own subscribers when published
    this.presence.local.deliverToSubscribers(pdu, new AbsentParticipant(about));
  }
}
