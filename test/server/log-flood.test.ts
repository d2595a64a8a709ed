// Issue 12, defect 2: what a peer can make the server log is bounded per connection, and a slow
// log reader does not stall the server. The real `parrot server` runs with its stderr on a real
// pipe that this test reads at ~256 KiB/s, like a log shipper that cannot keep up.
//
// Before the fix 100 000 ERROR PDUs before login wrote one 512-character warn line each,
// synchronously: the server stopped for every other user while the pipe drained.
import assert from "node:assert/strict";
import { connect } from "node:net";
import type { Readable } from "node:stream";
import { test } from "node:test";
import { encode, type Pdu } from "../../generated/index.ts";
import { type ParrotProcess, startServerProcess } from "../../tools/launch/parrot-process.ts";
import { writeFastUsersFile } from "../../tools/launch/test-accounts.ts";
import type { BoundAddress } from "../../transport/listener.ts";
import { RawPeer } from "./raw-peer.ts";

const READ_BYTES_PER_SECOND = 256 * 1024;
const BIG_FLOOD = 100_000;
const SMALL_FLOODERS = 200;
const SMALL_FLOOD = 50;
const STUCK_FLOODERS = 600;
const DROPS_REPORTED = "log output is too slow: lines dropped";
// Generous for one connection's story (connected, negotiated, a burst of each message, one a
// second after, disconnected); the defect wrote 100 000 lines.
const MAX_LINES_FOR_ONE_CONNECTION = 100;

/** Reads a stream at about `bytesPerSecond`, pausing it in between: the writer sees a full pipe. */
class SlowReader {
  private readonly chunks: Buffer[] = [];
  private readonly ended: Promise<void>;

  /** While true nothing is read at all: a log shipper that is stuck. */
  stuck = false;

  constructor(stream: Readable, bytesPerSecond: number) {
    const windowMs = 50;
    const perWindow = (bytesPerSecond * windowMs) / 1000;
    let budget = perWindow;
    const timer = setInterval(() => {
      if (this.stuck) return;
      budget = Math.min(perWindow, budget + perWindow);
      if (budget > 0 && stream.isPaused()) stream.resume();
    }, windowMs);
    stream.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      budget -= chunk.length;
      if (budget <= 0 || this.stuck) stream.pause();
    });
    this.ended = new Promise((resolve) =>
      stream.once("end", () => {
        clearInterval(timer);
        resolve();
      }),
    );
    this.stopReading = () => {
      clearInterval(timer);
      stream.destroy();
    };
  }

  /** Stops reading for good (a paused stream never ends by itself). */
  readonly stopReading: () => void;

  /** Resolves once a line with this `msg` has been read. */
  async waitForMessage(message: string): Promise<void> {
    const marker = `"msg":${JSON.stringify(message)}`;
    while (!Buffer.concat(this.chunks).toString("utf8").includes(marker)) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async lines(): Promise<Record<string, unknown>[]> {
    await this.ended;
    return Buffer.concat(this.chunks)
      .toString("utf8")
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** `parrot server` with a 2 s ping interval, its stderr read by a SlowReader from the start. */
async function startServer(): Promise<ParrotProcess & { address: BoundAddress; log: SlowReader }> {
  const args = ["-l", "127.0.0.1", "-p", "0", "--users", await writeFastUsersFile()];
  const server = await startServerProcess([...args, "--ping-interval", "2"]);
  return { ...server, log: new SlowReader(server.child.stderr!, READ_BYTES_PER_SECOND) };
}

/** One frame, repeated: ERROR STRING_TOO_LONG (does not close) with 512 bytes of peer text. */
function errorFlood(count: number): Buffer {
  const frame = encode({
    type: "ERROR",
    version: 0,
    code: "STRING_TOO_LONG",
    text: "A".repeat(511) + "\u001b",
  } as Pdu);
  return Buffer.concat(Array.from({ length: count }, () => frame));
}

/**
 * Floods from a plain socket, then proves the server has read it all: its first reply, the
 * VERSION_RESPONSE, comes after every ERROR. Returns the flooder's address as the server logs it.
 */
function flood(address: BoundAddress, count: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    socket.once("error", reject);
    socket.once("connect", () => {
      socket.write(errorFlood(count));
      socket.write(encode({ type: "VERSION_REQUEST", version: 0, versions: [1] } as Pdu));
    });
    socket.once("data", () => {
      const local = `${socket.localAddress}:${socket.localPort}`;
      socket.destroy();
      resolve(local);
    });
  });
}

/**
 * Runs `work` while sending CHAT after CHAT on `victim`; rejects as soon as one echo waits longer
 * than `boundMs` (a correctness bound: a client pings every ping interval and expects its answer
 * well within the ping timeout), without waiting for `work`.
 */
async function whileEchoing<T>(victim: RawPeer, boundMs: number, work: Promise<T>): Promise<T> {
  let running = true;
  const watching = (async () => {
    for (let id = 1; running; id++) {
      let timer: NodeJS.Timeout | undefined;
      const stalled = new Promise<"stalled">((resolve) => {
        timer = setTimeout(() => resolve("stalled"), boundMs);
      });
      const echo = await Promise.race([victim.chat(id % 0x10000, "still there?"), stalled]);
      clearTimeout(timer);
      assert.notEqual(echo, "stalled", `echo ${id} waited more than ${boundMs} ms`);
    }
  })();
  try {
    const [result] = await Promise.all([
      work.finally(() => {
        running = false;
      }),
      watching,
    ]);
    return result;
  } finally {
    running = false;
  }
}

/** Logged in as user1, with the ping interval the server advertised. */
async function loggedInVictim(
  address: BoundAddress,
): Promise<{ victim: RawPeer; pingIntervalMs: number }> {
  const victim = await RawPeer.connect(address);
  const { pingIntervalMs } = await victim.negotiate();
  await victim.login("user1", "pass1");
  return { victim, pingIntervalMs };
}

function floodAll(address: BoundAddress, flooders: number, count: number): Promise<string[]> {
  return Promise.all(Array.from({ length: flooders }, () => flood(address, count)));
}

test("a flood of ERROR PDUs before login: bounded log per connection, other users' echoes never wait a ping interval", async () => {
  const server = await startServer();
  try {
    const { victim, pingIntervalMs } = await loggedInVictim(server.address);
    const [[bigFlooder]] = await whileEchoing(
      victim,
      pingIntervalMs,
      Promise.all([
        floodAll(server.address, 1, BIG_FLOOD),
        floodAll(server.address, SMALL_FLOODERS, SMALL_FLOOD),
      ]),
    );
    await victim.logout();
    server.child.kill("SIGTERM");
    const lines = await server.log.lines();
    const bigFloodLines = lines.filter((line) => line["remote"] === bigFlooder);
    assert.ok(bigFloodLines.length > 0, "the flooding connection is still in the log");
    assert.ok(
      bigFloodLines.length <= MAX_LINES_FOR_ONE_CONNECTION,
      `${bigFloodLines.length} lines for one connection`,
    );
    for (const line of bigFloodLines.filter((entry) => entry["msg"] === "peer sent ERROR")) {
      const text = line["text"] as string;
      assert.ok(text.length < 512 / 2 + 40, `peer text cut: ${text.length} characters`);
      assert.ok(!text.includes("\u001b"), "control characters escaped");
    }
    // Whatever was left out is counted on the lines that follow it.
    const suppressed = bigFloodLines.reduce(
      (sum, line) => sum + ((line["suppressedLines"] as number | undefined) ?? 0),
      0,
    );
    assert.ok(suppressed > 0, "suppressed lines are counted");
  } finally {
    server.child.kill("SIGKILL");
    server.log.stopReading();
  }
});

test("a log reader that is stuck: the server keeps serving, and says how many lines it dropped", async () => {
  const server = await startServer();
  try {
    const { victim, pingIntervalMs } = await loggedInVictim(server.address);
    server.log.stuck = true;
    // ~14 lines each, a few MB of log in all: more than the pipe and the server's log buffer hold.
    await whileEchoing(
      victim,
      pingIntervalMs,
      floodAll(server.address, STUCK_FLOODERS, SMALL_FLOOD),
    );
    await victim.logout();
    server.log.stuck = false;
    // Once the reader catches up, the server says what it could not write.
    await server.log.waitForMessage(DROPS_REPORTED);

    server.child.kill("SIGTERM");
    const lines = await server.log.lines();
    const dropReports = lines.filter((line) => line["msg"] === DROPS_REPORTED);
    const dropped = dropReports.reduce((sum, line) => sum + (line["droppedLines"] as number), 0);
    assert.ok(dropped > 0);
    // What was not dropped is whole JSON lines (lines() parses each one).
    assert.ok(
      lines.some((line) => line["msg"] === "stopped"),
      "the shutdown lines are written",
    );
  } finally {
    server.child.kill("SIGKILL");
    server.log.stopReading();
  }
});
