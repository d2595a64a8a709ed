/**
 * A redis-server for the cluster part of the benchmark (bench/cluster-bench.ts): Debian's
 * `redis-server` on a free loopback port, in the directory it is given, without persistence, in its
 * own process like every server under test. The one redis-server launcher
 * (tools/launch/redis-server.ts), the tests' too.
 */
import { RedisServer as Redis } from "../tools/launch/redis-server.ts";

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts one in `dir` (the caller's, left in place); `stop()` ends it. */
export async function launchRedisServer(dir: string): Promise<RedisServer> {
  const redis = await Redis.start(dir);
  return { url: redis.url, stop: () => redis.close() };
}
