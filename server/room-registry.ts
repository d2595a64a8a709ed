/**
 * RoomRegistry: the rooms (group chats) of version 2 and who is in them (spec §12.6).
 *
 * A room exists while it has members: the first ROOM_JOIN creates it, the last member leaving
 * drops it. Limits come from protocol.json (limits.maxRoomsPerUser, limits.maxMembersPerRoom) and
 * the name rule from patterns.roomName; tests may build a registry with smaller limits.
 *
 * Order (REQ-12.8): every PDU for a room's members goes out through `broadcast`, which hands it to
 * each member synchronously in one loop. The server handles one PDU at a time, so two broadcasts
 * to one room never interleave, and every member sees the room's messages and events in the order
 * the server processed them.
 *
 * `broadcast` is also the seam for the conformance suite's broken variant that loses room
 * fan-out: a subclass overriding it changes who receives room PDUs and nothing else
 * (server/README.md, "Seams").
 */
import { LIMITS, PATTERNS, type RoomStatusName } from "../generated/index.ts";
import type { Awaitable } from "./awaitable.ts";
import { sortNames } from "./name-list.ts";
import type { OutgoingPdu } from "./outgoing-pdu.ts";
import type { Participant } from "./participant.ts";

export interface RoomLimits {
  /** Rooms one session may be in at once; default limits.maxRoomsPerUser. */
  maxRoomsPerUser?: number;
  /** Members one room may have; default limits.maxMembersPerRoom. */
  maxMembersPerRoom?: number;
}

/** The ROOM_RESULT statuses a ROOM_JOIN can get, checked in this order (REQ-12.14). */
export type JoinStatus = Extract<
  RoomStatusName,
  "BAD_ROOM_NAME" | "ALREADY_MEMBER" | "TOO_MANY_ROOMS" | "ROOM_FULL" | "OK"
>;

export type LeaveStatus = Extract<RoomStatusName, "OK" | "NOT_MEMBER">;

export interface BroadcastOptions {
  /** Leave out the members logged in as this user (a typing notice is not sent to the typist). */
  exceptUser?: string;
}

/**
 * Rooms as sessions use them. A cluster keeps membership in a shared store (any answer may come
 * later) and fans out through its bus; `broadcast` must then still hand a room's PDUs to every
 * member in one order (REQ-12.8, server/README.md "Order").
 */
export interface Rooms {
  join(member: Participant, room: string): Awaitable<JoinStatus>;
  leave(member: Participant, room: string): Awaitable<LeaveStatus>;
  /** Removes `member` from every room it is in; resolves to those rooms in byte order. */
  leaveAll(member: Participant): Awaitable<string[]>;
  isMember(member: Participant, room: string): Awaitable<boolean>;
  /** Members' user names in byte order; undefined when no such room exists. */
  memberNames(room: string): Awaitable<string[] | undefined>;
  /** Every existing room's name in byte order. */
  roomNames(): Awaitable<string[]>;
  /** Hands `pdu` to every member of `room` (but `exceptUser`); resolves to how many got it. */
  broadcast(room: string, pdu: OutgoingPdu, options?: BroadcastOptions): Awaitable<number>;
  /**
   * (v3) A ROOM_RESUME's replay, sent after `member` joined, went up to this id: what the room
   * holds for the member since its join and up to that id is not handed to it again (REQ-15.16).
   * Only rooms whose messages can arrive between the join and the read need it (a cluster's);
   * on one server the room's lane keeps them out.
   */
  replayedThrough?(member: Participant, room: string, id: { epoch: number; seq: number }): void;
}

/** The in-memory default; a subclass overriding `broadcast` changes room fan-out in one place. */
export class RoomRegistry implements Rooms {
  readonly maxRoomsPerUser: number;
  readonly maxMembersPerRoom: number;

  // Members in join order; a Set keeps each participant once.
  private readonly members = new Map<string, Set<Participant>>();
  private readonly roomsOf = new Map<Participant, Set<string>>();

  constructor(limits: RoomLimits = {}) {
    this.maxRoomsPerUser = limits.maxRoomsPerUser ?? LIMITS.maxRoomsPerUser;
    this.maxMembersPerRoom = limits.maxMembersPerRoom ?? LIMITS.maxMembersPerRoom;
  }

  /** Whether `room` is a name a room can have (patterns.roomName). */
  static isValidName(room: string): boolean {
    return PATTERNS.roomName.test(room);
  }

  /** Makes `member` a member of `room` (creating it) when every check passes; else changes nothing. */
  join(member: Participant, room: string): JoinStatus {
    if (!RoomRegistry.isValidName(room)) return "BAD_ROOM_NAME";
    const members = this.members.get(room);
    if (members?.has(member)) return "ALREADY_MEMBER";
    const rooms = this.roomsOf.get(member);
    if ((rooms?.size ?? 0) >= this.maxRoomsPerUser) return "TOO_MANY_ROOMS";
    if ((members?.size ?? 0) >= this.maxMembersPerRoom) return "ROOM_FULL";
    if (members === undefined) this.members.set(room, new Set([member]));
    else members.add(member);
    if (rooms === undefined) this.roomsOf.set(member, new Set([room]));
    else rooms.add(room);
    return "OK";
  }

  /** Removes `member` from `room`, dropping the room if it is now empty. */
  leave(member: Participant, room: string): LeaveStatus {
    const members = this.members.get(room);
    if (members === undefined || !members.delete(member)) return "NOT_MEMBER";
    if (members.size === 0) this.members.delete(room);
    const rooms = this.roomsOf.get(member);
    rooms?.delete(room);
    if (rooms?.size === 0) this.roomsOf.delete(member);
    return "OK";
  }

  /** Removes `member` from every room it is in; returns those rooms in byte order. */
  leaveAll(member: Participant): string[] {
    const rooms = sortNames(this.roomsOf.get(member) ?? []);
    for (const room of rooms) this.leave(member, room);
    return rooms;
  }

  isMember(member: Participant, room: string): boolean {
    return this.members.get(room)?.has(member) ?? false;
  }

  /** The user names of a room's members in byte order; undefined when no such room exists. */
  memberNames(room: string): string[] | undefined {
    const members = this.members.get(room);
    if (members === undefined) return undefined;
    return sortNames([...members].map((member) => member.user));
  }

  /** Every existing room's name in byte order. */
  roomNames(): string[] {
    return sortNames(this.members.keys());
  }

  /** The rooms `member` is in, in byte order. */
  roomsOfMember(member: Participant): string[] {
    return sortNames(this.roomsOf.get(member) ?? []);
  }

  get size(): number {
    return this.members.size;
  }

  /**
   * Hands `pdu` to every member of `room` (but `exceptUser`), synchronously, in one loop; returns
   * how many got it. The one place room fan-out happens: override it to change who receives
   * ROOM_MESSAGE, ROOM_EVENT and room TYPING_NOTICEs.
   */
  broadcast(room: string, pdu: OutgoingPdu, options: BroadcastOptions = {}): number {
    const members = this.members.get(room);
    if (members === undefined) return 0;
    let delivered = 0;
    for (const member of members) {
      if (member.user === options.exceptUser) continue;
      member.deliver(pdu);
      delivered++;
    }
    return delivered;
  }
}
