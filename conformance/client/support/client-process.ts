/**
 * The client under test as a child process, started from the launcher command of the client contract
 * (conformance/README.md): placeholders filled in, run with `sh -c` in the repository root in its own
 * process group, lines written to its stdin, its stdout kept as lines and its stderr as text, so steps
 * can judge the exit code and the output where the contract defines them.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

/** How long a client gets to stop on SIGTERM at the end of a scenario before it is killed. */
const STOP_GRACE_MS = 2000;

export interface ClientPlaceholders {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Comma-separated, e.g. "1,2". */
  versions: string;
}

export interface ClientExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

export const CLIENT_PLACEHOLDERS = ["host", "port", "user", "password", "versions"] as const;

/** The command with every `{name}` placeholder replaced; the values are shell-safe as they are. */
export function fillPlaceholders(template: string, values: ClientPlaceholders): string {
  return template.replace(/\{(host|port|user|password|versions)\}/g, (_match, name: string) =>
    String(values[name as keyof ClientPlaceholders]),
  );
}

export class ClientProcess {
  readonly command: string;
  private readonly child: ChildProcessWithoutNullStreams;
  private stdoutText = "";
  private stderrText = "";
  private exitInfo: ClientExit | undefined;
  private readonly exitWaiters: (() => void)[] = [];

  constructor(template: string, values: ClientPlaceholders, cwd: string) {
    this.command = fillPlaceholders(template, values);
    this.child = spawn("sh", ["-c", this.command], { cwd, detached: true, stdio: "pipe" });
    this.child.stdout.setEncoding("utf8").on("data", (text: string) => {
      this.stdoutText += text;
    });
    this.child.stderr.setEncoding("utf8").on("data", (text: string) => {
      this.stderrText += text;
    });
    // A client that exits before reading its input makes our writes fail; that is its business.
    this.child.stdin.on("error", () => {});
    this.child.on("exit", (code, signal) => {
      this.exitInfo = { code, signal, at: performance.now() };
      for (const wake of this.exitWaiters.splice(0)) wake();
    });
  }

  /** Writes lines to the client's stdin, each ended by "\n". */
  writeLines(lines: readonly string[]): void {
    if (lines.length === 0 || this.child.stdin.destroyed) return;
    this.child.stdin.write(lines.map((line) => `${line}\n`).join(""));
  }

  /** Ends the client's stdin: the contract's "no more lines; finish and log out". */
  endInput(): void {
    if (!this.child.stdin.destroyed) this.child.stdin.end();
  }

  get exited(): ClientExit | undefined {
    return this.exitInfo;
  }

  /** Resolves with the exit, or with undefined if the client is still running after `timeoutMs`. */
  async waitForExit(timeoutMs: number): Promise<ClientExit | undefined> {
    if (this.exitInfo) return this.exitInfo;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.exitWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    return this.exitInfo;
  }

  /** Complete lines the client printed on stdout so far. */
  get stdoutLines(): string[] {
    const lines = this.stdoutText.split("\n");
    lines.pop();
    return lines.map((line) => line.replace(/\r$/, ""));
  }

  get stdout(): string {
    return this.stdoutText;
  }

  get stderr(): string {
    return this.stderrText;
  }

  /** Stops the client and everything it started: SIGTERM to its group, SIGKILL after a grace. */
  async stop(): Promise<void> {
    if (this.exitInfo) return;
    this.signalGroup("SIGTERM");
    if (!(await this.waitForExit(STOP_GRACE_MS))) {
      this.signalGroup("SIGKILL");
      await this.waitForExit(STOP_GRACE_MS);
    }
  }

  /** What a failure report shows of the client: its command, exit and output. */
  describe(): string {
    const exit = this.exitInfo
      ? this.exitInfo.signal
        ? `killed by ${this.exitInfo.signal}`
        : `exit code ${this.exitInfo.code}`
      : "still running";
    return [
      `client under test: ${this.command} (${exit})`,
      `stdout:\n${indent(this.stdoutText)}`,
      `stderr:\n${indent(this.stderrText)}`,
    ].join("\n");
  }

  private signalGroup(signal: NodeJS.Signals): void {
    try {
      if (this.child.pid !== undefined) process.kill(-this.child.pid, signal);
    } catch {
      // The group is already gone.
    }
  }
}

function indent(text: string): string {
  return text.length === 0 ? "  (nothing)" : text.replace(/^/gm, "  ").trimEnd();
}
