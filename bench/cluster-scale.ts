/**
 * Session scale past one process's open-files limit: N logged-in pinging sessions, one account each,
 * spread over K `parrot server --cluster` nodes on one redis-server (K = N / 19 000 rounded up, at
 * least 2, so no node needs more than the 20 000 descriptors a process may have here), held by
 * ping-fleet processes (bench/held-sessions.ts) under the same limit, from several 127.0.0.x source
 * addresses (bench/source-endpoints.ts). Reports what session-scale.ts reports for one server, summed
 * over the nodes (RSS per session, login rate, CPU per ping, reaping of silenced sessions, live
 * sessions lost), plus the cluster's own promise (spec §13.2): the generators are killed (SIGKILL,
 * no LOGOUT) and the bench times how long until Redis holds no login lease any more, against the
 * lease the nodes run with.
 */
import { Redis } from "ioredis";
import {
  DEFAULT_LEASE_MS,
  DEFAULT_LOGIN_KEY_PREFIX,
} from "../server/cluster/redis-login-registry.ts";
import { launchCluster } from "./cluster-deployment.ts";
import type { FleetHandle } from "./fleet-handle.ts";
import {
  closeFleets,
  type HeldSessions,
  holdIdleSessions,
  type Layout,
  type Placement,
  type Reaping,
  reapSilenced,
  slices,
} from "./held-sessions.ts";
import { hardOpenFilesLimit } from "./open-files.ts";
import { scaleTimers } from "./session-scale.ts";
import { sourceAddresses } from "./source-endpoints.ts";

export interface ClusterScaleOptions {
  repoRoot: string;
  sessions: number;
  usersFile: string;
  credentialsFile: string;
  /** The CPU-per-ping window; at least one ping interval is used whatever is asked. */
  windowMs: number;
}

export interface LeaseRelease {
  /** Login leases in Redis just before the generators were killed. */
  leases: number;
  /** From the SIGKILL of every generator to the moment Redis held no login lease; null: not by the deadline. */
  freedMs: number | null;
  /** Leases still held at the deadline (0 when freed). */
  leftAtDeadline: number;
  deadlineMs: number;
  /** The nodes' login lease (spec §13.2): a dead client's login must be free well within it. */
  leaseMs: number;
  /** Every poll: ms after the kill, leases left (how the release went, for diagnosis). */
  trace: [number, number][];
}

export interface ClusterScaleResult {
  sessions: number;
  nodes: number;
  /** The most sessions any one node held. */
  sessionsPerNode: number;
  fleets: number;
  pingIntervalMs: number;
  pingTimeoutMs: number;
  sourceAddresses: string[];
  /** The smallest open-files limit a node got. */
  nodeOpenFilesLimit: number;
  /** Summed over the nodes: RSS per session is what the whole cluster spends per session. */
  held: HeldSessions;
  /** Login leases in Redis once every session had logged in: one per logged-in session. */
  leasesHeld: number;
  reap: Reaping;
  release: LeaseRelease;
}

export interface ClusterScaleSkipped {
  sessions: number;
  skipped: string;
}

/** What latest.json keeps of the part: its figures, or why it did not run or failed. */
export type ClusterScaleOutcome =
  | ClusterScaleResult
  | ClusterScaleSkipped
  | { sessions: number; failed: string };

/** Sessions per node: under a 20 000 limit with room for the node's own descriptors and Redis. */
const MAX_SESSIONS_PER_NODE = 19_000;
const NODE_FD_HEADROOM = 512;
/** Sessions per fleet process, under the same limit. */
const MAX_SESSIONS_PER_FLEET = 15_000;
const POLL_MS = 200;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function perNodeLimit(): number {
  return Math.min(MAX_SESSIONS_PER_NODE, hardOpenFilesLimit() - NODE_FD_HEADROOM);
}

/** Why the part cannot run here, or null. */
export function clusterScaleSkipReason(sessions: number): string | null {
  if (sessions < 2) return "needs at least 2 sessions (one per node)";
  if (perNodeLimit() < 100) {
    return `the open-files hard limit here (${hardOpenFilesLimit()}) leaves no room for sessions`;
  }
  return null;
}

/** The node and fleet of every session: contiguous slices per node, each split into fleets. */
function place(n: number, nodes: number): Placement[] {
  return slices(n, nodes).flatMap((node, server) =>
    slices(node.count, Math.ceil(node.count / MAX_SESSIONS_PER_FLEET), node.first).map((s) => ({
      server,
      ...s,
    })),
  );
}

/** Every login lease the cluster holds in Redis (KEYS in a script: one round trip, a bench only). */
function countLeases(redis: Redis): Promise<number> {
  return redis.eval(
    "return #redis.call('KEYS', ARGV[1])",
    0,
    `${DEFAULT_LOGIN_KEY_PREFIX}*`,
  ) as Promise<number>;
}

/** Kills every generator at once (their sockets close, nothing is logged out) and times the release. */
async function killAndTimeRelease(redis: Redis, fleets: FleetHandle[]): Promise<LeaseRelease> {
  const leases = await countLeases(redis);
  const deadlineMs = 3 * DEFAULT_LEASE_MS;
  const killedAt = performance.now();
  for (const fleet of fleets) fleet.kill();
  let left = leases;
  const trace: [number, number][] = [];
  while (left > 0 && performance.now() - killedAt < deadlineMs) {
    await sleep(POLL_MS);
    left = await countLeases(redis);
    trace.push([Math.round(performance.now() - killedAt), left]);
  }
  return {
    leases,
    freedMs: left === 0 ? performance.now() - killedAt : null,
    leftAtDeadline: left,
    deadlineMs,
    leaseMs: DEFAULT_LEASE_MS,
    trace,
  };
}

export async function runClusterScale(
  options: ClusterScaleOptions,
): Promise<ClusterScaleResult | ClusterScaleSkipped> {
  const n = options.sessions;
  const skipped = clusterScaleSkipReason(n);
  if (skipped !== null) return { sessions: n, skipped };
  const nodeCount = Math.max(2, Math.ceil(n / perNodeLimit()));
  const sessionsPerNode = Math.ceil(n / nodeCount);
  const { intervalS, timeoutS } = scaleTimers(n);
  const placements = place(n, nodeCount);
  const layout: Layout = {
    n,
    fleets: placements,
    intervalMs: intervalS * 1000,
    fleetOpenFiles: Math.max(...placements.map((p) => p.count)) + NODE_FD_HEADROOM,
    windowMs: options.windowMs,
  };
  const cluster = await launchCluster(nodeCount, {
    repoRoot: options.repoRoot,
    usersFile: options.usersFile,
    pingIntervalS: intervalS,
    pingTimeoutS: timeoutS,
    maxConnections: sessionsPerNode + 100,
    openFiles: sessionsPerNode + NODE_FD_HEADROOM,
  });
  const redis = new Redis(cluster.redis.url, { maxRetriesPerRequest: 2 });
  try {
    const { held, fleets } = await holdIdleSessions(cluster.nodes, layout, options.credentialsFile);
    let leasesHeld: number;
    let reap: Reaping;
    let release: LeaseRelease;
    try {
      leasesHeld = await countLeases(redis);
      reap = await reapSilenced(cluster.nodes, fleets, timeoutS * 1000);
      release = await killAndTimeRelease(redis, fleets);
    } catch (error) {
      await closeFleets(fleets).catch(() => {});
      throw error;
    }
    return {
      sessions: n,
      nodes: nodeCount,
      sessionsPerNode,
      fleets: placements.length,
      pingIntervalMs: layout.intervalMs,
      pingTimeoutMs: timeoutS * 1000,
      sourceAddresses: sourceAddresses(n),
      nodeOpenFilesLimit: Math.min(...cluster.nodes.map((node) => node.openFiles)),
      held,
      leasesHeld,
      reap,
      release,
    };
  } finally {
    redis.disconnect();
    await cluster.stop();
  }
}
