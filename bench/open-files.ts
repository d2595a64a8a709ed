/**
 * File-descriptor limits: every session is one descriptor in the server and one in the client, so the
 * session-scale bench is bounded by RLIMIT_NOFILE before it is bounded by memory. Node cannot call
 * setrlimit on itself, so children are started through a shell that raises its soft limit as far as the
 * hard limit allows and then execs (same pid, so /proc/PID still measures the real process).
 */
import { type ChildProcess, execFileSync, type SpawnOptions, spawn } from "node:child_process";

const RAISE_AND_EXEC =
  'ulimit -n "$0" 2>/dev/null || ulimit -n "$(ulimit -Hn)"; echo "bench-open-files $(ulimit -n)" >&2; exec "$@"';

/** The hard RLIMIT_NOFILE a child of this process can raise its soft limit to. */
export function hardOpenFilesLimit(): number {
  const out = execFileSync("/bin/sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).trim();
  return out === "unlimited" ? Number.MAX_SAFE_INTEGER : Number(out);
}

/**
 * spawn(), with the child's soft open-files limit raised to `wanted` (or the hard limit if lower). The child
 * writes `bench-open-files N` to its stderr first, N being the limit it got.
 */
export function spawnWithOpenFiles(
  wanted: number,
  command: string,
  args: readonly string[],
  options: SpawnOptions,
): ChildProcess {
  return spawn("/bin/sh", ["-c", RAISE_AND_EXEC, String(wanted), command, ...args], options);
}

export const OPEN_FILES_LINE = /bench-open-files (\d+)/;
