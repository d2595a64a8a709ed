/**
 * Room fan-out at several room sizes M and a direct-message run, against the Parrot server and mosquitto,
 * in interleaved rounds (as the echo part does), each round its own generator process
 * (bench/fanout-generator.ts).
 */
import { fileURLToPath } from "node:url";
import type { FanoutMode, FanoutResult, FanoutTargetName } from "./fanout-generator.ts";
import { runJsonProgram } from "./json-program.ts";
import { worstLoad } from "./machine-load.ts";
import { median } from "./median.ts";
import { findMosquitto, MOSQUITTO_MISSING } from "./mosquitto-broker.ts";
import type { ServerProcess } from "./server-process.ts";
import { startTargetServer } from "./target-servers.ts";

export const FANOUT_TARGETS: readonly FanoutTargetName[] = ["parrot", "mosquitto"];

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
  skipped: Partial<Record<FanoutTargetName, string>>;
  failed: Partial<Record<FanoutTargetName, string>>;
}

interface Run {
  mode: FanoutMode;
  members: number;
}

function runGenerator(
  target: FanoutTargetName,
  server: ServerProcess,
  run: Run,
  options: FanoutBenchOptions,
): Promise<FanoutResult> {
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
      ...["--duration-ms", String(Math.round(options.durationMs / options.rounds))],
      ...["--server-pid", String(server.pid), "--credentials", options.credentialsFile, "--json"],
    ],
    options.repoRoot,
  );
}

function combineRounds(target: FanoutTargetName, rounds: FanoutResult[]): FanoutPoint {
  const sum = (pick: (r: FanoutResult) => number) => rounds.reduce((s, r) => s + pick(r), 0);
  const mid = (pick: (r: FanoutResult) => number) => median(rounds.map(pick));
  const nullableMid = (pick: (r: FanoutResult) => number | null) =>
    rounds.some((r) => pick(r) === null) ? null : median(rounds.map((r) => pick(r)!));
  const first = rounds[0]!;
  return {
    ...first,
    target,
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
  const fail = (target: FanoutTargetName, error: unknown) => {
    result.failed[target] = error instanceof Error ? error.message : String(error);
    progress(`fan-out ${target} failed: ${result.failed[target]}`);
  };
  const maxSessions = Math.max(options.dmUsers, ...options.roomSizes);
  const servers = new Map<FanoutTargetName, ServerProcess>();
  try {
    for (const target of FANOUT_TARGETS) {
      if (target === "mosquitto" && findMosquitto() === null) {
        result.skipped.mosquitto = MOSQUITTO_MISSING;
        continue;
      }
      try {
        servers.set(target, await startTargetServer(target, { ...options, maxSessions }));
      } catch (error) {
        fail(target, error);
      }
    }
    const runs: Run[] = [
      ...options.roomSizes.map((members) => ({ mode: "room" as const, members })),
      ...(options.dmUsers > 0 ? [{ mode: "dm" as const, members: options.dmUsers }] : []),
    ];
    for (const run of runs) {
      const done = new Map<FanoutTargetName, FanoutResult[]>();
      for (let round = 0; round < options.rounds; round++) {
        const order = [...servers.keys()];
        const shift = round % Math.max(1, order.length);
        for (const target of [...order.slice(shift), ...order.slice(0, shift)]) {
          const server = servers.get(target);
          if (server === undefined) continue;
          progress(
            `fan-out ${run.mode} M=${run.members} round ${round + 1}/${options.rounds}: ${target} ...`,
          );
          try {
            const load = await runGenerator(target, server, run, options);
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
