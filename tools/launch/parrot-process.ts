/**
 * The one child-process launcher of the reference server: the real `parrot` command line
 * (node --import tsx cli/parrot.ts ...) in a process of its own, for what a user, a script or an
 * operator sees (the listening line, exit codes, signals, stdin), for the conformance tests'
 * reference target, and for the benchmarks (bench/parrot-server-process.ts adds its memory probe).
 * Waiting for the listening line and stopping are listening-process.ts's.
 *
 * For a server in the test's own process, with options the command line does not offer, use
 * in-process-server.ts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { referenceServerArgs } from "../../conformance/support/launcher.ts";
import type { BoundAddress } from "../../transport/listener.ts";
import { untilListening } from "./listening-process.ts";
import type { SelfSignedCert } from "./self-signed-cert.ts";
import { writeFastUsersFile } from "./test-accounts.ts";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ParrotProcess {
  child: ChildProcess;
  /** Everything written to stdout / stderr so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  exited: Promise<number | string>;
}

export interface CommandOptions {
  /** The `parrot` to run, e.g. an installed package's bin; default the repository's, with tsx. */
  executable?: string;
  /** Node flags after tsx's (--expose-gc, --cpu-prof, another --import); not with `executable`. */
  nodeArgs?: readonly string[];
}

export interface RunOptions extends CommandOptions {
  stdin?: string;
  cwd?: string;
  /** Run under `ulimit -n` this low (through bash), e.g. to run out of file descriptors. */
  maxOpenFiles?: number;
  /** In a process group of its own, to be signalled as a terminal does: `kill(-pid, signal)`. */
  ownProcessGroup?: boolean;
}

/** The program and arguments that run `parrot ARGS`. */
export function parrotCommand(
  args: readonly string[],
  options: CommandOptions = {},
): [string, ...string[]] {
  if (options.executable !== undefined) return [options.executable, ...args];
  // Absolute paths, so that the working directory can be any (e.g. one without .parrot/ in it).
  const cli = join(REPO_ROOT, "cli", "parrot.ts");
  const tsx = import.meta.resolve("tsx");
  return [process.execPath, "--import", tsx, ...(options.nodeArgs ?? []), cli, ...args];
}

export function runParrot(args: readonly string[], options: RunOptions = {}): ParrotProcess {
  const command = parrotCommand(args, options);
  if (options.maxOpenFiles !== undefined) {
    command.unshift("bash", "-c", `ulimit -n ${options.maxOpenFiles} && exec "$@"`, "bash");
  }
  const [program, ...programArgs] = command;
  const child = spawn(program, programArgs, {
    cwd: options.cwd ?? REPO_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
    detached: options.ownProcessGroup === true,
    // What the caller's shell has set must not change what the arguments say.
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

/** The reference server's listening line on its TCP or TLS port. */
export const PARROT_LISTENING = /^parrot server listening on (.+):(\d+) \((tcp|tls)\)\n/;

/** Starts `parrot server ARGS` and waits for its listening line (listening-process.ts). */
export async function startServerProcess(
  args: readonly string[],
  options: Omit<RunOptions, "stdin"> = {},
): Promise<ParrotProcess & { address: BoundAddress; stop(): Promise<void> }> {
  const running = runParrot(["server", ...args], options);
  const server = await untilListening(running.child, {
    name: "parrot server",
    listening: PARROT_LISTENING,
  });
  const address: BoundAddress = {
    host: server.host,
    port: server.port,
    transport: server.match[3] as "tcp" | "tls",
  };
  return { ...running, address, stop: server.stop };
}

/** A reference server process as the conformance tests hold it. */
export interface ServerProcess {
  port: number;
  stop(): Promise<void>;
}

export interface TestServerProcessOptions extends Omit<RunOptions, "stdin"> {
  /** The users file; default a fresh one with the test accounts (test-accounts.ts). */
  usersFile?: string;
}

/** `parrot server ARGS` on 127.0.0.1 and a free port, with the test accounts or `usersFile`. */
export async function startTestServerProcess(
  args: readonly string[] = [],
  options: TestServerProcessOptions = {},
): ReturnType<typeof startServerProcess> {
  const { usersFile, ...runOptions } = options;
  const users = usersFile ?? (await writeFastUsersFile());
  return startServerProcess(["-l", "127.0.0.1", "-p", "0", "--users", users, ...args], runOptions);
}

/** The same, serving TLS with `cert` (and what `args` adds beside it, e.g. `--quic-port 0`). */
export function startTlsServerProcess(
  cert: SelfSignedCert,
  args: readonly string[] = [],
): ReturnType<typeof startServerProcess> {
  const tls = ["--tls-cert", cert.certFile, "--tls-key", cert.keyFile];
  return startTestServerProcess([...tls, "--log-level", "warn", ...args]);
}

/**
 * The reference server started the way an operator would, with `usersFile` and the conformance
 * suite's short timers (conformance/support/launcher.ts): the target of the conformance tests.
 */
export async function startReferenceServer(
  usersFile: string,
  extraArgs: readonly string[] = [],
): Promise<ServerProcess> {
  const server = await startServerProcess([
    ...referenceServerArgs(usersFile, "warn"),
    ...extraArgs,
  ]);
  return { port: server.address.port, stop: server.stop };
}
