/**
 * Runs the real `parrot client` CLI as a child process with piped stdio (so it is in scripted
 * mode), the way a script would, and collects what it printed and how it exited.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface ClientResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ClientProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the process has exited and its output is complete. */
  result: Promise<ClientResult>;
  /** Resolves once stdout holds `count` lines (echoes), with those lines. */
  lines(count: number): Promise<string[]>;
}

export interface ClientSpawnOptions {
  /** Extra environment; PARROT_* variables of the test runner are never inherited. */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed unless `keepStdinOpen`. */
  stdin?: string;
  keepStdinOpen?: boolean;
}

export function spawnClient(args: string[], options: ClientSpawnOptions = {}): ClientProcess {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith("PARROT_")) env[key] = value;
  }
  Object.assign(env, options.env);
  const child = spawn(process.execPath, ["--import", "tsx", "cli/parrot.ts", "client", ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: "pipe",
  });
  let stdout = "";
  let stderr = "";
  const lineWaiters: { count: number; resolve: (lines: string[]) => void }[] = [];
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (text: string) => {
    stdout += text;
    const complete = stdout.split("\n").slice(0, -1);
    for (const waiter of lineWaiters.filter((each) => complete.length >= each.count)) {
      waiter.resolve(complete.slice(0, waiter.count));
      lineWaiters.splice(lineWaiters.indexOf(waiter), 1);
    }
  });
  child.stderr.on("data", (text: string) => {
    stderr += text;
  });
  if (options.stdin !== undefined) child.stdin.write(options.stdin);
  if (!options.keepStdinOpen) child.stdin.end();

  const result = once(child, "close").then(([code]) => ({
    code: code as number | null,
    stdout,
    stderr,
  }));
  const lines = (count: number) =>
    new Promise<string[]>((resolve, reject) => {
      lineWaiters.push({ count, resolve });
      // If the client exits first, say what it printed instead of hanging until the test times out.
      void result.then((done) =>
        reject(
          new Error(
            `client exited (${done.code}) before printing ${count} lines; ` +
              `stdout: ${JSON.stringify(done.stdout)} stderr: ${JSON.stringify(done.stderr)}`,
          ),
        ),
      );
    });
  return { child, result, lines };
}

/** Runs the client to completion. */
export function runClient(args: string[], options: ClientSpawnOptions = {}): Promise<ClientResult> {
  return spawnClient(args, options).result;
}
