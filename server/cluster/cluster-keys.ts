/**
 * The Redis keys the nodes of a cluster share beyond logins (redis-login-registry.ts) and the
 * per-user directory entries (redis-directory.ts), in one place so every script and reader uses
 * one layout. An `instance` is one running process of a node (its node id and a random part), so
 * what a restarted node writes is never mistaken for what its previous life left behind.
 *
 * Everything a node writes is recorded under its instance, so a survivor can take out exactly
 * what a dead node left (node-liveness.ts), and never a user who has logged in again elsewhere.
 */

/** The names of every existing room (a set): ROOM_LIST. */
export const ROOMS_KEY = "parrot:rooms";

/** A room's members (a hash: user -> instance of the node its session is on). */
export const ROOM_MEMBERS_PREFIX = "parrot:room-members:";
export function roomMembersKey(room: string): string {
  return ROOM_MEMBERS_PREFIX + room;
}

/** The rooms one login of one instance is in (a set): the per-user room limit, and the sweep. */
export const ROOMS_OF_PREFIX = "parrot:rooms-of:";
export function roomsOfKey(instance: string, user: string): string {
  return `${ROOMS_OF_PREFIX}${instance}:${user}`;
}

/** Everyone logged in on any node (a hash: user -> instance): WHO_LIST without a scan of all keys. */
export const ONLINE_KEY = "parrot:online";

/** The users logged in on one instance (a set): what a survivor announces OFFLINE for it. */
export const NODE_USERS_PREFIX = "parrot:node-users:";
export function nodeUsersKey(instance: string): string {
  return NODE_USERS_PREFIX + instance;
}

/** Every instance that has announced itself and not been swept (a set). */
export const NODES_KEY = "parrot:nodes";

/** An instance's heartbeat (a string with a TTL): while it exists, the instance is alive. */
export const ALIVE_PREFIX = "parrot:alive:";
export function aliveKey(instance: string): string {
  return ALIVE_PREFIX + instance;
}
