/**
 * Reads one line from a terminal in raw mode, optionally without echoing it: the password prompt.
 *
 * Raw mode is needed because a cooked terminal echoes every key before the program sees it. In
 * raw mode the terminal also stops turning Ctrl+C into SIGINT and stops line editing, so both are
 * done here: printable characters are collected, Backspace deletes the last character, Ctrl+U
 * clears the line, Enter finishes, Ctrl+C and Ctrl+D (on an empty line) cancel. Escape sequences
 * (arrow keys and the like) are swallowed so they cannot end up inside a password.
 */
import { StringDecoder } from "node:string_decoder";

/** The part of a tty.ReadStream the prompt needs; a parameter so a test can drive it with a fake. */
export interface TerminalInput {
  readonly isRaw: boolean;
  setRawMode(mode: boolean): unknown;
  on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface TerminalOutput {
  write(text: string): unknown;
}

/** Why a prompt returned no line: the user pressed Ctrl+C or Ctrl+D, or the caller aborted it. */
export class PromptCancelled extends Error {
  override readonly name = "PromptCancelled";

  constructor(readonly reason: "interrupt" | "end-of-input" | "aborted") {
    super(`prompt cancelled (${reason})`);
  }
}

export interface PromptOptions {
  /** false for passwords: nothing typed is shown, not even its length. */
  echo: boolean;
  /** Aborting (e.g. the server closed the connection) cancels the prompt with "aborted". */
  signal?: AbortSignal;
}

const ENTER = new Set(["\r", "\n"]);
const CTRL_C = "\x03";
const CTRL_D = "\x04";
const CTRL_U = "\x15";
const BACKSPACE = new Set(["\x7f", "\b"]);
// CSI (ESC [ params final) and SS3 (ESC O x) sequences, as sent by arrow, function and Home/End keys.
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what these sequences start with.
const ESCAPE_SEQUENCE = /^\x1b(?:\[[0-9;?]*[@-~]|O.|.?)/s;

export function promptLine(
  input: TerminalInput,
  output: TerminalOutput,
  prompt: string,
  options: PromptOptions,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new PromptCancelled("aborted"));
      return;
    }
    const decoder = new StringDecoder("utf8");
    const wasRaw = input.isRaw;
    let line: string[] = [];

    const finish = (outcome: { line: string } | { cancelled: PromptCancelled["reason"] }) => {
      input.off("data", onData);
      options.signal?.removeEventListener("abort", onAbort);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
      if ("line" in outcome) resolve(outcome.line);
      else reject(new PromptCancelled(outcome.cancelled));
    };

    const onAbort = () => finish({ cancelled: "aborted" });

    const onData = (chunk: Buffer | string) => {
      let text = typeof chunk === "string" ? chunk : decoder.write(chunk);
      while (text.length > 0) {
        const sequence = ESCAPE_SEQUENCE.exec(text);
        if (sequence !== null) {
          text = text.slice(sequence[0].length);
          continue;
        }
        const key = String.fromCodePoint(text.codePointAt(0)!);
        text = text.slice(key.length);
        if (ENTER.has(key)) return finish({ line: line.join("") });
        if (key === CTRL_C) return finish({ cancelled: "interrupt" });
        if (key === CTRL_D) {
          if (line.length === 0) return finish({ cancelled: "end-of-input" });
          continue;
        }
        if (BACKSPACE.has(key)) {
          if (line.length > 0 && options.echo) output.write("\b \b");
          line = line.slice(0, -1);
          continue;
        }
        if (key === CTRL_U) {
          if (options.echo) output.write("\b \b".repeat(line.length));
          line = [];
          continue;
        }
        if (key < " ") continue; // other control characters have no place in a name or password
        line.push(key);
        if (options.echo) output.write(key);
      }
    };

    // Raw mode first: whatever is typed once the prompt is visible must not be echoed.
    input.setRawMode(true);
    output.write(prompt);
    input.on("data", onData);
    input.resume();
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
