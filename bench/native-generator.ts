/**
 * The native load generator (bench/native/*.c, see main.c): built by the bench itself with gcc into bench/.build/
 * (git-ignored) whenever the source is newer than the binary, and run like the TypeScript generator, one
 * process per round. Its result has the TypeScript generator's LoadResult shape, so both sit side by side
 * in the tables; the TypeScript one stays as the cross-check.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import type { EchoTargetName } from "./echo-session.ts";
import type { FanoutMode, FanoutResult, FanoutTargetName } from "./fanout-generator.ts";
import { runJsonProgram } from "./json-program.ts";
import type { LoadResult } from "./load-generator.ts";
import { type CpuCounters, machineLoadOver } from "./machine-load.ts";

const SOURCES = join("bench", "native");
const BINARY = join("bench", ".build", "loadgen");

/** Builds the generator if needed; returns its path, or throws why it cannot be built. */
export function buildNativeGenerator(repoRoot: string): string {
  const dir = join(repoRoot, SOURCES);
  const files = readdirSync(dir).map((f) => join(dir, f));
  const sources = files.filter((f) => f.endsWith(".c"));
  const binary = join(repoRoot, BINARY);
  const newest = Math.max(...files.map((f) => statSync(f).mtimeMs));
  if (existsSync(binary) && statSync(binary).mtimeMs >= newest) return binary;
  mkdirSync(join(repoRoot, "bench", ".build"), { recursive: true });
  try {
    execFileSync("gcc", ["-O2", "-Wall", "-Wextra", "-o", binary, ...sources], {
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    throw new Error(`cannot build the native generator with gcc: ${stderr.trim() || error}`);
  }
  return binary;
}

/** What the native generator adds to its result: the raw counters bench/machine-load.ts works from. */
interface Counters {
  measuredMs: number;
  benchCpuS: number;
  cpuCountersBefore: CpuCounters;
  cpuCountersAfter: CpuCounters;
}

type NativeOutput = Omit<LoadResult, "machineLoad" | "generator"> & Counters;

/** The native result in the TypeScript generators' shape: counters turned into a MachineLoad. */
function withMachineLoad<T extends Counters>(out: T) {
  const { benchCpuS, cpuCountersBefore, cpuCountersAfter, ...load } = out;
  return {
    ...load,
    machineLoad: machineLoadOver(
      cpuCountersBefore,
      cpuCountersAfter,
      benchCpuS,
      out.measuredMs / 1000,
    ),
    generator: "c" as const,
  };
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
  return withMachineLoad(out);
}

type NativeFanoutOutput = Omit<FanoutResult, "machineLoad" | "generator"> & Counters;

export interface NativeFanoutRun {
  target: FanoutTargetName;
  mode: FanoutMode;
  host: string;
  port: number;
  members: number;
  senders: number;
  warmupMs: number;
  durationMs: number;
  credentialsFile: string;
  serverPid: number;
}

export async function runNativeFanout(
  binary: string,
  run: NativeFanoutRun,
  cwd: string,
): Promise<FanoutResult> {
  const out = await runJsonProgram<NativeFanoutOutput>(
    `native generator (${run.target}, ${run.mode}, M=${run.members})`,
    binary,
    [
      ...["--proto", run.target === "parrot" ? "parrot" : "mqtt", "--mode", run.mode],
      ...["--host", run.host, "--port", String(run.port), "--sessions", String(run.members)],
      ...["--senders", String(run.senders), "--warmup-ms", String(run.warmupMs)],
      ...["--duration-ms", String(run.durationMs), "--server-pid", String(run.serverPid)],
      ...["--credentials", run.credentialsFile],
    ],
    cwd,
  );
  return withMachineLoad(out);
}
