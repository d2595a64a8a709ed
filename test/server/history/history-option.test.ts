/**
 * `parrot server --history memory|file:PATH|redis` and its limits (cli/server/history-option.ts):
 * what each choice parses to, the defaults on a server on its own and in a cluster, refusals that
 * name the option, and real `parrot server` processes opening a file store (kept after a
 * SIGTERM, refused when unreadable) and the Redis store of a cluster on a real redis-server.
 */
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, test } from "node:test";
import { ConfigError, parseServerConfig, type ServerConfig } from "../../../cli/server/config.ts";
import { roomConversation } from "../../../server/history/conversation.ts";
import { SqliteMessageStore } from "../../../server/history/sqlite-message-store.ts";
import { runParrot, startServerProcess } from "../../../tools/launch/parrot-process.ts";
import { tempDir, writeFastUsersFile } from "../../../tools/launch/test-accounts.ts";
import { RedisProcess } from "../cluster/redis-process.ts";
import { RawPeer } from "../raw-peer.ts";

function parse(argv: string[], env: NodeJS.ProcessEnv = {}): ServerConfig["history"] {
  const config = parseServerConfig(argv, env);
  assert.notEqual(config, "help");
  return (config as ServerConfig).history;
}

function refusal(argv: string[], env: NodeJS.ProcessEnv = {}): string {
  try {
    parseServerConfig(argv, env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  assert.fail(`accepted ${argv.join(" ")}`);
}

const CLUSTER = ["--cluster", "redis://127.0.0.1:6379", "--node-id", "A"];

describe("--history options", () => {
  test("a server on its own keeps history in memory by default, with the memory store's limits", () => {
    assert.deepEqual(parse([]), {
      store: { kind: "memory" },
      limits: { historyCount: 500, historyAgeMs: 0, offlineQueue: 100 },
      pageSize: 100,
    });
  });

  test("with --cluster the default is the cluster's Redis; memory can still be chosen", () => {
    assert.deepEqual(parse(CLUSTER).store, {
      kind: "redis",
      url: "redis://127.0.0.1:6379",
      nodeId: "A",
    });
    assert.deepEqual(parse([...CLUSTER, "--history", "memory"]).store, { kind: "memory" });
    assert.deepEqual(parse(["--history", "redis", ...CLUSTER]).store.kind, "redis");
  });

  test("file:PATH, the limits and the page size, from flags or PARROT_* variables", () => {
    assert.deepEqual(
      parse([
        "--history",
        "file:/var/lib/parrot/history.sqlite",
        "--history-count",
        "0",
        "--history-age",
        "86400",
        "--offline-queue",
        "20",
        "--history-page",
        "200",
      ]),
      {
        store: { kind: "file", path: "/var/lib/parrot/history.sqlite" },
        limits: { historyCount: 0, historyAgeMs: 86_400_000, offlineQueue: 20 },
        pageSize: 200,
      },
    );
    const fromEnv = parse([], {
      PARROT_HISTORY: "file:h.sqlite",
      PARROT_HISTORY_COUNT: "50",
      PARROT_OFFLINE_QUEUE: "5",
    });
    assert.deepEqual(fromEnv.store, { kind: "file", path: "h.sqlite" });
    assert.deepEqual(fromEnv.limits, { historyCount: 50, historyAgeMs: 0, offlineQueue: 5 });
    assert.equal(parse(["--history", "memory"], { PARROT_HISTORY: "file:x" }).store.kind, "memory");
  });

  test("what cannot be meant is refused, naming the option", () => {
    assert.match(refusal(["--history", "redis"]), /--history: "redis" needs --cluster/);
    assert.match(refusal(["--history", "sqlite"]), /is not memory, file:PATH or redis/);
    assert.match(refusal(["--history", "file:"]), /is not memory, file:PATH or redis/);
    assert.match(refusal(["--history-count", "0"]), /--history-count: "0" is not a whole number/);
    assert.match(
      refusal(["--history", "file:h", "--history-count", "0"]),
      /needs a bound: with a count of 0, give --history-age/,
    );
    assert.match(refusal([...CLUSTER, "--history-count", "0"]), /--history-count/);
    assert.match(refusal(["--history-age", "0.5"]), /--history-age: "0.5" is not a whole number/);
    assert.match(refusal(["--history-age", "5000000"]), /from 1 to 4294967\b/);
    assert.equal(
      parse(["--history", "file:h", "--history-age", "5000000"]).limits.historyAgeMs,
      5e9,
    );
    assert.match(refusal(["--history-page", "201"]), /from 1 to 200/);
    assert.match(refusal(["--offline-queue", "70000"]), /from 0 to 65535/);
    assert.match(refusal(["--history-count", "x"], {}), /--history-count: "x"/);
    assert.match(
      refusal([], { PARROT_HISTORY_PAGE: "0" }),
      /PARROT_HISTORY_PAGE: "0" is not a whole number from 1 to 200/,
    );
  });

  test("parrot server --history file:PATH creates the store there, and a SIGTERM leaves it readable", async () => {
    const dir = await tempDir();
    const path = join(dir, "state", "history.sqlite");
    const users = await writeFastUsersFile();
    const server = await startServerProcess([
      "-p",
      "0",
      "--users",
      users,
      "--history",
      `file:${path}`,
    ]);
    // Served a login first: the process is past its start, where SIGTERM shuts down gracefully.
    const peer = await RawPeer.connect(server.address);
    await peer.negotiateAndLogin("user1", "pass1");
    server.child.kill("SIGTERM");
    await peer.expectError("SERVER_SHUTDOWN");
    assert.equal(await server.exited, 0, server.stderr());
    const store = new SqliteMessageStore({
      path,
      limits: { historyCount: 500, historyAgeMs: 0, offlineQueue: 100 },
    });
    try {
      const read = await store.read(roomConversation("lobby"), { anchor: "LATEST", limit: 1 });
      assert.equal(read.range.epoch, 0, "an empty history, in a file the store opens");
    } finally {
      await store.close();
    }
  });

  test("parrot server --history file:PATH on a file that is not a history: exit 1 saying so", async () => {
    const path = join(await tempDir(), "notes.txt");
    await writeFile(path, "not a database\n".repeat(100));
    const users = await writeFastUsersFile();
    const server = runParrot(["server", "-p", "0", "--users", users, "--history", `file:${path}`]);
    assert.equal(await server.exited, 1);
    assert.match(server.stderr(), /cannot start: .*not a database/);
  });

  test("parrot server --cluster keeps history in the cluster's Redis and starts; it closes its connection at exit", async () => {
    const redis = await RedisProcess.start();
    try {
      const users = await writeFastUsersFile();
      const server = await startServerProcess([
        "-p",
        "0",
        "--users",
        users,
        "--cluster",
        redis.url,
        "--node-id",
        "A",
      ]);
      const check = redis.client();
      const clients = await check.client("LIST");
      assert.match(String(clients), /name=parrot:A:history /, "the history store's own connection");
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0, server.stderr());
    } finally {
      await redis.close();
    }
  });
});
