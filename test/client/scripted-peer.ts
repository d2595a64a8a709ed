/**
 * A scripted `parrot client` driven the way a script drives one: a line written to its stdin at a
 * time, synchronised on the lines it prints on stdout (never on a fixed sleep). Logged in with
 * --password-stdin; stdin stays open until `end()`.
 */
import { type ClientProcess, type ClientResult, spawnClient } from "./client-process.ts";

export class ScriptedPeer {
  private readonly process: ClientProcess;
  private stdout = "";
  private stderrText = "";
  /** Index in `lines` of the first line no `waitFor` has consumed yet. */
  private cursor = 0;
  private waiters: (() => void)[] = [];
  private exited: ClientResult | undefined;

  constructor(
    readonly name: string,
    port: number,
    password: string,
    extraArgs: string[] = [],
  ) {
    this.process = spawnClient(
      ["-s", "127.0.0.1", "-p", String(port), "--user", name, "--password-stdin", ...extraArgs],
      { stdin: `${password}\n`, keepStdinOpen: true },
    );
    this.process.child.stdout.on("data", (text: string) => {
      this.stdout += text;
      this.wake();
    });
    this.process.child.stderr.on("data", (text: string) => {
      this.stderrText += text;
      this.wake();
    });
    void this.process.result.then((result) => {
      this.exited = result;
      this.wake();
    });
  }

  /** Every complete line printed on stdout so far. */
  get lines(): string[] {
    return this.stdout.split("\n").slice(0, -1);
  }

  /** Everything printed on stderr so far (the client's own remarks). */
  get stderr(): string {
    return this.stderrText;
  }

  /**
   * Resolves once stderr holds `count` matches of `pattern` (a global RegExp); rejects, with
   * everything the client printed, if the client exits first.
   */
  async waitForStderr(pattern: RegExp, count = 1): Promise<void> {
    for (;;) {
      if ((this.stderrText.match(pattern)?.length ?? 0) >= count) return;
      if (this.exited !== undefined) {
        throw new Error(
          `${this.name} exited (${this.exited.code}) before printing ${pattern} ${count} time(s) ` +
            `on stderr; stdout: ${JSON.stringify(this.exited.stdout)} stderr: ${JSON.stringify(this.exited.stderr)}`,
        );
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Writes one line to the client's stdin. */
  type(line: string): void {
    this.process.child.stdin.write(`${line}\n`);
  }

  /**
   * Resolves once `line` has been printed after the lines earlier waits consumed; consumes up to
   * it. Rejects, with everything the client printed, if the client exits first.
   */
  async waitFor(line: string): Promise<void> {
    for (;;) {
      const index = this.lines.indexOf(line, this.cursor);
      if (index >= 0) {
        this.cursor = index + 1;
        return;
      }
      if (this.exited !== undefined) {
        throw new Error(
          `${this.name} exited (${this.exited.code}) before printing ${JSON.stringify(line)}; ` +
            `stdout: ${JSON.stringify(this.exited.stdout)} stderr: ${JSON.stringify(this.exited.stderr)}`,
        );
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Closes stdin (the client then logs out) and resolves with how it exited. */
  end(): Promise<ClientResult> {
    this.process.child.stdin.end();
    return this.process.result;
  }

  /** Resolves with how the client exited, without closing its stdin. */
  get result(): Promise<ClientResult> {
    return this.process.result;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
