/**
 * /metrics on a cluster node (`parrot server --cluster ... --admin-listen`): parrot_cluster_store_up
 * is 1 while the node reaches Redis, 0 while Redis is away, and 1 again once it is back; the
 * rest of /metrics is served meanwhile. A real node process on a real redis-server.
 */
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import { eventually, peerOn, startNode, startRedis, stopClusterParts } from "./cluster-nodes.ts";

afterEach(stopClusterParts);

/** The admin port from the "admin listening" log line (logs are written asynchronously). */
async function adminPort(stderr: () => string): Promise<number> {
  let port = 0;
  await eventually("the admin listener's log line", async () => {
    const line = stderr()
      .split("\n")
      .find((entry) => entry.includes("admin listening"));
    if (line !== undefined) port = (JSON.parse(line) as { port: number }).port;
    return port > 0;
  });
  return port;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  assert.equal(response.status, 200, "scraped, Redis or not");
  return response.text();
}

async function storeUp(port: number): Promise<number> {
  const text = await scrape(port);
  const sample = /^parrot_cluster_store_up (\S+)$/m.exec(text);
  assert.ok(sample !== null, `parrot_cluster_store_up is exported:\n${text}`);
  return Number(sample[1]);
}

test("parrot_cluster_store_up follows Redis going away and coming back", async () => {
  const redis = await startRedis();
  const node = await startNode(redis, "A", await writeFastUsersFile(), [
    "--admin-listen",
    "127.0.0.1:0",
  ]);
  const port = await adminPort(node.stderr);
  assert.equal(await storeUp(port), 1);
  const peer = await peerOn(node);
  assert.equal((await peer.login("user1", "pass1")).status, "OK");
  await redis.stop();
  await eventually("store down in /metrics", async () => (await storeUp(port)) === 0);
  // The rest of /metrics is still there; the rooms, which only Redis can count, are no value.
  const during = await scrape(port);
  assert.match(during, /^parrot_logins_total\{result="OK"\} 1$/m);
  assert.match(during, /^parrot_rooms nan$/im, "NaN (prom-client writes Nan)");
  await redis.start();
  await eventually("store up again in /metrics", async () => (await storeUp(port)) === 1);
});
