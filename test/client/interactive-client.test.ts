// The client in interactive mode, under a real pseudo-terminal (util-linux `script`), typed at
// the way a person would: the test waits for each prompt before typing, never for a fixed time.
import assert from "node:assert/strict";
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, test } from "node:test";
import { REPO_ROOT } from "./client-process.ts";
import { startTestServer, type TestServer } from "./parrot-server-fixture.ts";

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let target: TestServer;

before(async () => {
  target = await startTestServer();
});

after(async () => {
  await target?.close();
});

/** The client on a pseudo-terminal: what it has shown so far, and a way to type at it. */
class TerminalSession {
  private readonly child: ChildProcessWithoutNullStreams;
  private shown = "";
  private waiters: { pattern: string; from: number; resolve: () => void }[] = [];
  readonly exitCode: Promise<number | null>;

  constructor(clientArgs: string[]) {
    const command = ["node", "--import", "tsx", "cli/parrot.ts", "client", ...clientArgs].join(" ");
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

const clientArgs = () => ["-s", "127.0.0.1", "-p", String(target.port)];

describe("interactive client on a terminal", {
  skip: !hasScript && "util-linux script is not installed",
}, () => {
  test("prompts, hides the password, shows the echo, /quit logs out with exit 0", async () => {
    const terminal = new TerminalSession(clientArgs());
    await terminal.waitFor("username: ");
    terminal.type("user1\r");
    await terminal.waitFor("password: ");
    terminal.type("pass1\r");
    await terminal.waitFor("user1> ");
    terminal.type("hello parrot\r");
    await terminal.waitFor("echo: hello parrot");
    terminal.type("/quit\r");
    assert.equal(await terminal.exitCode, 0, terminal.output);
    assert.match(terminal.output, /logged out/);
    assert.ok(
      !terminal.output.includes("pass1"),
      `password echoed: ${JSON.stringify(terminal.output)}`,
    );
  });

  test("no common version: the server's versions are shown, exit 4, no prompt", async () => {
    const terminal = new TerminalSession([...clientArgs(), "--versions", "9"]);
    assert.equal(await terminal.exitCode, 4, terminal.output);
    assert.match(terminal.output, /offered 9, the server speaks 1/);
    assert.ok(!terminal.output.includes("username:"), terminal.output);
  });

  test("a wrong password can be retried; Ctrl+C at the chat prompt logs out cleanly", async () => {
    const terminal = new TerminalSession(clientArgs());
    await terminal.waitFor("username: ");
    terminal.type("user2\r");
    await terminal.waitFor("password: ");
    terminal.type("wrong\r");
    await terminal.waitFor("bad username or password");
    await terminal.waitFor("username: ");
    terminal.type("user2\r");
    await terminal.waitFor("password: ");
    terminal.type("pass2\r");
    await terminal.waitFor("user2> ");
    terminal.type("half-typed");
    terminal.type("\x03");
    assert.equal(await terminal.exitCode, 0, terminal.output);
    assert.match(terminal.output, /logged out/);
    assert.ok(
      !/wrong|pass2/.test(terminal.output),
      `password echoed: ${JSON.stringify(terminal.output)}`,
    );
  });
});
