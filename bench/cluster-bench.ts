/**
 * The cluster part: room fan-out and direct messages with the members split over two nodes of a
 * cluster (two `parrot server --cluster` processes on one redis-server, every other member on the
 * second node) against the same load on one node on its own, in interleaved rounds, so the figure
 * that matters is the ratio, measured in the same invocation on the same machine. The generator
 * checks what a user would notice in both: nothing lost or twice, each sender's order, and one
 * order per room for every member wherever it is connected.
 *
 * On this machine the nodes, Redis and the generator share two cores, so the ratio says what
 * the cluster's relaying through Redis costs, not how far a cluster of machines scales.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FanoutMode, FanoutResult } from "./fanout-generator.ts";
import { runInterleaved } from "./interleaved-rounds.ts";
import { runJsonProgram } from "./json-program.ts";
import { median } from "./median.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import { launchRedisServer, type RedisServer } from "./redis-server-process.ts";
import type { ServerProcess } from "./server-process.ts";
import { compact, ratio, table } from "./text-table.ts";

export type ClusterSeries = "one node" | "two nodes";

export interface ClusterBenchOptions {
  repoRoot: string;
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
  mode: FanoutMode;
  members: number;
  deliveriesPerSec: number;
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

async function deploy(series: ClusterSeries, options: ClusterBenchOptions, members: number) {
  const node = (extraArgs: string[]) =>
    launchParrotServer({
      repoRoot: options.repoRoot,
      usersFile: options.usersFile,
      pingIntervalS: 30,
      pingTimeoutS: 60,
      maxConnections: members + 16,
      openFiles: members + 256,
      extraArgs,
    });
  if (series === "one node") {
    const server = await node([]);
    return { ports: [server.port], stop: () => server.stop() } satisfies Deployment;
  }
  const dir = mkdtempSync(join(tmpdir(), "parrot-bench-redis-"));
  let redis: RedisServer | undefined;
  const nodes: ServerProcess[] = [];
  const stop = async () => {
    for (const started of nodes) await started.stop();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    redis = await launchRedisServer(dir);
    for (const name of ["a", "b"]) {
      nodes.push(await node(["--cluster", redis.url, "--node-id", name]));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { ports: nodes.map((started) => started.port), stop } satisfies Deployment;
}

async function runOnce(
  series: ClusterSeries,
  mode: FanoutMode,
  members: number,
  options: ClusterBenchOptions,
): Promise<FanoutResult> {
  const deployment = await deploy(series, options, members);
  try {
    const [port, port2] = deployment.ports;
    const script = fileURLToPath(new URL("./fanout-generator.ts", import.meta.url));
    return await runJsonProgram<FanoutResult>(
      `cluster ${series} (${mode}, M=${members})`,
      process.execPath,
      [
        "--import",
        "tsx",
        script,
        ...["--target", "parrot", "--mode", mode, "--host", "127.0.0.1"],
        ...["--port", String(port), ...(port2 === undefined ? [] : ["--port2", String(port2)])],
        ...["--members", String(members), "--senders", String(options.senders)],
        ...["--warmup-ms", String(options.warmupMs)],
        ...["--duration-ms", String(Math.round(options.durationMs / options.rounds))],
        ...["--credentials", options.credentialsFile, "--json"],
      ],
      options.repoRoot,
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
  const runs: { mode: FanoutMode; members: number }[] = [
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
  run: { mode: FanoutMode; members: number },
  rounds: FanoutResult[],
): ClusterPoint {
  const sum = (pick: (r: FanoutResult) => number) => rounds.reduce((s, r) => s + pick(r), 0);
  return {
    series,
    ...run,
    deliveriesPerSec: median(rounds.map((r) => r.deliveriesPerSec)),
    p50Ms: median(rounds.map((r) => r.latency.p50Ms)),
    p99Ms: median(rounds.map((r) => r.latency.p99Ms)),
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
    const key = `${point.mode} M=${point.members}`;
    runs.set(key, { ...runs.get(key), [point.series]: point });
  }
  for (const [key, { "one node": one, "two nodes": two }] of runs) {
    const faults = (p?: ClusterPoint) =>
      p === undefined ? "-" : `${p.lost}/${p.unexpected}/${p.orderMismatches}/${p.errors}`;
    rows.push([
      key,
      one ? compact(one.deliveriesPerSec) : "-",
      two ? compact(two.deliveriesPerSec) : "-",
      one && two ? ratio(two.deliveriesPerSec / one.deliveriesPerSec) : "-",
      one ? one.p99Ms.toFixed(2) : "-",
      two ? two.p99Ms.toFixed(2) : "-",
      faults(one),
      faults(two),
    ]);
  }
  const failed = Object.entries(result.failed).map(([key, why]) => `  ${key}: FAILED ${why}`);
  return [
    "Cluster: members split over two nodes on one Redis vs one node (deliveries/s, ratio two/one)",
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
