/**
 * A server started as a child process, from its start to its end: what it prints is kept, the line
 * that says it listens is waited for (a host and a port), and `stop()` ends it as an operator would
 * (SIGTERM, then SIGKILL after a grace period). The one way test/ and bench/ wait for a server of
 * their own: the reference through parrot-process.ts, other servers (redis-server, mosquitto, the
 * raw echo server) through their own spawn (an open-files limit, an IPC channel).
 *
 * conformance/support/launcher.ts keeps its own: it implements the suite's launcher contract for any
 * implementation (a shell command in its own process group, placeholders, a `{port}` it may only
 * connect to), and the suite imports nothing of this repository's own servers' tooling.
 */
import type { ChildProcess } from "node:child_process";

export interface ListeningOptions {
  /** What the process is, for error messages ("parrot server", "mosquitto"). */
  name: string;
  /**
   * The listening line. Named groups `host` and `port`, else groups 1 and 2; a line without a host
   * (mosquitto's) takes `host`.
   */
  listening: RegExp;
  /** Also look for it on stderr (mosquitto logs there). */
  searchStderr?: boolean;
  host?: string;
  /** How long it may take to listen; unset: as long as it takes (the test's own timeout applies). */
  startTimeoutMs?: number;
  /** Between SIGTERM and SIGKILL in `stop()` (default 5000 ms). */
  stopGraceMs?: number;
  /** Keep only the last this many characters of each stream (a long benchmark); default: all. */
  keepChars?: number;
}

export interface ListeningProcess {
  readonly child: ChildProcess;
  readonly host: string;
  readonly port: number;
  /** The listening line's match, for callers whose line says more (the transport). */
  readonly match: RegExpExecArray;
  /** What it has written so far (all of it, or the last `keepChars`). */
  stdout(): string;
  stderr(): string;
  /** The exit code, or the signal's name, once it has exited. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, SIGKILL after the grace period; resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** Waits until `child` prints its listening line; rejects, with its stderr, if it exits first. */
export function untilListening(
  child: ChildProcess,
  options: ListeningOptions,
): Promise<ListeningProcess> {
  let stdout = "";
  let stderr = "";
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => resolve(code ?? signal ?? "unknown"));
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), options.stopGraceMs ?? 5000);
      await exited;
      clearTimeout(timer);
    }
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${options.name} ${why}\n--- ${options.name} stderr ---\n${stderr}`));
    };
    const timer =
      options.startTimeoutMs === undefined
        ? undefined
        : setTimeout(
            () => fail(`did not report listening within ${options.startTimeoutMs} ms`),
            options.startTimeoutMs,
          );
    const look = (text: string) => {
      if (settled) return;
      const match = options.listening.exec(text);
      // Named groups when the pattern has any, else the first two.
      const named = match?.groups !== undefined;
      const host = (named ? match?.groups?.host : match?.[1]) ?? options.host;
      const port = named ? match?.groups?.port : match?.[2];
      if (match === null || host === undefined || port === undefined) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        child,
        host: host.replace(/^\[|\]$/g, ""),
        port: Number(port),
        match,
        stdout: () => stdout,
        stderr: () => stderr,
        exited,
        stop,
      });
    };
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout = keep(stdout + chunk.toString("utf8"), options.keepChars);
      look(stdout);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = keep(stderr + chunk.toString("utf8"), options.keepChars);
      if (options.searchStderr) look(stderr);
    });
    child.once("error", (error) => fail(`could not be started: ${error.message}`));
    void exited.then((code) => fail(`exited (${code}) before listening`));
  });
}

function keep(text: string, chars: number | undefined): string {
  return chars === undefined || text.length <= chars ? text : text.slice(-chars);
}
