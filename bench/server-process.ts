/**
 * Starts a server under test (Parrot, the raw echo server, mosquitto) as a separate process, waits for the
 * line that says it is listening, and stops it again. Benchmarks never run a server in their own event loop:
 * the generator and the server would steal each other's time in ways that don't happen in production.
 */
import type { ChildProcess } from "node:child_process";
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

export function launchServer(options: LaunchOptions): Promise<ServerProcess> {
  const child = spawnWithOpenFiles(options.openFiles ?? 1024, options.command, options.args, {
    cwd: options.cwd,
    stdio: options.ipc ? ["ignore", "pipe", "pipe", "ipc"] : ["ignore", "pipe", "pipe"],
  });
  let tail = "";
  let openFiles = 0;
  const exitPromise = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () => fail(new Error(`${options.name} did not report listening within the start timeout`)),
      options.startTimeoutMs ?? 20_000,
    );
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\n--- ${options.name} stderr ---\n${tail}`));
    };
    const scan = (chunk: Buffer, isStderr: boolean) => {
      const text = chunk.toString("utf8");
      if (isStderr) tail = (tail + text).slice(-TAIL_BYTES);
      const limitLine = OPEN_FILES_LINE.exec(text);
      if (limitLine?.[1]) openFiles = Number(limitLine[1]);
      const groups = options.listening.exec(isStderr ? tail : text)?.groups;
      const host = groups?.host ?? options.host;
      if (settled || groups?.port === undefined || host === undefined || child.pid === undefined)
        return;
      settled = true;
      clearTimeout(timer);
      resolve(
        makeHandle(
          options.name,
          child,
          host,
          Number(groups.port),
          openFiles,
          () => tail,
          exitPromise,
        ),
      );
    };
    child.stdout?.on("data", (chunk: Buffer) => scan(chunk, false));
    child.stderr?.on("data", (chunk: Buffer) => scan(chunk, true));
    child.once("error", (error) => fail(error));
    child.once("exit", (code, signal) =>
      fail(new Error(`${options.name} exited before listening (code ${code}, signal ${signal})`)),
    );
  });
}

function makeHandle(
  name: string,
  child: ChildProcess,
  host: string,
  port: number,
  openFiles: number,
  stderrTail: () => string,
  exitPromise: Promise<void>,
): ServerProcess {
  const pid = child.pid as number;
  return {
    name,
    pid,
    host,
    port,
    openFiles,
    stderrTail,
    memory: (gc = true, snapshotPath?: string) => requestMemory(child, name, gc, snapshotPath),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exitPromise;
      clearTimeout(timer);
    },
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
