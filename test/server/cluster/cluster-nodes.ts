/**
 * Nodes of a test cluster: real `parrot server --cluster` processes on a real redis-server, each
 * killed and its Redis stopped after the test (call `stopClusterParts` from `afterEach`).
 */

import {
  type ParrotProcess,
  startTestServerProcess,
} from "../../../tools/launch/parrot-process.ts";
import type { BoundAddress } from "../../../transport/listener.ts";
import { RawPeer } from "../raw-peer.ts";
import { RedisProcess } from "./redis-process.ts";

export type Node = ParrotProcess & { address: BoundAddress };

const HANG_GUARD_MS = 20_000;
// Long enough that a login freed within a test was released, not expired.
const LONG_LEASE_SECONDS = "120";

const cleanups: (() => Promise<unknown> | unknown)[] = [];

export async function stopClusterParts(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** Runs `cleanup` after the test, before what was set up earlier is cleaned up. */
export function onCleanup(cleanup: () => Promise<unknown> | unknown): void {
  cleanups.push(cleanup);
}

export async function startRedis(): Promise<RedisProcess> {
  const redis = await RedisProcess.start();
  cleanups.push(() => redis.close());
  return redis;
}

export async function startNode(
  redis: RedisProcess,
  name: string,
  usersFile: string,
  extra: string[] = [],
): Promise<Node> {
  const node = await startTestServerProcess(
    ["--cluster", redis.url, "--node-id", name, "--cluster-lease", LONG_LEASE_SECONDS, ...extra],
    { usersFile },
  );
  cleanups.push(async () => {
    if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill("SIGKILL");
    await node.exited;
  });
  return node;
}

/** A peer negotiated (version 1 unless told) on `node`, destroyed after the test. */
export async function peerOn(
  node: { address: BoundAddress },
  versions?: number[],
): Promise<RawPeer> {
  const peer = await RawPeer.connect(node.address);
  cleanups.push(() => peer.destroy());
  await peer.negotiate(versions);
  return peer;
}

/**
 * A peer on `node` logged in as `name` (password `NAME-pw`, as in v2-peers.ts), at version 2, or
 * at version 3 with its SESSION_INFO read.
 */
export async function loggedInOn(
  node: { address: BoundAddress },
  name: string,
  version: 2 | 3 = 2,
): Promise<RawPeer> {
  const peer = await peerOn(node, version === 3 ? [1, 2, 3] : [1, 2]);
  const answer = await peer.login(name, `${name}-pw`);
  if (answer.status !== "OK") throw new Error(`${name} could not log in: ${answer.status}`);
  if (version === 3) await peer.expect("SESSION_INFO");
  return peer;
}

/** Polls `check` until it holds; a hang guard, not a deadline the behaviour must meet. */
export async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const giveUp = Date.now() + HANG_GUARD_MS;
  while (!(await check())) {
    if (Date.now() > giveUp) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * The LOGIN_RESPONSE status of the first login on `node` that gets one: after an outage of Redis,
 * attempts are refused with ERROR INTERNAL_ERROR (and closed) until the node has reconnected.
 */
export async function firstLoginAnswered(
  node: { address: BoundAddress },
  username: string,
  password: string,
): Promise<string> {
  let status = "";
  await eventually(`a login for ${username} answered`, async () => {
    const peer = await peerOn(node);
    peer.send({ type: "LOGIN_REQUEST", version: peer.version, username, password });
    const answer = await peer.next();
    if (answer.kind !== "pdu" || answer.pdu.type !== "LOGIN_RESPONSE") return false;
    status = answer.pdu.status;
    return true;
  });
  return status;
}
