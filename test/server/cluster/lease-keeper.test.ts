/**
 * LeaseKeeper against a real redis-server: a lease released while a renewal is on its way must stay
 * released. Renewals go out in batches; a key released after the renewal read the node's leases but
 * before its batch was sent must not be re-taken by the batch's "re-take what vanished" branch, or
 * the user's login stays taken for a whole lease after the session ended (REQ-13.2: free at once).
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { LeaseKeeper } from "../../../server/cluster/lease-keeper.ts";
import { silentLogger } from "../../../server/logger.ts";
import { RedisProcess } from "./redis-process.ts";

let redis: RedisProcess | undefined;
afterEach(async () => {
  await redis?.close();
  redis = undefined;
});

test("a lease released while a renewal of several batches is in flight stays released (REQ-13.2)", async () => {
  redis = await RedisProcess.start();
  const nodeClient = redis.client();
  const admin = redis.client();
  // No renewal of its own during the test: this one triggers the single renewal below.
  const keeper = new LeaseKeeper({
    redis: nodeClient,
    logger: silentLogger(),
    what: "login",
    leaseMs: 600_000,
    refreshMs: 300_000,
  });
  try {
    const keys = Array.from({ length: 1200 }, (_, i) => `test:login:user${i}`);
    for (const key of keys) assert.equal(await keeper.take(key, `token-${key}`), true);

    // Hold the renewal's first batch inside Redis, release every lease behind it, then let it go:
    // the releases run between the first batch and the ones after it.
    await admin.call("CLIENT", "PAUSE", "10000", "ALL");
    nodeClient.emit("ready"); // what the keeper renews on after an outage: one renewal, now
    const releases = keys.map((key) => keeper.release(key, `token-${key}`));
    await admin.call("CLIENT", "UNPAUSE");
    await Promise.all(releases);
    // Every later batch was sent before the releases' replies came back; this PING's reply comes
    // after all of them ran.
    await nodeClient.ping();

    assert.deepEqual(await admin.keys("test:login:*"), [], "no released lease came back");
  } finally {
    keeper.stop();
  }
});
