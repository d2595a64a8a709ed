/**
 * The transport rows of a bench run (bench/transport-echo.ts) as a table and as verdicts: echo over
 * WebSocket and over QUIC as ratios against TCP measured in the same invocation, through the same
 * generator code. The floors are what bench/README.md gives for each binding: WebSocket adds a
 * frame header (and the client's masking) per message, so it should keep most of TCP's rate;
 * QUIC runs in JavaScript over a native quiche, a packet and several promise turns per write.
 */
import type { Verdict } from "./bench-results.ts";
import { table } from "./text-table.ts";
import type { BenchTransport, TransportEchoPoint, TransportEchoResult } from "./transport-echo.ts";
import { judge, rate, skip } from "./verdict.ts";

/** Round trips/s of a binding / TCP's, at least. */
const FLOORS: Record<Exclude<BenchTransport, "tcp">, number> = { ws: 0.6, quic: 0.15 };

function point(result: TransportEchoResult, transport: BenchTransport, sessions: number) {
  return result.points.find((p) => p.transport === transport && p.sessions === sessions);
}

export function formatTransportEcho(result: TransportEchoResult | { failed: string }): string {
  if ("points" in result === false)
    return `Transports: FAILED ${(result as { failed: string }).failed}`;
  const echo = result as TransportEchoResult;
  const rows = echo.points.map((p) => {
    const tcp = point(echo, "tcp", p.sessions);
    const cpu = p.serverCpuUsPerRoundTrip;
    return [
      p.transport,
      String(p.sessions),
      rate(p.roundTripsPerSec),
      tcp ? `${(p.roundTripsPerSec / tcp.roundTripsPerSec).toFixed(2)} ×` : "-",
      p.p99Ms.toFixed(2),
      tcp ? `${(p.p99Ms / tcp.p99Ms).toFixed(2)} ×` : "-",
      cpu === null ? "-" : cpu.toFixed(1),
      cpu !== null && tcp?.serverCpuUsPerRoundTrip
        ? `${(cpu / tcp.serverCpuUsPerRoundTrip).toFixed(2)} ×`
        : "-",
    ];
  });
  return [
    `Echo over each transport (Parrot server, TypeScript generator through transport/all-dialers.ts; ` +
      `${echo.rounds} interleaved round(s), ${Math.round(echo.durationMs / echo.rounds)} ms measured each)`,
    table(
      ["transport", "C", "round trips", "vs tcp", "p99 ms", "vs tcp", "server µs/rt", "vs tcp"],
      rows,
      [false, true, true, true, true, true, true, true],
    ),
    ...Object.entries(echo.failed).map(([t, why]) => `${t}: FAILED ${why}`),
  ].join("\n");
}

export function transportVerdicts(
  result: TransportEchoResult | { failed: string } | null,
): Verdict[] {
  if (result === null) return [];
  const verdicts: Verdict[] = [];
  const concurrency = "points" in result ? result.concurrency : [];
  for (const transport of ["ws", "quic"] as const) {
    const floor = FLOORS[transport];
    for (const sessions of concurrency) {
      const name = `Echo over ${transport} C=${sessions}: ≥ ${floor} × TCP`;
      const echo = result as TransportEchoResult;
      const binding = point(echo, transport, sessions);
      const tcp = point(echo, "tcp", sessions);
      if (binding === undefined || tcp === undefined) {
        verdicts.push(skip(name, echo.failed[binding ? "tcp" : transport] ?? "not measured"));
        continue;
      }
      verdicts.push(ratioVerdict(name, binding, tcp, floor));
    }
  }
  return verdicts;
}

function ratioVerdict(
  name: string,
  binding: TransportEchoPoint,
  tcp: TransportEchoPoint,
  floor: number,
): Verdict {
  const ratio = binding.roundTripsPerSec / tcp.roundTripsPerSec;
  const loads = [...binding.rounds, ...tcp.rounds].map((r) => r.machineLoad);
  return judge(
    name,
    `${ratio.toFixed(2)} × (${rate(binding.roundTripsPerSec)} vs ${rate(tcp.roundTripsPerSec)})`,
    ratio / floor,
    loads,
  );
}
