/**
 * The client on a real pseudo-terminal (util-linux `script`), typed at the way a person would:
 * tests wait for what the terminal shows before typing, never for a fixed time.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { REPO_ROOT } from "./client-process.ts";

export const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

/** The client on a pseudo-terminal: what it has shown so far, and a way to type at it. */
export class TerminalSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private shown = "";
  private waiters: { pattern: string; from: number; resolve: () => void }[] = [];
  readonly exitCode: Promise<number | null>;

  /** `size`: the terminal's columns and rows (stty), for tests of how lines wrap. */
  constructor(clientArgs: string[], size?: { cols: number; rows: number }) {
    const client = ["node", "--import", "tsx", "cli/parrot.ts", "client", ...clientArgs].join(" ");
    const command =
      size === undefined ? client : `stty cols ${size.cols} rows ${size.rows}; exec ${client}`;
    // -e: exit with the client's code; -f: flush output as it comes; -q: no banner.
    this.child = spawn("script", ["-qfec", command, "/dev/null"], {
      cwd: REPO_ROOT,
      env: { ...process.env, TERM: "xterm" },
    });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (text: string) => {
      this.shown += text;
      this.waiters = this.waiters.filter((waiter) => {
        if (!this.shown.includes(waiter.pattern, waiter.from)) return true;
        waiter.resolve();
        return false;
      });
    });
    this.exitCode = once(this.child, "close").then(([code]) => code as number | null);
  }

  get output(): string {
    return this.shown;
  }

  /** Resolves once `pattern` appears in output not seen by an earlier wait. */
  async waitFor(pattern: string): Promise<void> {
    const from = this.mark;
    await new Promise<void>((resolve, reject) => {
      if (this.shown.includes(pattern, from)) return resolve();
      this.waiters.push({ pattern, from, resolve });
      void this.exitCode.then(() =>
        reject(
          new Error(
            `exited before showing ${JSON.stringify(pattern)}: ${JSON.stringify(this.shown)}`,
          ),
        ),
      );
    });
    this.mark = this.shown.indexOf(pattern, from) + pattern.length;
  }

  private mark = 0;

  type(keys: string): void {
    this.child.stdin.write(keys);
  }
}
