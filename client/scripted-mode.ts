/**
 * Scripted mode: the client when stdin or stdout is not a terminal (pipes, CI, other programs).
 *
 * Credentials: --user, and the password from the first line of stdin (--password-stdin) or
 * PARROT_PASSWORD; if stdin is a terminal after all, the password is prompted for without echo.
 * Messages: each --send TEXT in order; without --send, each further line of stdin. stdout carries
 * exactly one line per echo (its text) so it can be piped on; everything else goes to stderr.
 *
 * Ending: with --send the client logs out once every message is echoed and never reads stdin for
 * messages; without --send it stays connected (pinging) until stdin ends. Either way it waits for
 * every outstanding echo, sends LOGOUT and waits for the server's EOF before it returns.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { MAX_STRING_BYTES } from "../generated/index.ts";
import { ClientFailure } from "./client-failure.ts";
import type { ClientOptions } from "./client-options.ts";
import type { ClientSession } from "./client-session.ts";
import { connectSession } from "./connect-session.ts";
import { ExitCode } from "./exit-codes.ts";
import { promptLine, type TerminalInput } from "./terminal-prompt.ts";

export interface ScriptedIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Set when stdin is a terminal: the password is then prompted for on it, without echo. */
  terminalStdin: TerminalInput | undefined;
}

export async function runScripted(options: ClientOptions, io: ScriptedIo): Promise<number> {
  if (options.user === undefined) {
    throw new ClientFailure(
      "USAGE",
      "scripted mode (stdin or stdout is not a terminal) needs --user NAME; see --help",
    );
  }
  const stdinLines = new LineSource(io.stdin);
  try {
    const password = await readPassword(options, io, stdinLines);
    const session = await connectSession(options);
    session.onEcho((echo) => io.stdout.write(`${echo.text}\n`));
    session.onNotice((notice) => io.stderr.write(`${notice}\n`));
    await untilEnded(session, session.negotiate(options.versions));
    await logIn(session, options.user, password);
    const inputFailure =
      options.sends.length > 0
        ? await sendAll(session, options.sends)
        : await sendLines(session, stdinLines);
    await session.logout();
    if (inputFailure !== undefined) throw inputFailure;
    return ExitCode.OK;
  } finally {
    // Whatever happened, a half-read stdin must not keep the process alive.
    stdinLines.close();
  }
}

async function readPassword(
  options: ClientOptions,
  io: ScriptedIo,
  stdinLines: LineSource,
): Promise<string> {
  let password: string | undefined;
  if (options.passwordFromStdin) {
    password = await stdinLines.next();
    if (password === undefined) {
      throw new ClientFailure("USAGE", "--password-stdin: stdin ended before the password line");
    }
  } else if (options.password !== undefined) {
    password = options.password;
  } else if (io.terminalStdin !== undefined) {
    password = await promptLine(io.terminalStdin, io.stderr, "password: ", { echo: false });
  } else {
    throw new ClientFailure(
      "USAGE",
      "no password: pass --password-stdin (first line of stdin) or set PARROT_PASSWORD",
    );
  }
  const limit = MAX_STRING_BYTES.LOGIN_REQUEST.password;
  if (Buffer.byteLength(password, "utf8") > limit) {
    throw new ClientFailure("USAGE", `the password is longer than the protocol's ${limit} bytes`);
  }
  return password;
}

async function logIn(session: ClientSession, user: string, password: string): Promise<void> {
  const answer = await untilEnded(session, session.login(user, password));
  if (answer.status === "OK") return;
  const failure =
    answer.status === "ALREADY_LOGGED_IN"
      ? new ClientFailure(
          "ALREADY_LOGGED_IN",
          `login refused: ${user} is ${answerText(answer.text)}`,
        )
      : new ClientFailure("LOGIN_REFUSED", "login refused: bad username or password");
  // Leave the way the protocol says, so the server logs a logout rather than a dropped client.
  await session.logout().catch(() => {});
  throw failure;
}

function answerText(text: string): string {
  return text === "" ? "already logged in from another location" : text;
}

async function sendAll(session: ClientSession, texts: string[]): Promise<undefined> {
  for (const text of texts) {
    if (!session.send(text).accepted) await untilEnded(session, session.writable());
  }
  return undefined;
}

/**
 * Sends each line of stdin until it ends. A line over the CHAT limit stops the input: the
 * messages before it are still delivered and echoed, then the run fails as a usage error, so a
 * script never mistakes a truncated conversation for a whole one.
 */
async function sendLines(
  session: ClientSession,
  stdinLines: LineSource,
): Promise<ClientFailure | undefined> {
  const limit = MAX_STRING_BYTES.CHAT.text;
  for (let lineNumber = 1; ; lineNumber += 1) {
    const line = await untilEnded(session, stdinLines.next());
    if (line === undefined) return undefined;
    const bytes = Buffer.byteLength(line, "utf8");
    if (bytes > limit) {
      return new ClientFailure(
        "USAGE",
        `stdin line ${lineNumber} is ${bytes} bytes; a message may be at most ${limit} (not sent; stopped)`,
      );
    }
    if (!session.send(line).accepted) await untilEnded(session, session.writable());
  }
}

/**
 * Waits for `step` unless the session ends first, in which case the session's failure is thrown:
 * a server that dies while we wait for stdin must not leave the client hanging on stdin.
 */
async function untilEnded<T>(session: ClientSession, step: Promise<T>): Promise<T> {
  const ended = session.ended.then((failure) => {
    throw failure ?? new ClientFailure("CONNECTION_LOST", "the server closed the connection");
  });
  // `step` may reject with the same failure once the session ends; that rejection is the one
  // already reported through `ended`, so it must not surface as unhandled.
  step.catch(() => {});
  return Promise.race([step, ended]);
}

/** Lines of a stream, read only when asked for, so --send mode never consumes stdin. */
class LineSource {
  private iterator: AsyncIterator<string> | undefined;
  private closeReader: (() => void) | undefined;

  constructor(private readonly input: Readable) {}

  async next(): Promise<string | undefined> {
    if (this.iterator === undefined) {
      const reader = createInterface({ input: this.input, crlfDelay: Number.POSITIVE_INFINITY });
      this.iterator = reader[Symbol.asyncIterator]();
      this.closeReader = () => reader.close();
    }
    const result = await this.iterator.next();
    return result.done === true ? undefined : result.value;
  }

  close(): void {
    if (this.closeReader === undefined) return;
    this.closeReader();
    this.input.destroy();
  }
}
