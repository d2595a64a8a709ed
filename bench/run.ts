/**
 * `make bench` / `make bench-quick`: runs the parts of bench/bench-parts.ts that `--only` names (all by
 * default), judges the targets on same-run ratios (bench/targets.ts), prints the tables on stdout
 * (progress on stderr), and writes bench/results/latest.json and bench/results/chart.svg.
 *
 *   node --import tsx bench/run.ts [--quick] [--only codec,echo,...] [--sessions N] [--concurrency 1,100]
 *     [--duration-ms MS] [--warmup-ms MS] [--rounds R] [--profile DIR] [--heap-snapshots DIR] ...
 * Every size and its --quick default is in bench/bench-plan.ts; bench/README.md lists them.
 * --profile writes a V8 CPU profile of every Parrot server run into DIR (bench/profile-summary.ts reads it).
 * --heap-snapshots DIR writes heap snapshots of the session-scale Parrot server at N/10 and N
 * (bench/heap-diff.ts compares them).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, release, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_PARTS, type BenchPart } from "./bench-parts.ts";
import { type Plan, readPlan } from "./bench-plan.ts";
import type { BenchResults, MachineInfo } from "./bench-results.ts";
import { type BenchUsers, provisionBenchUsers } from "./bench-users.ts";
import { describeLoad, startPartLoad } from "./machine-load.ts";
import { findMosquitto } from "./mosquitto-broker.ts";
import { hardOpenFilesLimit } from "./open-files.ts";
import { formatMachine, formatVerdicts } from "./report-table.ts";
import { renderBenchChart } from "./svg-chart.ts";
import { evaluateTargets } from "./targets.ts";
import { formatMachineLoad } from "./traffic-report.ts";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, "bench", "results");

type Results = Omit<BenchResults, "verdicts" | "durationS">;

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

/** Writes a part's result where latest.json keeps it (the table checks each entry against its key). */
function store(results: Results, part: BenchPart, value: unknown): void {
  (results as Record<string, unknown>)[part.key] = value;
}

/**
 * Runs one part with the machine's load over it recorded (and warned about when flagged); returns how
 * many of its series failed (1 when it threw).
 */
async function runPart(
  part: BenchPart,
  plan: Plan,
  users: BenchUsers,
  dir: string,
  results: Results,
): Promise<number> {
  const finish = startPartLoad();
  try {
    const result = await part.run({ repoRoot: REPO_ROOT, plan, users, dir, progress });
    store(results, part, result);
    return part.failures?.(result) ?? 0;
  } catch (error) {
    progress(`${part.name}: FAILED ${message(error)}`);
    results.failedParts = { ...results.failedParts, [part.name]: message(error) };
    if (part.failed) store(results, part, part.failed(message(error), plan));
    return 1;
  } finally {
    const load = finish();
    results.machineLoad[part.name] = load;
    if (load.flagged) {
      progress(
        `WARNING: ${part.name}: ${describeLoad(load)} (other processes used ${load.otherCores.toFixed(2)} ` +
          "cores): its figures are flagged",
      );
    }
  }
}

async function provisionUsers(count: number, dir: string): Promise<BenchUsers> {
  progress(`provisioning ${count} bench users (parrot useradd --batch, scrypt N=1024) ...`);
  const users = await provisionBenchUsers(count, dir, REPO_ROOT);
  progress(`provisioned in ${(users.provisionMs / 1000).toFixed(1)} s`);
  return users;
}

function report(results: BenchResults): string {
  const parts = [formatMachine(results.machine)];
  for (const part of BENCH_PARTS) {
    const result = (results as unknown as Record<string, unknown>)[part.key];
    if (result !== null && result !== undefined) {
      parts.push((part.report as (r: unknown, all: BenchResults) => string)(result, results));
    } else if (results.failedParts?.[part.name] !== undefined) {
      parts.push(`${part.name}: FAILED ${results.failedParts[part.name]}`);
    }
  }
  parts.push(formatMachineLoad(results));
  parts.push(formatVerdicts(results.verdicts));
  return parts.join("\n\n");
}

async function main(): Promise<number> {
  const plan = readPlan(BENCH_PARTS.map((part) => part.name));
  if (plan.heapSnapshotDir !== undefined) mkdirSync(plan.heapSnapshotDir, { recursive: true });
  const started = performance.now();
  const results: Results = {
    startedAt: new Date().toISOString(),
    quick: plan.quick,
    machine: machineInfo(),
    codec: null,
    echo: null,
    fanout: null,
    cluster: null,
    clusterScale: null,
    history: null,
    login: null,
    scale: null,
    transports: null,
    machineLoad: {},
  };
  // Skips are decided before provisioning: at SESSIONS=100000 provisioning alone takes minutes.
  const toRun = BENCH_PARTS.filter((part) => {
    if (!plan.parts.has(part.name)) return false;
    const skipped = part.skipped?.(plan) ?? null;
    if (skipped === null) return true;
    store(results, part, skipped.result);
    progress(`${part.name}: skipped: ${skipped.why}`);
    return false;
  });
  const userCount = Math.max(0, ...toRun.map((part) => part.users(plan)));
  let failures = 0;
  const dir = mkdtempSync(join(tmpdir(), "parrot-bench-"));
  try {
    // Only the codec part logs nobody in; it never reads the (empty) files.
    const users =
      userCount > 0
        ? await provisionUsers(userCount, dir)
        : { usersFile: "", credentialsFile: "", count: 0, provisionMs: 0 };
    for (const part of toRun) failures += await runPart(part, plan, users, dir, results);
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
  process.stdout.write(`${report(final)}\n\n`);
  process.stdout.write(
    `raw figures: bench/results/latest.json · chart: bench/results/chart.svg · ${final.durationS.toFixed(0)} s\n`,
  );
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench: ${message(error)}\n`);
    process.exit(2);
  },
);
