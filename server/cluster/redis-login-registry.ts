/**
 * RedisLoginRegistry: one live login per user across every node sharing one Redis (spec §13,
 * REQ-13.1 to REQ-13.4). A login is a key `PREFIX + user` holding a token unique to this lease,
 * taken with `SET NX PX` (one atomic command, never check-then-set), renewed while the session
 * lives and freed by compare-and-delete (lease-keeper.ts); a node that dies stops renewing, and
 * its logins expire within one lease.
 *
 * When Redis cannot answer, `acquire` rejects with StoreUnavailable (the session sends
 * ERROR INTERNAL_ERROR with that text); sessions already logged in are not touched.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { LoginLease, LoginRegistry } from "../login-registry.ts";
import { StoreUnavailable } from "../store-unavailable.ts";
import { LeaseKeeper } from "./lease-keeper.ts";

export const DEFAULT_LEASE_MS = 10_000;
export const DEFAULT_LOGIN_KEY_PREFIX = "parrot:login:";

export interface RedisLoginRegistryOptions {
  redis: Redis;
  /** Names this node in tokens and logs. */
  nodeId: string;
  logger: Logger;
  /** How long a login outlives its node's last renewal; default 10 s. */
  leaseMs?: number;
  /** How often leases are renewed; default a third of the lease (two renewals may fail). */
  refreshMs?: number;
  keyPrefix?: string;
}

export class RedisLoginRegistry implements LoginRegistry {
  readonly leaseMs: number;
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly keyPrefix: string;
  private readonly leases: LeaseKeeper;
  // Unique to this process even if an operator reuses a node id across restarts.
  private readonly tokenPrefix: string;
  private sequence = 0;

  constructor(options: RedisLoginRegistryOptions) {
    this.redis = options.redis;
    this.logger = options.logger;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.keyPrefix = options.keyPrefix ?? DEFAULT_LOGIN_KEY_PREFIX;
    this.tokenPrefix = `${options.nodeId}/${randomBytes(6).toString("hex")}/`;
    this.leases = new LeaseKeeper({
      redis: options.redis,
      logger: options.logger,
      what: "login",
      leaseMs: this.leaseMs,
      refreshMs: options.refreshMs ?? Math.max(1, Math.floor(this.leaseMs / 3)),
    });
  }

  async acquire(user: string): Promise<LoginLease | null> {
    if (this.redis.status !== "ready") throw new StoreUnavailable();
    const key = this.keyPrefix + user;
    const token = this.tokenPrefix + (this.sequence++).toString(36);
    let taken: boolean;
    try {
      taken = await this.leases.take(key, token);
    } catch (error) {
      this.logger.warn({ err: error, user }, "cluster: login store did not answer");
      throw new StoreUnavailable();
    }
    return taken ? new RedisLease(user, key, token, this.leases) : null;
  }

  /** How many logins this node holds. */
  get size(): number {
    return this.leases.size;
  }

  /**
   * Resolves once every login this node held is released (sessions end asynchronously: their
   * LEFT and OFFLINE go out first, participation.ts) or after `withinMs`.
   */
  async released(withinMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, withinMs);
    });
    await Promise.race([this.leases.whenEmpty(), late]);
    clearTimeout(timer);
  }

  /** Stops renewing; the caller releases leases (sessions ending) and closes `redis`. */
  stop(): void {
    this.leases.stop();
  }
}

// A class, not a closure per lease (server/login-registry.ts says why).
class RedisLease implements LoginLease {
  constructor(
    readonly user: string,
    private readonly key: string,
    private readonly token: string,
    private readonly leases: LeaseKeeper,
  ) {}

  release(): Promise<void> {
    return this.leases.release(this.key, this.token);
  }
}
