/**
 * RedisLoginThrottleState: the login throttle's counts (login-throttle-state.ts) in the cluster's
 * Redis, so that every node of a cluster sees every node's failures (REQ-10.11): guesses spread
 * over N nodes get the budget of one, not N times it.
 *
 * Each key is a hash {failures, next} that expires `forgetAfterMs` after its last failure. Booking
 * a turn and counting a failure are one Lua script each, so two nodes booking at once never both
 * get the same turn. The scripts read Redis's own clock (TIME), not the nodes': nodes whose clocks
 * disagree still queue attempts on one timeline. Names are counted whether or not an account has
 * them (REQ-5.2).
 *
 * While Redis cannot answer, every method rejects with StoreUnavailable, and the session refuses
 * the login with ERROR INTERNAL_ERROR whatever the name and password (REQ-10.12): a node alone
 * cannot tell how many guesses the others let through, and would refuse a right password anyway
 * (REQ-13.4).
 */
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import {
  type AttemptKeys,
  LOGIN_THROTTLE_DEFAULTS,
  type LoginThrottleState,
  type ThrottleLimits,
  type Turn,
} from "../login-throttle-state.ts";
import { StoreUnavailable } from "../store-unavailable.ts";

export const THROTTLE_ACCOUNT_PREFIX = "parrot:throttle:account:";
export const THROTTLE_ADDRESS_PREFIX = "parrot:throttle:address:";

// Shared by both scripts: Redis's clock in ms, and spacingAfter() of login-throttle-state.ts.
const PRELUDE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local free, base, most = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local function spacing(failures)
  if failures < free then return 0 end
  return math.min(most, base * 2 ^ (failures - free))
end
`;

/** Returns the wait in ms, or -1 when the turn is beyond maxDelayMs (nothing booked then). */
const RESERVE_TURN = `${PRELUDE}
local turn, failures = now, {}
for i, key in ipairs(KEYS) do
  local record = redis.call('HMGET', key, 'failures', 'next')
  if record[1] then
    failures[i] = tonumber(record[1])
    turn = math.max(turn, tonumber(record[2]) or now)
  end
end
if turn - now > most then return -1 end
for i, key in ipairs(KEYS) do
  if failures[i] then
    redis.call('HSET', key, 'next', math.floor(turn + spacing(failures[i])))
  end
end
return math.floor(turn - now)
`;

/** ARGV[4] is forgetAfterMs. */
const RECORD_FAILURE = `${PRELUDE}
for _, key in ipairs(KEYS) do
  local failures = redis.call('HINCRBY', key, 'failures', 1)
  local next = tonumber(redis.call('HGET', key, 'next')) or now
  redis.call('HSET', key, 'next', math.floor(math.max(next, now + spacing(failures))))
  redis.call('PEXPIRE', key, ARGV[4])
end
return 1
`;

export class RedisLoginThrottleState implements LoginThrottleState {
  private readonly limitArgs: number[];

  constructor(
    private readonly redis: Redis,
    private readonly logger: Logger,
    private readonly limits: ThrottleLimits = LOGIN_THROTTLE_DEFAULTS,
  ) {
    this.limitArgs = [limits.freeFailures, limits.baseDelayMs, limits.maxDelayMs];
  }

  async reserveTurn(keys: AttemptKeys): Promise<Turn> {
    const wait = Number(await this.run(RESERVE_TURN, keysOf(keys), this.limitArgs));
    return wait < 0 ? { refuseAfterMs: this.limits.maxDelayMs } : { checkAfterMs: wait };
  }

  async recordFailure(keys: AttemptKeys): Promise<void> {
    await this.run(RECORD_FAILURE, keysOf(keys), [...this.limitArgs, this.limits.forgetAfterMs]);
  }

  async recordSuccess(account: string): Promise<void> {
    await this.guarded(() => this.redis.del(THROTTLE_ACCOUNT_PREFIX + account));
  }

  private run(script: string, keys: string[], args: number[]): Promise<unknown> {
    return this.guarded(() => this.redis.eval(script, keys.length, ...keys, ...args));
  }

  private async guarded<T>(command: () => Promise<T>): Promise<T> {
    if (this.redis.status !== "ready") throw new StoreUnavailable();
    try {
      return await command();
    } catch (error) {
      this.logger.warn({ err: error }, "cluster: login throttle store did not answer");
      throw new StoreUnavailable();
    }
  }
}

function keysOf({ account, address }: AttemptKeys): string[] {
  const keys = [THROTTLE_ACCOUNT_PREFIX + account];
  if (address !== undefined) keys.push(THROTTLE_ADDRESS_PREFIX + address);
  return keys;
}
