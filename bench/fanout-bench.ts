/**
 * Room fan-out at several room sizes M and a direct-message run, against the Parrot server and mosquitto,
 * in interleaved rounds (as the echo part does), each round its own generator process
 * (bench/fanout-generator.ts).
 */
import { fileURLToPath } from "node:url";
import type { FanoutMode, FanoutResult, FanoutTargetName } from "./fanout-generator.ts";
import { runInterleaved } from "./interleaved-rounds.ts";
import { runJsonProgram } from "./json-program.ts";
import { worstLoad } from "./machine-load.ts";
import { median } from "./median.ts";
import { buildNativeGenerator, runNativeFanout } from "./native-generator.ts";
import type { ServerProcess } from "./server-process.ts";
import { startSeriesServers } from "./target-servers.ts";

export const FANOUT_TARGETS: readonly FanoutTargetName[] = ["parrot", "mosquitto"];

/** A target driven by one generator; the TypeScript one stays as the cross-check on Parrot. */
interface FanoutSeries {
  target: FanoutTargetName;
  generator: FanoutResult["generator"];
}

function fanoutSeries(native: boolean): FanoutSeries[] {
  if (!native) return FANOUT_TARGETS.map((target) => ({ target, generator: "ts" }));
  return [
    { target: "parrot", generator: "c" },
    { target: "mosquitto", generator: "c" },
    { target: "parrot", generator: "ts" },
  ];
}

const seriesName = (s: FanoutSeries) => `${s.target}/${s.generator}`;

export interface FanoutBenchOptions {
  repoRoot: string;
  /** Room sizes M. */
  roomSizes: number[];
  /** Senders per room (capped at M). */
  senders: number;
  /** Users online in the direct-message run (0: no DM run). */
  dmUsers: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  usersFile: string;
  credentialsFile: string;
  profileDir?: string;
}

export interface FanoutPoint extends FanoutResult {
  target: FanoutTargetName;
  rounds: FanoutResult[];
}

export interface FanoutBenchResult {
  roomSizes: number[];
  senders: number;
  dmUsers: number;
  warmupMs: number;
  durationMs: number;
  rounds: number;
  points: FanoutPoint[];
  /** Series ("target/generator") that could not run, and why. */
  skipped: Record<string, string>;
  failed: Record<string, string>;
}

interface Run {
  mode: FanoutMode;
  members: number;
}

function runGenerator(
  series: FanoutSeries,
  server: ServerProcess,
  run: Run,
  options: FanoutBenchOptions,
  nativeBinary: string | null,
): Promise<FanoutResult> {
  const { target } = series;
  const durationMs = Math.round(options.durationMs / options.rounds);
  if (series.generator === "c" && nativeBinary !== null) {
    return runNativeFanout(
      nativeBinary,
      {
        target,
        mode: run.mode,
        host: server.host,
        port: server.port,
        members: run.members,
        senders: options.senders,
        warmupMs: options.warmupMs,
        durationMs,
        credentialsFile: options.credentialsFile,
        serverPid: server.pid,
      },
      options.repoRoot,
    );
  }
  const script = fileURLToPath(new URL("./fanout-generator.ts", import.meta.url));
  return runJsonProgram<FanoutResult>(
    `fan-out generator (${target}, ${run.mode}, M=${run.members})`,
    process.execPath,
    [
      "--import",
      "tsx",
      script,
      ...["--target", target, "--mode", run.mode, "--host", server.host],
      ...["--port", String(server.port), "--members", String(run.members)],
      ...["--senders", String(options.senders), "--warmup-ms", String(options.warmupMs)],
      ...["--duration-ms", String(durationMs)],
      ...["--server-pid", String(server.pid), "--credentials", options.credentialsFile, "--json"],
    ],
    options.repoRoot,
  );
}

function combineRounds(series: FanoutSeries, rounds: FanoutResult[]): FanoutPoint {
  const sum = (pick: (r: FanoutResult) => number) => rounds.reduce((s, r) => s + pick(r), 0);
  const mid = (pick: (r: FanoutResult) => number) => median(rounds.map(pick));
  const nullableMid = (pick: (r: FanoutResult) => number | null) =>
    rounds.some((r) => pick(r) === null) ? null : median(rounds.map((r) => pick(r)!));
  const first = rounds[0]!;
  return {
    ...first,
    ...series,
    rounds,
    openMs: mid((r) => r.openMs),
    measuredMs: sum((r) => r.measuredMs),
    messages: sum((r) => r.messages),
    deliveries: sum((r) => r.deliveries),
    deliveriesPerSec: mid((r) => r.deliveriesPerSec),
    latency: {
      count: sum((r) => r.latency.count),
      p50Ms: mid((r) => r.latency.p50Ms),
      p99Ms: mid((r) => r.latency.p99Ms),
      maxMs: Math.max(...rounds.map((r) => r.latency.maxMs)),
      meanMs: mid((r) => r.latency.meanMs),
    },
    serverCpuUsPerDelivery: nullableMid((r) => r.serverCpuUsPerDelivery),
    serverCpuUtilisation: nullableMid((r) => r.serverCpuUtilisation),
    generatorCpuUsPerDelivery: mid((r) => r.generatorCpuUsPerDelivery),
    generatorCpuUtilisation: mid((r) => r.generatorCpuUtilisation),
    lost: sum((r) => r.lost),
    unexpected: sum((r) => r.unexpected),
    orderMismatches: sum((r) => r.orderMismatches),
    errors: sum((r) => r.errors),
    firstError: rounds.find((r) => r.firstError !== null)?.firstError ?? null,
    machineLoad: worstLoad(rounds.map((r) => r.machineLoad))!,
  };
}

export async function runFanoutBench(
  options: FanoutBenchOptions,
  progress: (line: string) => void,
): Promise<FanoutBenchResult> {
  const result: FanoutBenchResult = {
    roomSizes: options.roomSizes,
    senders: options.senders,
    dmUsers: options.dmUsers,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    rounds: options.rounds,
    points: [],
    skipped: {},
    failed: {},
  };
  let nativeBinary: string | null = null;
  try {
    nativeBinary = buildNativeGenerator(options.repoRoot);
  } catch (error) {
    progress(
      `fan-out: ${error instanceof Error ? error.message : error}; TypeScript generator only`,
    );
  }
  const fail = (series: FanoutSeries, error: unknown) => {
    result.failed[seriesName(series)] = error instanceof Error ? error.message : String(error);
    progress(`fan-out ${seriesName(series)} failed: ${result.failed[seriesName(series)]}`);
  };
  const maxSessions = Math.max(options.dmUsers, ...options.roomSizes);
  const { servers, live } = await startSeriesServers(
    fanoutSeries(nativeBinary !== null),
    { ...options, maxSessions },
    (series, why) => {
      result.skipped[seriesName(series)] = why;
    },
    fail,
  );
  try {
    const runs: Run[] = [
      ...options.roomSizes.map((members) => ({ mode: "room" as const, members })),
      ...(options.dmUsers > 0 ? [{ mode: "dm" as const, members: options.dmUsers }] : []),
    ];
    for (const run of runs) {
      const done = await runInterleaved(
        live,
        options.rounds,
        (series, round) =>
          `fan-out ${run.mode} M=${run.members} round ${round + 1}/${options.rounds}: ${seriesName(series)} ...`,
        progress,
        (series) => runGenerator(series, servers.get(series.target)!, run, options, nativeBinary),
        fail,
      );
      for (const [series, rounds] of done) result.points.push(combineRounds(series, rounds));
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
  return result;
}
