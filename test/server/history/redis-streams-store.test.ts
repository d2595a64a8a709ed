/**
 * The Redis Streams store (server/history/redis-streams-store.ts) on a real redis-server of its
 * own (test/server/cluster/redis-process.ts): the contract every store keeps, then what a cluster
 * needs: a message appended through node A's store is read through node B's, concurrent appenders
 * on two connections get one gapless order, the count bound trims the stream itself, and the
 * epoch changes when Redis loses the history (FLUSHALL, a restart without persistence).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import type { HistoryBounds } from "../../../server/history/durable-history.ts";
import {
  DEFAULT_HISTORY_KEY_PREFIX,
  RedisStreamsHistoryStore,
} from "../../../server/history/redis-streams-store.ts";
import { StoreUnavailable } from "../../../server/store-unavailable.ts";
import { RedisProcess } from "../cluster/redis-process.ts";
import { appendMany, HandClock, historyContract, say, seqs } from "./history-contract.ts";

const bounds: HistoryBounds = { count: 100, ageMs: 0, offlineQueue: 10 };

describe("Redis Streams history store", () => {
  let redis: RedisProcess;
  let stores = 0;

  before(async () => {
    redis = await RedisProcess.start();
  });
  after(() => redis.close());

  /** A store on its own connection, as one node of a cluster has, under its own key prefix. */
  function node(options: { bounds?: HistoryBounds; clock?: HandClock; prefix?: string } = {}): {
    store: RedisStreamsHistoryStore;
    connection: Redis;
  } {
    const connection = redis.client();
    const store = new RedisStreamsHistoryStore({
      redis: connection,
      bounds: options.bounds ?? bounds,
      clock: options.clock?.now,
      keyPrefix: options.prefix ?? `${DEFAULT_HISTORY_KEY_PREFIX}${++stores}:`,
    });
    return { store, connection };
  }

  historyContract(async (storeBounds, clock) => node({ bounds: storeBounds, clock }).store);

  test("appended through node A's store, read through node B's: the same ids, times and order", async () => {
    const prefix = `${DEFAULT_HISTORY_KEY_PREFIX}shared-${++stores}:`;
    const a = node({ prefix }).store;
    const b = node({ prefix }).store;
    const fromA = await appendMany(a, "room:lobby", 1, 3);
    const fromB = await b.append("room:lobby", say(4, "user2"));
    assert.deepEqual([fromB.epoch, fromB.seq], [fromA[0]!.epoch, 4], "B continues A's ids");
    const onB = await b.range("room:lobby", { kind: "latest" }, 10);
    const onA = await a.range("room:lobby", { kind: "latest" }, 10);
    assert.deepEqual(onB.items, [...fromA, fromB]);
    assert.deepEqual(onA, onB);
    const dm = await a.append("dm:user1\nuser2", say(9));
    await a.queueOffline("user2", dm);
    assert.deepEqual(await b.takeOffline("user2"), { messages: [dm], dropped: 0 }, "queued on A");
    assert.deepEqual((await a.takeOffline("user2")).messages, [], "taken once, on B");
  });

  test("concurrent appenders on two nodes: every seq once, no gap, stored in seq order", async () => {
    const prefix = `${DEFAULT_HISTORY_KEY_PREFIX}busy-${++stores}:`;
    const roomy = { ...bounds, count: 1000 };
    const nodes = [node({ prefix, bounds: roomy }).store, node({ prefix, bounds: roomy }).store];
    const perNode = 100;
    const kept = (
      await Promise.all(
        nodes.map((store, index) =>
          Promise.all(
            Array.from({ length: perNode }, (_, n) =>
              store.append("room:busy", say(n, `user${index + 1}`)),
            ),
          ),
        ),
      )
    ).flat();
    const all = Array.from({ length: 2 * perNode }, (_, n) => n + 1);
    assert.deepEqual(
      seqs(kept).sort((x, y) => x - y),
      all,
    );
    const page = await nodes[1]!.range("room:busy", { kind: "after", seq: 0 }, 1000);
    assert.deepEqual(seqs(page.items), all);
    assert.deepEqual(
      page.items,
      [...kept].sort((x, y) => x.seq - y.seq),
      "each message under the id its appender was given",
    );
    for (const from of ["user1", "user2"]) {
      const ids = page.items.filter((item) => item.from === from).map((item) => item.messageId);
      assert.deepEqual(
        ids,
        [...ids].sort((x, y) => x - y),
        `${from}'s own order is kept`,
      );
    }
  });

  test("the count bound trims the stream in Redis, not only what is served", async () => {
    const prefix = `${DEFAULT_HISTORY_KEY_PREFIX}trim-${++stores}:`;
    const { store, connection } = node({ prefix, bounds: { ...bounds, count: 10 } });
    await appendMany(store, "room:lobby", 1, 25);
    assert.equal(await connection.xlen(`${prefix}log:room:lobby`), 10);
    const page = await store.range("room:lobby", { kind: "after", seq: 3 }, 100);
    assert.deepEqual([page.oldestSeq, page.newestSeq, page.items.length], [16, 25, 10]);
  });

  test("the age bound trims the stream in Redis too, at the next append or read", async () => {
    const prefix = `${DEFAULT_HISTORY_KEY_PREFIX}age-${++stores}:`;
    const clock = new HandClock();
    const { store, connection } = node({
      prefix,
      clock,
      bounds: { count: 0, ageMs: 1_000, offlineQueue: 10 },
    });
    await appendMany(store, "room:lobby", 1, 150);
    clock.advance(2_000);
    await store.append("room:lobby", say(151));
    assert.equal(await connection.xlen(`${prefix}log:room:lobby`), 1);
    clock.advance(2_000);
    await store.range("room:lobby", { kind: "latest" }, 1);
    assert.equal(await connection.xlen(`${prefix}log:room:lobby`), 0);
  });

  for (const loss of ["FLUSHALL", "restart without persistence"] as const) {
    test(`history lost by ${loss}: a new epoch, seq from 1 again, nothing old served (REQ-15.8)`, async () => {
      const { store, connection } = node();
      const old = await appendMany(store, "room:lobby", 1, 5);
      if (loss === "FLUSHALL") await connection.flushall();
      else {
        await redis.stop();
        await redis.start();
        await waitReady(connection);
      }
      const empty = await store.range("room:lobby", { kind: "latest" }, 10);
      assert.deepEqual(empty, { epoch: 0, oldestSeq: 0, newestSeq: 0, items: [] });
      const fresh = await store.append("room:lobby", say(6));
      assert.notEqual(fresh.epoch, old[0]!.epoch, "a new epoch");
      assert.equal(fresh.seq, 1);
      const page = await store.range("room:lobby", { kind: "after", seq: 0 }, 10);
      assert.deepEqual(page.items, [fresh]);
    });
  }

  test("the stream lost but its epoch kept (e.g. evicted): a new epoch, never the old one", async () => {
    const prefix = `${DEFAULT_HISTORY_KEY_PREFIX}evicted-${++stores}:`;
    const { store, connection } = node({ prefix });
    const old = await appendMany(store, "room:lobby", 1, 5);
    await connection.del(`${prefix}log:room:lobby`);
    const page = await store.range("room:lobby", { kind: "after", seq: 5 }, 10);
    assert.notEqual(page.epoch, old[0]!.epoch);
    assert.notEqual(page.epoch, 0);
    assert.deepEqual([page.oldestSeq, page.newestSeq, page.items], [0, 0, []]);
    const next = await store.append("room:lobby", say(6));
    assert.deepEqual([next.epoch, next.seq], [page.epoch, 1], "the epoch the read reported");
  });

  test("Redis away: StoreUnavailable, and the same store works again once it is back", async () => {
    const { store, connection } = node();
    const first = await store.append("room:lobby", say(1));
    await redis.stop();
    await assert.rejects(store.append("room:lobby", say(2)), StoreUnavailable);
    await assert.rejects(store.range("room:lobby", { kind: "latest" }, 5), StoreUnavailable);
    await redis.start();
    await waitReady(connection);
    const again = await store.append("room:lobby", say(3));
    assert.notEqual(again.epoch, first.epoch, "it came back empty: a new epoch");
  });
});

async function waitReady(connection: Redis): Promise<void> {
  if (connection.status === "ready") {
    await connection.ping().catch(() => {});
  }
  while (connection.status !== "ready") {
    await new Promise((resolve) => connection.once("ready", resolve));
  }
}
