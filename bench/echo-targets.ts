/**
 * The echo targets of issue #17 at every C: Parrot against the raw node:net echo server (throughput, server
 * CPU per round trip, p99) and against mosquitto (throughput and CPU, native generator only: with MQTT.js
 * the generator was the limit), and the cross-check that both generators see the same server CPU.
 */
import type { Verdict } from "./bench-results.ts";
import type { EchoPoint, EchoResult } from "./echo-bench.ts";
import type { EchoTargetName } from "./echo-session.ts";
import { GENERATOR_AGREEMENT, judge, rate, skip, times } from "./verdict.ts";

function echoPoint(echo: EchoResult, target: EchoTargetName, c: number, generator: "c" | "ts") {
  return echo.points.find(
    (p) => p.target === target && p.sessions === c && p.generator === generator,
  );
}

function echoVerdictsAt(echo: EchoResult, c: number): Verdict[] {
  const native = echoPoint(echo, "parrot", c, "c") !== undefined;
  const gen = native ? "c" : "ts";
  const parrot = echoPoint(echo, "parrot", c, gen);
  const raw = echoPoint(echo, "raw", c, gen);
  const mosquitto = echoPoint(echo, "mosquitto", c, "c");
  const name = (what: string) => `Echo C=${c}: ${what}`;
  const verdicts: Verdict[] = [];
  const cpu = (p: EchoPoint) => p.serverCpuUsPerRoundTrip;
  const missing = (p: EchoPoint | undefined, target: string) =>
    p === undefined ? `no ${target} run at C=${c}` : `no server CPU figure for ${target}`;

  if (parrot === undefined || raw === undefined) {
    const why = missing(parrot ?? raw, parrot === undefined ? "parrot" : "raw");
    for (const t of [
      "Parrot ≥ 0.9 × raw node:net",
      "server CPU/rt ≤ 1.15 × raw",
      "p99 ≤ 1.5 × raw",
    ])
      verdicts.push(skip(name(t), why));
  } else {
    const loads = [parrot.machineLoad, raw.machineLoad];
    const r = parrot.roundTripsPerSec / raw.roundTripsPerSec;
    verdicts.push(
      judge(
        name("Parrot ≥ 0.9 × raw node:net"),
        `${r.toFixed(2)} × (${rate(parrot.roundTripsPerSec)} vs ${rate(raw.roundTripsPerSec)}, ${gen} generator)`,
        r / 0.9,
        loads,
      ),
    );
    const pc = cpu(parrot);
    const rc = cpu(raw);
    verdicts.push(
      pc === null || rc === null
        ? skip(name("server CPU/rt ≤ 1.15 × raw"), "no server CPU figure")
        : judge(
            name("server CPU/rt ≤ 1.15 × raw"),
            `${times(pc, rc)} (${pc.toFixed(1)} vs ${rc.toFixed(1)} µs)`,
            1.15 / (pc / rc),
            loads,
          ),
    );
    const lp = parrot.latency.p99Ms / raw.latency.p99Ms;
    verdicts.push(
      judge(
        name("p99 ≤ 1.5 × raw"),
        `${lp.toFixed(2)} × (${parrot.latency.p99Ms.toFixed(2)} vs ${raw.latency.p99Ms.toFixed(2)} ms)`,
        1.5 / lp,
        loads,
      ),
    );
  }

  const mqttNames = ["Parrot ≥ 1.0 × mosquitto QoS 0", "server CPU/rt ≤ mosquitto's"];
  const parrotNative = echoPoint(echo, "parrot", c, "c");
  if (parrotNative === undefined || mosquitto === undefined) {
    const why = !native
      ? `native generator unavailable: ${echo.nativeGenerator}`
      : (echo.skipped["mosquitto/c"] ?? echo.failed["mosquitto/c"] ?? `no mosquitto run at C=${c}`);
    for (const t of mqttNames) verdicts.push(skip(name(t), why));
  } else {
    const loads = [parrotNative.machineLoad, mosquitto.machineLoad];
    const r = parrotNative.roundTripsPerSec / mosquitto.roundTripsPerSec;
    verdicts.push(
      judge(
        name(mqttNames[0]!),
        `${r.toFixed(2)} × (${rate(parrotNative.roundTripsPerSec)} vs ${rate(mosquitto.roundTripsPerSec)})`,
        r,
        loads,
      ),
    );
    const pc = cpu(parrotNative);
    const mc = cpu(mosquitto);
    verdicts.push(
      pc === null || mc === null
        ? skip(name(mqttNames[1]!), "no server CPU figure")
        : judge(
            name(mqttNames[1]!),
            `${times(pc, mc)} (${pc.toFixed(1)} vs ${mc.toFixed(1)} µs)`,
            mc / pc,
            loads,
          ),
    );
  }

  // The cross-check: the server's CPU per round trip must not depend on which generator drove it.
  for (const target of ["parrot", "raw"] as const) {
    const t = name(`generators agree on ${target} server CPU/rt (±25 %)`);
    const c1 = echoPoint(echo, target, c, "c");
    const t1 = echoPoint(echo, target, c, "ts");
    if (c1 === undefined || t1 === undefined || cpu(c1) === null || cpu(t1) === null) {
      verdicts.push(skip(t, "needs both generators' runs"));
      continue;
    }
    const ratio = cpu(c1)! / cpu(t1)!;
    const off = Math.max(ratio, 1 / ratio);
    verdicts.push(
      judge(
        t,
        `c ${cpu(c1)!.toFixed(1)} vs ts ${cpu(t1)!.toFixed(1)} µs (${ratio.toFixed(2)} ×); ` +
          `throughput c ${rate(c1.roundTripsPerSec)}, ts ${rate(t1.roundTripsPerSec)}`,
        GENERATOR_AGREEMENT / off,
        [c1.machineLoad, t1.machineLoad],
      ),
    );
  }
  return verdicts;
}

export function echoVerdicts(echo: EchoResult | null): Verdict[] {
  if (echo === null) return [skip("Echo", "echo bench not run")];
  return echo.concurrency.flatMap((c) => echoVerdictsAt(echo, c));
}
