/**
 * Echo round trips at several concurrency levels against three targets, each in its own process, with the
 * load generator (bench/load-generator.ts) in yet another: the Parrot reference server, the raw node:net echo
 * server (the ceiling for Node.js) and mosquitto at QoS 0 (the off-the-shelf alternative). One server
 * process per target serves all concurrency levels, as a long-running server would.
 */
import { fileURLToPath } from "node:url";
import type { EchoTargetName } from "./echo-session.ts";
import { runInterleaved } from "./interleaved-rounds.ts";
import { runJsonProgram } from "./json-program.ts";
import type { LoadResult } from "./load-generator.ts";
import { worstLoad } from "./machine-load.ts";
import { median } from "./median.ts";
import { buildNativeGenerator, runNativeGenerator } from "./native-generator.ts";
import type { ServerProcess } from "./server-process.ts";
import { startSeriesServers } from "./target-servers.ts";

export type GeneratorName = LoadResult["generator"];

/** One line of the echo table: a target driven by one of the generators. */
export interface EchoSeries {
  target: EchoTargetName;
  generator: GeneratorName;
}

/**
 * With the native generator: every target through it, and Parrot and raw also through the TypeScript one
 * as the cross-check (MQTT.js is the known bottleneck of a TypeScript mosquitto row, so that row is left
 * out). Without gcc: the TypeScript generator for all three, as before.
 */
export function echoSeries(nativeAvailable: boolean): EchoSeries[] {
  if (!nativeAvailable) {
    return (["parrot", "raw", "mosquitto"] as const).map((target) => ({ target, generator: "ts" }));
  }
  return [
    { target: "parrot", generator: "c" },
    { target: "raw", generator: "c" },
    { target: "mosquitto", generator: "c" },
    { target: "parrot", generator: "ts" },
    { target: "raw", generator: "ts" },
  ];
}

export interface EchoOptions {
  repoRoot: string;
  concurrency: number[];
  warmupMs: number;
  durationMs: number;
  usersFile: string;
  credentialsFile: string;
  /** Interleaved rounds per target and C; each measures durationMs / rounds after its own warm-up. */
  rounds: number;
  /** CPU-profile the Parrot server into this directory (`--cpu-prof`); see bench/profile-summary.ts. */
  profileDir?: string;
}

/** One target at one C: medians over its interleaved rounds, and the rounds themselves. */
export interface EchoPoint extends LoadResult, EchoSeries {
  rounds: LoadResult[];
}

export interface EchoResult {
  concurrency: number[];
  warmupMs: number;
  /** Measured time per target and C, split over `rounds` interleaved runs. */
  durationMs: number;
  rounds: number;
  points: EchoPoint[];
  /** Series ("target/generator") that could not run, with the reason. */
  skipped: Record<string, string>;
  /** Series that failed mid-run, with the error. */
  failed: Record<string, string>;
  /** What the native generator is, or why it could not be built. */
  nativeGenerator: string;
}

function runGenerator(
  series: EchoSeries,
  server: ServerProcess,
  sessions: number,
  options: EchoOptions,
  nativeBinary: string | null,
): Promise<LoadResult> {
  const { target } = series;
  if (series.generator === "c" && nativeBinary !== null) {
    return runNativeGenerator(
      nativeBinary,
      {
        target,
        host: server.host,
        port: server.port,
        sessions,
        warmupMs: options.warmupMs,
        durationMs: options.durationMs,
        credentialsFile: options.credentialsFile,
        serverPid: server.pid,
      },
      options.repoRoot,
    );
  }
  const script = fileURLToPath(new URL("./load-generator.ts", import.meta.url));
  return runJsonProgram<LoadResult>(
    `load generator (${target}, C=${sessions})`,
    process.execPath,
    [
      ...["--import", "tsx", script, "--target", target, "--host", server.host],
      ...["--port", String(server.port), "--sessions", String(sessions)],
      ...["--warmup-ms", String(options.warmupMs), "--duration-ms", String(options.durationMs)],
      ...["--server-pid", String(server.pid), "--credentials", options.credentialsFile, "--json"],
    ],
    options.repoRoot,
  );
}

/**
 * One figure per series and C from its interleaved rounds: the median of each rate and percentile, the max
 * of the maxima, the sum of the counts, the worst machine load.
 */
function combineRounds(series: EchoSeries, rounds: LoadResult[]): EchoPoint {
  const nullableMedian = (values: (number | null)[]) =>
    values.some((v) => v === null) ? null : median(values as number[]);
  return {
    ...series,
    rounds,
    sessions: rounds[0]!.sessions,
    openMs: median(rounds.map((r) => r.openMs)),
    measuredMs: rounds.reduce((sum, r) => sum + r.measuredMs, 0),
    roundTrips: rounds.reduce((sum, r) => sum + r.roundTrips, 0),
    roundTripsPerSec: median(rounds.map((r) => r.roundTripsPerSec)),
    latency: {
      count: rounds.reduce((sum, r) => sum + r.latency.count, 0),
      p50Ms: median(rounds.map((r) => r.latency.p50Ms)),
      p99Ms: median(rounds.map((r) => r.latency.p99Ms)),
      maxMs: Math.max(...rounds.map((r) => r.latency.maxMs)),
      meanMs: median(rounds.map((r) => r.latency.meanMs)),
    },
    generatorCpuUsPerRoundTrip: median(rounds.map((r) => r.generatorCpuUsPerRoundTrip)),
    generatorCpuUtilisation: median(rounds.map((r) => r.generatorCpuUtilisation)),
    serverCpuUsPerRoundTrip: nullableMedian(rounds.map((r) => r.serverCpuUsPerRoundTrip)),
    serverCpuUtilisation: nullableMedian(rounds.map((r) => r.serverCpuUtilisation)),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    firstError: rounds.find((r) => r.firstError !== null)?.firstError ?? null,
    machineLoad: worstLoad(rounds.map((r) => r.machineLoad))!,
  };
}

const seriesName = (s: EchoSeries) => `${s.target}/${s.generator}`;

/**
 * All targets run side by side, and each concurrency level is measured in interleaved rounds (every series
 * once, then again in a rotated order, ...) rather than one target after the other: on a machine shared
 * with other work the background load drifts by the second, and a target measured in a quiet minute would
 * otherwise "beat" one measured in a busy minute.
 */
export async function runEchoBench(
  options: EchoOptions,
  progress: (line: string) => void,
): Promise<EchoResult> {
  let nativeBinary: string | null = null;
  let nativeSkipped: string | null = null;
  try {
    nativeBinary = buildNativeGenerator(options.repoRoot);
  } catch (error) {
    nativeSkipped = error instanceof Error ? error.message : String(error);
    progress(`echo: ${nativeSkipped}; TypeScript generator only`);
  }
  const allSeries = echoSeries(nativeBinary !== null);
  const result: EchoResult = {
    concurrency: options.concurrency,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    rounds: options.rounds,
    points: [],
    skipped: {},
    failed: {},
    nativeGenerator: nativeSkipped ?? "bench/.build/loadgen (gcc -O2, epoll, one thread)",
  };
  const fail = (series: EchoSeries, error: unknown) => {
    result.failed[seriesName(series)] = error instanceof Error ? error.message : String(error);
    progress(`echo ${seriesName(series)} failed: ${result.failed[seriesName(series)]}`);
  };
  const { servers, live } = await startSeriesServers(
    allSeries,
    { ...options, maxSessions: Math.max(...options.concurrency) },
    (series, why) => {
      result.skipped[seriesName(series)] = why;
    },
    fail,
  );
  try {
    const roundOptions = {
      ...options,
      durationMs: Math.round(options.durationMs / options.rounds),
    };
    for (const sessions of options.concurrency) {
      const done = await runInterleaved(
        live,
        options.rounds,
        (series, round) =>
          `echo C=${sessions} round ${round + 1}/${options.rounds}: ${seriesName(series)} ...`,
        progress,
        (series) =>
          runGenerator(series, servers.get(series.target)!, sessions, roundOptions, nativeBinary),
        fail,
      );
      for (const [series, rounds] of done) result.points.push(combineRounds(series, rounds));
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
  return result;
}
