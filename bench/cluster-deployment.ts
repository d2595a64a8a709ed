/**
 * A cluster to measure: one redis-server (bench/redis-server-process.ts) in a temporary directory and K
 * `parrot server --cluster` nodes on it, each its own process started through the real CLI
 * (bench/parrot-server-process.ts), named a, b, c, ... Stopping it stops the nodes first (each frees
 * its logins in Redis on the way out), then Redis, then removes the directory.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchParrotServer, type ParrotServerOptions } from "./parrot-server-process.ts";
import { launchRedisServer, type RedisServer } from "./redis-server-process.ts";
import type { ServerProcess } from "./server-process.ts";

export interface ClusterDeployment {
  redis: RedisServer;
  nodes: ServerProcess[];
  stop(): Promise<void>;
}

/** `node` is every node's launch options; the cluster flags are added to its extraArgs. */
export async function launchCluster(
  nodeCount: number,
  node: ParrotServerOptions,
): Promise<ClusterDeployment> {
  const dir = mkdtempSync(join(tmpdir(), "parrot-bench-redis-"));
  let redis: RedisServer | undefined;
  const nodes: ServerProcess[] = [];
  const stop = async () => {
    try {
      await Promise.all(nodes.map((started) => started.stop()));
      await redis?.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    redis = await launchRedisServer(dir);
    for (let i = 0; i < nodeCount; i++) {
      const name = String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(i) : "");
      nodes.push(
        await launchParrotServer({
          ...node,
          extraArgs: [...(node.extraArgs ?? []), "--cluster", redis.url, "--node-id", name],
        }),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { redis, nodes, stop };
}
