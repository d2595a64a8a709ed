/**
 * Reads a password from a terminal without echoing it: raw mode, so each key arrives as typed;
 * Enter finishes, Backspace deletes, Ctrl+C or Ctrl+D (on an empty line) cancels. Used by
 * `parrot useradd`; the prompt goes to stderr so stdout stays clean.
 */
import type { ReadStream } from "node:tty";

export class PromptCancelled extends Error {
  override name = "PromptCancelled";
}

export function promptHidden(
  prompt: string,
  input: ReadStream = process.stdin as ReadStream,
  output: NodeJS.WritableStream = process.stderr,
): Promise<string> {
  // Raw mode before the prompt: a user who types as soon as the prompt shows must not be echoed.
  const wasRaw = input.isRaw;
  input.setRawMode(true);
  input.resume();
  output.write(prompt);
  let typed = "";
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      input.off("data", onData);
      input.setRawMode(wasRaw);
      input.pause();
      output.write("\n");
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString("utf8")) {
        if (char === "\r" || char === "\n") return finish();
        if (char === "\u0003") return finish(new PromptCancelled("cancelled"));
        if (char === "\u0004") {
          if (typed === "") return finish(new PromptCancelled("cancelled"));
          continue;
        }
        if (char === "\u007f" || char === "\b") {
          typed = Array.from(typed).slice(0, -1).join("");
          continue;
        }
        // Other control characters (arrows arrive as escape sequences) are not part of a password.
        if (char < " ") continue;
        typed += char;
      }
    };
    input.on("data", onData);
  });
}
