/**
 * RedisCluster: this node's connection to the cluster's Redis and what the server takes from it
 * (today the login registry; directory, rooms, presence and the bus come next, issue 13).
 *
 * The connection reconnects on its own with a capped backoff and logs each step, so an outage of
 * Redis never ends the process. Commands fail at once while it is away (no offline queue: a login
 * must be refused then, not held until Redis returns) and after `commandTimeoutMs` when it is
 * there but does not answer.
 */
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { RedisLoginRegistry } from "./redis-login-registry.ts";

export interface RedisClusterOptions {
  /** redis://HOST:PORT[/DB] (rediss:// for TLS). */
  url: string;
  nodeId: string;
  logger: Logger;
  leaseMs?: number;
  commandTimeoutMs?: number;
}

const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;
const DEFAULT_COMMAND_TIMEOUT_MS = 2_000;

export class RedisCluster {
  readonly logins: RedisLoginRegistry;
  readonly nodeId: string;
  private readonly redis: Redis;

  private constructor(redis: Redis, options: RedisClusterOptions) {
    this.redis = redis;
    this.nodeId = options.nodeId;
    this.logins = new RedisLoginRegistry({
      redis,
      nodeId: options.nodeId,
      logger: options.logger,
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
    });
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
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(
        `cannot reach the cluster's Redis at ${redactedUrl(options.url)}: ${(error as Error).message}`,
      );
    }
    return new RedisCluster(redis, options);
  }

  /** After the server has closed (its sessions released their leases): flushes and disconnects. */
  async close(): Promise<void> {
    this.logins.stop();
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
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
