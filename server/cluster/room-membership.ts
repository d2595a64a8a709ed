/**
 * RoomMembership: who is in which room, cluster-wide, in Redis (cluster-keys.ts). A join checks
 * both limits and adds the member in one Lua script, so two nodes admitting the last place of a
 * room (or a user's last room) at once cannot both succeed (REQ-13.14); a leave is one script too.
 * Each member is recorded under its node's instance, so a survivor can take out exactly what a
 * dead node left (node-liveness.ts).
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { JoinStatus } from "../room-registry.ts";
import { StoreUnavailable } from "../store-unavailable.ts";
import { ROOMS_KEY, roomMembersKey, roomsOfKey } from "./cluster-keys.ts";

// KEYS: members, rooms-of, rooms. ARGV: user, instance, maxRoomsPerUser, maxMembersPerRoom, room.
// In the order of REQ-12.14 (the room name was checked before). A member a dead instance left
// behind is taken over, not counted: the login lease says that session is gone.
const JOIN_SCRIPT = `
local holder = redis.call('HGET', KEYS[1], ARGV[1])
if holder == ARGV[2] then return 'ALREADY_MEMBER' end
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return 'TOO_MANY_ROOMS' end
if not holder and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return 'ROOM_FULL' end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[5])
redis.call('SADD', KEYS[3], ARGV[5])
return 'OK'`;

// KEYS: members, rooms-of, rooms. ARGV: user, instance, room. A room exists while it has members.
const LEAVE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SREM', KEYS[3], ARGV[3]) end
end
redis.call('SREM', KEYS[2], ARGV[3])
return 1`;

export const ROOMS_UNAVAILABLE =
  "rooms are unavailable: the cluster's shared store cannot be reached; try again later";

export interface MembershipLimits {
  maxRoomsPerUser: number;
  maxMembersPerRoom: number;
}

export class RoomMembership {
  constructor(
    private readonly redis: Redis,
    private readonly instance: string,
    private readonly limits: MembershipLimits,
    private readonly logger: Logger,
  ) {}

  async join(user: string, room: string): Promise<JoinStatus> {
    const status = await this.run("joining a room", () =>
      this.redis.eval(
        JOIN_SCRIPT,
        3,
        roomMembersKey(room),
        roomsOfKey(this.instance, user),
        ROOMS_KEY,
        user,
        this.instance,
        this.limits.maxRoomsPerUser,
        this.limits.maxMembersPerRoom,
        room,
      ),
    );
    return status as JoinStatus;
  }

  async leave(user: string, room: string): Promise<void> {
    await this.run("leaving a room", () =>
      this.redis.eval(
        LEAVE_SCRIPT,
        3,
        roomMembersKey(room),
        roomsOfKey(this.instance, user),
        ROOMS_KEY,
        user,
        this.instance,
        room,
      ),
    );
  }

  /** The room's members, cluster-wide, unsorted; empty when no such room exists. */
  memberNames(room: string): Promise<string[]> {
    return this.run("listing a room's members", () => this.redis.hkeys(roomMembersKey(room)));
  }

  /** Every existing room's name, unsorted. */
  roomNames(): Promise<string[]> {
    return this.run("listing the rooms", () => this.redis.smembers(ROOMS_KEY));
  }

  /**
   * Writes this node's members again (Redis came back, perhaps empty), whatever the limits: they
   * are members already. One transaction, so no reader sees half of it.
   */
  async restore(members: Iterable<[string, string]>): Promise<void> {
    const transaction = this.redis.multi();
    let count = 0;
    for (const [room, user] of members) {
      transaction.hset(roomMembersKey(room), user, this.instance);
      transaction.sadd(roomsOfKey(this.instance, user), room);
      transaction.sadd(ROOMS_KEY, room);
      count++;
    }
    if (count === 0) return;
    await transaction.exec();
    this.logger.info({ members: count }, "cluster: room members written again after an outage");
  }

  private async run<T>(what: string, command: () => Promise<unknown>): Promise<T> {
    try {
      return (await command()) as T;
    } catch (error) {
      this.logger.warn({ err: error }, `cluster: ${what} failed`);
      throw new StoreUnavailable(ROOMS_UNAVAILABLE);
    }
  }
}
