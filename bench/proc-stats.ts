/**
 * Reads another process's resource use from Linux /proc, so a benchmark can measure a server it did not
 * write (the Parrot server, the raw echo server, mosquitto) without any cooperation from it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** Kernel clock ticks per second, the unit of utime/stime in /proc/PID/stat (100 on every x86 Linux). */
export const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks(): number {
  try {
    const ticks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
    return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
  } catch {
    return 100;
  }
}

/** Resident set size of process `pid` in bytes (VmRSS). */
export function readRssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS line in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}

/**
 * User + system CPU time consumed so far by process `pid`, in seconds. Resolution is one clock tick
 * (10 ms), so callers measure deltas over windows of seconds, not single operations.
 */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The command name (field 2) is in parentheses and may itself contain spaces or ')': split after the
  // last ')' so the remaining fields are positional. utime and stime are fields 14 and 15 overall.
  const afterName = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(afterName[11]);
  const stime = Number(afterName[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) {
    throw new Error(`cannot parse utime/stime from /proc/${pid}/stat`);
  }
  return (utime + stime) / CLOCK_TICKS_PER_SECOND;
}
