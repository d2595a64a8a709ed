// /metrics and /healthz on the admin listener, scraped over real HTTP: every metric an operator
// is promised moves when its event happens (issue 12). In-process servers with PrometheusMetrics,
// as `parrot server --admin-listen` runs them; the CLI wiring is checked at the end.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PduOfType } from "../../generated/index.ts";
import { type AdminListener, listenAdmin } from "../../server/admin-listener.ts";
import type { ParrotServerOptions, RunningParrotServer } from "../../server/parrot-server.ts";
import { PrometheusMetrics } from "../../server/prometheus-metrics.ts";
import { startTestServer } from "../../tools/launch/in-process-server.ts";
import { type ParrotProcess, startTestServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import { RawPeer } from "./raw-peer.ts";
import { PeerPool, V2_ACCOUNTS } from "./v2-peers.ts";
import { joinRoom, loginV3, say } from "./v3-peers.ts";

interface Metered {
  server: RunningParrotServer;
  admin: AdminListener;
  pool: PeerPool;
  /** One scrape: `read(name, labels)` gives a sample's value, 0 when absent. */
  scrape(): Promise<(name: string, labels?: Record<string, string>) => number>;
  close(): Promise<void>;
}

async function startMetered(options: ParrotServerOptions = {}): Promise<Metered> {
  const metrics = new PrometheusMetrics();
  const server = await startTestServer({
    usersFile: await writeFastUsersFile(V2_ACCOUNTS),
    metrics,
    ...options,
  });
  metrics.observe(server);
  const admin = await listenAdmin(metrics, { host: "127.0.0.1", port: 0 });
  const pool = new PeerPool(() => server);
  return {
    server,
    admin,
    pool,
    scrape: async () => {
      const response = await fetch(`http://127.0.0.1:${admin.port}/metrics`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
      return samples(await response.text());
    },
    close: async () => {
      pool.destroyAll();
      await server.close();
      await admin.close();
    },
  };
}

/** Parses the text exposition into a lookup by name and exact label set. */
function samples(text: string): (name: string, labels?: Record<string, string>) => number {
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) continue;
    const labels = [...(match[2] ?? "").matchAll(/([a-z_]+)="([^"]*)"/g)]
      .map(([, key, value]) => `${key}=${value}`)
      .sort()
      .join(",");
    values.set(`${match[1]}{${labels}}`, Number(match[3]));
  }
  return (name, labels = {}) => {
    const key = Object.entries(labels)
      .map(([label, value]) => `${label}=${value}`)
      .sort()
      .join(",");
    return values.get(`${name}{${key}}`) ?? 0;
  };
}

let nextRequest = 1;

async function join(peer: RawPeer, room: string): Promise<void> {
  const requestId = nextRequest++;
  peer.send({ type: "ROOM_JOIN", version: 2, requestId, room });
  assert.equal((await until(peer, "ROOM_RESULT")).status, "OK");
}

/** The next PDU of `type`, passing over room events (joins) on the way. */
async function until<T extends "ROOM_RESULT" | "ROOM_MESSAGE">(peer: RawPeer, type: T) {
  for (;;) {
    const event = await peer.next();
    assert.equal(event.kind, "pdu", `waiting for ${type}: ${JSON.stringify(event)}`);
    if (event.kind === "pdu" && event.pdu.type === type) return event.pdu as PduOfType<T>;
    if (event.kind === "pdu") assert.equal(event.pdu.type, "ROOM_EVENT");
  }
}

describe("/metrics", () => {
  test("sessions by state and version, logins by result, rooms, messages and fan-out deliveries", async () => {
    const metered = await startMetered();
    try {
      const before = await metered.scrape();
      assert.equal(before("parrot_sessions", { state: "AUTHENTICATED", version: "2" }), 0);

      const waiting = await metered.pool.connect();
      const connected = await metered.scrape();
      assert.equal(connected("parrot_sessions", { state: "CONNECTED", version: "none" }), 1);
      await waiting.negotiate([1]);
      const negotiated = await metered.scrape();
      assert.equal(negotiated("parrot_sessions", { state: "NEGOTIATED", version: "1" }), 1);
      assert.equal((await waiting.login("alice", "wrong")).status, "BAD_CREDENTIALS");

      const alice = await metered.pool.login("alice");
      const bob = await metered.pool.login("bob");
      const loggedIn = await metered.scrape();
      assert.equal(loggedIn("parrot_sessions", { state: "AUTHENTICATED", version: "2" }), 2);
      assert.equal(loggedIn("parrot_logins_total", { result: "OK" }), 2);
      assert.equal(loggedIn("parrot_logins_total", { result: "BAD_CREDENTIALS" }), 1);
      assert.equal(loggedIn("parrot_rooms"), 0);

      await join(alice, "lobby");
      await join(bob, "lobby");
      const joined = await metered.scrape();
      assert.equal(joined("parrot_rooms"), 1);
      alice.send({ type: "ROOM_SAY", version: 2, messageId: 7, room: "lobby", text: "hi" });
      await until(bob, "ROOM_MESSAGE");
      await until(alice, "ROOM_MESSAGE");
      const said = await metered.scrape();
      assert.equal(said("parrot_messages_total", { type: "ROOM_SAY", outcome: "OK" }), 1);
      assert.ok(
        said("parrot_fanout_deliveries_total") > joined("parrot_fanout_deliveries_total"),
        "the room message was counted as delivered",
      );
    } finally {
      await metered.close();
    }
  });

  test("messages of every kind: CHAT (v1), DIRECT_SEND (v2), DIRECT_SEND_V3 (v3)", async () => {
    const metered = await startMetered();
    try {
      const dave = await metered.pool.login("dave", [1]);
      await dave.chat(1, "echo me");
      const alice = await metered.pool.login("alice");
      await metered.pool.login("bob");
      alice.send({ type: "DIRECT_SEND", version: 2, messageId: 2, to: "bob", text: "hi" });
      assert.equal((await alice.expect("DIRECT_STATUS")).status, "DELIVERED");
      const carol = (await loginV3(metered.pool, "carol")).peer;
      carol.send({ type: "DIRECT_SEND_V3", version: 3, messageId: 3, to: "erin", text: "later" });
      assert.equal((await carol.expect("DIRECT_STATUS_V3")).status, "STORED");

      const read = await metered.scrape();
      assert.equal(read("parrot_messages_total", { type: "CHAT", outcome: "OK" }), 1);
      assert.equal(read("parrot_messages_total", { type: "DIRECT_SEND", outcome: "DELIVERED" }), 1);
      assert.equal(read("parrot_messages_total", { type: "DIRECT_SEND_V3", outcome: "STORED" }), 1);
      assert.equal(read("parrot_sessions", { state: "AUTHENTICATED", version: "1" }), 1);
      assert.equal(read("parrot_sessions", { state: "AUTHENTICATED", version: "3" }), 1);
    } finally {
      await metered.close();
    }
  });

  test("(v3) messages stored in history, and the offline queue filling and emptying", async () => {
    const metered = await startMetered();
    try {
      const alice = (await loginV3(metered.pool, "alice")).peer;
      await joinRoom(alice, "lobby");
      say(alice, "lobby", 1, "kept");
      await alice.expect("ROOM_MESSAGE_V3");
      for (const messageId of [2, 3]) {
        alice.send({ type: "DIRECT_SEND_V3", version: 3, messageId, to: "bob", text: "later" });
        assert.equal((await alice.expect("DIRECT_STATUS_V3")).status, "STORED");
      }
      const queued = await metered.scrape();
      assert.equal(queued("parrot_history_messages_stored_total", { conversation: "room" }), 1);
      assert.equal(queued("parrot_history_messages_stored_total", { conversation: "direct" }), 2);
      assert.equal(queued("parrot_offline_messages_total", { event: "queued" }), 2);
      assert.equal(queued("parrot_offline_queue_messages"), 2);

      const bob = await loginV3(metered.pool, "bob");
      assert.equal(bob.stored.length, 2);
      const taken = await metered.scrape();
      assert.equal(taken("parrot_offline_messages_total", { event: "taken" }), 2);
      assert.equal(taken("parrot_offline_queue_messages"), 0);
    } finally {
      await metered.close();
    }
  });

  test("ERRORs sent by code, timeouts, and /healthz", async () => {
    const metered = await startMetered({ handshakeTimeoutMs: 200 });
    try {
      const health = await fetch(`http://127.0.0.1:${metered.admin.port}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(await health.text(), "ok\n");

      const silent = await metered.pool.connect();
      await silent.expectError("HANDSHAKE_TIMEOUT");
      await silent.expectClosed();
      const read = await metered.scrape();
      assert.equal(read("parrot_timeouts_total", { code: "HANDSHAKE_TIMEOUT" }), 1);
      assert.equal(read("parrot_errors_sent_total", { code: "HANDSHAKE_TIMEOUT" }), 1);

      metered.admin.markUnhealthy();
      assert.equal((await fetch(`http://127.0.0.1:${metered.admin.port}/healthz`)).status, 503);
    } finally {
      await metered.close();
    }
  });

  test("slow-reader closes", async () => {
    const metered = await startMetered({ maxRelayBacklogBytes: 64 * 1024 });
    try {
      const alice = await metered.pool.login("alice");
      const sleepy = await metered.pool.login("carol");
      await join(alice, "firehose");
      await join(sleepy, "firehose");
      sleepy.pauseReading();
      const text = "x".repeat(4096);
      let sent = 0;
      while ((await metered.scrape())("parrot_slow_reader_closes_total") === 0) {
        for (let i = 0; i < 50; i++) {
          sent++;
          alice.send({ type: "ROOM_SAY", version: 2, messageId: sent, room: "firehose", text });
        }
        for (let i = 0; i < 50; i++) await until(alice, "ROOM_MESSAGE");
        assert.ok(sent < 5000, "the slow reader was never closed");
      }
    } finally {
      await metered.close();
    }
  });

  test("file descriptors move with connections; event-loop lag moves with a blocked loop", async () => {
    const metered = await startMetered();
    try {
      const before = await metered.scrape();
      assert.ok(before("process_max_fds") > 0);
      const peers = await Promise.all(Array.from({ length: 10 }, () => metered.pool.connect()));
      const opened = await metered.scrape();
      // Each connection is two descriptors in this process: the peer's and the server's.
      assert.ok(opened("process_open_fds") >= before("process_open_fds") + peers.length);

      // The loop blocked for BLOCK_MS shows a lag of at least that much: a lower bound, which a
      // slow machine only raises (prom-client resets the lag histogram at each scrape). On a
      // loaded machine a scrape has once missed the block, so it is tried a few times.
      const BLOCK_MS = 300;
      let lagMax = 0;
      for (let attempt = 0; attempt < 5 && lagMax < (BLOCK_MS * 0.9) / 1000; attempt++) {
        const blockedUntil = performance.now() + BLOCK_MS;
        while (performance.now() < blockedUntil) {
          // busy: nothing else runs on this loop, the server's included
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
        lagMax = Math.max(lagMax, (await metered.scrape())("nodejs_eventloop_lag_max_seconds"));
      }
      assert.ok(
        lagMax >= (BLOCK_MS * 0.9) / 1000,
        `lag max ${lagMax} s after ${BLOCK_MS} ms blocks`,
      );
    } finally {
      await metered.close();
    }
  });
});

/** The admin port from the "admin listening" log line (logs are written asynchronously). */
function adminPort(server: ParrotProcess): Promise<number> {
  return new Promise((resolve) => {
    const check = () => {
      const line = server
        .stderr()
        .split("\n")
        .find((entry) => entry.includes("admin listening"));
      if (line === undefined) return;
      server.child.stderr!.off("data", check);
      resolve((JSON.parse(line) as { port: number }).port);
    };
    server.child.stderr!.on("data", check);
    check();
  });
}

describe("parrot server --admin-listen", () => {
  test("serves /metrics and /healthz on the address it logs", async () => {
    const server = await startTestServerProcess(["--admin-listen", "127.0.0.1:0"]);
    try {
      const port = await adminPort(server);
      const peer = await RawPeer.connect(server.address);
      await peer.negotiateAndLogin("user1", "pass1");
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      assert.match(text, /^parrot_logins_total\{result="OK"\} 1$/m);
      assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
      await peer.logout();
    } finally {
      server.child.kill("SIGTERM");
      assert.equal(await server.exited, 0);
    }
  });
});
