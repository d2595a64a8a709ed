/**
 * Session scale: N logged-in sessions that only ping, against the real server process with shortened ping
 * timers so the timeout machinery really runs. Reports, from the server process itself:
 * - RSS and V8 heap per session: the slope between 10 % and 100 % of N, so fixed start-up costs (JIT code,
 *   first-connection allocations) don't count as per-session memory;
 * - CPU per ping: server utime+stime over a window / PONGs received in it;
 * - time to log N sessions in (bounded concurrency; dominated by scrypt, which the bench sets to N = 1024);
 * - reaping precision: every 10th session goes silent (socket open, nothing sent) and each reports how long
 *   after "last send + ping timeout" the server's ERROR PING_TIMEOUT arrived. Spec: within the tolerance.
 * Sessions live in ping-fleet worker processes (bench/ping-fleet.ts), spread over source addresses in
 * 127.0.0.0/8 so SESSIONS=100000 is not capped by the ~28 000 ephemeral ports of one address.
 */
import { TIMER_DEFAULTS_MS } from "../generated/index.ts";
import { FleetHandle } from "./fleet-handle.ts";
import { hardOpenFilesLimit } from "./open-files.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import { readCpuSeconds, readRssBytes } from "./proc-stats.ts";
import type { ServerProcess } from "./server-process.ts";

export interface ScaleOptions {
  repoRoot: string;
  sessions: number;
  usersFile: string;
  credentialsFile: string;
}

export interface ScaleResult {
  sessions: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  fleets: number;
  sourceAddresses: string[];
  serverOpenFilesLimit: number;
  loginMs: number;
  loginsPerSec: number;
  memory: {
    /** At 10 % of N (the baseline of the slope) and at N. */
    rssAtTenthBytes: number;
    rssAtFullBytes: number;
    heapAtTenthBytes: number;
    heapAtFullBytes: number;
    rssPerSessionBytes: number;
    heapPerSessionBytes: number;
  };
  cpu: {
    windowMs: number;
    pongs: number;
    pingsPerSec: number;
    cpuPerPingUs: number;
    serverUtilisation: number;
  };
  reap: {
    silenced: number;
    reaped: number;
    notReaped: number;
    wrongEnding: number;
    liveSessionsLost: number;
    mismatchedPongs: number;
    latenessMs: { min: number; p50: number; p99: number; max: number } | null;
    /** The server's promise: closed within [timeout, timeout + tolerance]. */
    toleranceMs: number;
  };
}

export interface ScaleSkipped {
  sessions: number;
  skipped: string;
}

/** Sessions per fleet process, leaving room under a 20 000 limit for the process's own descriptors. */
const MAX_SESSIONS_PER_FLEET = 15_000;
/** Sessions per source address, under the ~28 000 ephemeral ports Linux gives one address. */
const MAX_SESSIONS_PER_ADDRESS = 20_000;
/** Descriptors the server needs beyond one per session (listener, stdio, users file, epoll, ...). */
const SERVER_FD_HEADROOM = 512;
const SILENCE_EVERY = 10;

/**
 * Ping timers: 2 s / 3 s (as the issue suggests) up to 10 000 sessions. Beyond that the interval grows so the
 * whole fleet sends at most ~5 000 PINGs/s: at 100 000 sessions a 2 s interval would be 50 000 PINGs/s plus
 * the PONGs on two shared cores, and the bench would measure an overloaded machine, not idle sessions.
 */
export function scaleTimers(sessions: number): { intervalS: number; timeoutS: number } {
  const intervalS = Math.max(2, Math.ceil(sessions / 5000));
  return { intervalS, timeoutS: intervalS * 1.5 };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function percentile(sorted: number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Splits [0, total) into `parts` contiguous slices as equal as possible. */
function slices(total: number, parts: number): { first: number; count: number }[] {
  const result: { first: number; count: number }[] = [];
  for (let i = 0, first = 0; i < parts; i++) {
    const count = Math.floor(total / parts) + (i < total % parts ? 1 : 0);
    result.push({ first, count });
    first += count;
  }
  return result;
}

async function sampleMemory(server: ServerProcess): Promise<{ rss: number; heap: number }> {
  const probe = await server.memory();
  // RSS from /proc right after the probe's full GC: the kernel's view, not V8's.
  return { rss: readRssBytes(server.pid), heap: probe.heapUsed };
}

export async function runSessionScale(options: ScaleOptions): Promise<ScaleResult | ScaleSkipped> {
  const n = options.sessions;
  const hardLimit = hardOpenFilesLimit();
  const serverFds = n + SERVER_FD_HEADROOM;
  if (hardLimit < serverFds) {
    return {
      sessions: n,
      skipped:
        `needs ${serverFds} open files in the server process, the hard limit here is ${hardLimit}: ` +
        `raise it (e.g. \`ulimit -Hn ${serverFds}\` as root, LimitNOFILE= in systemd, ` +
        `/etc/security/limits.conf) and rerun; see bench/README.md`,
    };
  }
  const perFleet = Math.min(MAX_SESSIONS_PER_FLEET, hardLimit - SERVER_FD_HEADROOM);
  const fleetCount = Math.ceil(n / perFleet);
  const addressCount = Math.ceil(n / MAX_SESSIONS_PER_ADDRESS);
  const sourceAddresses = Array.from(
    { length: addressCount },
    (_, i) => `127.0.${(i + 2) >> 8}.${(i + 2) & 255}`,
  );
  const { intervalS, timeoutS } = scaleTimers(n);

  const server = await launchParrotServer({
    repoRoot: options.repoRoot,
    usersFile: options.usersFile,
    pingIntervalS: intervalS,
    pingTimeoutS: timeoutS,
    maxConnections: n + 100,
    openFiles: serverFds,
  });
  const fleets = Array.from(
    { length: fleetCount },
    () => new FleetHandle(perFleet + SERVER_FD_HEADROOM),
  );
  try {
    const fleetSlices = slices(n, fleetCount);
    const open = (part: "tenth" | "rest") =>
      Promise.all(
        fleets.map((fleet, i) => {
          const slice = fleetSlices[i]!;
          const tenth = Math.max(1, Math.floor(slice.count / 10));
          const range =
            part === "tenth"
              ? { first: slice.first, count: tenth }
              : { first: slice.first + tenth, count: slice.count - tenth };
          return fleet.request(
            {
              cmd: "open",
              host: server.host,
              port: server.port,
              credentialsFile: options.credentialsFile,
              ...range,
              localAddresses: sourceAddresses,
              concurrency: Math.max(8, Math.floor(128 / fleetCount)),
            },
            "opened",
          );
        }),
      );

    let started = performance.now();
    await open("tenth");
    let loginMs = performance.now() - started;
    const tenthCount = fleetSlices.reduce(
      (sum, s) => sum + Math.max(1, Math.floor(s.count / 10)),
      0,
    );
    const atTenth = await sampleMemory(server);
    started = performance.now();
    await open("rest");
    loginMs += performance.now() - started;

    // One full interval so every session has pinged at least once before anything is measured.
    await sleep(intervalS * 1000);
    const atFull = await sampleMemory(server);
    const grown = n - tenthCount;

    const windowMs = Math.max(5000, 3 * intervalS * 1000);
    for (const fleet of fleets) fleet.tell({ cmd: "window-start" });
    const cpuStart = readCpuSeconds(server.pid);
    const windowStart = performance.now();
    await sleep(windowMs);
    const cpuSeconds = readCpuSeconds(server.pid) - cpuStart;
    const measuredMs = performance.now() - windowStart;
    const windows = await Promise.all(
      fleets.map((f) => f.request({ cmd: "window-end" }, "window")),
    );
    const pongs = windows.reduce((sum, w) => sum + w.pongs, 0);

    const toleranceMs = TIMER_DEFAULTS_MS.timeoutTolerance;
    const waitMs = timeoutS * 1000 + toleranceMs + 3000;
    const reaps = await Promise.all(
      fleets.map((f) => f.request({ cmd: "silence", every: SILENCE_EVERY, waitMs }, "reaped")),
    );
    const lateness = reaps.flatMap((r) => r.latenessMs).sort((a, b) => a - b);
    const sum = (pick: (r: (typeof reaps)[number]) => number) =>
      reaps.reduce((s, r) => s + pick(r), 0);

    await Promise.all(fleets.map((f) => f.request({ cmd: "close" }, "closed")));
    return {
      sessions: n,
      pingIntervalMs: intervalS * 1000,
      pingTimeoutMs: timeoutS * 1000,
      fleets: fleetCount,
      sourceAddresses,
      serverOpenFilesLimit: server.openFiles,
      loginMs,
      loginsPerSec: n / (loginMs / 1000),
      memory: {
        rssAtTenthBytes: atTenth.rss,
        rssAtFullBytes: atFull.rss,
        heapAtTenthBytes: atTenth.heap,
        heapAtFullBytes: atFull.heap,
        rssPerSessionBytes: (atFull.rss - atTenth.rss) / grown,
        heapPerSessionBytes: (atFull.heap - atTenth.heap) / grown,
      },
      cpu: {
        windowMs: measuredMs,
        pongs,
        pingsPerSec: pongs / (measuredMs / 1000),
        cpuPerPingUs: pongs > 0 ? (cpuSeconds * 1e6) / pongs : Number.NaN,
        serverUtilisation: cpuSeconds / (measuredMs / 1000),
      },
      reap: {
        silenced: sum((r) => r.silenced),
        reaped: lateness.length,
        notReaped: sum((r) => r.notReaped),
        wrongEnding: sum((r) => r.wrongEnding),
        liveSessionsLost: sum((r) => r.liveSessionsLost),
        mismatchedPongs: sum((r) => r.mismatchedPongs),
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
      },
    };
  } finally {
    for (const fleet of fleets) fleet.kill();
    await server.stop();
  }
}
