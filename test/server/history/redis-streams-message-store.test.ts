/**
 * The Redis Streams store (server/history/redis-streams-message-store.ts) on a real redis-server
 * of its own (test/server/cluster/redis-process.ts): the MessageStore contract and the durable
 * one, then what a cluster needs: a message appended through node A's store is read through node
 * B's, concurrent appenders on two connections get one gapless order, the bounds trim the stream
 * in Redis itself, and the epoch changes when Redis loses the history (FLUSHALL, a restart
 * without persistence, an evicted stream).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Redis } from "ioredis";
import { directConversation } from "../../../server/history/conversation.ts";
import type { StoreLimits } from "../../../server/history/message-store.ts";
import {
  DEFAULT_HISTORY_KEY_PREFIX,
  RedisStreamsMessageStore,
} from "../../../server/history/redis-streams-message-store.ts";
import { StoreUnavailable } from "../../../server/store-unavailable.ts";
import { RedisProcess } from "../cluster/redis-process.ts";
import {
  appendMany,
  describeDurableStoreContract,
  draftAt,
  HandClock,
  LOBBY,
  seqs,
} from "./durable-store-contract.ts";
import { describeMessageStoreContract } from "./message-store-contract.ts";

const limits: StoreLimits = { historyCount: 100, historyAgeMs: 0, offlineQueue: 10 };
const LOBBY_LOG = `log:${LOBBY.key}`;

let redis: RedisProcess;
let prefixes = 0;

before(async () => {
  redis = await RedisProcess.start();
});
after(() => redis.close());

/** A store on its own connection, as one node of a cluster has; a prefix of its own unless shared. */
function node(options: { limits?: StoreLimits; clock?: HandClock; prefix?: string } = {}): {
  store: RedisStreamsMessageStore;
  connection: Redis;
  prefix: string;
} {
  const connection = redis.client();
  const prefix = options.prefix ?? freshPrefix();
  const store = new RedisStreamsMessageStore({
    redis: connection,
    limits: options.limits ?? limits,
    now: options.clock?.now,
    keyPrefix: prefix,
  });
  return { store, connection, prefix };
}

function freshPrefix(): string {
  return `${DEFAULT_HISTORY_KEY_PREFIX}${++prefixes}:`;
}

describeMessageStoreContract(
  "Redis Streams",
  async (contract) => node({ limits: { ...limits, ...contract } }).store,
);

describeDurableStoreContract(
  "Redis Streams",
  async (storeLimits, clock) => node({ limits: storeLimits, clock }).store,
);

describe("Redis Streams store in a cluster", () => {
  test("appended through node A's store, read through node B's: the same ids, times and order", async () => {
    const prefix = freshPrefix();
    const clock = new HandClock();
    const a = node({ prefix }).store;
    const b = node({ prefix }).store;
    const fromA = await appendMany(a, clock, 1, 3);
    const fromB = await b.append(LOBBY, draftAt(clock, 4, "user2"));
    assert.deepEqual([fromB.epoch, fromB.seq], [fromA[0]!.epoch, 4], "B goes on from A's ids");
    const onB = await b.read(LOBBY, { anchor: "LATEST", limit: 10 });
    assert.deepEqual(onB.messages, [...fromA, fromB]);
    assert.deepEqual(await a.read(LOBBY, { anchor: "LATEST", limit: 10 }), onB);
    const dm = await a.append(directConversation("user1", "user2"), draftAt(clock, 9));
    await a.enqueueOffline("user2", dm);
    assert.deepEqual(await b.takeOffline("user2"), { messages: [dm], dropped: 0 }, "queued on A");
    assert.deepEqual((await a.takeOffline("user2")).messages, [], "taken once, on B");
  });

  test("concurrent appenders on two nodes: every seq once, no gap, kept in seq order", async () => {
    const prefix = freshPrefix();
    const clock = new HandClock();
    const roomy = { ...limits, historyCount: 1000 };
    const nodes = [node({ prefix, limits: roomy }).store, node({ prefix, limits: roomy }).store];
    const perNode = 100;
    const stored = (
      await Promise.all(
        nodes.map((store, index) =>
          Promise.all(
            Array.from({ length: perNode }, (_, n) =>
              store.append(LOBBY, draftAt(clock, n, `user${index + 1}`)),
            ),
          ),
        ),
      )
    ).flat();
    const every = Array.from({ length: 2 * perNode }, (_, n) => n + 1);
    assert.deepEqual(
      seqs(stored).sort((x, y) => x - y),
      every,
    );
    const read = await nodes[1]!.read(LOBBY, { anchor: "AFTER", seq: 0, limit: 1000 });
    assert.deepEqual(
      read.messages,
      [...stored].sort((x, y) => x.seq - y.seq),
      "each message under the id its appender was given",
    );
    for (const from of ["user1", "user2"]) {
      const ids = read.messages.filter((m) => m.from === from).map((m) => m.messageId);
      assert.deepEqual(
        ids,
        Array.from({ length: perNode }, (_, n) => n),
        `${from}'s calls in order`,
      );
    }
  });

  test("append and publish in one step: concurrent appenders on two nodes publish in the order of their ids, each message once with its id (REQ-13.18)", async () => {
    const prefix = freshPrefix();
    const clock = new HandClock();
    const roomy = { ...limits, historyCount: 1000 };
    const nodes = [node({ prefix, limits: roomy }).store, node({ prefix, limits: roomy }).store];
    const listener = redis.client();
    const heard: { stamp: [number, number, number]; from: string; n: number }[] = [];
    listener.on("message", (_channel: string, json: string) => heard.push(JSON.parse(json)));
    await listener.subscribe("room:lobby");
    const perNode = 100;
    const stored = (
      await Promise.all(
        nodes.map((store, index) =>
          Promise.all(
            Array.from({ length: perNode }, async (_, n) => {
              const from = `user${index + 1}`;
              const envelope = JSON.stringify({ from, n });
              const sent = await store.appendAndPublish(
                LOBBY,
                draftAt(clock, n, from),
                "room:lobby",
                envelope,
              );
              assert.equal(sent.subscribers, 1, "the listener heard it");
              return sent.stored;
            }),
          ),
        ),
      )
    ).flat();
    // The listener's connection may be a little behind: PING answers after what was published.
    await listener.unsubscribe();
    await listener.ping();
    listener.disconnect();
    const epoch = stored[0]!.epoch;
    assert.deepEqual(
      heard.map(({ stamp }) => stamp.slice(0, 2)),
      Array.from({ length: 2 * perNode }, (_, n) => [epoch, n + 1]),
      "heard once each, in the order of the ids",
    );
    const byId = new Map(stored.map((m) => [m.seq, m]));
    for (const { stamp, from, n } of heard) {
      const message = byId.get(stamp[1])!;
      assert.deepEqual(
        [message.from, message.messageId, message.acceptedAtMs],
        [from, n, stamp[2]],
      );
    }
  });

  test("the count bound trims the stream in Redis, not only what is served", async () => {
    const clock = new HandClock();
    const { store, connection, prefix } = node({ limits: { ...limits, historyCount: 10 } });
    await appendMany(store, clock, 1, 25);
    assert.equal(await connection.xlen(prefix + LOBBY_LOG), 10);
    const read = await store.read(LOBBY, { anchor: "AFTER", seq: 3, limit: 100 });
    assert.deepEqual(read.range, { epoch: read.messages[0]!.epoch, oldestSeq: 16, newestSeq: 25 });
    assert.equal(read.messages.length, 10);
  });

  test("the age bound trims the stream in Redis too, at the next append or read", async () => {
    const clock = new HandClock();
    const { store, connection, prefix } = node({
      clock,
      limits: { historyCount: 1000, historyAgeMs: 1_000, offlineQueue: 10 },
    });
    await appendMany(store, clock, 1, 150);
    clock.advance(2_000);
    await store.append(LOBBY, draftAt(clock, 151));
    assert.equal(await connection.xlen(prefix + LOBBY_LOG), 1);
    clock.advance(2_000);
    await store.read(LOBBY, { anchor: "LATEST", limit: 1 });
    assert.equal(await connection.xlen(prefix + LOBBY_LOG), 0);
  });

  for (const loss of ["FLUSHALL", "a restart without persistence"] as const) {
    test(`history lost by ${loss}: a new epoch from seq 1, nothing old served (REQ-15.8)`, async () => {
      const clock = new HandClock();
      const { store, connection } = node();
      const old = await appendMany(store, clock, 1, 5);
      if (loss === "FLUSHALL") await connection.flushall();
      else {
        await redis.stop();
        await redis.start();
        await ready(connection);
      }
      const empty = await store.read(LOBBY, { anchor: "LATEST", limit: 10 });
      assert.deepEqual(empty, { range: { epoch: 0, oldestSeq: 0, newestSeq: 0 }, messages: [] });
      const fresh = await store.append(LOBBY, draftAt(clock, 6));
      assert.notEqual(fresh.epoch, old[0]!.epoch, "a new epoch");
      assert.equal(fresh.seq, 1);
      assert.deepEqual((await store.read(LOBBY, { anchor: "AFTER", seq: 0, limit: 10 })).messages, [
        fresh,
      ]);
    });
  }

  test("the stream lost but its epoch kept (evicted): a new epoch, never the old one", async () => {
    const clock = new HandClock();
    const { store, connection, prefix } = node();
    const old = await appendMany(store, clock, 1, 5);
    await connection.del(prefix + LOBBY_LOG);
    const read = await store.read(LOBBY, { anchor: "AFTER", seq: 5, limit: 10 });
    assert.notEqual(read.range.epoch, old[0]!.epoch);
    assert.notEqual(read.range.epoch, 0);
    assert.deepEqual([read.range.oldestSeq, read.range.newestSeq, read.messages], [0, 0, []]);
    const next = await store.append(LOBBY, draftAt(clock, 6));
    assert.deepEqual([next.epoch, next.seq], [read.range.epoch, 1], "the epoch the read told");
  });

  test("seq at 0xffffffff: the next message starts a new epoch at seq 1 (REQ-15.8)", async () => {
    const clock = new HandClock();
    const { store, connection, prefix } = node();
    const [last] = await appendMany(store, clock, 1, 1);
    await connection.hset(`${prefix}meta:${LOBBY.key}`, "seq", 4294967295);
    const next = await store.append(LOBBY, draftAt(clock, 2));
    assert.notEqual(next.epoch, last!.epoch);
    assert.equal(next.seq, 1);
    assert.deepEqual((await store.read(LOBBY, { anchor: "LATEST", limit: 10 })).messages, [next]);
  });

  test("Redis away: StoreUnavailable, and the same store works again once it is back", async () => {
    const clock = new HandClock();
    const { store, connection } = node();
    const first = await store.append(LOBBY, draftAt(clock, 1));
    await redis.stop();
    await assert.rejects(store.append(LOBBY, draftAt(clock, 2)), StoreUnavailable);
    await assert.rejects(store.read(LOBBY, { anchor: "LATEST", limit: 5 }), StoreUnavailable);
    await assert.rejects(store.takeOffline("user1"), StoreUnavailable);
    await redis.start();
    await ready(connection);
    const again = await store.append(LOBBY, draftAt(clock, 3));
    assert.notEqual(again.epoch, first.epoch, "it came back empty: a new epoch");
  });

  test("a history without a count bound is refused: Redis holds it in memory", () => {
    const ageOnly = { historyCount: 0, historyAgeMs: 1000, offlineQueue: 1 };
    assert.throws(() => node({ limits: ageOnly }), /needs a historyCount/);
  });
});

/** Resolves once `connection` answers again after the server restarted (a PING gets through). */
async function ready(connection: Redis): Promise<void> {
  // A hang guard, not a deadline the behaviour must meet.
  const giveUp = Date.now() + 20_000;
  for (;;) {
    try {
      await connection.ping();
      return;
    } catch (error) {
      // Sent on the old socket, or given up while reconnecting: the next one waits for the new.
      if (Date.now() > giveUp) throw error;
    }
  }
}
