/**
 * The cluster part: echo, room fan-out and direct messages with the clients split over two nodes of a
 * cluster (two `parrot server --cluster` processes on one redis-server, every other client on the
 * second node) against the same load on one node on its own, in interleaved rounds, so the figure
 * that matters is the ratio, measured in the same invocation on the same machine. The generators
 * check what a user would notice in both: every echo is the message sent; nothing lost or twice,
 * each sender's order, and one order per room for every member wherever it is connected.
 *
 * On this machine the nodes, Redis and the generator share two cores, so the ratio says what
 * the cluster's relaying through Redis costs, not how far a cluster of machines scales.
 */
import { fileURLToPath } from "node:url";
import { launchCluster } from "./cluster-deployment.ts";
import type { FanoutMode, FanoutResult } from "./fanout-generator.ts";
import { runInterleaved } from "./interleaved-rounds.ts";
import { runJsonProgram } from "./json-program.ts";
import type { LoadResult } from "./load-generator.ts";
import { median } from "./median.ts";
import { launchParrotServer, type ParrotServerOptions } from "./parrot-server-process.ts";
import { compact, ratio, table } from "./text-table.ts";

export type ClusterSeries = "one node" | "two nodes";
/** echo: C sessions in closed loop, each its own echo; room, dm: as in bench/fanout-bench.ts. */
export type ClusterMode = "echo" | FanoutMode;

export interface ClusterBenchOptions {
  repoRoot: string;
  /** Echo sessions C (0: no echo run). */
  echoSessions: number;
  roomSizes: number[];
  senders: number;
  dmUsers: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  usersFile: string;
  credentialsFile: string;
}

export interface ClusterPoint {
  series: ClusterSeries;
  mode: ClusterMode;
  /** Sessions of the run: C for echo, M for a room, N for direct messages. */
  members: number;
  /** Echo: round trips/s. Room and dm: deliveries/s, one per member that received a message. */
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  lost: number;
  unexpected: number;
  orderMismatches: number;
  errors: number;
  firstError: string | null;
}

export interface ClusterBenchResult {
  points: ClusterPoint[];
  failed: Record<string, string>;
}

/** The servers of one series: where the generator connects. */
interface Deployment {
  ports: number[];
  stop(): Promise<void>;
}

async function deploy(
  series: ClusterSeries,
  options: ClusterBenchOptions,
  members: number,
): Promise<Deployment> {
  const node: ParrotServerOptions = {
    repoRoot: options.repoRoot,
    usersFile: options.usersFile,
    pingIntervalS: 30,
    pingTimeoutS: 60,
    maxConnections: members + 16,
    openFiles: members + 256,
  };
  if (series === "one node") {
    const server = await launchParrotServer(node);
    return { ports: [server.port], stop: () => server.stop() };
  }
  const cluster = await launchCluster(2, node);
  return { ports: cluster.nodes.map((started) => started.port), stop: cluster.stop };
}

/** What one round of any mode measured, in the terms of the table. */
type Sample = Omit<ClusterPoint, "series" | "mode" | "members">;

function fromEcho(r: LoadResult): Sample {
  return {
    perSec: r.roundTripsPerSec,
    p50Ms: r.latency.p50Ms,
    p99Ms: r.latency.p99Ms,
    // The echo generator checks every echo's id and text and counts a wrong one as an error.
    lost: 0,
    unexpected: 0,
    orderMismatches: 0,
    errors: r.errors,
    firstError: r.firstError,
  };
}

function fromFanout(r: FanoutResult): Sample {
  return {
    perSec: r.deliveriesPerSec,
    p50Ms: r.latency.p50Ms,
    p99Ms: r.latency.p99Ms,
    lost: r.lost,
    unexpected: r.unexpected,
    orderMismatches: r.orderMismatches,
    errors: r.errors,
    firstError: r.firstError,
  };
}

async function runOnce(
  series: ClusterSeries,
  mode: ClusterMode,
  members: number,
  options: ClusterBenchOptions,
): Promise<Sample> {
  const deployment = await deploy(series, options, members);
  try {
    const [port, port2] = deployment.ports;
    const common = [
      ...["--host", "127.0.0.1", "--port", String(port)],
      ...(port2 === undefined ? [] : ["--port2", String(port2)]),
      ...["--warmup-ms", String(options.warmupMs)],
      ...["--duration-ms", String(Math.round(options.durationMs / options.rounds))],
      ...["--credentials", options.credentialsFile, "--json"],
    ];
    const run = <T>(program: string, args: string[]) =>
      runJsonProgram<T>(
        `cluster ${series} (${mode}, ${members} sessions)`,
        process.execPath,
        ["--import", "tsx", fileURLToPath(new URL(program, import.meta.url)), ...args, ...common],
        options.repoRoot,
      );
    if (mode === "echo") {
      return fromEcho(
        await run<LoadResult>("./load-generator.ts", [
          ...["--target", "parrot", "--sessions", String(members)],
        ]),
      );
    }
    return fromFanout(
      await run<FanoutResult>("./fanout-generator.ts", [
        ...["--target", "parrot", "--mode", mode, "--members", String(members)],
        ...["--senders", String(options.senders)],
      ]),
    );
  } finally {
    await deployment.stop();
  }
}

export async function runClusterBench(
  options: ClusterBenchOptions,
  progress: (line: string) => void,
): Promise<ClusterBenchResult> {
  const result: ClusterBenchResult = { points: [], failed: {} };
  const runs: { mode: ClusterMode; members: number }[] = [
    ...(options.echoSessions > 0 ? [{ mode: "echo" as const, members: options.echoSessions }] : []),
    ...options.roomSizes.map((members) => ({ mode: "room" as const, members })),
    ...(options.dmUsers > 0 ? [{ mode: "dm" as const, members: options.dmUsers }] : []),
  ];
  for (const run of runs) {
    const live = new Set<ClusterSeries>(["one node", "two nodes"]);
    const done = await runInterleaved(
      live,
      options.rounds,
      (series, round) =>
        `cluster ${run.mode} M=${run.members} round ${round + 1}/${options.rounds}: ${series} ...`,
      progress,
      (series) => runOnce(series, run.mode, run.members, options),
      (series, error) => {
        const key = `${series} ${run.mode} M=${run.members}`;
        result.failed[key] = error instanceof Error ? error.message : String(error);
        progress(`cluster ${key} failed: ${result.failed[key]}`);
      },
    );
    for (const [series, rounds] of done) result.points.push(combine(series, run, rounds));
  }
  return result;
}

function combine(
  series: ClusterSeries,
  run: { mode: ClusterMode; members: number },
  rounds: Sample[],
): ClusterPoint {
  const sum = (pick: (r: Sample) => number) => rounds.reduce((s, r) => s + pick(r), 0);
  return {
    series,
    ...run,
    perSec: median(rounds.map((r) => r.perSec)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    lost: sum((r) => r.lost),
    unexpected: sum((r) => r.unexpected),
    orderMismatches: sum((r) => r.orderMismatches),
    errors: sum((r) => r.errors),
    firstError: rounds.find((r) => r.firstError !== null)?.firstError ?? null,
  };
}

/** One row per run: both series' throughput, their ratio, latency, and what went wrong. */
export function formatClusterTable(result: ClusterBenchResult): string {
  const rows: string[][] = [];
  const runs = new Map<string, Partial<Record<ClusterSeries, ClusterPoint>>>();
  for (const point of result.points) {
    const key =
      point.mode === "echo"
        ? `echo C=${point.members} (round trips/s)`
        : `${point.mode} ${point.mode === "room" ? "M" : "N"}=${point.members} (deliveries/s)`;
    runs.set(key, { ...runs.get(key), [point.series]: point });
  }
  for (const [key, { "one node": one, "two nodes": two }] of runs) {
    const faults = (p?: ClusterPoint) =>
      p === undefined ? "-" : `${p.lost}/${p.unexpected}/${p.orderMismatches}/${p.errors}`;
    rows.push([
      key,
      one ? compact(one.perSec) : "-",
      two ? compact(two.perSec) : "-",
      one && two ? ratio(two.perSec / one.perSec) : "-",
      one ? one.p99Ms.toFixed(2) : "-",
      two ? two.p99Ms.toFixed(2) : "-",
      faults(one),
      faults(two),
    ]);
  }
  const failed = Object.entries(result.failed).map(([key, why]) => `  ${key}: FAILED ${why}`);
  return [
    "Cluster: clients split over two nodes on one Redis vs the same load on one node (ratio two/one; " +
      "a delivery is one member receiving one message)",
    table(
      [
        "run",
        "one node",
        "two nodes",
        "ratio",
        "p99 ms one",
        "p99 ms two",
        "lost/dup/order/err one",
        "two",
      ],
      rows,
      [false, true, true, true, true, true, true, true],
    ),
    ...failed,
  ].join("\n");
}
