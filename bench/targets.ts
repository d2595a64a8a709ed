/**
 * The performance targets of issue #17, judged on ratios measured in the same run on the same machine
 * (absolute numbers on a shared machine drift; ratios much less). A target whose inputs were not measured
 * is SKIP with the reason, never a silent PASS. Every verdict carries the machine-load flag of the runs it
 * was judged on: a PASS or MISS taken while other processes used more than 10 % of the cores says so.
 */

import type { BenchResults, Verdict } from "./bench-results.ts";
import { clusterScaleVerdicts } from "./cluster-scale-report.ts";
import type { CodecResult } from "./codec-bench.ts";
import { echoVerdicts } from "./echo-targets.ts";
import type { FanoutBenchResult, FanoutPoint } from "./fanout-bench.ts";
import type { LoginBurstResult } from "./login-burst.ts";
import type { MachineLoad } from "./machine-load.ts";
import type { ScaleResult } from "./session-scale.ts";
import { transportVerdicts } from "./transport-echo-report.ts";
import { GENERATOR_AGREEMENT, judge, rate, skip, times } from "./verdict.ts";

function fanoutPoint(
  f: FanoutBenchResult,
  target: string,
  mode: string,
  members: number,
  generator?: "c" | "ts",
) {
  const matches = f.points.filter(
    (p) => p.target === target && p.mode === mode && p.members === members,
  );
  // The native generator's figures when there are any: it is not the bottleneck.
  if (generator !== undefined) return matches.find((p) => p.generator === generator);
  return matches.find((p) => p.generator === "c") ?? matches[0];
}

function integrity(p: FanoutPoint): { ok: boolean; text: string } {
  const ok = p.lost === 0 && p.unexpected === 0 && p.orderMismatches === 0 && p.errors === 0;
  return {
    ok,
    text:
      `${p.lost} lost, ${p.unexpected} duplicated or out of order, ${p.orderMismatches} members with ` +
      `another order, ${p.errors} errors${p.firstError ? ` (first: ${p.firstError})` : ""}`,
  };
}

function fanoutVerdicts(fanout: FanoutBenchResult | null): Verdict[] {
  if (fanout === null) return [skip("Fan-out", "fan-out bench not run")];
  const verdicts: Verdict[] = [];
  for (const m of fanout.roomSizes) {
    const name = (what: string) => `Room M=${m}: ${what}`;
    const parrot = fanoutPoint(fanout, "parrot", "room", m);
    const mosquitto = fanoutPoint(fanout, "mosquitto", "room", m);
    if (parrot === undefined) {
      verdicts.push(
        skip(
          name("Parrot"),
          fanout.failed["parrot/c"] ?? fanout.failed["parrot/ts"] ?? "no Parrot run",
        ),
      );
      continue;
    }
    const gen = parrot.generator;
    for (const gen of ["c", "ts"] as const) {
      const run = fanoutPoint(fanout, "parrot", "room", m, gen);
      if (run === undefined) continue;
      const check = integrity(run);
      verdicts.push({
        target: name(`0 lost, one order for every member (${gen} generator)`),
        status: check.ok ? "PASS" : "MISS",
        measured: check.text,
        margin: check.ok ? 1 : 0,
        flagged: run.machineLoad.flagged,
      });
    }
    const native = fanoutPoint(fanout, "parrot", "room", m, "c");
    const ts = fanoutPoint(fanout, "parrot", "room", m, "ts");
    if (native?.serverCpuUsPerDelivery && ts?.serverCpuUsPerDelivery) {
      const ratio = native.serverCpuUsPerDelivery / ts.serverCpuUsPerDelivery;
      verdicts.push(
        judge(
          name("generators agree on Parrot server CPU/delivery (±25 %)"),
          `c ${native.serverCpuUsPerDelivery.toFixed(2)} vs ts ${ts.serverCpuUsPerDelivery.toFixed(2)} µs ` +
            `(${ratio.toFixed(2)} ×)`,
          GENERATOR_AGREEMENT / Math.max(ratio, 1 / ratio),
          [native.machineLoad, ts.machineLoad],
        ),
      );
    }
    if (mosquitto === undefined) {
      const why =
        fanout.skipped["mosquitto/c"] ??
        fanout.failed["mosquitto/c"] ??
        fanout.skipped["mosquitto/ts"] ??
        fanout.failed["mosquitto/ts"] ??
        "no mosquitto run";
      verdicts.push(skip(name("deliveries/s ≥ mosquitto"), why));
      verdicts.push(skip(name("p99 ≤ 2 × mosquitto"), why));
      continue;
    }
    const loads = [parrot.machineLoad, mosquitto.machineLoad];
    const r = parrot.deliveriesPerSec / mosquitto.deliveriesPerSec;
    verdicts.push(
      judge(
        name("deliveries/s ≥ mosquitto"),
        `${r.toFixed(2)} × (${rate(parrot.deliveriesPerSec)} vs ${rate(mosquitto.deliveriesPerSec)}, ${gen} generator)`,
        r,
        loads,
      ),
    );
    const l = parrot.latency.p99Ms / mosquitto.latency.p99Ms;
    verdicts.push(
      judge(
        name("p99 ≤ 2 × mosquitto"),
        `${l.toFixed(2)} × (${parrot.latency.p99Ms.toFixed(2)} vs ${mosquitto.latency.p99Ms.toFixed(2)} ms)`,
        2 / l,
        loads,
      ),
    );
  }
  const dm = fanoutPoint(fanout, "parrot", "dm", fanout.dmUsers);
  const dmMosquitto = fanoutPoint(fanout, "mosquitto", "dm", fanout.dmUsers);
  if (fanout.dmUsers > 0) {
    if (dm === undefined)
      verdicts.push(skip("DM: every message delivered once", "no Parrot DM run"));
    else {
      const check = integrity(dm);
      verdicts.push({
        target: "DM: every message delivered once",
        status: check.ok ? "PASS" : "MISS",
        measured:
          `${rate(dm.deliveriesPerSec)}, p99 ${dm.latency.p99Ms.toFixed(2)} ms (${dm.generator} generator` +
          (dmMosquitto
            ? `; mosquitto ${rate(dmMosquitto.deliveriesPerSec)}, p99 ${dmMosquitto.latency.p99Ms.toFixed(2)} ms)`
            : ")") +
          `; ${check.text}`,
        margin: check.ok ? 1 : 0,
        flagged: dm.machineLoad.flagged,
      });
    }
  }
  return verdicts;
}

function loginVerdicts(
  login: LoginBurstResult | { failed: string } | null,
  load: MachineLoad | undefined,
): Verdict[] {
  if (login === null) return [skip("Login burst", "login-burst bench not run")];
  if ("failed" in login) return [{ ...skip("Login burst", login.failed), status: "MISS" }];
  return login.bursts.map((b) => {
    const bad = b.handshakeTimeouts + b.pingTimeouts + b.otherFailures;
    return {
      target: `Login burst N=${b.clients}, scrypt N=${b.scryptN}: 0 HANDSHAKE/PING_TIMEOUTs`,
      status: bad === 0 ? "PASS" : "MISS",
      measured:
        `${b.loggedIn}/${b.clients} logged in, ${Math.round(b.loginsPerSec)} logins/s, longest wait ` +
        `${Math.round(b.longestWaitMs)} ms; ${b.handshakeTimeouts} HANDSHAKE_TIMEOUT, ${b.pingTimeouts} ` +
        `PING_TIMEOUT, ${b.otherFailures} other${b.firstFailure ? ` (first: ${b.firstFailure})` : ""}`,
      margin: bad === 0 ? 1 : 0,
      flagged: load?.flagged ?? false,
    };
  });
}

function scaleVerdicts(scale: BenchResults["scale"], load: MachineLoad | undefined): Verdict[] {
  const names = [
    "Idle sessions: RSS per session ≤ 1.1 × raw",
    "Idle sessions: heap ≤ 2 KiB per session",
    "Idle sessions: CPU per PING ≤ 1.3 × raw",
    "Idle sessions: reaping p99 ≤ 500 ms, all within timeout + 1 s",
    "Idle sessions: all hold (no live session dropped)",
  ];
  if (scale === null) return names.map((n) => skip(n, "session-scale bench not run"));
  if (!("reap" in scale)) {
    const why = "skipped" in scale ? scale.skipped : scale.failed;
    return names.map((n) => skip(n, why));
  }
  const s: ScaleResult = scale;
  const loads = [load];
  const raw = "failed" in s.raw ? null : s.raw;
  const noRaw = "failed" in s.raw ? s.raw.failed : "";
  const rss = s.parrot.memory.rssPerSessionBytes;
  const heap = s.parrot.memory.heapPerSessionBytes;
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(2)} KiB`;
  const late = s.reap.latenessMs;
  const lost = s.reap.liveSessionsLost;
  const refused = s.parrot.openFailures;
  const reapOk =
    late !== null && s.reap.notReaped === 0 && s.reap.wrongEnding === 0 && late.min >= 0;
  const at = `at N=${s.sessions}`;
  return [
    raw === null
      ? skip(names[0]!, noRaw)
      : judge(
          names[0]!,
          `${times(rss, raw.memory.rssPerSessionBytes)} (${kib(rss)} vs ${kib(raw.memory.rssPerSessionBytes)}) ${at}`,
          1.1 / (rss / raw.memory.rssPerSessionBytes),
          loads,
        ),
    judge(names[1]!, `${kib(heap)} ${at}`, 2048 / heap, loads),
    raw === null
      ? skip(names[2]!, noRaw)
      : judge(
          names[2]!,
          `${times(s.parrot.cpu.cpuPerPingUs, raw.cpu.cpuPerPingUs)} (${s.parrot.cpu.cpuPerPingUs.toFixed(1)} vs ` +
            `${raw.cpu.cpuPerPingUs.toFixed(1)} µs) ${at}`,
          1.3 / (s.parrot.cpu.cpuPerPingUs / raw.cpu.cpuPerPingUs),
          loads,
        ),
    late === null
      ? {
          ...skip(names[3]!, `none of ${s.reap.silenced} silenced sessions was reaped`),
          status: "MISS",
        }
      : judge(
          names[3]!,
          `p99 ${Math.round(late.p99)} ms, max ${Math.round(late.max)} ms after timeout ` +
            `(${s.reap.reaped}/${s.reap.silenced} reaped, ${s.reap.wrongEnding} without PING_TIMEOUT)`,
          reapOk && late.max <= s.reap.toleranceMs ? 500 / Math.max(1, late.p99) : 0,
          loads,
        ),
    {
      target: names[4]!,
      status: lost === 0 && refused === 0 ? "PASS" : "MISS",
      measured:
        `${lost} of ${s.sessions - s.reap.silenced - refused} pinging sessions lost, ` +
        `${refused} of ${s.sessions} never logged in, ${at}` +
        (s.parrot.firstOpenError ? ` (first: ${s.parrot.firstOpenError})` : ""),
      margin: lost === 0 && refused === 0 ? 1 : 0,
      flagged: load?.flagged ?? false,
    },
  ];
}

function codecVerdicts(codec: BenchResults["codec"], load: MachineLoad | undefined): Verdict[] {
  const specs = [
    { target: "Decoder ≥ 10 × JSON.parse", key: "decodeVsJson", need: 10 },
    { target: "Decoder ≥ 3 × Kaitai parser", key: "decodeVsKaitai", need: 3 },
    { target: "Encoder ≥ 5 × JSON.stringify+Buffer.from", key: "encodeVsJson", need: 5 },
  ] as const;
  if (codec === null || "failed" in codec) {
    const why = codec === null ? "codec bench not run" : codec.failed;
    return specs.map((s) => skip(s.target, why));
  }
  const c: CodecResult = codec;
  return specs.map(({ target, key, need }) =>
    judge(
      target,
      `geomean ${c.geomean[key].toFixed(1)} ×, worst ${c.worst[key].name} ${c.worst[key].ratio.toFixed(1)} ×`,
      c.geomean[key] / need,
      [load],
    ),
  );
}

export function evaluateTargets(results: Omit<BenchResults, "verdicts">): Verdict[] {
  const load = results.machineLoad;
  return [
    ...echoVerdicts(results.echo),
    ...fanoutVerdicts(results.fanout),
    ...loginVerdicts(results.login, load.login),
    ...scaleVerdicts(results.scale, load.scale),
    ...clusterScaleVerdicts(results.clusterScale, load["cluster-scale"]),
    ...codecVerdicts(results.codec, load.codec),
    ...transportVerdicts(results.transports),
  ];
}
