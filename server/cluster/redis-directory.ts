/**
 * RedisDirectory: who is logged in across the cluster (spec §13.4). This node's own logins sit in
 * a local SessionDirectory (found without a round trip); each is also a lease-kept key
 * `parrot:who:USER` = `NODE \t VERSION \t TOKEN`, so another node finds it, and an entry in the
 * hash of everyone online (cluster-keys.ts ONLINE_KEY, recorded under this node's instance), so
 * WHO_LIST reads one key instead of scanning them all. A node that dies leaves its entries
 * behind: its `who` keys expire within one lease, and a survivor sweeps its online entries
 * (node-liveness.ts). `find` of a user on another node returns a RemoteParticipant.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Awaitable } from "../awaitable.ts";
import type { Logger } from "../logger.ts";
import { sortNames } from "../name-list.ts";
import type { Participant } from "../participant.ts";
import { type Directory, SessionDirectory } from "../session-directory.ts";
import { StoreUnavailable } from "../store-unavailable.ts";
import { nodeUsersKey, ONLINE_KEY } from "./cluster-keys.ts";
import type { LeaseKeeper } from "./lease-keeper.ts";
import { RemoteParticipant } from "./remote-participant.ts";

export const WHO_KEY_PREFIX = "parrot:who:";

// KEYS: online, node-users. ARGV: user, instance. Only this instance's entry: a late removal
// never takes out the user's next login on another node.
const REMOVE_SCRIPT = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then redis.call('HDEL', KEYS[1], ARGV[1]) end
redis.call('SREM', KEYS[2], ARGV[1])
return 1`;

export interface RedisDirectoryOptions {
  redis: Redis;
  nodeId: string;
  /** This process of the node (cluster-keys.ts). */
  instance: string;
  leases: LeaseKeeper;
  logger: Logger;
}

export class RedisDirectory implements Directory {
  /** This node's own logins, which node-mailbox.ts delivers to. */
  readonly local = new SessionDirectory();
  private readonly redis: Redis;
  private readonly nodeId: string;
  private readonly instance: string;
  private readonly leases: LeaseKeeper;
  private readonly logger: Logger;
  private readonly values = new WeakMap<Participant, string>();
  // Users whose online entry Redis did not hear removed (it was away).
  private readonly unlisted = new Set<string>();
  private handingOver = false;
  private readonly tokenPrefix = randomBytes(6).toString("hex");
  private sequence = 0;

  constructor(options: RedisDirectoryOptions) {
    this.redis = options.redis;
    this.nodeId = options.nodeId;
    this.instance = options.instance;
    this.leases = options.leases;
    this.logger = options.logger;
  }

  add(participant: Participant): Promise<void> {
    this.local.add(participant);
    const token = `${this.tokenPrefix}/${(this.sequence++).toString(36)}`;
    const value = `${this.nodeId}\t${participant.version}\t${token}`;
    this.values.set(participant, value);
    // The login lease already makes the user ours cluster-wide: overwrite a stale entry. If
    // Redis is away the entry is kept to be renewed, and so written, once it is back: the
    // session it lists has its login and goes on.
    const user = participant.user;
    // Both at once, one round trip: the login is listed as soon as possible after its OK.
    const listed = Promise.all([
      this.leases.put(WHO_KEY_PREFIX + user, value),
      this.redis
        .multi()
        .hset(ONLINE_KEY, user, this.instance)
        .sadd(nodeUsersKey(this.instance), user)
        .exec(),
    ]);
    return listed.then(
      () => undefined,
      (error: unknown) =>
        this.logger.warn({ err: error, user }, "cluster: listing a login waits for Redis"),
    );
  }

  /**
   * The node is shutting down: its logins stay listed as online, for the survivors to sweep and
   * announce OFFLINE once this node's heartbeat is gone (node-liveness.ts). A quiet end tells no
   * subscriber of this node (they are all ending), but the other nodes' subscribers must hear it.
   */
  handOverToSweep(): void {
    this.handingOver = true;
  }

  remove(participant: Participant): Awaitable<void> {
    this.local.remove(participant);
    const value = this.values.get(participant);
    if (value === undefined) return;
    this.values.delete(participant);
    const user = participant.user;
    // Never rejects: the session is ending whatever Redis says. Its `who` key is no longer
    // renewed and expires; its online entry is taken out once Redis is back (restore).
    const unlisted = this.handingOver ? undefined : this.unlist(user);
    return Promise.all([this.leases.release(WHO_KEY_PREFIX + user, value), unlisted]).then(
      () => undefined,
      (error: unknown) => {
        this.unlisted.add(user);
        this.logger.warn({ err: error, user }, "cluster: unlisting a login waits for Redis");
      },
    );
  }

  private unlist(user: string): Promise<unknown> {
    return this.redis.eval(
      REMOVE_SCRIPT,
      2,
      ONLINE_KEY,
      nodeUsersKey(this.instance),
      user,
      this.instance,
    );
  }

  /** Redis is back, perhaps empty: lists this node's logins again. */
  async restore(): Promise<void> {
    const users = this.local.names();
    if (users.length > 0) {
      const transaction = this.redis.multi();
      for (const user of users) {
        transaction.hset(ONLINE_KEY, user, this.instance).sadd(nodeUsersKey(this.instance), user);
      }
      await transaction.exec();
    }
    for (const user of this.unlisted) {
      if (this.local.find(user) !== undefined) continue;
      await this.unlist(user);
      this.unlisted.delete(user);
    }
  }

  find(user: string): Awaitable<Participant | undefined> {
    return this.local.find(user) ?? this.findRemote(user);
  }

  async names(): Promise<readonly string[]> {
    let names: string[];
    try {
      names = await this.redis.hkeys(ONLINE_KEY);
    } catch (error) {
      this.logger.warn({ err: error }, "cluster: listing who is online failed");
      throw new StoreUnavailable(
        "the list of users is unavailable: the cluster's shared store cannot be reached; try again later",
      );
    }
    return sortNames(names);
  }

  private async findRemote(user: string): Promise<Participant | undefined> {
    let value: string | null;
    try {
      value = await this.redis.get(WHO_KEY_PREFIX + user);
    } catch (error) {
      // Not delivered is the truth when the recipient cannot be found; the sender is told so.
      this.logger.warn({ err: error, user }, "cluster: looking up a user failed");
      return undefined;
    }
    if (value === null) return undefined;
    const [node, version] = value.split("\t");
    if (node === undefined || node === this.nodeId) return undefined;
    return new RemoteParticipant(user, Number(version), node, this.redis, this.logger);
  }
}
