/**
 * RedisLoginRegistry: one live login per user across every node sharing one Redis (spec §13,
 * REQ-13.1 to REQ-13.4). A login is a key `PREFIX + user` holding this lease's token:
 *
 * - acquire: `SET key token NX PX lease`, one atomic command, never check-then-set;
 * - while the session lives, every `refreshMs` one script per batch renews this node's keys whose
 *   value is still its token (and re-takes a key that vanished, e.g. Redis restarted empty);
 * - release: a compare-and-delete script, so a late release never frees a newer login;
 * - a node that dies without releasing stops renewing: its keys expire within one lease.
 *
 * When Redis cannot answer, `acquire` rejects with LoginStoreUnavailable (the session sends
 * ERROR INTERNAL_ERROR with that text); sessions already logged in are not touched.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import type { LoginLease, LoginRegistry } from "../login-registry.ts";
import { LoginStoreUnavailable } from "../login-store-unavailable.ts";

export const DEFAULT_LEASE_MS = 10_000;
export const DEFAULT_LOGIN_KEY_PREFIX = "parrot:login:";
// Keys renewed per script call: bounds how long one call blocks Redis.
const RENEW_BATCH = 500;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// ARGV[1] is the lease in ms, ARGV[i + 1] the token of KEYS[i]. Returns the keys another lease
// holds now: this node lost them (only possible after Redis forgot them, see spec §13).
const RENEW_SCRIPT = `
local lost = {}
for i, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  if held == ARGV[i + 1] then redis.call('PEXPIRE', key, ARGV[1])
  elseif not held then redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
  else lost[#lost + 1] = key end
end
return lost`;

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
  readonly refreshMs: number;
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly keyPrefix: string;
  // Unique to this process even if an operator reuses a node id across restarts.
  private readonly tokenPrefix: string;
  private sequence = 0;
  /** key -> token of every login this node holds. */
  private readonly held = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private renewing = false;

  constructor(options: RedisLoginRegistryOptions) {
    this.redis = options.redis;
    this.logger = options.logger;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.refreshMs = options.refreshMs ?? Math.max(1, Math.floor(this.leaseMs / 3));
    if (this.refreshMs >= this.leaseMs) {
      throw new RangeError("the lease must be renewed more often than it lasts");
    }
    this.keyPrefix = options.keyPrefix ?? DEFAULT_LOGIN_KEY_PREFIX;
    this.tokenPrefix = `${options.nodeId}/${randomBytes(6).toString("hex")}/`;
    this.timer = setInterval(() => void this.renew(), this.refreshMs);
    this.timer.unref();
    // Back after an outage: renew at once rather than up to one interval later.
    this.redis.on("ready", () => void this.renew());
  }

  async acquire(user: string): Promise<LoginLease | null> {
    if (this.redis.status !== "ready") throw new LoginStoreUnavailable();
    const key = this.keyPrefix + user;
    const token = this.tokenPrefix + (this.sequence++).toString(36);
    let answer: string | null;
    try {
      answer = await this.redis.set(key, token, "PX", this.leaseMs, "NX");
    } catch (error) {
      this.logger.warn({ err: error, user }, "cluster: login store did not answer");
      throw new LoginStoreUnavailable();
    }
    if (answer !== "OK") return null;
    this.held.set(key, token);
    this.logger.debug({ user, key }, "cluster: login lease taken");
    return new RedisLease(user, key, token, this);
  }

  /** How many logins this node holds. */
  get size(): number {
    return this.held.size;
  }

  /** Stops renewing; the caller releases leases (sessions ending) and closes `redis`. */
  stop(): void {
    clearInterval(this.timer);
  }

  /** @internal RedisLease calls this once. */
  async releaseLease(key: string, token: string): Promise<void> {
    if (this.held.get(key) !== token) return;
    this.held.delete(key);
    await this.redis.eval(RELEASE_SCRIPT, 1, key, token);
    this.logger.debug({ key }, "cluster: login lease released");
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.held.size === 0 || this.redis.status !== "ready") return;
    this.renewing = true;
    try {
      const entries = [...this.held];
      for (let start = 0; start < entries.length; start += RENEW_BATCH) {
        const batch = entries.slice(start, start + RENEW_BATCH);
        const keys = batch.map(([key]) => key);
        const tokens = batch.map(([, token]) => token);
        const lost = (await this.redis.eval(
          RENEW_SCRIPT,
          keys.length,
          ...keys,
          this.leaseMs,
          ...tokens,
        )) as string[];
        for (const key of lost) {
          this.held.delete(key);
          this.logger.warn({ key }, "cluster: a login lease was taken by another node meanwhile");
        }
      }
      this.logger.debug({ leases: entries.length }, "cluster: login leases renewed");
    } catch (error) {
      this.logger.warn({ err: error }, "cluster: renewing login leases failed; retrying");
    } finally {
      this.renewing = false;
    }
  }
}

// A class, not a closure per lease (server/login-registry.ts says why).
class RedisLease implements LoginLease {
  constructor(
    readonly user: string,
    private readonly key: string,
    private readonly token: string,
    private readonly registry: RedisLoginRegistry,
  ) {}

  release(): Promise<void> {
    return this.registry.releaseLease(this.key, this.token);
  }
}
