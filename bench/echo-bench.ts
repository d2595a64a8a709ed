/**
 * Echo round trips at several concurrency levels against three targets, each in its own process, with the
 * load generator (bench/load-generator.ts) in yet another: the Parrot reference server, the raw node:net echo
 * server (the ceiling for Node.js) and mosquitto at QoS 0 (the off-the-shelf alternative). One server
 * process per target serves all concurrency levels, as a long-running server would.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { EchoTargetName } from "./echo-session.ts";
import type { LoadResult } from "./load-generator.ts";
import { worstLoad } from "./machine-load.ts";
import { findMosquitto, MOSQUITTO_MISSING, startMosquitto } from "./mosquitto-broker.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import { RAW_ECHO_LISTENING_LINE } from "./raw-echo-server.ts";
import { launchServer, type ServerProcess } from "./server-process.ts";

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
export interface EchoPoint extends LoadResult {
  target: EchoTargetName;
  rounds: LoadResult[];
}

export interface EchoResult {
  concurrency: number[];
  warmupMs: number;
  /** Measured time per target and C, split over `rounds` interleaved runs. */
  durationMs: number;
  rounds: number;
  points: EchoPoint[];
  /** Targets that could not run, with the reason. */
  skipped: Partial<Record<EchoTargetName, string>>;
  /** Targets that failed mid-run, with the error. */
  failed: Partial<Record<EchoTargetName, string>>;
}

/** Descriptors for the largest C plus the server's own. */
function openFilesFor(options: EchoOptions): number {
  return Math.max(...options.concurrency) + 512;
}

function startTarget(target: EchoTargetName, options: EchoOptions): Promise<ServerProcess> {
  switch (target) {
    case "parrot":
      return launchParrotServer({
        repoRoot: options.repoRoot,
        usersFile: options.usersFile,
        // Long timers: echo sessions send constantly, and logging in C = 1000 sessions must not race a
        // ping timeout while the first ones wait for the last.
        pingIntervalS: 30,
        pingTimeoutS: 60,
        maxConnections: Math.max(...options.concurrency) + 100,
        openFiles: openFilesFor(options),
        profileDir: options.profileDir,
      });
    case "raw":
      return launchServer({
        name: "raw-echo",
        command: process.execPath,
        args: ["--import", "tsx", "bench/raw-echo-server.ts", "-l", "127.0.0.1", "-p", "0"],
        cwd: options.repoRoot,
        listening: RAW_ECHO_LISTENING_LINE,
        openFiles: openFilesFor(options),
      });
    case "mosquitto": {
      const binary = findMosquitto();
      if (binary === null) throw new Error(MOSQUITTO_MISSING);
      return startMosquitto(binary, openFilesFor(options));
    }
  }
}

function runGenerator(
  target: EchoTargetName,
  server: ServerProcess,
  sessions: number,
  options: EchoOptions,
): Promise<LoadResult> {
  const script = fileURLToPath(new URL("./load-generator.ts", import.meta.url));
  const args = [
    "--import",
    "tsx",
    script,
    "--target",
    target,
    "--host",
    server.host,
    "--port",
    String(server.port),
    "--sessions",
    String(sessions),
    "--warmup-ms",
    String(options.warmupMs),
    "--duration-ms",
    String(options.durationMs),
    "--server-pid",
    String(server.pid),
    "--credentials",
    options.credentialsFile,
    "--json",
  ];
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.repoRoot, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `load generator (${target}, C=${sessions}): ${stderr.trim() || error.message}`,
            ),
          );
          return;
        }
        const line = stdout.trim().split("\n").pop() ?? "";
        try {
          resolve(JSON.parse(line) as LoadResult);
        } catch {
          reject(
            new Error(`load generator (${target}, C=${sessions}) printed no result: ${stdout}`),
          );
        }
      },
    );
  });
}

/** Median of a non-empty list (the mean of the middle two for an even count). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One figure per target and C from its interleaved rounds: the median of each rate and percentile (a round
 * that met a burst of someone else's load moves a median much less than a mean), the max of the maxima,
 * the sum of the counts.
 */
function combineRounds(target: EchoTargetName, rounds: LoadResult[]): EchoPoint {
  const nullableMedian = (values: (number | null)[]) =>
    values.some((v) => v === null) ? null : median(values as number[]);
  return {
    target,
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
    generator: rounds[0]!.generator,
  };
}

/**
 * All targets run side by side, and each concurrency level is measured in interleaved rounds (parrot, raw,
 * mosquitto, then again in a rotated order, ...) rather than one target after the other: on a machine shared
 * with other work the background load drifts by the second, and a target measured in a quiet minute would
 * otherwise "beat" one measured in a busy minute.
 */
export async function runEchoBench(
  targets: readonly EchoTargetName[],
  options: EchoOptions,
  progress: (line: string) => void,
): Promise<EchoResult> {
  const result: EchoResult = {
    concurrency: options.concurrency,
    warmupMs: options.warmupMs,
    durationMs: options.durationMs,
    rounds: options.rounds,
    points: [],
    skipped: {},
    failed: {},
  };
  const fail = (target: EchoTargetName, error: unknown) => {
    result.failed[target] = error instanceof Error ? error.message : String(error);
    progress(`echo ${target} failed: ${result.failed[target]}`);
  };
  const servers = new Map<EchoTargetName, ServerProcess>();
  try {
    for (const target of targets) {
      if (target === "mosquitto" && findMosquitto() === null) {
        result.skipped.mosquitto = MOSQUITTO_MISSING;
        progress(`echo ${target}: ${MOSQUITTO_MISSING}`);
        continue;
      }
      try {
        servers.set(target, await startTarget(target, options));
      } catch (error) {
        fail(target, error);
      }
    }
    const roundOptions = {
      ...options,
      durationMs: Math.round(options.durationMs / options.rounds),
    };
    for (const sessions of options.concurrency) {
      const done = new Map<EchoTargetName, LoadResult[]>();
      for (let round = 0; round < options.rounds; round++) {
        const order = [...servers.keys()];
        const rotated = [
          ...order.slice(round % order.length),
          ...order.slice(0, round % order.length),
        ];
        for (const target of rotated) {
          const server = servers.get(target);
          if (server === undefined) continue;
          progress(`echo C=${sessions} round ${round + 1}/${options.rounds}: ${target} ...`);
          try {
            const load = await runGenerator(target, server, sessions, roundOptions);
            done.set(target, [...(done.get(target) ?? []), load]);
          } catch (error) {
            fail(target, error);
            servers.delete(target);
            await server.stop();
          }
        }
      }
      for (const [target, rounds] of done) {
        if (servers.has(target)) result.points.push(combineRounds(target, rounds));
      }
    }
  } finally {
    for (const server of servers.values()) await server.stop();
  }
  return result;
}
