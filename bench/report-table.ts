/**
 * The human view of a bench run: plain-text tables for a terminal or a CI log. Figures are rounded for
 * reading; bench/results/latest.json keeps them unrounded.
 */
import type { BenchResults, MachineInfo, Verdict } from "./bench-results.ts";
import type { CodecResult } from "./codec-bench.ts";
import type { EchoResult } from "./echo-bench.ts";
import type { ScaleResult, ScaleSkipped } from "./session-scale.ts";

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** 1234567 → "1.23 M", 98765 → "98.8 k". */
export function compact(value: number): string {
  if (!Number.isFinite(value)) return "-";
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M`;
  if (value >= 1e3) return `${(value / 1e3).toFixed(1)} k`;
  return value.toFixed(0);
}

const ratio = (value: number) => `${value.toFixed(1)}×`;
const ms = (value: number) => (value < 10 ? value.toFixed(3) : value.toFixed(1));

export function formatMachine(machine: MachineInfo): string {
  return (
    `machine: ${machine.cpuModel}, ${machine.cores} cores shared by load generator and server, ` +
    `${(machine.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB RAM, ${machine.platform} ${machine.kernel}, ` +
    `node ${machine.node}, open-files hard limit ${machine.openFilesHardLimit}, ` +
    `mosquitto ${machine.mosquitto ?? "not installed"}`
  );
}

export function formatCodecTable(codec: CodecResult): string {
  const rows = codec.rows.map((r) => [
    r.name,
    String(r.frameBytes),
    compact(r.encodeParrot),
    compact(r.encodeJson),
    ratio(r.encodeParrot / r.encodeJson),
    compact(r.decodeParrot),
    compact(r.decodeJson),
    compact(r.decodeKaitai),
    ratio(r.decodeParrot / r.decodeJson),
    ratio(r.decodeParrot / r.decodeKaitai),
  ]);
  rows.push([
    "geometric mean",
    "",
    "",
    "",
    ratio(codec.geomean.encodeVsJson),
    "",
    "",
    "",
    ratio(codec.geomean.decodeVsJson),
    ratio(codec.geomean.decodeVsKaitai),
  ]);
  return [
    "Codec throughput (operations/s; ratio = generated codec / baseline)",
    table(
      [
        "message",
        "bytes",
        "enc parrot",
        "enc json",
        "enc ×json",
        "dec parrot",
        "dec json",
        "dec kaitai",
        "dec ×json",
        "dec ×kaitai",
      ],
      rows,
      [false, true, true, true, true, true, true, true, true, true],
    ),
  ].join("\n");
}

export function formatEchoTable(echo: EchoResult, cores: number): string {
  const rows = echo.points.map((p) => [
    p.target,
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
  ]);
  const notes = [
    ...Object.entries(echo.skipped).map(([t, why]) => `${t}: ${why}`),
    ...Object.entries(echo.failed).map(([t, why]) => `${t}: FAILED ${why}`),
  ];
  return [
    `Echo round trips (closed loop, 64-byte message, ${echo.warmupMs} ms warm-up + ${echo.durationMs} ms ` +
      `measured; server and generator are separate processes sharing ${cores} cores; CPU % of one core)`,
    table(
      [
        "target",
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
      ],
      rows,
      [false, true, true, true, true, true, true, true, true, true, true],
    ),
    ...notes,
  ].join("\n");
}

export function formatScale(
  scale: ScaleResult | ScaleSkipped | { sessions: number; failed: string },
): string {
  if ("skipped" in scale) return `Session scale (N=${scale.sessions}): skipped: ${scale.skipped}`;
  if ("failed" in scale) return `Session scale (N=${scale.sessions}): FAILED ${scale.failed}`;
  const m = scale.memory;
  const late = scale.reap.latenessMs;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return [
    `Session scale: N=${scale.sessions} idle logged-in sessions, ping interval ${scale.pingIntervalMs} ms, ` +
      `timeout ${scale.pingTimeoutMs} ms, ${scale.fleets} client process(es), ` +
      `source addresses ${scale.sourceAddresses.join(", ")}, server open-files limit ${scale.serverOpenFilesLimit}`,
    table(
      ["measure", "value"],
      [
        [
          "time to log N in",
          `${(scale.loginMs / 1000).toFixed(1)} s (${Math.round(scale.loginsPerSec)} logins/s)`,
        ],
        [
          "server RSS per session",
          `${kib(m.rssPerSessionBytes)} (${mib(m.rssAtTenthBytes)} at N/10 → ${mib(m.rssAtFullBytes)} at N)`,
        ],
        [
          "server heap per session",
          `${kib(m.heapPerSessionBytes)} (${mib(m.heapAtTenthBytes)} → ${mib(m.heapAtFullBytes)})`,
        ],
        [
          "server CPU per ping",
          `${scale.cpu.cpuPerPingUs.toFixed(1)} µs (${Math.round(scale.cpu.pingsPerSec)} pings/s, server ${Math.round(scale.cpu.serverUtilisation * 100)}% of a core)`,
        ],
        [
          "silenced sessions reaped",
          `${scale.reap.reaped}/${scale.reap.silenced} (${scale.reap.wrongEnding} without ERROR PING_TIMEOUT)`,
        ],
        [
          "reaped after timeout",
          late === null
            ? "-"
            : `p50 ${Math.round(late.p50)} ms, p99 ${Math.round(late.p99)} ms, max ${Math.round(late.max)} ms, min ${Math.round(late.min)} ms (allowed 0..${scale.reap.toleranceMs})`,
        ],
        ["live sessions lost", String(scale.reap.liveSessionsLost)],
        ["mismatched PONG tokens", String(scale.reap.mismatchedPongs)],
      ],
      [false, false],
    ),
  ].join("\n");
}

export function formatVerdicts(verdicts: Verdict[]): string {
  return [
    "Targets (issue #6; margin = measured / required, ≥ 1 passes)",
    table(
      ["status", "target", "margin", "measured"],
      verdicts.map((v) => [
        v.status,
        v.target,
        v.margin === null ? "-" : v.margin.toFixed(2),
        v.measured,
      ]),
      [false, false, true, false],
    ),
  ].join("\n");
}

export function formatReport(results: BenchResults): string {
  const parts = [formatMachine(results.machine)];
  if (results.codec) {
    parts.push(
      "failed" in results.codec
        ? `Codec: FAILED ${results.codec.failed}`
        : formatCodecTable(results.codec),
    );
  }
  if (results.echo) parts.push(formatEchoTable(results.echo, results.machine.cores));
  if (results.scale) parts.push(formatScale(results.scale));
  parts.push(formatVerdicts(results.verdicts));
  return parts.join("\n\n");
}
