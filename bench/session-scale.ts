/**
 * Session scale: N logged-in sessions that only ping, against the real server process with shortened ping
 * timers so the timeout machinery really runs. Reports, from the server process itself:
 * - RSS and V8 heap per session: the slope between 10 % and 100 % of N, so fixed start-up costs (JIT code,
 *   first-connection allocations) don't count as per-session memory;
 * - CPU per ping: server utime+stime over a window / PONGs received in it;
 * - time to log N sessions in (bounded concurrency; dominated by scrypt, which the bench sets to N = 1024);
 * - reaping precision: every 10th session goes silent (socket open, nothing sent) and each reports how long
 *   after "last send + ping timeout" the server's ERROR PING_TIMEOUT arrived. Spec: within the tolerance.
 * The same N connections pinging the raw echo server give the baseline for memory and CPU: what holding an
 * idle connection costs any Node.js server, protocol or not.
 * Sessions live in ping-fleet worker processes (bench/held-sessions.ts, bench/ping-fleet.ts) and connect from
 * addresses spread over 127.0.0.0/8 (bench/source-endpoints.ts) so N is not capped by the ports of one address.
 * One server process is capped by its open-files limit; bench/cluster-scale.ts goes past it with several nodes.
 */
import {
  closeFleets,
  type HeldSessions,
  holdIdleSessions,
  type Layout,
  type Reaping,
  reapSilenced,
  slices,
} from "./held-sessions.ts";
import { hardOpenFilesLimit } from "./open-files.ts";
import { launchParrotServer } from "./parrot-server-process.ts";
import { RAW_ECHO_LISTENING_LINE } from "./raw-echo-server.ts";
import { launchServer } from "./server-process.ts";
import { sourceAddresses } from "./source-endpoints.ts";

export interface ScaleOptions {
  repoRoot: string;
  sessions: number;
  usersFile: string;
  credentialsFile: string;
  /** CPU-profile the Parrot server into this directory (`--cpu-prof`); see bench/profile-summary.ts. */
  profileDir?: string;
  /** The CPU-per-ping window; at least one ping interval is used whatever is asked. */
  windowMs: number;
  /** Write V8 heap snapshots of the Parrot server at N/10 and N here (for bench/heap-diff.ts). */
  heapSnapshotDir?: string;
}

export interface ScaleResult {
  sessions: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  fleets: number;
  sourceAddresses: string[];
  serverOpenFilesLimit: number;
  parrot: HeldSessions;
  /** The same connections and PING traffic against the raw node:net echo server. */
  raw: HeldSessions | { failed: string };
  reap: Reaping;
}

export interface ScaleSkipped {
  sessions: number;
  skipped: string;
}

/** Sessions per fleet process, leaving room under a 20 000 limit for the process's own descriptors. */
const MAX_SESSIONS_PER_FLEET = 15_000;
/** Descriptors the server needs beyond one per session (listener, stdio, users file, epoll, ...). */
const SERVER_FD_HEADROOM = 512;

/**
 * Ping timers: 2 s / 3 s (as the issue suggests) up to 10 000 sessions. Beyond that the interval grows so the
 * whole fleet sends at most ~5 000 PINGs/s: at 100 000 sessions a 2 s interval would be 50 000 PINGs/s plus
 * the PONGs on two shared cores, and the bench would measure an overloaded machine, not idle sessions.
 */
export function scaleTimers(sessions: number): { intervalS: number; timeoutS: number } {
  const intervalS = Math.max(2, Math.ceil(sessions / 5000));
  return { intervalS, timeoutS: intervalS * 1.5 };
}

async function rawBaseline(
  options: ScaleOptions,
  layout: Layout,
  openFiles: number,
): Promise<HeldSessions> {
  const server = await launchServer({
    name: "raw-echo",
    command: process.execPath,
    args: [
      "--expose-gc",
      "--import",
      "tsx",
      "--import",
      "./bench/memory-probe.ts",
      "bench/raw-echo-server.ts",
    ],
    cwd: options.repoRoot,
    listening: RAW_ECHO_LISTENING_LINE,
    openFiles,
    ipc: true,
  });
  try {
    const { held, fleets } = await holdIdleSessions([server], layout, undefined);
    await closeFleets(fleets);
    return held;
  } finally {
    await server.stop();
  }
}

/**
 * Why N sessions cannot run here, or null if they can. Checked before anything is provisioned: at
 * SESSIONS=100000 provisioning alone takes minutes.
 */
export function scaleSkipReason(sessions: number): string | null {
  const hardLimit = hardOpenFilesLimit();
  const serverFds = sessions + SERVER_FD_HEADROOM;
  if (hardLimit >= serverFds) return null;
  return (
    `needs ${serverFds} open files in the server process, the hard limit here is ${hardLimit}: ` +
    `raise it (e.g. \`ulimit -Hn ${serverFds}\` as root, LimitNOFILE= in systemd, ` +
    `/etc/security/limits.conf, docker run --ulimit nofile=${serverFds}) and rerun; see bench/README.md`
  );
}

export async function runSessionScale(options: ScaleOptions): Promise<ScaleResult | ScaleSkipped> {
  const n = options.sessions;
  const skipped = scaleSkipReason(n);
  if (skipped !== null) return { sessions: n, skipped };
  const hardLimit = hardOpenFilesLimit();
  const serverFds = n + SERVER_FD_HEADROOM;
  const perFleet = Math.min(MAX_SESSIONS_PER_FLEET, hardLimit - SERVER_FD_HEADROOM);
  const fleetCount = Math.ceil(n / perFleet);
  const { intervalS, timeoutS } = scaleTimers(n);
  const layout: Layout = {
    n,
    fleets: slices(n, fleetCount).map((slice) => ({ server: 0, ...slice })),
    intervalMs: intervalS * 1000,
    fleetOpenFiles: perFleet + SERVER_FD_HEADROOM,
    windowMs: options.windowMs,
  };

  const server = await launchParrotServer({
    repoRoot: options.repoRoot,
    usersFile: options.usersFile,
    pingIntervalS: intervalS,
    pingTimeoutS: timeoutS,
    maxConnections: n + 100,
    openFiles: serverFds,
    profileDir: options.profileDir,
  });
  let parrot: HeldSessions;
  let reap: Reaping;
  try {
    const held = await holdIdleSessions(
      [server],
      layout,
      options.credentialsFile,
      options.heapSnapshotDir,
    );
    parrot = held.held;
    try {
      reap = await reapSilenced([server], held.fleets, timeoutS * 1000);
    } finally {
      await closeFleets(held.fleets);
    }
  } finally {
    await server.stop();
  }

  let raw: ScaleResult["raw"];
  try {
    raw = await rawBaseline(options, layout, serverFds);
  } catch (error) {
    raw = { failed: error instanceof Error ? error.message : String(error) };
  }
  return {
    sessions: n,
    pingIntervalMs: layout.intervalMs,
    pingTimeoutMs: timeoutS * 1000,
    fleets: fleetCount,
    sourceAddresses: sourceAddresses(n),
    serverOpenFilesLimit: server.openFiles,
    parrot,
    raw,
    reap,
  };
}
