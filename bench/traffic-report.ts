/**
 * The tables of the traffic parts beyond echo: room fan-out and direct messages, the login burst, and the
 * machine's load over each part.
 */
import type { BenchResults } from "./bench-results.ts";
import type { FanoutBenchResult } from "./fanout-bench.ts";
import type { LoginBurstResult } from "./login-burst.ts";
import { compact, LOAD_NOTE, loadCell, ms, table } from "./text-table.ts";

export function formatFanoutTable(fanout: FanoutBenchResult, cores: number): string {
  const rows = fanout.points.map((p) => [
    p.target,
    p.generator,
    p.mode === "room" ? `room M=${p.members}, S=${p.senders}` : `DM, ${p.members} users`,
    compact(p.deliveriesPerSec),
    ms(p.latency.p50Ms),
    ms(p.latency.p99Ms),
    ms(p.latency.maxMs),
    p.serverCpuUsPerDelivery === null ? "-" : p.serverCpuUsPerDelivery.toFixed(2),
    p.serverCpuUtilisation === null ? "-" : `${Math.round(p.serverCpuUtilisation * 100)}%`,
    p.generatorCpuUsPerDelivery.toFixed(2),
    `${Math.round(p.generatorCpuUtilisation * 100)}%`,
    `${p.lost}/${p.unexpected}/${p.orderMismatches}`,
    String(p.errors),
    loadCell(p.machineLoad),
  ]);
  return [
    `Fan-out (closed loop per sender: a room message goes to all M members, the sender's next one once every ` +
      `member has it; DM: every user sends to a random online user, the next once it arrived; 64-byte text; ` +
      `${fanout.rounds} interleaved rounds of ${fanout.warmupMs} ms warm-up + ` +
      `${Math.round(fanout.durationMs / fanout.rounds)} ms measured, medians; latency = send → each ` +
      `member's receipt; ${cores} shared cores)`,
    table(
      [
        "target",
        "gen",
        "run",
        "deliveries/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "srv µs/dlv",
        "srv cpu",
        "gen µs/dlv",
        "gen cpu",
        "lost/dup/order",
        "errors",
        "others",
      ],
      rows,
      [false, false, false, true, true, true, true, true, true, true, true, true, true, true],
    ),
    "gen: c = native generator, ts = TypeScript generator (cross-check on Parrot)",
    "lost/dup/order = deliveries missing after the drain / receipts of a message not in flight to that member " +
      "(duplicate or out of order) / members whose room sequence differs from the first member's",
    LOAD_NOTE,
    ...Object.entries(fanout.skipped).map(([t, why]) => `${t}: ${why}`),
    ...Object.entries(fanout.failed).map(([t, why]) => `${t}: FAILED ${why}`),
  ].join("\n");
}

export function formatMachineLoad(results: BenchResults): string {
  const rows = Object.entries(results.machineLoad).map(([part, load]) => [
    part,
    `${load.wallS.toFixed(0)} s`,
    load.busyCores.toFixed(2),
    load.benchCores.toFixed(2),
    load.otherCores.toFixed(2),
    loadCell(load),
  ]);
  return [
    `Machine load per part (/proc/stat; cores = CPU time / wall time; ${results.machine.cores} cores in all)`,
    table(["part", "wall", "busy cores", "bench cores", "other cores", "others"], rows, [
      false,
      true,
      true,
      true,
      true,
      true,
    ]),
  ].join("\n");
}

export function formatLoginBurst(login: LoginBurstResult | { failed: string }): string {
  if ("failed" in login) return `Login burst: FAILED ${login.failed}`;
  const rows = login.bursts.map((b) => [
    String(b.scryptN),
    String(b.clients),
    `${b.loggedIn}`,
    `${Math.round(b.loginsPerSec)}/s`,
    `${Math.round(b.medianWaitMs)} ms`,
    `${Math.round(b.longestWaitMs)} ms`,
    String(b.pingsWhileWaiting),
    String(b.handshakeTimeouts),
    String(b.pingTimeouts),
    `${b.otherFailures}${b.firstFailure ? ` (${b.firstFailure})` : ""}`,
  ]);
  const first = login.bursts[0];
  return [
    "Login burst (N clients connect at once, each pings every 0.8 × the advertised interval from its " +
      `VERSION_RESPONSE on; fresh server per cost, ping interval ${first?.pingIntervalMs ?? "-"} ms, timeout ` +
      `${first?.pingTimeoutMs ?? "-"} ms)`,
    table(
      [
        "scrypt N",
        "clients",
        "logged in",
        "logins/s",
        "median wait",
        "longest wait",
        "pings sent",
        "HANDSHAKE_TIMEOUT",
        "PING_TIMEOUT",
        "other failures",
      ],
      rows,
      [true, true, true, true, true, true, true, true, true, false],
    ),
  ].join("\n");
}
