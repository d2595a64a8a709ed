/**
 * Nodes of a test cluster run in the test's own process: the library's `RedisCluster` and the
 * in-process launcher (tools/launch/in-process-server.ts), on a real redis-server and real TCP,
 * with options the command line does not offer (smaller room limits, a shorter typing timeout).
 * Closed after the test by `stopClusterParts` (cluster-nodes.ts).
 */
import { RedisCluster } from "../../../server/cluster/redis-cluster.ts";
import { createLogger } from "../../../server/logger.ts";
import {
  MemoryLoginThrottleState,
  type ThrottleLimits,
} from "../../../server/login-throttle-state.ts";
import type { RunningParrotServer } from "../../../server/parrot-server.ts";
import type { RoomLimits } from "../../../server/room-registry.ts";
import { startTestServer } from "../../../tools/launch/in-process-server.ts";
import { onCleanup } from "./cluster-nodes.ts";
import type { RedisProcess } from "./redis-process.ts";

export interface InProcessNodeOptions {
  roomLimits?: RoomLimits;
  typingTimeoutMs?: number;
  /**
   * The login throttle with these limits, on the cluster's Redis (`shared`) or in this node's
   * memory; loopback not exempt (the command line exempts it, and tests connect from loopback).
   */
  loginThrottle?: { limits: ThrottleLimits; shared: boolean };
}

export async function startInProcessNode(
  redis: RedisProcess,
  name: string,
  usersFile: string,
  options: InProcessNodeOptions = {},
): Promise<RunningParrotServer> {
  const logger = createLogger({ level: "silent" });
  const cluster = await RedisCluster.connect({
    url: redis.url,
    nodeId: name,
    logger,
    leaseMs: 120_000,
    ...(options.roomLimits === undefined ? {} : { roomLimits: options.roomLimits }),
    ...(options.loginThrottle === undefined
      ? {}
      : { loginThrottleLimits: options.loginThrottle.limits }),
  });
  const server = await startTestServer({
    usersFile,
    logger,
    logins: cluster.logins,
    directory: cluster.directory,
    presence: cluster.presence,
    rooms: cluster.rooms,
    ...throttleOf(cluster, options),
    ...(options.typingTimeoutMs === undefined ? {} : { typingTimeoutMs: options.typingTimeoutMs }),
  });
  onCleanup(async () => {
    cluster.beginShutdown();
    await server.close();
    await cluster.close();
  });
  return server;
}

function throttleOf(cluster: RedisCluster, options: InProcessNodeOptions) {
  if (options.loginThrottle === undefined) return {};
  const { limits, shared } = options.loginThrottle;
  const state = shared
    ? cluster.loginThrottle
    : new MemoryLoginThrottleState(limits, () => performance.now());
  return { loginThrottle: { state, exempt: () => false } };
}
