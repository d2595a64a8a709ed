/**
 * LeaseKeeper: the Redis keys one node holds as leases (logins, directory entries). Each key
 * holds a value unique to its holder and a TTL of `leaseMs`; every `refreshMs` one script per
 * batch renews the keys whose value is still this node's (and re-takes a key that vanished, e.g.
 * Redis restarted empty), so the keys of a node that died expire within one lease (spec §13.2).
 * Releasing is a compare-and-delete: a late release never frees someone else's key.
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";

// Keys renewed per script call: bounds how long one call blocks Redis.
const RENEW_BATCH = 500;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// ARGV[1] is the lease in ms, ARGV[i + 1] the value of KEYS[i]. Returns the keys someone else
// holds now: this node lost them (only possible after Redis forgot them, spec §13.3).
const RENEW_SCRIPT = `
local lost = {}
for i, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  if held == ARGV[i + 1] then redis.call('PEXPIRE', key, ARGV[1])
  elseif not held then redis.call('SET', key, ARGV[i + 1], 'PX', ARGV[1])
  else lost[#lost + 1] = key end
end
return lost`;

export interface LeaseKeeperOptions {
  redis: Redis;
  logger: Logger;
  /** What the keys are, for logs ("login", "directory entry"). */
  what: string;
  leaseMs: number;
  refreshMs: number;
}

export class LeaseKeeper {
  private readonly redis: Redis;
  private readonly logger: Logger;
  private readonly what: string;
  private readonly leaseMs: number;
  /** key -> value of every lease this node holds. */
  private readonly held = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private renewing = false;
  private releasing = 0;
  private readonly emptyWaiters: (() => void)[] = [];

  constructor(options: LeaseKeeperOptions) {
    this.redis = options.redis;
    this.logger = options.logger;
    this.what = options.what;
    this.leaseMs = options.leaseMs;
    if (options.refreshMs >= options.leaseMs) {
      throw new RangeError("a lease must be renewed more often than it lasts");
    }
    this.timer = setInterval(() => void this.renew(), options.refreshMs);
    this.timer.unref();
    // Back after an outage: renew at once rather than up to one interval later.
    this.redis.on("ready", () => void this.renew());
  }

  /** `SET key value NX PX lease`: true when this node now holds `key`. */
  async take(key: string, value: string): Promise<boolean> {
    const answer = await this.redis.set(key, value, "PX", this.leaseMs, "NX");
    if (answer !== "OK") return false;
    this.held.set(key, value);
    this.logger.debug({ key }, `cluster: ${this.what} lease taken`);
    return true;
  }

  /** `SET key value PX lease`, over whatever was there: for keys another lease already guards. */
  async put(key: string, value: string): Promise<void> {
    this.held.set(key, value);
    await this.redis.set(key, value, "PX", this.leaseMs);
    this.logger.debug({ key }, `cluster: ${this.what} lease put`);
  }

  /** Frees `key` if it still holds `value`; stops renewing it at once, even if Redis is away. */
  async release(key: string, value: string): Promise<void> {
    if (this.held.get(key) !== value) return;
    this.held.delete(key);
    this.releasing++;
    try {
      await this.redis.eval(RELEASE_SCRIPT, 1, key, value);
      this.logger.debug({ key }, `cluster: ${this.what} lease released`);
    } finally {
      this.releasing--;
      if (this.held.size === 0 && this.releasing === 0) {
        for (const resolve of this.emptyWaiters.splice(0)) resolve();
      }
    }
  }

  /** Resolves once this node holds no lease and no release is still on its way to Redis. */
  whenEmpty(): Promise<void> {
    if (this.held.size === 0 && this.releasing === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  get size(): number {
    return this.held.size;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async renew(): Promise<void> {
    if (this.renewing || this.held.size === 0 || this.redis.status !== "ready") return;
    this.renewing = true;
    try {
      const entries = [...this.held];
      for (let start = 0; start < entries.length; start += RENEW_BATCH) {
        // Only what is still held now: a key released since the snapshot, whose delete is already
        // on its way, would otherwise be re-taken below as "vanished" and held for a whole lease.
        const batch = entries
          .slice(start, start + RENEW_BATCH)
          .filter(([key, value]) => this.held.get(key) === value);
        if (batch.length === 0) continue;
        const keys = batch.map(([key]) => key);
        const values = batch.map(([, value]) => value);
        const lost = (await this.redis.eval(
          RENEW_SCRIPT,
          keys.length,
          ...keys,
          this.leaseMs,
          ...values,
        )) as string[];
        for (const key of lost) {
          // Only if it is still ours: a release may have come in while the script ran.
          if (this.held.get(key) === undefined) continue;
          this.held.delete(key);
          this.logger.warn({ key }, `cluster: a ${this.what} lease was taken by another node`);
        }
      }
      this.logger.debug({ leases: entries.length }, `cluster: ${this.what} leases renewed`);
    } catch (error) {
      this.logger.warn({ err: error }, `cluster: renewing ${this.what} leases failed; retrying`);
    } finally {
      this.renewing = false;
    }
  }
}
