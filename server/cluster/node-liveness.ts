/**
 * NodeLiveness: each node beats a heartbeat key and watches the others' (spec §13.2). A node
 * that dies (kill -9, power cut, cut off from Redis) stops beating; once its heartbeat expires, the
 * first survivor to notice sweeps what it left behind in one Lua script: its users leave the
 * online list and their rooms, and the script hands that survivor the list. Being one script, it
 * runs once: a second survivor finds nothing left to sweep, so LEFT and OFFLINE go out once.
 *
 * The heartbeat lasts half a lease and is renewed six times per lease (at least every second), and
 * every node looks for expired ones as often, so the survivors' LEFT and OFFLINE go out within one
 * lease of the dead node's last beat (REQ-13.3), before its logins are free; a node that shuts
 * down removes its heartbeat, and is swept within a second.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import {
  ALIVE_PREFIX,
  aliveKey,
  NODE_USERS_PREFIX,
  NODES_KEY,
  ONLINE_KEY,
  ROOM_MEMBERS_PREFIX,
  ROOMS_KEY,
  ROOMS_OF_PREFIX,
} from "./cluster-keys.ts";

// KEYS: nodes, online, rooms. ARGV: own instance, then the prefixes of alive, node-users,
// rooms-of and room-members keys (cluster-keys.ts; the keys of a dead node are only known here).
// Returns {dead instances, {user, was online there (1/0), {rooms it was taken out of}}...}.
const SWEEP_SCRIPT = `
local dead, gone = {}, {}
for _, node in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if node ~= ARGV[1] and redis.call('EXISTS', ARGV[2] .. node) == 0 then
    redis.call('SREM', KEYS[1], node)
    dead[#dead + 1] = node
    local usersKey = ARGV[3] .. node
    for _, user in ipairs(redis.call('SMEMBERS', usersKey)) do
      local online = 0
      if redis.call('HGET', KEYS[2], user) == node then
        redis.call('HDEL', KEYS[2], user)
        online = 1
      end
      local roomsKey = ARGV[4] .. node .. ':' .. user
      local left = {}
      for _, room in ipairs(redis.call('SMEMBERS', roomsKey)) do
        local members = ARGV[5] .. room
        if redis.call('HGET', members, user) == node then
          redis.call('HDEL', members, user)
          if redis.call('EXISTS', members) == 0 then redis.call('SREM', KEYS[3], room) end
          left[#left + 1] = room
        end
      end
      redis.call('DEL', roomsKey)
      gone[#gone + 1] = {user, online, left}
    end
    redis.call('DEL', usersKey)
  end
end
return {dead, gone}`;

// How often a node beats and looks for dead ones, at most: the sweep of a node that shut down
// waits for it. One small script per node and tick.
const MAX_TICK_MS = 1_000;

/** A user a dead node left behind, as the sweep found it. */
export interface GoneUser {
  user: string;
  /** Listed online by the dead node (not logged in again elsewhere since): OFFLINE is due. */
  wasOnline: boolean;
  /** Rooms it was taken out of, in no order: LEFT is due in each. */
  rooms: string[];
}

export interface NodeLivenessOptions {
  redis: Redis;
  instance: string;
  leaseMs: number;
  logger: Logger;
  /** The users a sweep took out; tells the others (LEFT, then OFFLINE). */
  onGone: (gone: GoneUser[]) => Promise<void>;
  /** Redis answers again, perhaps empty: writes this node's state back. */
  onRestore: () => Promise<void>;
}

export class NodeLiveness {
  private readonly options: NodeLivenessOptions;
  private readonly heartbeatMs: number;
  private readonly timer: NodeJS.Timeout;
  private sweeping = false;
  private stopped = false;

  constructor(options: NodeLivenessOptions) {
    this.options = options;
    this.heartbeatMs = Math.max(2, Math.floor(options.leaseMs / 2));
    const everyMs = Math.max(1, Math.min(MAX_TICK_MS, Math.floor(options.leaseMs / 6)));
    this.timer = setInterval(() => void this.tick(), everyMs);
    this.timer.unref();
    options.redis.on("ready", () => void this.backAfterOutage());
  }

  /** The first beat: this node is alive before it serves anyone. */
  async start(): Promise<void> {
    await this.beat();
  }

  /**
   * A graceful end, once this node's sessions have left their rooms: its heartbeat goes at once,
   * so a survivor sweeps the users it still lists online and announces them OFFLINE.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    const { redis, instance } = this.options;
    try {
      await redis.del(aliveKey(instance));
    } catch (error) {
      this.options.logger.warn({ err: error }, "cluster: could not sign off; it will be swept");
    }
  }

  private async tick(): Promise<void> {
    if (this.stopped || this.options.redis.status !== "ready") return;
    try {
      await this.beat();
      await this.sweep();
    } catch (error) {
      this.options.logger.warn({ err: error }, "cluster: heartbeat or sweep failed; retrying");
    }
  }

  private async beat(): Promise<void> {
    const { redis, instance } = this.options;
    // The heartbeat before the membership: a sweeper never sees this node listed and not alive.
    await redis
      .multi()
      .set(aliveKey(instance), "1", "PX", this.heartbeatMs)
      .sadd(NODES_KEY, instance)
      .exec();
  }

  private async sweep(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const { redis, instance, logger } = this.options;
      const [dead, gone] = (await redis.eval(
        SWEEP_SCRIPT,
        3,
        NODES_KEY,
        ONLINE_KEY,
        ROOMS_KEY,
        instance,
        ALIVE_PREFIX,
        NODE_USERS_PREFIX,
        ROOMS_OF_PREFIX,
        ROOM_MEMBERS_PREFIX,
      )) as [string[], [string, number, string[]][]];
      if (dead.length === 0) return;
      logger.warn({ nodes: dead, users: gone.length }, "cluster: swept the users of dead nodes");
      await this.options.onGone(
        gone.map(([user, online, rooms]) => ({ user, wasOnline: online === 1, rooms })),
      );
    } finally {
      this.sweeping = false;
    }
  }

  private async backAfterOutage(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.beat();
      await this.options.onRestore();
    } catch (error) {
      this.options.logger.warn({ err: error }, "cluster: writing this node's state back failed");
    }
  }
}
