/**
 * The closed-loop load generator: C sessions, each sending one 64-byte message, waiting for its echo and
 * sending the next, for a fixed time after a warm-up. Reports round trips per second and the latency
 * distribution (HDR histogram), plus the CPU the generator and, when given its pid, the server spent per
 * round trip: generator and server share the same cores, so "who was busy" is part of the answer.
 *
 * Reusable as a module (runClosedLoop) and as a program, so it always runs in its own process:
 *   node --import tsx bench/load-generator.ts --target parrot|raw|mosquitto --host H --port P \
 *     [--port2 P2] --sessions C [--warmup-ms 1000] [--duration-ms 5000] [--credentials FILE] \
 *     [--server-pid PID] [--json]
 * --port2: every other session connects there instead (a cluster's second node, bench/cluster-bench.ts).
 * --credentials is a file of `NAME PASSWORD` lines (bench/bench-users.ts writes one); parrot needs it.
 * --transport KIND [--ca FILE] (parrot only): dial through transport/all-dialers.ts (tcp, ws, quic),
 * every kind through the same ByteStream code, for the transport rows (bench/transport-echo.ts).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { readCredentials } from "./bench-users.ts";
import { forEachBounded } from "./bounded-concurrency.ts";
import { type EchoSession, type EchoTargetName, isEchoTargetName } from "./echo-session.ts";
import { isEntryPoint } from "./entry-point.ts";
import { openFramedEchoSession } from "./framed-echo-session.ts";
import { LatencyHistogram, type LatencySummary } from "./latency-histogram.ts";
import { type MachineLoad, machineLoadOver, readCpuCounters } from "./machine-load.ts";
import { openMqttEchoSession } from "./mqtt-echo-session.ts";
import { readCpuSeconds } from "./proc-stats.ts";

export interface LoadOptions {
  sessions: number;
  warmupMs: number;
  durationMs: number;
  open: (index: number) => Promise<EchoSession>;
  /** Sessions being opened at once; bounded so the listen backlog never overflows. */
  openConcurrency?: number;
  /** The server's pid, to read its CPU time from /proc over the measured window. */
  serverPid?: number;
}

export interface LoadResult {
  sessions: number;
  /** Time to open (and for Parrot, log in) all sessions. */
  openMs: number;
  measuredMs: number;
  roundTrips: number;
  roundTripsPerSec: number;
  latency: LatencySummary;
  /** Generator CPU (user + system) per round trip in the measured window, µs. */
  generatorCpuUsPerRoundTrip: number;
  /** Generator CPU time / wall time: 1.0 means it kept one core busy. */
  generatorCpuUtilisation: number;
  serverCpuUsPerRoundTrip: number | null;
  serverCpuUtilisation: number | null;
  errors: number;
  firstError: string | null;
  /** Others' use of the machine during the measured window (the bench's own processes subtracted). */
  machineLoad: MachineLoad;
  /** Which generator produced the figures. */
  generator: "ts" | "c";
}

type Phase = "warmup" | "measure" | "stop";

/** How long stopped loops get to finish their last round trip before the generator gives up on them. */
const DRAIN_TIMEOUT_MS = 10_000;

export async function runClosedLoop(options: LoadOptions): Promise<LoadResult> {
  const openStarted = performance.now();
  const sessions = await forEachBounded(
    options.sessions,
    options.openConcurrency ?? 64,
    options.open,
  );
  const openMs = performance.now() - openStarted;

  const histogram = new LatencyHistogram();
  let phase: Phase = "warmup";
  let roundTrips = 0;
  let errors = 0;
  let firstError: string | null = null;
  let running = sessions.length;
  let allStopped: () => void = () => {};
  const stopped = new Promise<void>((resolve) => {
    allStopped = resolve;
  });
  const loopEnded = () => {
    running--;
    if (running === 0) allStopped();
  };

  const loop = (session: EchoSession) => {
    if (phase === "stop") {
      loopEnded();
      return;
    }
    const started = performance.now();
    session.roundTrip((error) => {
      if (error) {
        errors++;
        firstError ??= error.message;
        loopEnded();
        return;
      }
      // Completions inside the window count, whenever they started: excluding round trips that straddle
      // the window's start would undercount by up to one per session.
      if (phase === "measure") {
        histogram.record(performance.now() - started);
        roundTrips++;
      }
      loop(session);
    });
  };
  for (const session of sessions) loop(session);

  await sleep(options.warmupMs);
  histogram.reset();
  roundTrips = 0;
  phase = "measure";
  const cpuStart = process.cpuUsage();
  const serverCpuStart = options.serverPid ? readCpuSeconds(options.serverPid) : 0;
  const countersStart = readCpuCounters();
  const windowStart = performance.now();
  await sleep(options.durationMs);
  phase = "stop";
  const measuredMs = performance.now() - windowStart;
  const countersEnd = readCpuCounters();
  const serverCpu = options.serverPid ? readCpuSeconds(options.serverPid) - serverCpuStart : null;
  const cpu = process.cpuUsage(cpuStart);
  const measured = roundTrips;
  const latency = histogram.summary();

  await Promise.race([stopped, sleep(DRAIN_TIMEOUT_MS)]);
  await forEachBounded(sessions.length, 64, (i) => sessions[i]!.close().catch(() => {}));

  const generatorCpuUs = cpu.user + cpu.system;
  const seconds = measuredMs / 1000;
  return {
    sessions: sessions.length,
    openMs,
    measuredMs,
    roundTrips: measured,
    roundTripsPerSec: measured / seconds,
    latency,
    generatorCpuUsPerRoundTrip: measured > 0 ? generatorCpuUs / measured : 0,
    generatorCpuUtilisation: generatorCpuUs / 1e6 / seconds,
    serverCpuUsPerRoundTrip:
      serverCpu === null || measured === 0 ? null : (serverCpu * 1e6) / measured,
    serverCpuUtilisation: serverCpu === null ? null : serverCpu / seconds,
    errors,
    firstError,
    machineLoad: machineLoadOver(
      countersStart,
      countersEnd,
      generatorCpuUs / 1e6 + (serverCpu ?? 0),
      seconds,
    ),
    generator: "ts",
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface TargetOptions {
  target: EchoTargetName;
  host: string;
  port: number;
  /** Every other session (odd indices) connects here instead: a cluster's second node. */
  port2?: number;
  credentialsFile?: string;
  sessions: number;
  /** Parrot only: the transport to dial, and the PEM CA to trust (TLS-carrying transports). */
  transport?: { kind: string; ca?: string };
}

/** How to open session `index` against each target. */
export function sessionOpener(options: TargetOptions): (index: number) => Promise<EchoSession> {
  const { host, port2 } = options;
  const portOf = (index: number) => (port2 !== undefined && index % 2 === 1 ? port2 : options.port);
  switch (options.target) {
    case "raw":
      return (index) => openFramedEchoSession({ host, port: portOf(index) });
    case "mosquitto":
      return (sessionIndex) =>
        openMqttEchoSession({ host, port: portOf(sessionIndex), sessionIndex });
    case "parrot": {
      if (options.credentialsFile === undefined) {
        throw new Error("--credentials FILE is required for the parrot target");
      }
      const accounts = readCredentials(options.credentialsFile, options.sessions);
      const transport = options.transport === undefined ? {} : { transport: options.transport };
      return (index) =>
        openFramedEchoSession({
          host,
          port: portOf(index),
          credentials: accounts[index]!,
          ...transport,
        });
    }
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      target: { type: "string" },
      host: { type: "string", default: "127.0.0.1" },
      port: { type: "string" },
      port2: { type: "string" },
      sessions: { type: "string", default: "1" },
      "warmup-ms": { type: "string", default: "1000" },
      "duration-ms": { type: "string", default: "5000" },
      credentials: { type: "string" },
      transport: { type: "string" },
      ca: { type: "string" },
      "server-pid": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const target = values.target ?? "";
  if (!isEchoTargetName(target) || values.port === undefined) {
    throw new Error("usage: load-generator.ts --target parrot|raw|mosquitto --port PORT [...]");
  }
  const sessions = Number(values.sessions);
  const result = await runClosedLoop({
    sessions,
    warmupMs: Number(values["warmup-ms"]),
    durationMs: Number(values["duration-ms"]),
    serverPid: values["server-pid"] ? Number(values["server-pid"]) : undefined,
    open: sessionOpener({
      target,
      host: values.host,
      port: Number(values.port),
      ...(values.port2 === undefined ? {} : { port2: Number(values.port2) }),
      credentialsFile: values.credentials,
      sessions,
      ...(values.transport === undefined
        ? {}
        : {
            transport: {
              kind: values.transport,
              ...(values.ca === undefined ? {} : { ca: readFileSync(values.ca, "utf8") }),
            },
          }),
    }),
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const l = result.latency;
  process.stdout.write(
    `${target} C=${result.sessions}: ${Math.round(result.roundTripsPerSec)} round trips/s, ` +
      `p50 ${l.p50Ms.toFixed(3)} ms, p99 ${l.p99Ms.toFixed(3)} ms, max ${l.maxMs.toFixed(3)} ms, ` +
      `errors ${result.errors}${result.firstError ? ` (${result.firstError})` : ""}\n`,
  );
}

if (isEntryPoint(import.meta.url)) {
  main().then(
    // Sockets the server has not yet closed must not keep a finished generator alive.
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`load generator: ${error instanceof Error ? error.message : error}\n`);
      process.exit(1);
    },
  );
}
