/**
 * RedisDirectory: who is logged in across the cluster (spec §13.4). This node's own logins sit in
 * a local SessionDirectory (found without a round trip); each is also a lease-kept key
 * `parrot:who:USER` = `NODE \t VERSION \t TOKEN`, so another node finds it and lists it, and the
 * entries of a node that died expire within one lease. `find` of a user on another node returns
 * a RemoteParticipant.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Awaitable } from "../awaitable.ts";
import type { Logger } from "../logger.ts";
import { sortNames } from "../name-list.ts";
import type { Participant } from "../participant.ts";
import { type Directory, SessionDirectory } from "../session-directory.ts";
import { StoreUnavailable } from "../store-unavailable.ts";
import type { LeaseKeeper } from "./lease-keeper.ts";
import { RemoteParticipant } from "./remote-participant.ts";

export const WHO_KEY_PREFIX = "parrot:who:";
const SCAN_COUNT = 1000;

export interface RedisDirectoryOptions {
  redis: Redis;
  nodeId: string;
  leases: LeaseKeeper;
  logger: Logger;
}

export class RedisDirectory implements Directory {
  /** This node's own logins, which node-mailbox.ts delivers to. */
  readonly local = new SessionDirectory();
  private readonly redis: Redis;
  private readonly nodeId: string;
  private readonly leases: LeaseKeeper;
  private readonly logger: Logger;
  private readonly values = new WeakMap<Participant, string>();
  private readonly tokenPrefix = randomBytes(6).toString("hex");
  private sequence = 0;

  constructor(options: RedisDirectoryOptions) {
    this.redis = options.redis;
    this.nodeId = options.nodeId;
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
    return this.leases
      .put(WHO_KEY_PREFIX + participant.user, value)
      .catch((error: unknown) =>
        this.logger.warn(
          { err: error, user: participant.user },
          "cluster: listing a login waits for Redis",
        ),
      );
  }

  remove(participant: Participant): Awaitable<void> {
    this.local.remove(participant);
    const value = this.values.get(participant);
    if (value === undefined) return;
    this.values.delete(participant);
    return this.leases.release(WHO_KEY_PREFIX + participant.user, value);
  }

  find(user: string): Awaitable<Participant | undefined> {
    return this.local.find(user) ?? this.findRemote(user);
  }

  async names(): Promise<readonly string[]> {
    const names: string[] = [];
    try {
      let cursor = "0";
      do {
        const [next, keys] = await this.redis.scan(
          cursor,
          "MATCH",
          `${WHO_KEY_PREFIX}*`,
          "COUNT",
          SCAN_COUNT,
        );
        cursor = next;
        for (const key of keys) names.push(key.slice(WHO_KEY_PREFIX.length));
      } while (cursor !== "0");
    } catch (error) {
      this.logger.warn({ err: error }, "cluster: listing who is online failed");
      throw new StoreUnavailable(
        "the list of users is unavailable: the cluster's shared store cannot be reached; try again later",
      );
    }
    // SCAN may return a key twice; a set, then the byte order of REQ-12.21.
    return sortNames(new Set(names));
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
