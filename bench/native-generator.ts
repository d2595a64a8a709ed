/**
 * The native echo generator (bench/native/loadgen.c): built by the bench itself with gcc into bench/.build/
 * (git-ignored) whenever the source is newer than the binary, and run like the TypeScript generator, one
 * process per round. Its result has the TypeScript generator's LoadResult shape, so both sit side by side
 * in the tables; the TypeScript one stays as the cross-check.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { EchoTargetName } from "./echo-session.ts";
import { runJsonProgram } from "./json-program.ts";
import type { LoadResult } from "./load-generator.ts";
import { type CpuCounters, machineLoadOver } from "./machine-load.ts";

const SOURCE = join("bench", "native", "loadgen.c");
const BINARY = join("bench", ".build", "loadgen");

/** Builds the generator if needed; returns its path, or throws why it cannot be built. */
export function buildNativeGenerator(repoRoot: string): string {
  const source = join(repoRoot, SOURCE);
  const binary = join(repoRoot, BINARY);
  if (existsSync(binary) && statSync(binary).mtimeMs >= statSync(source).mtimeMs) return binary;
  mkdirSync(join(repoRoot, "bench", ".build"), { recursive: true });
  try {
    execFileSync("gcc", ["-O2", "-Wall", "-Wextra", "-o", binary, source], {
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    throw new Error(`cannot build the native generator with gcc: ${stderr.trim() || error}`);
  }
  return binary;
}

interface NativeOutput extends Omit<LoadResult, "machineLoad" | "generator"> {
  benchCpuS: number;
  cpuCountersBefore: CpuCounters;
  cpuCountersAfter: CpuCounters;
}

export interface NativeRun {
  target: EchoTargetName;
  host: string;
  port: number;
  sessions: number;
  warmupMs: number;
  durationMs: number;
  credentialsFile: string;
  serverPid: number;
}

const PROTO: Record<EchoTargetName, string> = { parrot: "parrot", raw: "raw", mosquitto: "mqtt" };

export async function runNativeGenerator(
  binary: string,
  run: NativeRun,
  cwd: string,
): Promise<LoadResult> {
  const out = await runJsonProgram<NativeOutput>(
    `native generator (${run.target}, C=${run.sessions})`,
    binary,
    [
      ...["--proto", PROTO[run.target], "--host", run.host, "--port", String(run.port)],
      ...["--sessions", String(run.sessions), "--warmup-ms", String(run.warmupMs)],
      ...["--duration-ms", String(run.durationMs), "--server-pid", String(run.serverPid)],
      ...["--credentials", run.credentialsFile],
    ],
    cwd,
  );
  const { benchCpuS, cpuCountersBefore, cpuCountersAfter, ...load } = out;
  return {
    ...load,
    machineLoad: machineLoadOver(
      cpuCountersBefore,
      cpuCountersAfter,
      benchCpuS,
      out.measuredMs / 1000,
    ),
    generator: "c",
  };
}
