/**
 * `make bench` / `make bench-quick`: runs the codec, echo and session-scale benchmarks, judges the issue #6
 * targets on same-run ratios, prints the tables on stdout (progress on stderr), and writes
 * bench/results/latest.json and bench/results/chart.svg.
 *
 *   node --import tsx bench/run.ts [--quick] [--only codec,echo,scale,transports] [--sessions N]
 *     [--concurrency 1,100,1000] [--duration-ms MS] [--warmup-ms MS] [--rounds R] [--profile DIR]
 *     [--heap-snapshots DIR]
 * --profile writes a V8 CPU profile of every Parrot server run into DIR (bench/profile-summary.ts reads it).
 * --heap-snapshots DIR writes heap snapshots of the session-scale Parrot server at N/10 and N
 * (bench/heap-diff.ts compares them).
 * SESSIONS=N in the environment is the same as --sessions N.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { BenchResults, MachineInfo } from "./bench-results.ts";
import { BENCH_SCRYPT_N, PRODUCTION_SCRYPT_N, provisionBenchUsers } from "./bench-users.ts";
import { runClusterBench } from "./cluster-bench.ts";
import { runCodecBench } from "./codec-bench.ts";
import { runEchoBench } from "./echo-bench.ts";
import { runFanoutBench } from "./fanout-bench.ts";
import { formatHistoryTable, runHistoryBench } from "./history-bench.ts";
import { runLoginBurst } from "./login-burst.ts";
import { describeLoad, type MachineLoad, startPartLoad } from "./machine-load.ts";
import { findMosquitto } from "./mosquitto-broker.ts";
import { hardOpenFilesLimit } from "./open-files.ts";
import { formatReport } from "./report-table.ts";
import { runSessionScale, scaleSkipReason } from "./session-scale.ts";
import { renderBenchChart } from "./svg-chart.ts";
import { evaluateTargets } from "./targets.ts";
import { runTransportEcho } from "./transport-echo.ts";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, "bench", "results");
const PARTS = [
  "codec",
  "echo",
  "fanout",
  "cluster",
  "history",
  "login",
  "scale",
  "transports",
] as const;
type Part = (typeof PARTS)[number];

interface Plan {
  quick: boolean;
  parts: Set<Part>;
  codecTimeMs: number;
  concurrency: number[];
  /** C of the transport rows: QUIC sessions cost far more than TCP ones, so fewer. */
  transportConcurrency: number[];
  roomSizes: number[];
  senders: number;
  dmUsers: number;
  loginClients: number;
  warmupMs: number;
  durationMs: number;
  sessions: number;
  rounds: number;
  profileDir: string | undefined;
  heapSnapshotDir: string | undefined;
}

function plan(): Plan {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      only: { type: "string" },
      sessions: { type: "string" },
      concurrency: { type: "string" },
      "transport-concurrency": { type: "string" },
      "room-sizes": { type: "string" },
      senders: { type: "string" },
      "dm-users": { type: "string" },
      "login-clients": { type: "string" },
      "duration-ms": { type: "string" },
      "warmup-ms": { type: "string" },
      profile: { type: "string" },
      rounds: { type: "string" },
      "heap-snapshots": { type: "string" },
    },
  });
  const quick = values.quick;
  const only = values.only?.split(",").map((s) => s.trim()) ?? [...PARTS];
  const unknown = only.filter((p) => !(PARTS as readonly string[]).includes(p));
  if (unknown.length > 0)
    throw new Error(`--only: unknown part(s) ${unknown.join(", ")}; known: ${PARTS.join(", ")}`);
  const positive = (text: string | undefined, fallback: number, what: string) => {
    if (text === undefined || text === "") return fallback;
    const n = Number(text);
    if (!Number.isInteger(n) || n <= 0)
      throw new Error(`${what} must be a positive integer, got ${text}`);
    return n;
  };
  return {
    quick,
    parts: new Set(only as Part[]),
    codecTimeMs: quick ? 40 : 300,
    concurrency: (values.concurrency ?? (quick ? "1,50" : "1,50,500,2000"))
      .split(",")
      .map((c) => positive(c, 1, "--concurrency")),
    transportConcurrency: (values["transport-concurrency"] ?? (quick ? "1,16" : "1,50"))
      .split(",")
      .map((c) => positive(c, 1, "--transport-concurrency")),
    roomSizes: (values["room-sizes"] ?? (quick ? "10,200" : "10,50,200"))
      .split(",")
      .map((m) => positive(m, 1, "--room-sizes")),
    senders: positive(values.senders, 4, "--senders"),
    dmUsers: positive(values["dm-users"], quick ? 50 : 200, "--dm-users"),
    loginClients: positive(values["login-clients"], quick ? 32 : 256, "--login-clients"),
    warmupMs: positive(values["warmup-ms"], quick ? 500 : 1000, "--warmup-ms"),
    durationMs: positive(values["duration-ms"], quick ? 1500 : 6000, "--duration-ms"),
    rounds: positive(values.rounds, quick ? 1 : 3, "--rounds"),
    sessions: positive(values.sessions ?? process.env.SESSIONS, quick ? 1000 : 10_000, "SESSIONS"),
    profileDir: values.profile === undefined ? undefined : resolve(values.profile),
    heapSnapshotDir:
      values["heap-snapshots"] === undefined ? undefined : resolve(values["heap-snapshots"]),
  };
}

function machineInfo(): MachineInfo {
  const mosquitto = findMosquitto();
  let mosquittoVersion: string | null = null;
  if (mosquitto) {
    try {
      const help = execFileSync(mosquitto, ["-h"], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      mosquittoVersion = /version (\S+)/.exec(help)?.[1] ?? "unknown version";
    } catch (error) {
      // `mosquitto -h` exits 3 after printing its usage; the version is in what it printed.
      const out = String((error as { stdout?: unknown }).stdout ?? "");
      mosquittoVersion = /version (\S+)/.exec(out)?.[1] ?? "unknown version";
    }
  }
  return {
    cpuModel: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: availableParallelism(),
    totalMemoryBytes: totalmem(),
    node: process.version,
    platform: process.platform,
    kernel: release(),
    openFilesHardLimit: hardOpenFilesLimit(),
    mosquitto: mosquittoVersion,
  };
}

function progress(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function main(): Promise<number> {
  const p = plan();
  if (p.heapSnapshotDir !== undefined) mkdirSync(p.heapSnapshotDir, { recursive: true });
  const started = performance.now();
  const results: Omit<BenchResults, "verdicts" | "durationS"> = {
    startedAt: new Date().toISOString(),
    quick: p.quick,
    machine: machineInfo(),
    codec: null,
    echo: null,
    fanout: null,
    cluster: null,
    history: null,
    login: null,
    scale: null,
    transports: null,
    machineLoad: {},
  };
  /** Runs one part with the machine's load over it recorded (and warned about when flagged). */
  const measured = async <T>(part: Part, run: () => Promise<T>): Promise<T> => {
    const finish = startPartLoad();
    try {
      return await run();
    } finally {
      const load: MachineLoad = finish();
      results.machineLoad[part] = load;
      if (load.flagged) {
        progress(
          `WARNING: ${part}: ${describeLoad(load)} (other processes used ${load.otherCores.toFixed(2)} ` +
            "cores): its figures are flagged",
        );
      }
    }
  };
  let failures = 0;

  if (p.parts.has("codec")) {
    progress(`codec: ${p.codecTimeMs} ms per task ...`);
    try {
      results.codec = await measured("codec", async () =>
        runCodecBench({ timePerTaskMs: p.codecTimeMs }),
      );
    } catch (error) {
      failures++;
      results.codec = { failed: message(error) };
    }
  }

  const scaleSkipped = p.parts.has("scale") ? scaleSkipReason(p.sessions) : null;
  if (scaleSkipped !== null) {
    results.scale = { sessions: p.sessions, skipped: scaleSkipped };
    progress(`session scale: skipped: ${scaleSkipped}`);
  }
  const runScale = p.parts.has("scale") && scaleSkipped === null;
  const needsUsers =
    p.parts.has("echo") ||
    p.parts.has("fanout") ||
    p.parts.has("cluster") ||
    p.parts.has("history") ||
    p.parts.has("login") ||
    p.parts.has("transports") ||
    runScale;
  const userCount = Math.max(
    p.parts.has("echo") ? Math.max(...p.concurrency) : 0,
    p.parts.has("transports") ? Math.max(...p.transportConcurrency) : 0,
    p.parts.has("fanout") || p.parts.has("cluster") ? Math.max(p.dmUsers, ...p.roomSizes) : 0,
    p.parts.has("history") ? historyMembers(p) : 0,
    p.parts.has("login") ? p.loginClients : 0,
    runScale ? p.sessions : 0,
  );
  const tempDir = mkdtempSync(join(tmpdir(), "parrot-bench-"));
  try {
    const users = needsUsers ? await provisionUsers(userCount, tempDir) : null;
    if (p.parts.has("echo") && users) {
      results.echo = await measured("echo", () =>
        runEchoBench(
          {
            repoRoot: REPO_ROOT,
            concurrency: p.concurrency,
            warmupMs: p.warmupMs,
            durationMs: p.durationMs,
            rounds: p.rounds,
            usersFile: users.usersFile,
            credentialsFile: users.credentialsFile,
            profileDir: p.profileDir,
          },
          progress,
        ),
      );
      failures += Object.keys(results.echo.failed).length;
    }
    if (p.parts.has("fanout") && users) {
      results.fanout = await measured("fanout", () =>
        runFanoutBench(
          {
            repoRoot: REPO_ROOT,
            roomSizes: p.roomSizes,
            senders: p.senders,
            dmUsers: p.dmUsers,
            warmupMs: p.warmupMs,
            durationMs: p.durationMs,
            rounds: p.rounds,
            usersFile: users.usersFile,
            credentialsFile: users.credentialsFile,
            profileDir: p.profileDir,
          },
          progress,
        ),
      );
      failures += Object.keys(results.fanout.failed).length;
    }
    if (p.parts.has("cluster") && users) {
      results.cluster = await measured("cluster", () =>
        runClusterBench(
          {
            repoRoot: REPO_ROOT,
            roomSizes: p.roomSizes,
            senders: p.senders,
            dmUsers: p.dmUsers,
            warmupMs: p.warmupMs,
            durationMs: p.durationMs,
            rounds: p.rounds,
            usersFile: users.usersFile,
            credentialsFile: users.credentialsFile,
          },
          progress,
        ),
      );
      failures += Object.keys(results.cluster.failed).length;
    }
    if (p.parts.has("history") && users) {
      results.history = await measured("history", () =>
        runHistoryBench(
          {
            repoRoot: REPO_ROOT,
            members: historyMembers(p),
            senders: p.senders,
            warmupMs: p.warmupMs,
            durationMs: p.durationMs,
            rounds: p.rounds,
            usersFile: users.usersFile,
            credentialsFile: users.credentialsFile,
            dir: tempDir,
          },
          progress,
        ),
      );
      failures += Object.keys(results.history.failed).length;
    }
    if (p.parts.has("login") && users) {
      try {
        progress(
          `login burst: provisioning ${p.loginClients} users at the production cost (scrypt N=${PRODUCTION_SCRYPT_N}) ...`,
        );
        const production = await provisionBenchUsers(
          p.loginClients,
          tempDir,
          REPO_ROOT,
          PRODUCTION_SCRYPT_N,
        );
        progress(`provisioned in ${(production.provisionMs / 1000).toFixed(1)} s`);
        results.login = await measured("login", () =>
          runLoginBurst(
            {
              repoRoot: REPO_ROOT,
              clients: p.loginClients,
              usersFiles: [
                { scryptN: PRODUCTION_SCRYPT_N, file: production.usersFile },
                { scryptN: BENCH_SCRYPT_N, file: users.usersFile },
              ],
              credentialsFile: users.credentialsFile,
            },
            progress,
          ),
        );
      } catch (error) {
        failures++;
        results.login = { failed: message(error) };
      }
    }
    if (p.parts.has("transports") && users) {
      try {
        results.transports = await measured("transports", () =>
          runTransportEcho(
            {
              repoRoot: REPO_ROOT,
              concurrency: p.transportConcurrency,
              warmupMs: p.warmupMs,
              durationMs: p.durationMs,
              rounds: p.rounds,
              usersFile: users.usersFile,
              credentialsFile: users.credentialsFile,
            },
            progress,
          ),
        );
        failures += Object.keys(results.transports.failed).length;
      } catch (error) {
        failures++;
        results.transports = { failed: message(error) };
      }
    }
    if (runScale && users) {
      progress(`session scale: N=${p.sessions} ...`);
      try {
        results.scale = await measured("scale", () =>
          runSessionScale({
            repoRoot: REPO_ROOT,
            sessions: p.sessions,
            usersFile: users.usersFile,
            credentialsFile: users.credentialsFile,
            profileDir: p.profileDir,
            windowMs: p.quick ? 2000 : 6000,
            heapSnapshotDir: p.heapSnapshotDir,
          }),
        );
      } catch (error) {
        failures++;
        results.scale = { sessions: p.sessions, failed: message(error) };
      }
    }
  } finally {
    rmSync(tempDir, { recursive: true, force: true });
  }

  const final: BenchResults = {
    ...results,
    durationS: (performance.now() - started) / 1000,
    verdicts: evaluateTargets({ ...results, durationS: 0 }),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, "latest.json"), `${JSON.stringify(final, null, 2)}\n`);
  if (final.echo || final.fanout) {
    const flagged = Object.values(final.machineLoad).some((l) => l.flagged);
    const subtitle =
      `${final.machine.cores} cores shared by generators and servers · ${final.machine.cpuModel} · ` +
      `node ${final.machine.node} · ${final.startedAt}` +
      (flagged ? " · hollow marker = flagged: other processes used > 10 % of the cores" : "");
    writeFileSync(
      join(RESULTS_DIR, "chart.svg"),
      renderBenchChart(final.echo, final.fanout, subtitle),
    );
  }
  process.stdout.write(`${formatReport(final)}\n\n`);
  if (final.history) process.stdout.write(`${formatHistoryTable(final.history)}\n\n`);
  process.stdout.write(
    `raw figures: bench/results/latest.json · chart: bench/results/chart.svg · ${final.durationS.toFixed(0)} s\n`,
  );
  return failures === 0 ? 0 : 1;
}

/** The history part's room: the middle fan-out size, what a busy room looks like. */
function historyMembers(p: Plan): number {
  const sizes = [...p.roomSizes].sort((a, b) => a - b);
  return sizes[Math.floor((sizes.length - 1) / 2)]!;
}

async function provisionUsers(count: number, dir: string) {
  progress(`provisioning ${count} bench users (parrot useradd --batch, scrypt N=1024) ...`);
  const users = await provisionBenchUsers(count, dir, REPO_ROOT);
  progress(`provisioned in ${(users.provisionMs / 1000).toFixed(1)} s`);
  return users;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${message(error)}\n`);
    process.exit(2);
  },
);
