/**
 * The human view of a bench run: the machine line, the echo and session-scale tables and the verdicts
 * (the other parts' tables are in traffic-report.ts and beside their parts; bench/run.ts puts the
 * report together in the order of bench/bench-parts.ts).
 */

import type { MachineInfo, Verdict } from "./bench-results.ts";
import type { EchoResult } from "./echo-bench.ts";
import { OTHER_LOAD_FLAG_SHARE } from "./machine-load.ts";
import type { ScaleResult, ScaleSkipped } from "./session-scale.ts";
import { compact, LOAD_NOTE, loadCell, ms, table } from "./text-table.ts";

export function formatMachine(machine: MachineInfo): string {
  return (
    `machine: ${machine.cpuModel}, ${machine.cores} cores shared by load generator and server, ` +
    `${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM, ${machine.platform} ${machine.kernel}, ` +
    `node ${machine.node}, open-files hard limit ${machine.openFilesHardLimit}, ` +
    `mosquitto ${machine.mosquitto ?? "not installed"}`
  );
}

export function formatEchoTable(echo: EchoResult, cores: number): string {
  const rows = echo.points.map((p) => [
    p.target,
    p.generator,
    String(p.sessions),
    compact(p.roundTripsPerSec),
    ms(p.latency.p50Ms),
    ms(p.latency.p99Ms),
    ms(p.latency.maxMs),
    p.serverCpuUsPerRoundTrip === null ? "-" : p.serverCpuUsPerRoundTrip.toFixed(1),
    p.serverCpuUtilisation === null ? "-" : `${Math.round(p.serverCpuUtilisation * 100)}%`,
    p.generatorCpuUsPerRoundTrip.toFixed(1),
    `${Math.round(p.generatorCpuUtilisation * 100)}%`,
    String(p.errors),
    loadCell(p.machineLoad),
  ]);
  const notes = [
    `gen: c = native generator (${echo.nativeGenerator}), ts = TypeScript generator (cross-check)`,
    LOAD_NOTE,
    ...Object.entries(echo.skipped).map(([t, why]) => `${t}: ${why}`),
    ...Object.entries(echo.failed).map(([t, why]) => `${t}: FAILED ${why}`),
  ];
  return [
    `Echo round trips (closed loop, 64-byte message; per target and C ${echo.rounds} interleaved rounds of ` +
      `${echo.warmupMs} ms warm-up + ${Math.round(echo.durationMs / echo.rounds)} ms measured, medians ` +
      `shown; server and generator are separate processes sharing ${cores} cores; CPU % of one core)`,
    table(
      [
        "target",
        "gen",
        "C",
        "round trips/s",
        "p50 ms",
        "p99 ms",
        "max ms",
        "srv µs/rt",
        "srv cpu",
        "gen µs/rt",
        "gen cpu",
        "errors",
        "others",
      ],
      rows,
      [false, false, true, true, true, true, true, true, true, true, true, true, true],
    ),
    ...notes,
  ].join("\n");
}

export function formatScale(
  scale: ScaleResult | ScaleSkipped | { sessions: number; failed: string },
): string {
  if ("skipped" in scale) return `Session scale (N=${scale.sessions}): skipped: ${scale.skipped}`;
  if ("failed" in scale) return `Session scale (N=${scale.sessions}): FAILED ${scale.failed}`;
  const p = scale.parrot;
  const raw = "failed" in scale.raw ? null : scale.raw;
  const late = scale.reap.latenessMs;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  const times = (a: number, b: number | undefined) =>
    b === undefined ? "-" : `${(a / b).toFixed(2)}×`;
  const rows: string[][] = [
    [
      "time to open N (Parrot: and log in)",
      `${(p.openMs / 1000).toFixed(1)} s (${Math.round(p.opensPerSec)}/s)`,
      raw ? `${(raw.openMs / 1000).toFixed(1)} s (${Math.round(raw.opensPerSec)}/s)` : "-",
      "",
    ],
    [
      "sessions that failed to open",
      `${p.openFailures}${p.firstOpenError ? ` (first: ${p.firstOpenError})` : ""}`,
      raw
        ? `${raw.openFailures}${raw.firstOpenError ? ` (first: ${raw.firstOpenError})` : ""}`
        : "-",
      "",
    ],
    [
      "server RSS per session",
      kib(p.memory.rssPerSessionBytes),
      raw ? kib(raw.memory.rssPerSessionBytes) : "-",
      times(p.memory.rssPerSessionBytes, raw?.memory.rssPerSessionBytes),
    ],
    [
      "  server RSS at N/10 → N",
      `${mib(p.memory.rssAtTenthBytes)} → ${mib(p.memory.rssAtFullBytes)}`,
      raw ? `${mib(raw.memory.rssAtTenthBytes)} → ${mib(raw.memory.rssAtFullBytes)}` : "-",
      "",
    ],
    [
      "server heap per session",
      kib(p.memory.heapPerSessionBytes),
      raw ? kib(raw.memory.heapPerSessionBytes) : "-",
      times(p.memory.heapPerSessionBytes, raw?.memory.heapPerSessionBytes),
    ],
    [
      "server external (Buffers) per session",
      kib(p.memory.externalPerSessionBytes),
      raw ? kib(raw.memory.externalPerSessionBytes) : "-",
      "",
    ],
    [
      "server CPU per ping",
      `${p.cpu.cpuPerPingUs.toFixed(1)} µs`,
      raw ? `${raw.cpu.cpuPerPingUs.toFixed(1)} µs` : "-",
      times(p.cpu.cpuPerPingUs, raw?.cpu.cpuPerPingUs),
    ],
    [
      "  pings/s, server CPU",
      `${Math.round(p.cpu.pingsPerSec)}/s, ${Math.round(p.cpu.serverUtilisation * 100)}% of a core`,
      raw
        ? `${Math.round(raw.cpu.pingsPerSec)}/s, ${Math.round(raw.cpu.serverUtilisation * 100)}% of a core`
        : "-",
      "",
    ],
    [
      "silenced sessions reaped",
      `${scale.reap.reaped}/${scale.reap.silenced} (${scale.reap.wrongEnding} without PING_TIMEOUT)`,
      "",
      "",
    ],
    [
      "reaped after timeout",
      late === null
        ? "-"
        : `p50 ${Math.round(late.p50)} ms, p99 ${Math.round(late.p99)} ms, max ${Math.round(late.max)} ms, ` +
          `min ${Math.round(late.min)} ms (allowed 0..${scale.reap.toleranceMs})`,
      "",
      "",
    ],
    [
      "server event-loop stall (max)",
      `opening ${Math.round(p.serverStallMs.opening)} ms, window ${Math.round(p.serverStallMs.window)} ms, ` +
        `reaping ${Math.round(scale.reap.serverStallMs)} ms`,
      raw
        ? `opening ${Math.round(raw.serverStallMs.opening)} ms, window ${Math.round(raw.serverStallMs.window)} ms`
        : "-",
      "",
    ],
    [
      "clients that pinged late (steady state)",
      `${scale.reap.lateClients} (longest gap between sends ${Math.round(scale.reap.maxSendGapMs)} ms)`,
      "",
      "",
    ],
    ["live sessions lost", String(scale.reap.liveSessionsLost), "", ""],
    ...scale.reap.lostSamples
      .slice(0, 3)
      .map((lost, i) => [
        i === 0 ? "  first of them" : "",
        `${lost.errorCode ?? "closed without ERROR"} ${Math.round(lost.msAfterLogin)} ms after login, ` +
          `${Math.round(lost.msAfterLastSend)} ms after its last send, ${lost.pingsSent} PINGs sent, ` +
          `gap between its last two sends ${Math.round(lost.lastSendGapMs)} ms`,
        "",
        "",
      ]),
    ["mismatched PONG tokens", String(scale.reap.mismatchedPongs), "", ""],
  ];
  return [
    `Session scale: N=${scale.sessions} idle logged-in sessions, ping interval ${scale.pingIntervalMs} ms, ` +
      `timeout ${scale.pingTimeoutMs} ms, ${scale.fleets} client process(es), ` +
      `source addresses ${scale.sourceAddresses.join(", ")}, server open-files limit ${scale.serverOpenFilesLimit}`,
    table(["measure", "Parrot server", "raw node:net echo", "Parrot/raw"], rows, [
      false,
      false,
      false,
      true,
    ]),
    ...("failed" in scale.raw ? [`raw baseline: FAILED ${scale.raw.failed}`] : []),
  ].join("\n");
}

export function formatVerdicts(verdicts: Verdict[]): string {
  const flagged = verdicts.filter((v) => v.flagged).length;
  return [
    "Targets (issue #17; margin = measured / required, ≥ 1 passes; load ⚑ = judged on figures taken while " +
      `other processes used > ${OTHER_LOAD_FLAG_SHARE * 100} % of the cores)`,
    table(
      ["status", "load", "target", "margin", "measured"],
      verdicts.map((v) => [
        v.status,
        v.flagged ? "⚑" : "ok",
        v.target,
        v.margin === null ? "-" : v.margin.toFixed(2),
        v.measured,
      ]),
      [false, false, false, true, false],
    ),
    ...(flagged > 0
      ? [
          `WARNING: ${flagged} of ${verdicts.length} verdicts rest on flagged figures: the machine was busy with ` +
            "other work; re-run on a quiet machine before trusting them",
        ]
      : []),
  ].join("\n");
}
