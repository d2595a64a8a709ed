/**
 * What keeping history costs (issue 16): room fan-out with history off (a server offering versions
 * 1 and 2 only, which stores nothing) against the same server with history kept in memory, in an
 * SQLite file and in Redis Streams (--cluster, on a redis-server of its own), in interleaved
 * rounds, as ratios to "off"; and how long a version-3 client waits for a page of 100 history items
 * from each store, as a ratio to a PING round trip on the same connection in the same run.
 *
 * The fan-out members negotiate version 2 on every server (bench/parrot-login.ts), so every series
 * sends and receives the very same bytes: only the storing differs.
 */
import { fileURLToPath } from "node:url";
import { encode, type Pdu } from "../generated/index.ts";
import { RedisProcess } from "../test/server/cluster/redis-process.ts";
import { benchCredentials } from "./bench-users.ts";
import type { FanoutResult } from "./fanout-generator.ts";
import { FrameSocket } from "./frame-socket.ts";
import { runInterleaved } from "./interleaved-rounds.ts";
import { runJsonProgram } from "./json-program.ts";
import { LatencyHistogram, type LatencySummary } from "./latency-histogram.ts";
import { median } from "./median.ts";
import { buildNativeGenerator, runNativeFanout } from "./native-generator.ts";
import { logIn } from "./parrot-login.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import type { ServerProcess } from "./server-process.ts";
import { ms, ratio, table } from "./text-table.ts";

export type HistoryVariant = "off" | "memory" | "file" | "redis";
const VARIANTS: readonly HistoryVariant[] = ["off", "memory", "file", "redis"];
const ROOM = "history-bench";
const PAGE = 100;

export interface HistoryBenchOptions {
  repoRoot: string;
  /** Room size M of the fan-out runs. */
  members: number;
  senders: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  usersFile: string;
  credentialsFile: string;
  /** Where the file store's databases go. */
  dir: string;
  /** CPU-profile every server of this part into this directory (`--cpu-prof`). */
  profileDir?: string;
}

export interface HistoryFanoutPoint {
  variant: HistoryVariant;
  deliveriesPerSec: number;
  p99Ms: number;
  /** The server's CPU per delivery (µs, /proc): moves far less with others' load than the rest. */
  serverCpuUsPerDelivery: number | null;
  lost: number;
  errors: number;
  generator: FanoutResult["generator"];
}

export interface HistoryFetchPoint {
  variant: Exclude<HistoryVariant, "off">;
  page: LatencySummary;
  ping: LatencySummary;
}

export interface HistoryBenchResult {
  members: number;
  fanout: HistoryFanoutPoint[];
  fetch: HistoryFetchPoint[];
  skipped: Record<string, string>;
  failed: Record<string, string>;
}

export async function runHistoryBench(
  options: HistoryBenchOptions,
  progress: (line: string) => void,
): Promise<HistoryBenchResult> {
  const result: HistoryBenchResult = {
    members: options.members,
    fanout: [],
    fetch: [],
    skipped: {},
    failed: {},
  };
  let redis: RedisProcess | undefined;
  try {
    // The same real redis-server the cluster tests start: a free port, a temporary folder.
    redis = await RedisProcess.start();
  } catch (error) {
    result.skipped["redis"] = error instanceof Error ? error.message.split("\n")[0]! : "no redis";
  }
  const servers = new Map<HistoryVariant, ServerProcess>();
  try {
    for (const variant of VARIANTS) {
      if (variant === "redis" && redis === undefined) continue;
      servers.set(variant, await startServer(variant, options, redis));
    }
    let native: string | null = null;
    try {
      native = buildNativeGenerator(options.repoRoot);
    } catch {
      progress("history: no native generator; the TypeScript one drives the fan-out");
    }
    const live = new Set(servers.keys());
    const fail = (variant: HistoryVariant, error: unknown) => {
      result.failed[variant] = error instanceof Error ? error.message : String(error);
      progress(`history ${variant} failed: ${result.failed[variant]}`);
    };
    const done = await runInterleaved(
      live,
      options.rounds,
      (variant, round) => `history fan-out M=${options.members} ${variant} round ${round + 1} ...`,
      progress,
      (variant) => fanout(servers.get(variant)!, options, native),
      fail,
    );
    for (const [variant, rounds] of done) {
      result.fanout.push({
        variant,
        deliveriesPerSec: median(rounds.map((r) => r.deliveriesPerSec)),
        p99Ms: median(rounds.map((r) => r.latency.p99Ms)),
        serverCpuUsPerDelivery: medianOrNull(rounds.map((r) => r.serverCpuUsPerDelivery)),
        lost: rounds.reduce((sum, r) => sum + r.lost, 0),
        errors: rounds.reduce((sum, r) => sum + r.errors, 0),
        generator: rounds[0]!.generator,
      });
    }
    for (const [variant, server] of servers) {
      if (variant === "off") continue;
      progress(`history fetch: ${variant} ...`);
      try {
        result.fetch.push({ variant, ...(await fetchLatency(server, options)) });
      } catch (error) {
        fail(variant, error);
      }
    }
  } finally {
    for (const server of servers.values()) await server.stop();
    await redis?.close();
  }
  return result;
}

function startServer(
  variant: HistoryVariant,
  options: HistoryBenchOptions,
  redis: RedisProcess | undefined,
): Promise<ServerProcess> {
  const extraArgs = {
    off: ["--versions", "1,2"],
    memory: ["--history", "memory"],
    file: ["--history", `file:${options.dir}/history-bench.sqlite`],
    redis: ["--cluster", redis?.url ?? "", "--node-id", "bench"],
  }[variant];
  return launchParrotServer({
    repoRoot: options.repoRoot,
    usersFile: options.usersFile,
    pingIntervalS: 30,
    pingTimeoutS: 60,
    maxConnections: options.members + 100,
    openFiles: options.members + 512,
    extraArgs,
    ...(options.profileDir === undefined ? {} : { profileDir: options.profileDir }),
  });
}

function fanout(
  server: ServerProcess,
  options: HistoryBenchOptions,
  native: string | null,
): Promise<FanoutResult> {
  const durationMs = Math.round(options.durationMs / options.rounds);
  const run = {
    target: "parrot" as const,
    mode: "room" as const,
    host: server.host,
    port: server.port,
    members: options.members,
    senders: options.senders,
    warmupMs: options.warmupMs,
    durationMs,
    credentialsFile: options.credentialsFile,
    serverPid: server.pid,
  };
  if (native !== null) return runNativeFanout(native, run, options.repoRoot);
  const script = fileURLToPath(new URL("./fanout-generator.ts", import.meta.url));
  return runJsonProgram<FanoutResult>(
    `fan-out generator (history, M=${run.members})`,
    process.execPath,
    [
      ...["--import", "tsx", script, "--target", "parrot", "--mode", "room"],
      ...["--host", run.host, "--port", String(run.port), "--members", String(run.members)],
      ...["--senders", String(run.senders), "--warmup-ms", String(run.warmupMs)],
      ...["--duration-ms", String(durationMs), "--server-pid", String(run.serverPid)],
      ...["--credentials", run.credentialsFile, "--json"],
    ],
    options.repoRoot,
  );
}

/**
 * One version-3 client: fills the room with a page and more, then alternates a PING and a
 * HISTORY_REQUEST for the newest 100, each timed from the send to the last frame of its answer.
 */
async function fetchLatency(
  server: ServerProcess,
  options: HistoryBenchOptions,
): Promise<{ page: LatencySummary; ping: LatencySummary }> {
  const socket = await FrameSocket.open({ host: server.host, port: server.port });
  try {
    await logIn(socket, benchCredentials(0), { versions: [3] });
    socket.write(encode({ type: "ROOM_JOIN", version: 3, requestId: 1, room: ROOM }));
    await until(socket, (pdu) => pdu.type === "ROOM_EVENT");
    for (let n = 1; n <= 2 * PAGE; n++) {
      socket.write(encode({ type: "ROOM_SAY", version: 3, messageId: n, room: ROOM, text: "x" }));
      await until(socket, (pdu) => pdu.type === "ROOM_MESSAGE_V3");
    }
    const page = new LatencyHistogram();
    const ping = new LatencyHistogram();
    const request = encode({
      type: "HISTORY_REQUEST",
      version: 3,
      requestId: 2,
      targetKind: "ROOM",
      target: ROOM,
      anchor: "LATEST",
      epoch: 0,
      seq: 0,
      limit: PAGE,
    });
    const warmEnd = performance.now() + options.warmupMs;
    const end = warmEnd + Math.round(options.durationMs / options.rounds);
    for (let token = 1; performance.now() < end; token++) {
      const measuring = performance.now() >= warmEnd;
      let start = performance.now();
      socket.write(encode({ type: "PING", version: 3, token }));
      await until(socket, (pdu) => pdu.type === "PONG");
      if (measuring) ping.record(performance.now() - start);
      start = performance.now();
      socket.write(request);
      const head = await until(socket, (pdu) => pdu.type === "HISTORY_PAGE");
      const items = head.type === "HISTORY_PAGE" ? head.itemCount : 0;
      if (items !== PAGE) throw new Error(`a page of ${items} items, not ${PAGE}`);
      for (let i = 0; i < items; i++) await socket.nextPdu();
      if (measuring) page.record(performance.now() - start);
    }
    return { page: page.summary(), ping: ping.summary() };
  } finally {
    socket.destroy();
  }
}

/** The next PDU that `wanted` accepts; anything else before it (own JOINED, copies) is skipped. */
async function until(socket: FrameSocket, wanted: (pdu: Pdu) => boolean): Promise<Pdu> {
  for (;;) {
    const pdu = await socket.nextPdu();
    if (pdu.type === "ERROR") throw new Error(`ERROR ${pdu.code}: ${pdu.text}`);
    if (wanted(pdu)) return pdu;
  }
}

function medianOrNull(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : median(known);
}

export function formatHistoryTable(history: HistoryBenchResult): string {
  const off = history.fanout.find((point) => point.variant === "off");
  const fanoutRows = history.fanout.map((point) => [
    point.variant,
    point.generator,
    Math.round(point.deliveriesPerSec).toLocaleString("en"),
    off === undefined ? "—" : ratio(point.deliveriesPerSec / off.deliveriesPerSec),
    ms(point.p99Ms),
    off === undefined ? "—" : ratio(point.p99Ms / off.p99Ms),
    point.serverCpuUsPerDelivery === null ? "—" : point.serverCpuUsPerDelivery.toFixed(2),
    off?.serverCpuUsPerDelivery && point.serverCpuUsPerDelivery
      ? ratio(point.serverCpuUsPerDelivery / off.serverCpuUsPerDelivery)
      : "—",
    `${point.lost}/${point.errors}`,
  ]);
  const fetchRows = history.fetch.map((point) => [
    point.variant,
    ms(point.page.p50Ms),
    ms(point.page.p99Ms),
    ms(point.ping.p50Ms),
    ratio(point.page.p50Ms / point.ping.p50Ms),
    String(point.page.count),
  ]);
  const notes = [
    ...Object.entries(history.skipped).map(([what, why]) => `skipped ${what}: ${why}`),
    ...Object.entries(history.failed).map(([what, why]) => `failed ${what}: ${why}`),
  ];
  return [
    `History: room fan-out at M = ${history.members}, history off vs kept (ratios to off)`,
    table(
      [
        ...["history", "gen", "deliveries/s", "vs off", "p99 ms", "vs off"],
        ...["srv µs/dlv", "vs off", "lost/err"],
      ],
      fanoutRows,
      [false, false, true, true, true, true, true, true, true],
    ),
    "",
    `History fetch: a page of ${PAGE} items (LATEST) vs a PING round trip on the same connection`,
    table(["store", "page p50 ms", "page p99 ms", "ping p50 ms", "page/ping", "pages"], fetchRows, [
      false,
      true,
      true,
      true,
      true,
      true,
    ]),
    ...notes,
  ].join("\n");
}
