/**
 * RedisCluster: this node's connections to the cluster's Redis and what the server takes from
 * them: the login registry, the directory (who is online where; DMs and typing to users on other
 * nodes), presence, rooms that span the nodes (one Redis channel per room, redis-rooms.ts), and
 * the login throttle's counts (redis-login-throttle.ts).
 * Its heartbeat lets the other nodes sweep its users should it die (node-liveness.ts).
 *
 * The connection reconnects on its own with a capped backoff and logs each step, so an outage of
 * Redis never ends the process. Commands fail at once while it is away (no offline queue: a login
 * must be refused then, not held until Redis returns) and after `commandTimeoutMs` when it is
 * there but does not answer.
 */
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import type { MessageStore } from "../history/message-store.ts";
import { RedisStreamsMessageStore } from "../history/redis-streams-message-store.ts";
import type { RoomMessages } from "../history/room-messages.ts";
import type { Logger } from "../logger.ts";
import type { ThrottleLimits } from "../login-throttle-state.ts";
import type { RoomLimits } from "../room-registry.ts";
import { AtomicRoomMessages } from "./atomic-room-messages.ts";
import { ClusterPresence } from "./cluster-presence.ts";
import { LeaseKeeper } from "./lease-keeper.ts";
import { type GoneUser, NodeLiveness } from "./node-liveness.ts";
import { NodeMailbox } from "./node-mailbox.ts";
import { RedisDirectory } from "./redis-directory.ts";
import { DEFAULT_LEASE_MS, RedisLoginRegistry } from "./redis-login-registry.ts";
import { RedisLoginThrottleState } from "./redis-login-throttle.ts";
import { RedisRooms } from "./redis-rooms.ts";
import { RoomMembership } from "./room-membership.ts";
import { RoomSequence } from "./room-sequence.ts";

export interface RedisClusterOptions {
  /** redis://HOST:PORT[/DB] (rediss:// for TLS). */
  url: string;
  nodeId: string;
  logger: Logger;
  leaseMs?: number;
  commandTimeoutMs?: number;
  /** Smaller room limits than the spec's, for tests; enforced cluster-wide. */
  roomLimits?: RoomLimits;
  /** Other limits for the login throttle than LOGIN_THROTTLE_DEFAULTS, for tests. */
  loginThrottleLimits?: ThrottleLimits;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;
// How long close() waits for the ending sessions' last writes: a few store round trips each,
// or the command timeout when the store is away.
const SESSION_ENDS_GRACE_MS = 3 * DEFAULT_COMMAND_TIMEOUT_MS;

export class RedisCluster {
  readonly logins: RedisLoginRegistry;
  /** Failed logins counted cluster-wide (REQ-10.11). */
  readonly loginThrottle: RedisLoginThrottleState;
  readonly directory: RedisDirectory;
  readonly presence: ClusterPresence;
  readonly rooms: RedisRooms;
  readonly nodeId: string;
  /** This process of the node: what it writes is recorded under it (cluster-keys.ts). */
  readonly instance: string;
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly entries: LeaseKeeper;
  private readonly mailbox: NodeMailbox;
  private readonly liveness: NodeLiveness;
  private readonly sequence: RoomSequence;

  private constructor(redis: Redis, subscriber: Redis, options: RedisClusterOptions) {
    const { nodeId, logger } = options;
    const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.redis = redis;
    this.subscriber = subscriber;
    this.nodeId = nodeId;
    this.instance = `${nodeId}/${randomBytes(6).toString("hex")}`;
    const instance = this.instance;
    this.logins = new RedisLoginRegistry({ redis, nodeId, logger, leaseMs });
    this.loginThrottle = new RedisLoginThrottleState(redis, logger, options.loginThrottleLimits);
    this.entries = new LeaseKeeper({
      redis,
      logger,
      what: "directory entry",
      leaseMs,
      refreshMs: Math.max(1, Math.floor(leaseMs / 3)),
    });
    this.directory = new RedisDirectory({ redis, nodeId, instance, leases: this.entries, logger });
    this.presence = new ClusterPresence(nodeId, redis, logger);
    const sequence = new RoomSequence(
      redis,
      subscriber,
      instance,
      logger,
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    );
    this.sequence = sequence;
    const limits = RedisRooms.limits(options.roomLimits);
    this.rooms = new RedisRooms(
      new RoomMembership(redis, instance, limits, logger),
      sequence,
      logger,
    );
    this.mailbox = new NodeMailbox(
      subscriber,
      nodeId,
      this.directory,
      this.presence,
      sequence,
      logger,
    );
    this.liveness = new NodeLiveness({
      redis,
      instance,
      leaseMs,
      logger,
      onGone: (gone) => this.tellGone(gone),
      onRestore: async () => {
        await this.directory.restore();
        await this.rooms.restore();
      },
    });
  }

  /**
   * How version-3 room messages take their ids and their place in each room's one order, given
   * the history `store` (ParrotServerOptions.roomMessages): in one step in Redis when the history
   * is in this cluster's Redis (REQ-13.18). A store of the node's own (a file) has ids of its own
   * node only, and keeps the server's default.
   */
  roomMessagesFor(store: MessageStore): RoomMessages | undefined {
    if (!(store instanceof RedisStreamsMessageStore)) return undefined;
    return new AtomicRoomMessages(this.sequence, store);
  }

  /** LEFT in each room of a dead node's user, then OFFLINE (the order of a session's end). */
  private async tellGone(gone: GoneUser[]): Promise<void> {
    await Promise.all(
      gone.map(async ({ user, wasOnline, rooms }) => {
        await Promise.all(rooms.map((room) => this.rooms.announceLeft(room, user)));
        if (wasOnline) this.presence.announceGone(user);
      }),
    );
  }

  /**
   * Connects, and resolves once Redis answers: a node that cannot reach its Redis at start is
   * misconfigured, and says so rather than serving a cluster of one.
   */
  static async connect(options: RedisClusterOptions): Promise<RedisCluster> {
    const log = options.logger;
    const redis = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      connectionName: `parrot:${options.nodeId}`,
      retryStrategy: (attempt) => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempt - 1)),
    });
    let lastError = "";
    redis.on("error", (error: Error) => {
      // One line per distinct failure, not one per retry of the same one.
      if (error.message === lastError) return;
      lastError = error.message;
      log.warn({ err: error }, "cluster: Redis connection error");
    });
    redis.on("reconnecting", (delayMs: number) =>
      log.warn({ delayMs }, "cluster: Redis unreachable, reconnecting; new logins are refused"),
    );
    redis.on("ready", () => {
      lastError = "";
      log.info({ node: options.nodeId }, "cluster: Redis connected");
    });
    // Subscribed connections can do nothing else; this one only receives (node-mailbox.ts).
    const subscriber = redis.duplicate({ connectionName: `parrot:${options.nodeId}:subscriber` });
    subscriber.on("error", () => {}); // the first connection logs the outage
    try {
      await redis.connect();
      await subscriber.connect();
    } catch (error) {
      redis.disconnect();
      subscriber.disconnect();
      throw new Error(
        `cannot reach the cluster's Redis at ${redactedUrl(options.url)}: ${(error as Error).message}`,
      );
    }
    const cluster = new RedisCluster(redis, subscriber, options);
    await cluster.mailbox.open();
    await cluster.liveness.start();
    return cluster;
  }

  /** Whether commands reach Redis now (for /metrics: parrot_cluster_store_up). */
  get storeReachable(): boolean {
    return this.redis.status === "ready";
  }

  /**
   * Before the server closes: its sessions end quietly (spec §12.6), so their OFFLINE is left to
   * the other nodes' sweep, which starts once `close` has stopped the heartbeat.
   */
  beginShutdown(): void {
    this.directory.handOverToSweep();
  }

  /**
   * After the server has closed: waits for its sessions' ends to reach Redis (their LEFTs, then
   * their logins freed, REQ-13.2), then stops the heartbeat, flushes and disconnects.
   */
  async close(): Promise<void> {
    await this.logins.released(SESSION_ENDS_GRACE_MS);
    await this.liveness.stop();
    this.sequence.stop();
    this.logins.stop();
    this.entries.stop();
    for (const connection of [this.subscriber, this.redis]) {
      try {
        await connection.quit();
      } catch {
        connection.disconnect();
      }
    }
  }
}

/** The URL without a password, for messages. */
function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable URL)";
  }
}
