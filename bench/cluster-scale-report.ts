/**
 * The cluster-scale part's table and targets (bench/cluster-scale.ts): every session of N logged in and
 * held over the nodes, silenced ones reaped on time, and every login freed within the lease once the
 * clients are killed.
 */
import type { Verdict } from "./bench-results.ts";
import type { ClusterScaleOutcome, ClusterScaleResult } from "./cluster-scale.ts";
import type { MachineLoad } from "./machine-load.ts";
import { table } from "./text-table.ts";
import { judge, skip } from "./verdict.ts";

const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/** Sessions that should have been pinging to the end and were not. */
function lostSessions(s: ClusterScaleResult): number {
  return s.reap.liveSessionsLost + s.held.cpu.endedBeforeWindowEnd;
}

export function formatClusterScale(outcome: ClusterScaleOutcome): string {
  const title = `Cluster scale (N=${outcome.sessions})`;
  if ("skipped" in outcome) return `${title}: skipped: ${outcome.skipped}`;
  if ("failed" in outcome) return `${title}: FAILED ${outcome.failed}`;
  const s = outcome;
  const h = s.held;
  const late = s.reap.latenessMs;
  const freed = s.release.freedMs;
  const rows: string[][] = [
    [
      "sessions logged in",
      `${s.sessions - h.openFailures} of ${s.sessions}` +
        (h.firstOpenError ? ` (first failure: ${h.firstOpenError})` : ""),
    ],
    [
      "time to log N in",
      `${(h.openMs / 1000).toFixed(1)} s (${Math.round(h.opensPerSec)} logins/s over ${s.nodes} nodes)`,
    ],
    ["login leases in Redis", String(s.leasesHeld)],
    ["RSS per session (all nodes)", kib(h.memory.rssPerSessionBytes)],
    [
      "  RSS of all nodes at N/10 → N",
      `${mib(h.memory.rssAtTenthBytes)} → ${mib(h.memory.rssAtFullBytes)}`,
    ],
    ["heap per session (all nodes)", kib(h.memory.heapPerSessionBytes)],
    [
      "CPU per ping (all nodes)",
      `${h.cpu.cpuPerPingUs.toFixed(1)} µs at ${Math.round(h.cpu.pingsPerSec)} pings/s, ` +
        `${Math.round(h.cpu.serverUtilisation * 100)}% of a core`,
    ],
    [
      "silenced sessions reaped",
      `${s.reap.reaped}/${s.reap.silenced} (${s.reap.wrongEnding} without PING_TIMEOUT)` +
        (late === null
          ? ""
          : `, p50 ${Math.round(late.p50)} ms, max ${Math.round(late.max)} ms after the timeout ` +
            `(allowed 0..${s.reap.toleranceMs})`),
    ],
    [
      "live sessions lost",
      `${lostSessions(s)} (${h.cpu.endedBeforeWindowEnd} in the window, ` +
        `${s.reap.liveSessionsLost} while others were reaped)`,
    ],
    [
      "clients that pinged late",
      `${s.reap.lateClients} (longest gap between sends ${Math.round(s.reap.maxSendGapMs)} ms)`,
    ],
    [
      "logins freed after the clients were killed",
      freed === null
        ? `NOT within ${s.release.deadlineMs} ms: ${s.release.leftAtDeadline} of ${s.release.leases} left`
        : `${s.release.leases} leases in ${Math.round(freed)} ms (lease ${s.release.leaseMs} ms)`,
    ],
    [
      "node event-loop stall (max)",
      `opening ${Math.round(h.serverStallMs.opening)} ms, window ${Math.round(h.serverStallMs.window)} ms, ` +
        `reaping ${Math.round(s.reap.serverStallMs)} ms`,
    ],
  ];
  return [
    `Cluster scale: N=${s.sessions} logged-in pinging sessions over ${s.nodes} nodes on one Redis ` +
      `(up to ${s.sessionsPerNode} per node, node open-files limit ${s.nodeOpenFilesLimit}), ` +
      `${s.fleets} client processes, ping interval ${s.pingIntervalMs} ms, timeout ${s.pingTimeoutMs} ms, ` +
      `source addresses ${s.sourceAddresses.join(", ")}`,
    table(["measure", "cluster"], rows, [false, false]),
  ].join("\n");
}

export function clusterScaleVerdicts(
  outcome: ClusterScaleOutcome | null | undefined,
  load: MachineLoad | undefined,
): Verdict[] {
  const names = [
    "Cluster scale: every session logged in and held (0 lost)",
    "Cluster scale: silenced sessions reaped within timeout + 1 s",
    "Cluster scale: every login freed within the lease once its client dies",
  ];
  if (outcome === null || outcome === undefined) {
    return names.map((n) => skip(n, "cluster-scale bench not run"));
  }
  if (!("reap" in outcome)) {
    const why = "skipped" in outcome ? outcome.skipped : outcome.failed;
    return names.map((n) => skip(n, why));
  }
  const s = outcome;
  const at = `at N=${s.sessions} over ${s.nodes} nodes`;
  const lost = lostSessions(s);
  const refused = s.held.openFailures;
  const held = lost === 0 && refused === 0 && s.leasesHeld === s.sessions;
  const late = s.reap.latenessMs;
  const reapOk =
    late !== null && s.reap.notReaped === 0 && s.reap.wrongEnding === 0 && late.min >= 0;
  const freed = s.release.freedMs;
  return [
    judge(
      names[0]!,
      `${refused} never logged in, ${lost} lost, ${s.leasesHeld} leases for ${s.sessions} sessions ${at}`,
      held ? 1 : 0,
      [load],
    ),
    judge(
      names[1]!,
      late === null
        ? `none of ${s.reap.silenced} silenced sessions was reaped`
        : `max ${Math.round(late.max)} ms after the timeout (${s.reap.reaped}/${s.reap.silenced} reaped) ${at}`,
      reapOk ? s.reap.toleranceMs / Math.max(1, late.max) : 0,
      [load],
    ),
    judge(
      names[2]!,
      freed === null
        ? `${s.release.leftAtDeadline} of ${s.release.leases} still held after ${s.release.deadlineMs} ms`
        : `${s.release.leases} freed in ${Math.round(freed)} ms (lease ${s.release.leaseMs} ms) ${at}`,
      freed === null ? 0 : s.release.leaseMs / Math.max(1, freed),
      [load],
    ),
  ];
}
