/**
 * Runs the real `parrot` CLI (node --import tsx cli/parrot.ts ...) as a child process, for tests of
 * what a user or a script sees: the listening line, exit codes, signals, stdin handling. The one
 * launcher of a reference server process for test/ (the conformance tests' reference too).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { untilListening } from "../../tools/launch/listening-process.ts";
import type { BoundAddress } from "../../transport/listener.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ParrotProcess {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface RunOptions {
  stdin?: string;
  cwd?: string;
  /** Run under `ulimit -n` this low (through bash), e.g. to run out of file descriptors. */
  maxOpenFiles?: number;
  /** In a process group of its own, to be signalled as a terminal does: `kill(-pid, signal)`. */
  ownProcessGroup?: boolean;
  /** The `parrot` to run, e.g. an installed package's bin; default the repository's, with tsx. */
  executable?: string;
}

export function runParrot(args: readonly string[], options: RunOptions = {}): ParrotProcess {
  // Absolute paths, so that `cwd` can be any directory (e.g. one without .parrot/ in it).
  const cli = join(ROOT, "cli", "parrot.ts");
  const command =
    options.executable === undefined
      ? [process.execPath, "--import", import.meta.resolve("tsx"), cli, ...args]
      : [options.executable, ...args];
  if (options.maxOpenFiles !== undefined) {
    command.unshift("bash", "-c", `ulimit -n ${options.maxOpenFiles} && exec "$@"`, "bash");
  }
  const [program, ...programArgs] = command as [string, ...string[]];
  const child = spawn(program, programArgs, {
    cwd: options.cwd ?? ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    detached: options.ownProcessGroup === true,
    env: {
      ...process.env,
      PARROT_PORT: "",
      PARROT_LISTEN: "",
      PARROT_USERS: "",
      PARROT_CLUSTER: "",
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr!.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  const exited = new Promise<number | string>((resolve) => {
    child.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Starts `parrot server ARGS` and waits for its listening line (tools/launch/listening-process.ts). */
export async function startServerProcess(
  args: readonly string[],
  options: Omit<RunOptions, "stdin"> = {},
): Promise<ParrotProcess & { address: BoundAddress; stop(): Promise<void> }> {
  const running = runParrot(["server", ...args], options);
  const server = await untilListening(running.child, {
    name: "parrot server",
    listening: /^parrot server listening on (.+):(\d+) \((tcp|tls)\)\n/,
  });
  const address: BoundAddress = {
    host: server.host,
    port: server.port,
    transport: server.match[3] as "tcp" | "tls",
  };
  return { ...running, address, stop: server.stop };
}
