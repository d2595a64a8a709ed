/**
 * RoomSequence: one order per room across every node (REQ-12.8, spec §13.5). Every PDU for a
 * room's members is published on the room's Redis channel, and every node hands its own members
 * the room's PDUs only as they come back from that channel, its own included. Redis publishes the
 * messages of one channel to every subscriber in one order, so every member on every node sees
 * the same sequence, whoever published.
 *
 * A node subscribes to a room's channel while it has members there. A member's window in the
 * sequence is exact: it starts at its own JOINED and stops at its own LEFT (both of which its node
 * publishes during the join or leave and waits for), so it never sees what came before it joined
 * nor what came after it left, and nothing in between is missing. What reaches a joiner from its
 * JOINED on is held until its ROOM_RESULT is out (`release`), as on one server the ROOM_RESULT
 * comes first (REQ-12.13).
 *
 * `publish` resolves once the PDU has come back and been handed to this node's members, so the
 * requester's own copy precedes the answer to its next PDU (REQ-12.7, server/README.md "Order").
 * Relayed PDUs go through each member's `deliver`, and so through its RelayOutbox: a member that
 * does not read is closed with SLOW_CONSUMER as on one server.
 *
 * A version-3 room message is published by the script that stores it (`publishStamped`,
 * atomic-room-messages.ts), with its id put in by that script: its place on the channel and its
 * id are given in one step, so the ids increase along the one order every member gets (REQ-13.18).
 */
import type { Redis } from "ioredis";
import { roomMessageV3 } from "../history/stamped-pdus.ts";
import { formForVersion } from "../history/version-2-form.ts";
import type { Logger } from "../logger.ts";
import type { OutgoingPdu } from "../outgoing-pdu.ts";
import type { Participant } from "../participant.ts";
import { StoreUnavailable } from "../store-unavailable.ts";
import {
  ROOM_CHANNEL_PREFIX,
  type RoomEnvelope,
  roomChannel,
  type StampedRoomEnvelope,
} from "./cluster-channels.ts";

export const ROOM_UNAVAILABLE =
  "the room is unavailable: the cluster's shared store cannot be reached; nothing was sent; try again later";

/** A member of a room on this node. */
interface LocalMember {
  participant: Participant;
  /** From its own JOINED on, once released. */
  receiving: boolean;
  /** From its own JOINED until `release`: what it will receive, in order. */
  held: OutgoingPdu[] | undefined;
  /** Its LEFT is on the way: it stops receiving when the LEFT comes back. */
  leaving: boolean;
}

/** A room this node has members in (or had, until its channel is unsubscribed). */
interface LocalRoom {
  readonly members: Map<string, LocalMember>;
  readonly subscribed: Promise<unknown>;
}

interface Pending {
  room: LocalRoom | undefined;
  /** When it was published (Date.now()): an echo that never comes must not hold its session. */
  since: number;
  resolve: (delivered: number) => void;
  reject: (error: Error) => void;
}

export class RoomSequence {
  private readonly rooms = new Map<string, LocalRoom>();
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  private readonly echoCheck: NodeJS.Timeout;

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly instance: string,
    private readonly logger: Logger,
    /** How long a publisher waits for its own PDU to come back; the command timeout. */
    private readonly echoTimeoutMs: number,
  ) {
    // Messages published while the subscriber was away never come back: say so to who waits.
    subscriber.on("close", () => this.failPending(() => true));
    // One timer for all, not one per PDU: a subscription that went quiet without closing.
    this.echoCheck = setInterval(() => {
      const tooOld = Date.now() - this.echoTimeoutMs;
      this.failPending((waiting) => waiting.since < tooOld);
    }, echoTimeoutMs);
    this.echoCheck.unref();
  }

  stop(): void {
    clearInterval(this.echoCheck);
  }

  /** Whether `channel` is a room channel; `receive` takes its messages. */
  static isRoomChannel(channel: string): boolean {
    return channel.startsWith(ROOM_CHANNEL_PREFIX);
  }

  /** Rooms this node has members in, with those members. */
  *localMembers(): Iterable<[string, Participant]> {
    for (const [room, { members }] of this.rooms) {
      for (const member of members.values()) yield [room, member.participant];
    }
  }

  /**
   * Adds a member, which receives from its own JOINED on; resolves once this node hears the
   * room's channel (at once if it already did).
   */
  addMember(room: string, participant: Participant): Promise<unknown> {
    let local = this.rooms.get(room);
    if (local === undefined) {
      const created: LocalRoom = {
        members: new Map(),
        subscribed: this.subscriber.subscribe(roomChannel(room)),
      };
      created.subscribed.catch(() => {
        if (this.rooms.get(room) === created && created.members.size === 0) this.rooms.delete(room);
      });
      this.rooms.set(room, created);
      local = created;
    }
    local.members.set(participant.user, {
      participant,
      receiving: false,
      held: undefined,
      leaving: false,
    });
    return local.subscribed;
  }

  /** The joiner's ROOM_RESULT is out: hands it what was held since its JOINED; how many. */
  release(room: string, user: string): number {
    const member = this.rooms.get(room)?.members.get(user);
    if (member?.held === undefined) return 0;
    const held = member.held;
    member.held = undefined;
    member.receiving = true;
    for (const pdu of held) member.participant.deliver(pdu);
    return held.length;
  }

  /**
   * Drops from what is held for a joiner the version-3 room messages up to `id` of its epoch: a
   * ROOM_RESUME replayed them, read after its JOINED was in the sequence (REQ-15.16).
   */
  dropHeldThrough(room: string, user: string, id: { epoch: number; seq: number }): void {
    const member = this.rooms.get(room)?.members.get(user);
    if (member?.held === undefined) return;
    member.held = member.held.filter(
      (pdu) => pdu.type !== "ROOM_MESSAGE_V3" || pdu.epoch !== id.epoch || pdu.seq > id.seq,
    );
  }

  /** Marks a member whose LEFT is being published: it stops receiving when the LEFT comes back. */
  markLeaving(room: string, user: string): void {
    const member = this.rooms.get(room)?.members.get(user);
    if (member !== undefined) member.leaving = true;
  }

  /** Takes a member out at once (its LEFT could not be published); drops the room if empty. */
  removeMember(room: string, user: string): void {
    const local = this.rooms.get(room);
    if (local === undefined) return;
    local.members.delete(user);
    this.dropIfEmpty(room, local);
  }

  /** After a LEFT came back: unsubscribes a room this node has no member in any more. */
  dropIfEmpty(room: string, local = this.rooms.get(room)): void {
    if (local === undefined || local.members.size > 0 || this.rooms.get(room) !== local) return;
    this.rooms.delete(room);
    this.subscriber.unsubscribe(roomChannel(room)).then(
      // Nothing more of this subscription comes: whoever still waits for an echo has its answer.
      () => this.settleEchoesOf(local),
      (error: unknown) => {
        this.logger.warn({ err: error, room }, "cluster: unsubscribing a room failed");
        this.settleEchoesOf(local);
      },
    );
  }

  /**
   * Publishes `pdu` in the room's sequence; resolves to how many it reached: this node's members
   * that got it, plus one per other node that hears the room (their members are counted there).
   * Rejects with StoreUnavailable when it could not be published: nobody got it.
   */
  publish(room: string, pdu: OutgoingPdu, except?: string): Promise<number> {
    const body = except === undefined ? { pdu } : { pdu, except };
    return this.sequenced(room, pdu.type, body, (channel, json) =>
      this.publisher.publish(channel, json),
    );
  }

  /**
   * Publishes a version-3 room message through `send`, which stores it and PUBLISHes `json` on
   * `channel` with its id put in front in one atomic step (atomic-room-messages.ts), resolving
   * to how many subscribers heard it. Resolves and rejects as `publish`.
   */
  publishStamped(
    room: string,
    said: StampedRoomEnvelope["said"],
    send: (channel: string, json: string) => Promise<number>,
  ): Promise<number> {
    return this.sequenced(room, "ROOM_MESSAGE_V3", { said }, send);
  }

  private async sequenced(
    room: string,
    type: OutgoingPdu["type"],
    body: { pdu: OutgoingPdu; except?: string } | { said: StampedRoomEnvelope["said"] },
    send: (channel: string, json: string) => Promise<number>,
  ): Promise<number> {
    const local = this.rooms.get(room);
    if (local !== undefined) {
      try {
        await local.subscribed;
      } catch {
        throw new StoreUnavailable(ROOM_UNAVAILABLE);
      }
    }
    const seq = this.sequence++;
    // `origin` first: the append script splices the stamp in after the opening brace.
    const envelope = { origin: this.instance, seq, ...body };
    const echo =
      local === undefined
        ? Promise.resolve(0)
        : new Promise<number>((resolve, reject) => {
            this.pending.set(seq, { room: local, since: Date.now(), resolve, reject });
          });
    // Failed by failPending while the PUBLISH is under way: handled when awaited below.
    echo.catch(() => {});
    let nodes: number;
    try {
      nodes = await send(roomChannel(room), JSON.stringify(envelope));
    } catch (error) {
      this.pending.delete(seq);
      this.logger.warn({ err: error, room, type }, "cluster: publishing to a room failed");
      throw error instanceof StoreUnavailable ? error : new StoreUnavailable(ROOM_UNAVAILABLE);
    }
    this.logger.debug({ room, type, nodes }, "cluster: published to a room");
    const delivered = await echo;
    return delivered + Math.max(0, nodes - (local === undefined ? 0 : 1));
  }

  /** A message on a room channel: hand it to this node's members of the room, in order. */
  receive(channel: string, message: string): void {
    const room = channel.slice(ROOM_CHANNEL_PREFIX.length);
    const envelope = JSON.parse(message) as RoomEnvelope;
    const local = this.rooms.get(room);
    let delivered = 0;
    if (local !== undefined) {
      const pdu = "pdu" in envelope ? envelope.pdu : stampedMessage(room, envelope);
      delivered = this.deliverTo(local, pdu, envelope.except);
    }
    if (envelope.origin !== this.instance) return;
    const waiting = this.pending.get(envelope.seq);
    if (waiting === undefined) return;
    this.pending.delete(envelope.seq);
    waiting.resolve(delivered);
  }

  private deliverTo(local: LocalRoom, pdu: OutgoingPdu, except: string | undefined): number {
    const event = pdu.type === "ROOM_EVENT" ? pdu : undefined;
    let delivered = 0;
    for (const [user, member] of local.members) {
      if (user === event?.user) {
        if (event.event === "JOINED") {
          member.held = [pdu];
          continue;
        } else {
          // Its window ends at its own LEFT, which is for the others (REQ-12.15).
          if (member.leaving) local.members.delete(user);
          continue;
        }
      }
      // A version-3 room message reaches a version-2 member in its version-2 form (REQ-15.2).
      if (user === except || formForVersion(pdu, member.participant.version) === undefined) {
        continue;
      }
      if (member.held !== undefined) member.held.push(pdu);
      else if (member.receiving) member.participant.deliver(pdu);
      else continue;
      delivered++;
    }
    return delivered;
  }

  private settleEchoesOf(local: LocalRoom): void {
    for (const [seq, waiting] of this.pending) {
      if (waiting.room !== local) continue;
      this.pending.delete(seq);
      waiting.resolve(0);
    }
  }

  private failPending(which: (waiting: Pending) => boolean): void {
    let failed = 0;
    for (const [seq, waiting] of this.pending) {
      if (!which(waiting)) continue;
      this.pending.delete(seq);
      waiting.reject(new StoreUnavailable(ROOM_UNAVAILABLE));
      failed++;
    }
    if (failed > 0) this.logger.warn({ failed }, "cluster: room PDUs did not come back from Redis");
  }
}

/** The PDU of a stamped room message: the same id and time on every node (REQ-15.6). */
function stampedMessage(room: string, { said, stamp }: StampedRoomEnvelope): OutgoingPdu {
  const [epoch, seq, acceptedAtMs] = stamp;
  return roomMessageV3(room, { ...said, epoch, seq, acceptedAtMs });
}
