/**
 * Broken on purpose: one member of a room sees the room's messages in another order than the others.
 * In rooms of three or more members, every fifth ROOM_MESSAGE reaches the last member other than the
 * sender only after the room's next ROOM_MESSAGE (or 50 ms later if none comes), so that member's history
 * differs from everyone else's (REQ-12.8 broken). Nothing is lost and nothing else changes; everything
 * else is the reference.
 */
import type { OutgoingPdu } from "../../../server/outgoing-pdu.ts";
import type { Participant } from "../../../server/participant.ts";
import {
  type BroadcastOptions,
  type JoinStatus,
  RoomRegistry,
} from "../../../server/room-registry.ts";
import { startVariant } from "./start-variant.ts";

const FLUSH_AFTER_MS = 50;

interface Held {
  member: Participant;
  pdu: OutgoingPdu;
  timer: NodeJS.Timeout;
}

class ReorderingRooms extends RoomRegistry {
  private roomMessages = 0;
  private readonly byUser = new Map<string, Participant>();
  private readonly held = new Map<string, Held>();

  override join(member: Participant, room: string): JoinStatus {
    const status = super.join(member, room);
    if (status === "OK") this.byUser.set(member.user, member);
    return status;
  }

  override broadcast(room: string, pdu: OutgoingPdu, options: BroadcastOptions = {}): number {
    // A room message is published in its version-3 form on a server that offers version 3.
    if (pdu.type !== "ROOM_MESSAGE" && pdu.type !== "ROOM_MESSAGE_V3") {
      return super.broadcast(room, pdu, options);
    }
    const earlier = this.held.get(room);
    const others = (this.memberNames(room) ?? []).filter((user) => user !== pdu.from);
    const member = others.length >= 2 ? this.byUser.get(others.at(-1) ?? "") : undefined;
    let delivered: number;
    if (earlier === undefined && member !== undefined && ++this.roomMessages % 5 === 0) {
      delivered = super.broadcast(room, pdu, { ...options, exceptUser: member.user });
      const timer = setTimeout(() => this.flush(room), FLUSH_AFTER_MS);
      this.held.set(room, { member, pdu, timer });
    } else {
      delivered = super.broadcast(room, pdu, options);
    }
    if (earlier !== undefined) this.flush(room);
    return delivered;
  }

  private flush(room: string): void {
    const held = this.held.get(room);
    if (held === undefined) return;
    this.held.delete(room);
    clearTimeout(held.timer);
    held.member.deliver(held.pdu);
  }
}

await startVariant("reorders-room-messages", () => ({ rooms: new ReorderingRooms() }));
