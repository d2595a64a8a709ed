/**
 * Starts a server under test (Parrot, the raw echo server, mosquitto) as a separate process, waits for the
 * line that says it is listening, and stops it again. Benchmarks never run a server in their own event loop:
 * the generator and the server would steal each other's time in ways that don't happen in production.
 *
 * Apart from tools/launch/parrot-process.ts (the reference server's command, which
 * parrot-server-process.ts uses) because it starts servers that are not Parrot, raises their
 * open-files limit (open-files.ts) and reads their heap over IPC (memory-probe.ts); the listening
 * line and the stop are tools/launch/listening-process.ts's, as for every child-process server.
 */
import type { ChildProcess } from "node:child_process";
import { untilListening } from "../tools/launch/listening-process.ts";
import type { MemoryProbeReply, MemoryProbeRequest } from "./memory-probe.ts";
import { OPEN_FILES_LINE, spawnWithOpenFiles } from "./open-files.ts";

export interface LaunchOptions {
  /** For messages: "parrot", "raw-echo", "mosquitto". */
  name: string;
  command: string;
  args: string[];
  /** Matched against stdout and stderr; named groups `port` and, if the line has one, `host`. */
  listening: RegExp;
  /** The host to report when the listening line names none (mosquitto's doesn't). */
  host?: string;
  /** Raise the child's open-file limit to this (capped at the hard limit) before it starts. */
  openFiles?: number;
  /** Open an IPC channel (for bench/memory-probe.ts). Only for node children. */
  ipc?: boolean;
  startTimeoutMs?: number;
  cwd?: string;
}

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly host: string;
  readonly port: number;
  /** The open-file limit the child actually got. */
  readonly openFiles: number;
  /**
   * process.memoryUsage() (after a full GC unless `gc` is false) and the longest event-loop stall since the
   * last call, from a child started with `ipc` and bench/memory-probe.ts preloaded.
   */
  memory(gc?: boolean, snapshotPath?: string): Promise<MemoryProbeReply>;
  /** The last few KiB the server wrote to stderr, for error messages. */
  stderrTail(): string;
  stop(): Promise<void>;
}

const TAIL_BYTES = 8192;
const STOP_GRACE_MS = 4000;

export async function launchServer(options: LaunchOptions): Promise<ServerProcess> {
  const child = spawnWithOpenFiles(options.openFiles ?? 1024, options.command, options.args, {
    cwd: options.cwd,
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  const server = await untilListening(child, {
    name: options.name,
    listening: options.listening,
    searchStderr: true,
    ...(options.host === undefined ? {} : { host: options.host }),
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
    stopGraceMs: STOP_GRACE_MS,
    keepChars: TAIL_BYTES,
  });
  const name = options.name;
  return {
    name,
    pid: child.pid as number,
    host: server.host,
    port: server.port,
    // The shell that raised the limit said so on stderr before exec'ing the server.
    openFiles: Number(OPEN_FILES_LINE.exec(server.stderr())?.[1] ?? 0),
    stderrTail: server.stderr,
    memory: (gc = true, snapshotPath?: string) => requestMemory(child, name, gc, snapshotPath),
    stop: server.stop,
  };
}

function requestMemory(
  child: ChildProcess,
  name: string,
  gc: boolean,
  snapshotPath: string | undefined,
): Promise<MemoryProbeReply> {
  if (child.send === undefined) return Promise.reject(new Error(`${name} has no IPC channel`));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off("message", onMessage);
      reject(
        new Error(`${name} did not answer the memory probe (was bench/memory-probe.ts preloaded?)`),
      );
    }, 120_000);
    const onMessage = (message: unknown) => {
      if (typeof message !== "object" || message === null || !("probe" in message)) return;
      clearTimeout(timer);
      child.off("message", onMessage);
      resolve(message as MemoryProbeReply);
    };
    child.on("message", onMessage);
    const request: MemoryProbeRequest = { probe: "memory", gc, snapshotPath };
    child.send(request);
  });
}
