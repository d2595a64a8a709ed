/**
 * RedisRooms: rooms that span the nodes of a cluster (spec §13.5), behind the server's `Rooms`
 * seam, so sessions and handlers are the same as on one server. Membership and limits live in
 * Redis (room-membership.ts); a room's PDUs travel in its one sequence, a Redis channel
 * (room-sequence.ts). Whether a session of this node is a member is answered here, without a
 * round trip: this node is the authority on its own sessions.
 *
 * A JOINED is part of joining and a LEFT of leaving: `join`, `leave` and `leaveAll` publish them
 * themselves and wait for them to come back, so the room's sequence has them before the
 * ROOM_RESULT goes out, as on one server: a member another node admits after this ROOM_RESULT
 * joins after this member. The joiner gets its JOINED and what follows it once the fan-out of
 * that same JOINED runs (the handler's, after the ROOM_RESULT), which finds it already in the
 * sequence and is not published twice; the leaver gets every PDU sequenced before its LEFT and
 * none after. So a node that shuts down also tells the other nodes' members its users left.
 */
import { LIMITS } from "../../generated/index.ts";
import type { Logger } from "../logger.ts";
import { sortNames } from "../name-list.ts";
import { type OutgoingPdu, roomEvent } from "../outgoing-pdu.ts";
import type { Participant } from "../participant.ts";
import {
  type BroadcastOptions,
  type JoinStatus,
  type LeaveStatus,
  type RoomLimits,
  RoomRegistry,
  type Rooms,
} from "../room-registry.ts";
import { StoreUnavailable } from "../store-unavailable.ts";
import { ROOMS_UNAVAILABLE, type RoomMembership } from "./room-membership.ts";
import type { RoomSequence } from "./room-sequence.ts";

export class RedisRooms implements Rooms {
  // This node's members: participant -> its rooms.
  private readonly roomsOf = new Map<Participant, Set<string>>();
  // `room \0 user` of JOINEDs and LEFTs already in the sequence -> how many they reached.
  private readonly joinedSequenced = new Map<string, number>();
  private readonly leftSequenced = new Map<string, number>();
  // Leaves Redis did not hear (it was away): done again once it is back.
  private readonly unfinishedLeaves = new Map<string, [string, string]>();

  constructor(
    private readonly membership: RoomMembership,
    private readonly sequence: RoomSequence,
    private readonly logger: Logger,
  ) {}

  static limits(limits: RoomLimits = {}): Required<RoomLimits> {
    return {
      maxRoomsPerUser: limits.maxRoomsPerUser ?? LIMITS.maxRoomsPerUser,
      maxMembersPerRoom: limits.maxMembersPerRoom ?? LIMITS.maxMembersPerRoom,
    };
  }

  async join(member: Participant, room: string): Promise<JoinStatus> {
    if (!RoomRegistry.isValidName(room)) return "BAD_ROOM_NAME";
    if (this.isMember(member, room)) return "ALREADY_MEMBER";
    const status = await this.membership.join(member.user, room);
    if (status !== "OK") return status;
    this.leftSequenced.delete(memberKey(room, member.user));
    let rooms = this.roomsOf.get(member);
    if (rooms === undefined) {
      rooms = new Set();
      this.roomsOf.set(member, rooms);
    }
    rooms.add(room);
    try {
      await this.sequence.addMember(room, member);
      const reached = await this.sequence.publish(room, roomEvent(room, member.user, "JOINED"));
      this.joinedSequenced.set(memberKey(room, member.user), reached);
    } catch (error) {
      this.logger.warn({ err: error, room }, "cluster: joining a room's sequence failed");
      this.forget(member, room);
      await this.membership.leave(member.user, room).catch(() => {
        this.unfinishedLeaves.set(memberKey(room, member.user), [room, member.user]);
      });
      throw new StoreUnavailable(ROOMS_UNAVAILABLE);
    }
    return "OK";
  }

  async leave(member: Participant, room: string): Promise<LeaveStatus> {
    if (!this.isMember(member, room)) return "NOT_MEMBER";
    await this.membership.leave(member.user, room);
    await this.sequenceLeft(member, room);
    return "OK";
  }

  /** Leaves every room, each LEFT in its room's sequence; a store away cannot keep it in one. */
  async leaveAll(member: Participant): Promise<string[]> {
    const rooms = sortNames(this.roomsOf.get(member) ?? []);
    await Promise.all(
      rooms.map(async (room) => {
        try {
          await this.membership.leave(member.user, room);
        } catch {
          this.unfinishedLeaves.set(memberKey(room, member.user), [room, member.user]);
        }
        try {
          await this.sequenceLeft(member, room);
        } catch {
          // Logged where it failed; the session is ending and is out of the room here already.
        }
      }),
    );
    return rooms;
  }

  isMember(member: Participant, room: string): boolean {
    return this.roomsOf.get(member)?.has(room) ?? false;
  }

  async memberNames(room: string): Promise<string[] | undefined> {
    const names = await this.membership.memberNames(room);
    return names.length === 0 ? undefined : sortNames(names);
  }

  async roomNames(): Promise<string[]> {
    return sortNames(await this.membership.roomNames());
  }

  broadcast(room: string, pdu: OutgoingPdu, options: BroadcastOptions = {}): Promise<number> {
    if (pdu.type === "ROOM_EVENT") {
      const key = memberKey(room, pdu.user);
      const sequenced = pdu.event === "JOINED" ? this.joinedSequenced : this.leftSequenced;
      const reached = sequenced.get(key);
      if (reached !== undefined) {
        sequenced.delete(key);
        const released = pdu.event === "JOINED" ? this.sequence.release(room, pdu.user) : 0;
        return Promise.resolve(reached + Math.min(released, 1));
      }
    }
    return this.sequence.publish(room, pdu, options.exceptUser);
  }

  /** A resume's replay went up to `id`: the member's held messages up to it are dropped. */
  replayedThrough(member: Participant, room: string, id: { epoch: number; seq: number }): void {
    this.sequence.dropHeldThrough(room, member.user, id);
  }

  /** LEFT for a user whose node died (node-liveness.ts): to the members still there. */
  announceLeft(room: string, user: string): Promise<number> {
    return this.sequence.publish(room, roomEvent(room, user, "LEFT"));
  }

  /** Redis is back: writes this node's members again and finishes the leaves it missed. */
  async restore(): Promise<void> {
    const members: [string, string][] = [];
    for (const [participant, rooms] of this.roomsOf) {
      for (const room of rooms) members.push([room, participant.user]);
    }
    await this.membership.restore(members);
    for (const [key, [room, user]] of this.unfinishedLeaves) {
      await this.membership.leave(user, room);
      this.unfinishedLeaves.delete(key);
    }
  }

  /** Publishes the leaver's LEFT and waits for it: its window in the room ends there. */
  private async sequenceLeft(member: Participant, room: string): Promise<void> {
    this.sequence.markLeaving(room, member.user);
    try {
      const reached = await this.sequence.publish(room, roomEvent(room, member.user, "LEFT"));
      this.leftSequenced.set(memberKey(room, member.user), reached);
    } finally {
      this.forget(member, room);
    }
  }

  /** Out of the room on this node, whatever Redis knows. */
  private forget(member: Participant, room: string): void {
    this.joinedSequenced.delete(memberKey(room, member.user));
    const rooms = this.roomsOf.get(member);
    rooms?.delete(room);
    if (rooms?.size === 0) this.roomsOf.delete(member);
    this.sequence.removeMember(room, member.user);
  }
}

function memberKey(room: string, user: string): string {
  return `${room}\0${user}`;
}
