/**
 * Idle pinging sessions held by ping-fleet worker processes (bench/ping-fleet.ts) against one server or
 * several (the nodes of a cluster): open them in two steps (10 % of N, measure, the rest, measure), measure
 * the servers' CPU per ping over a window, silence every 10th session and time its reaping, close. The
 * servers' figures are summed over all of them, so "RSS per session" of a cluster is what the whole
 * cluster spends per session. Used by bench/session-scale.ts (one server, and the raw baseline) and
 * bench/cluster-scale.ts (the nodes of a cluster).
 */
import { join } from "node:path";
import { TIMER_DEFAULTS_MS } from "../generated/index.ts";
import { FleetHandle } from "./fleet-handle.ts";
import type { FleetEvent } from "./ping-fleet.ts";
import { readCpuSeconds, readRssBytes } from "./proc-stats.ts";
import type { ServerProcess } from "./server-process.ts";

export interface HeldSessions {
  /** Time to open (and for Parrot, log in) all N. */
  openMs: number;
  /** Sessions that could not connect or log in, and why the first of them failed. */
  openFailures: number;
  firstOpenError: string | null;
  opensPerSec: number;
  memory: {
    /** At 10 % of N (the baseline of the slope) and at N, summed over the servers. */
    rssAtTenthBytes: number;
    rssAtFullBytes: number;
    heapAtTenthBytes: number;
    heapAtFullBytes: number;
    rssPerSessionBytes: number;
    heapPerSessionBytes: number;
    /** Memory outside the V8 heap that V8 knows of (Buffers, ArrayBuffers). */
    externalPerSessionBytes: number;
  };
  cpu: {
    windowMs: number;
    pongs: number;
    pingsPerSec: number;
    cpuPerPingUs: number;
    serverUtilisation: number;
    /** Sessions that had ended by the end of the window, though none was told to stop. */
    endedBeforeWindowEnd: number;
  };
  /** Longest event-loop stall of any server in each phase, ms (bench/memory-probe.ts). */
  serverStallMs: { opening: number; window: number };
}

/** What the fleets reported of the silenced sessions (summed), and how late the servers reaped them. */
export type Reaping = Omit<FleetReaped, "event" | "latenessMs"> & {
  reaped: number;
  /** Longest event-loop stall of any server while the silenced sessions were being reaped. */
  serverStallMs: number;
  latenessMs: { min: number; p50: number; p99: number; max: number } | null;
  /** The server's promise: closed within [timeout, timeout + tolerance]. */
  toleranceMs: number;
};

/** A contiguous run of session indices one fleet opens against one server. */
export interface Placement {
  server: number;
  first: number;
  count: number;
}

export interface Layout {
  n: number;
  /** One entry per fleet process. */
  fleets: Placement[];
  intervalMs: number;
  fleetOpenFiles: number;
  windowMs: number;
}

type FleetReaped = Extract<FleetEvent, { event: "reaped" }>;

const SILENCE_EVERY = 10;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Splits [first, first + total) into `parts` contiguous slices as equal as possible. */
export function slices(
  total: number,
  parts: number,
  first = 0,
): { first: number; count: number }[] {
  const result: { first: number; count: number }[] = [];
  for (let i = 0, next = first; i < parts; i++) {
    const count = Math.floor(total / parts) + (i < total % parts ? 1 : 0);
    result.push({ first: next, count });
    next += count;
  }
  return result;
}

async function sampleMemory(
  servers: ServerProcess[],
  snapshot: (server: ServerProcess) => string | undefined,
): Promise<{ rss: number; heap: number; external: number; stallMs: number }> {
  const total = { rss: 0, heap: 0, external: 0, stallMs: 0 };
  for (const server of servers) {
    const probe = await server.memory(true, snapshot(server));
    // RSS from /proc right after the probe's full GC: the kernel's view, not V8's.
    total.rss += readRssBytes(server.pid);
    total.heap += probe.heapUsed;
    total.external += probe.external;
    total.stallMs = Math.max(total.stallMs, probe.eventLoopDelayMaxMs);
  }
  return total;
}

/** The longest event-loop stall of any server since the last probe. */
async function longestStall(servers: ServerProcess[]): Promise<number> {
  const stalls = await Promise.all(servers.map((s) => s.memory(false)));
  return Math.max(0, ...stalls.map((s) => s.eventLoopDelayMaxMs));
}

/**
 * Opens N idle pinging connections to `servers` in fresh fleets (10 %, measure, the rest, measure), then
 * measures CPU per ping over a window. Returns the fleets, still holding every session, for what comes next.
 */
export async function holdIdleSessions(
  servers: ServerProcess[],
  layout: Layout,
  credentialsFile: string | undefined,
  heapSnapshotDir?: string,
): Promise<{ held: HeldSessions; fleets: FleetHandle[] }> {
  const snapshot = (name: string) => (server: ServerProcess) =>
    heapSnapshotDir === undefined
      ? undefined
      : join(
          heapSnapshotDir,
          `${servers.length === 1 ? server.name : `${server.name}-${server.port}`}-${name}.heapsnapshot`,
        );
  const fleets = layout.fleets.map(() => new FleetHandle(layout.fleetOpenFiles));
  try {
    const tenthOf = (count: number) => Math.max(1, Math.floor(count / 10));
    const open = (part: "tenth" | "rest") =>
      Promise.all(
        fleets.map((fleet, i) => {
          const placement = layout.fleets[i]!;
          const server = servers[placement.server]!;
          const tenth = tenthOf(placement.count);
          const range =
            part === "tenth"
              ? { first: placement.first, count: tenth }
              : { first: placement.first + tenth, count: placement.count - tenth };
          return fleet.request(
            {
              cmd: "open",
              host: server.host,
              port: server.port,
              credentialsFile,
              rawPingIntervalMs: layout.intervalMs,
              ...range,
              concurrency: Math.max(8, Math.floor(128 / fleets.length)),
            },
            "opened",
          );
        }),
      );

    // Start the stall clock now: loading and compiling the server's modules stalls its loop for a second.
    await longestStall(servers);
    let started = performance.now();
    const opened = await open("tenth");
    let openMs = performance.now() - started;
    const tenthCount = layout.fleets.reduce((sum, s) => sum + tenthOf(s.count), 0);
    const atTenth = await sampleMemory(servers, snapshot(`${tenthCount}-sessions`));
    started = performance.now();
    opened.push(...(await open("rest")));
    openMs += performance.now() - started;
    const openFailures = opened.reduce((sum, o) => sum + o.failed, 0);
    const firstOpenError = opened.find((o) => o.firstError !== null)?.firstError ?? null;

    // One full interval so every session has pinged at least once before anything is measured.
    await sleep(layout.intervalMs);
    const atFull = await sampleMemory(servers, snapshot(`${layout.n}-sessions`));
    const grown = layout.n - tenthCount;

    // A whole number of intervals: each session then pings the same number of times inside the window
    // wherever its phase falls, so pongs/window is not skewed by where the window cuts the ping bursts.
    const windowMs =
      Math.max(1, Math.round(layout.windowMs / layout.intervalMs)) * layout.intervalMs;
    for (const fleet of fleets) fleet.tell({ cmd: "window-start" });
    const cpuOfServers = () => servers.reduce((sum, s) => sum + readCpuSeconds(s.pid), 0);
    const cpuStart = cpuOfServers();
    const windowStart = performance.now();
    await sleep(windowMs);
    const cpuSeconds = cpuOfServers() - cpuStart;
    const measuredMs = performance.now() - windowStart;
    const windows = await Promise.all(
      fleets.map((f) => f.request({ cmd: "window-end" }, "window")),
    );
    const windowStall = await longestStall(servers);
    const pongs = windows.reduce((sum, w) => sum + w.pongs, 0);
    const held: HeldSessions = {
      openMs,
      openFailures,
      firstOpenError,
      opensPerSec: layout.n / (openMs / 1000),
      memory: {
        rssAtTenthBytes: atTenth.rss,
        rssAtFullBytes: atFull.rss,
        heapAtTenthBytes: atTenth.heap,
        heapAtFullBytes: atFull.heap,
        rssPerSessionBytes: (atFull.rss - atTenth.rss) / grown,
        heapPerSessionBytes: (atFull.heap - atTenth.heap) / grown,
        externalPerSessionBytes: (atFull.external - atTenth.external) / grown,
      },
      cpu: {
        windowMs: measuredMs,
        pongs,
        pingsPerSec: pongs / (measuredMs / 1000),
        cpuPerPingUs: pongs > 0 ? (cpuSeconds * 1e6) / pongs : Number.NaN,
        serverUtilisation: cpuSeconds / (measuredMs / 1000),
        endedBeforeWindowEnd: windows.reduce((sum, w) => sum + w.endedEarly, 0),
      },
      serverStallMs: { opening: Math.max(atTenth.stallMs, atFull.stallMs), window: windowStall },
    };
    return { held, fleets };
  } catch (error) {
    for (const fleet of fleets) fleet.kill();
    throw error;
  }
}

/** Silences every 10th session and reports how precisely the servers reaped them, and who else was lost. */
export async function reapSilenced(
  servers: ServerProcess[],
  fleets: FleetHandle[],
  timeoutMs: number,
): Promise<Reaping> {
  const toleranceMs = TIMER_DEFAULTS_MS.timeoutTolerance;
  const waitMs = timeoutMs + toleranceMs + 3000;
  const reaps = await Promise.all(
    fleets.map((f) => f.request({ cmd: "silence", every: SILENCE_EVERY, waitMs }, "reaped")),
  );
  const serverStallMs = await longestStall(servers);
  const lateness = reaps.flatMap((r) => r.latenessMs).sort((a, b) => a - b);
  const sum = (pick: (r: (typeof reaps)[number]) => number) =>
    reaps.reduce((s, r) => s + pick(r), 0);
  return {
    silenced: sum((r) => r.silenced),
    reaped: lateness.length,
    notReaped: sum((r) => r.notReaped),
    wrongEnding: sum((r) => r.wrongEnding),
    liveSessionsLost: sum((r) => r.liveSessionsLost),
    lostSamples: reaps.flatMap((r) => r.lostSamples).slice(0, 10),
    mismatchedPongs: sum((r) => r.mismatchedPongs),
    lateClients: sum((r) => r.lateClients),
    maxSendGapMs: reaps.reduce((max, r) => Math.max(max, r.maxSendGapMs), 0),
    serverStallMs,
    latenessMs:
      lateness.length === 0
        ? null
        : {
            min: lateness[0]!,
            p50: percentile(lateness, 50),
            p99: percentile(lateness, 99),
            max: lateness[lateness.length - 1]!,
          },
    toleranceMs,
  };
}

/** Closes every session in an orderly way (LOGOUT / FIN), then ends the fleet processes. */
export async function closeFleets(fleets: FleetHandle[]): Promise<void> {
  try {
    await Promise.all(fleets.map((f) => f.request({ cmd: "close" }, "closed")));
  } finally {
    for (const fleet of fleets) fleet.kill();
  }
}
