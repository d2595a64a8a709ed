// The password prompt's line editing, driven key by key through a stand-in terminal: the same
// byte sequences a real terminal in raw mode delivers.
import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { describe, test } from "node:test";
import { PromptCancelled, promptLine, type TerminalInput } from "../../cli/terminal-prompt.ts";

class FakeTerminal extends EventEmitter implements TerminalInput {
  isRaw = false;
  rawModeHistory: boolean[] = [];
  written = "";

  setRawMode(mode: boolean): void {
    this.isRaw = mode;
    this.rawModeHistory.push(mode);
  }

  resume(): void {}
  pause(): void {}

  type(...chunks: (string | Buffer)[]): void {
    for (const chunk of chunks)
      this.emit("data", typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }

  readonly output = {
    write: (text: string) => {
      this.written += text;
    },
  };
}

describe("terminal prompt", () => {
  test("a password is read in raw mode and nothing typed is echoed", async () => {
    const terminal = new FakeTerminal();
    const line = promptLine(terminal, terminal.output, "password: ", { echo: false });
    terminal.type("pa", "ss1\r");
    assert.equal(await line, "pass1");
    assert.equal(terminal.written, "password: \n");
    assert.deepEqual(terminal.rawModeHistory, [true, false]);
  });

  test("Backspace deletes the last character (whole code points), Ctrl+U the whole line", async () => {
    const terminal = new FakeTerminal();
    const line = promptLine(terminal, terminal.output, "> ", { echo: false });
    terminal.type("wrong\x15", "pasX\x7f", "s🦜\x7f\b", "s1\n");
    assert.equal(await line, "pass1");
  });

  test("with echo on, typed characters and erasures are shown", async () => {
    const terminal = new FakeTerminal();
    const line = promptLine(terminal, terminal.output, "username: ", { echo: true });
    terminal.type("usx\x7fer1\r");
    assert.equal(await line, "user1");
    assert.equal(terminal.written, "username: usx\b \ber1\n");
  });

  test("arrow keys and other escape sequences never end up in the line", async () => {
    const terminal = new FakeTerminal();
    const line = promptLine(terminal, terminal.output, "> ", { echo: false });
    terminal.type("pa\x1b[D\x1b[A", "ss\x1bOH1\x1b[3~\r");
    assert.equal(await line, "pass1");
  });

  test("a UTF-8 character split across chunks is reassembled", async () => {
    const terminal = new FakeTerminal();
    const line = promptLine(terminal, terminal.output, "> ", { echo: false });
    const bytes = Buffer.from("pé\r");
    terminal.type(bytes.subarray(0, 2), bytes.subarray(2));
    assert.equal(await line, "pé");
  });

  test("Ctrl+C cancels as an interrupt and restores the terminal", async () => {
    const terminal = new FakeTerminal();
    const line = promptLine(terminal, terminal.output, "> ", { echo: false });
    terminal.type("sec\x03ret\r");
    await assert.rejects(
      line,
      (error) => error instanceof PromptCancelled && error.reason === "interrupt",
    );
    assert.equal(terminal.isRaw, false);
    assert.equal(terminal.listenerCount("data"), 0);
  });

  test("Ctrl+D ends input only on an empty line", async () => {
    const terminal = new FakeTerminal();
    const typed = promptLine(terminal, terminal.output, "> ", { echo: false });
    terminal.type("ab\x04c\r");
    assert.equal(await typed, "abc");
    const empty = promptLine(terminal, terminal.output, "> ", { echo: false });
    terminal.type("\x04");
    await assert.rejects(
      empty,
      (error) => error instanceof PromptCancelled && error.reason === "end-of-input",
    );
  });

  test("aborting the signal (the server went away) cancels a waiting prompt", async () => {
    const terminal = new FakeTerminal();
    const controller = new AbortController();
    const line = promptLine(terminal, terminal.output, "> ", {
      echo: false,
      signal: controller.signal,
    });
    terminal.type("half");
    controller.abort();
    await assert.rejects(
      line,
      (error) => error instanceof PromptCancelled && error.reason === "aborted",
    );
    assert.equal(terminal.isRaw, false);
  });
});
