/**
 * How busy the machine was with work that is not the bench's, over one measured window: /proc/stat's
 * busy time for all cores minus the CPU of the bench's own processes (generator and server). On a machine
 * shared with other engineers' builds this is the figure that says whether a run's numbers can be trusted:
 * a window where others took more than OTHER_LOAD_FLAG_SHARE of the cores is flagged, not silently
 * published.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { CLOCK_TICKS_PER_SECOND } from "./proc-stats.ts";

/** Others' share of all cores above which a window's figures are flagged. */
export const OTHER_LOAD_FLAG_SHARE = 0.1;

/** The machine-wide counters at one instant, in clock ticks summed over all cores. */
export interface CpuCounters {
  busyTicks: number;
  totalTicks: number;
}

export interface MachineLoad {
  cores: number;
  wallS: number;
  /** Busy time of every process on the machine, in cores (1.0 = one core fully busy). */
  busyCores: number;
  /** The bench's own processes (generator + server), in cores. */
  benchCores: number;
  /** Everybody else, in cores (busyCores − benchCores, never below 0). */
  otherCores: number;
  /** otherCores / cores. */
  otherShare: number;
  flagged: boolean;
}

/** The aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal ... */
export function readCpuCounters(): CpuCounters {
  const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
  const fields = line.trim().split(/\s+/).slice(1, 9).map(Number);
  if (fields.length < 5 || fields.some((f) => !Number.isFinite(f))) {
    throw new Error(`cannot parse /proc/stat: ${line}`);
  }
  const total = fields.reduce((sum, f) => sum + f, 0);
  const idle = fields[3]! + fields[4]!;
  return { busyTicks: total - idle, totalTicks: total };
}

/** Others' load from the counters' deltas over a window and the CPU seconds the bench used in it. */
export function machineLoadOver(
  before: CpuCounters,
  after: CpuCounters,
  benchCpuS: number,
  wallS: number,
  cores = availableParallelism(),
): MachineLoad {
  const busyCores = (after.busyTicks - before.busyTicks) / CLOCK_TICKS_PER_SECOND / wallS;
  const benchCores = benchCpuS / wallS;
  const otherCores = Math.max(0, busyCores - benchCores);
  const otherShare = otherCores / cores;
  return {
    cores,
    wallS,
    busyCores,
    benchCores,
    otherCores,
    otherShare,
    flagged: otherShare > OTHER_LOAD_FLAG_SHARE,
  };
}

/** Several windows (rounds) as one: the worst window decides the flag. */
export function worstLoad(loads: readonly MachineLoad[]): MachineLoad | null {
  let worst: MachineLoad | null = null;
  for (const load of loads) if (worst === null || load.otherShare > worst.otherShare) worst = load;
  return worst;
}

/** "others 34% of 2 cores ⚑" for tables. */
export function describeLoad(load: MachineLoad | null): string {
  if (load === null) return "load not measured";
  const share = `others ${Math.round(load.otherShare * 100)}% of ${load.cores} cores`;
  return load.flagged ? `${share} FLAGGED` : share;
}

/**
 * CPU seconds of this process and of every child it has waited for (/proc/self/stat utime, stime, cutime,
 * cstime): over a whole bench part, once its servers and generators have exited, that is all the bench's
 * own work.
 */
function benchTreeCpuSeconds(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
  return ticks / CLOCK_TICKS_PER_SECOND;
}

/** Starts measuring a whole part; the returned function ends it (call it after the part's children exited). */
export function startPartLoad(): () => MachineLoad {
  const counters = readCpuCounters();
  const cpu = benchTreeCpuSeconds();
  const started = performance.now();
  return () =>
    machineLoadOver(
      counters,
      readCpuCounters(),
      benchTreeCpuSeconds() - cpu,
      (performance.now() - started) / 1000,
    );
}
