/**
 * Scripted mode: the client when stdin or stdout is not a terminal (pipes, CI, other programs).
 *
 * Credentials: --user, and the password from the first line of stdin (--password-stdin) or
 * PARROT_PASSWORD; if stdin is a terminal after all, the password is prompted for without echo.
 * Input: each --send TEXT in order, sent as a message as it is; without --send, each further line
 * of stdin, read like a line typed interactively (chat-input.ts: "/" starts a command, "//" escapes
 * it). stdout carries one line per event from the server (event-line.ts: an echo is just its text,
 * so v1 scripts see what they always saw); the client's own remarks go to stderr.
 *
 * A line that cannot be carried out (a usage error, a command the negotiated version lacks, a
 * message over the limit) stops the input: what came before is still answered, then the run
 * fails as a usage error, so a script never mistakes a cut-short conversation for a whole one.
 *
 * Ending: with --send the client logs out once every message is echoed and never reads stdin for
 * messages; without --send it stays connected (pinging) until stdin ends or a /quit line. Either
 * way it sends the queued TYPINGs, waits for every outstanding answer, sends LOGOUT and waits for
 * the server's EOF before it returns.
 *
 * A closed stdout (`parrot client ... | head -1`: the reader has what it wanted, and the next
 * write fails with EPIPE) ends the input like the end of stdin, as other Unix tools stop when
 * their reader goes: no more lines or --send texts are sent, what is outstanding is still waited
 * for (its output dropped), then the client logs out cleanly, so the login is free, and exits 0
 * without a word. Any other write error on stdout ends the input the same way but is a failure.
 *
 * --reconnect: a dropped connection is dialled again with back-off, logged in and the rooms joined
 * again (client/reconnecting-session.ts); stdin lines and --send texts wait for it. What happens
 * is said on stderr (reconnect-remark.ts). Without it the first drop ends the run, as it always did.
 */
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { ClientFailure } from "../../client/client-failure.ts";
import type { ClientSession } from "../../client/client-session.ts";
import { connectSession } from "../../client/connect-session.ts";
import { ReconnectingSession } from "../../client/reconnecting-session.ts";
import type { SeenMessages } from "../../client/seen-messages.ts";
import { MAX_STRING_BYTES } from "../../generated/index.ts";
import { promptLine, type TerminalInput } from "../terminal-prompt.ts";
import { ChatCommands } from "./chat-commands.ts";
import { parseChatInput } from "./chat-input.ts";
import type { ClientOptions } from "./client-options.ts";
import { eventLines, typingLine } from "./event-line.ts";
import { ExitCode } from "./exit-codes.ts";
import { leaveRefused, loginRefusal } from "./login-refusal.ts";
import { reconnectRemark } from "./reconnect-remark.ts";
import { TypingBoard } from "./typing-board.ts";

export interface ScriptedIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  /** Set when stdin is a terminal: the password is then prompted for on it, without echo. */
  terminalStdin: TerminalInput | undefined;
}

export async function runScripted(options: ClientOptions, io: ScriptedIo): Promise<number> {
  const user = options.user;
  if (user === undefined) {
    throw new ClientFailure(
      "USAGE",
      "scripted mode (stdin or stdout is not a terminal) needs --user NAME; see --help",
    );
  }
  const stdinLines = new LineSource(io.stdin);
  const output = new OutputLines(io.stdout);
  const print = (line: string) => output.print(line);
  const typists = new TypingBoard((typist, typing) =>
    print(typingLine(typist.from, typist.room, typing)),
  );
  let commands: ChatCommands | undefined;
  try {
    const password = await readPassword(options, io, stdinLines);
    // Every connection of the run, the first and any --reconnect makes, is set up the same way.
    const dial = async (seen: SeenMessages) => {
      const session = await connectSession(options, seen);
      session.onEvent((event) => {
        if (event.kind === "typing") {
          typists.notice({ ...event, started: event.state === "STARTED" });
        } else {
          for (const line of eventLines(event)) print(line);
        }
      });
      session.onNotice((notice) => io.stderr.write(`${notice}\n`));
      await untilEnded(session, session.negotiate(options.versions));
      await logIn(session, user, password);
      return session;
    };
    const run = await ReconnectingSession.start({ dial, retry: options.reconnect });
    run.onNews((news) => io.stderr.write(`${reconnectRemark(news)}\n`));
    commands = new ChatCommands(
      () => run.current,
      (remark) => io.stderr.write(`${remark}\n`),
    );
    const inputFailure =
      options.sends.length > 0
        ? await sendAll(run, options.sends, output)
        : await runLines(run, commands, stdinLines, output);
    // A /typing-stop written just before the end must still reach the server.
    await untilEnded(run, commands.typing.flushed());
    await run.logout();
    if (inputFailure !== undefined) throw inputFailure;
    if (output.failure !== undefined) throw output.failure;
    return ExitCode.OK;
  } finally {
    // Whatever happened, a half-read stdin or a pending timer must not keep the process alive.
    stdinLines.close();
    commands?.typing.stop();
    typists.clear();
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
  await leaveRefused(session, loginRefusal(user, answer));
}

async function sendAll(
  run: ReconnectingSession,
  texts: string[],
  output: OutputLines,
): Promise<undefined> {
  for (const text of texts) {
    // Nobody would see the echoes of the rest.
    if (output.isClosed) return undefined;
    // With --reconnect, a text after a drop waits for the next connection.
    const session = await untilEnded(run, run.connected());
    if (!session.requests.chat(text).accepted) await untilEnded(run, session.writable());
  }
  return undefined;
}

/**
 * Carries out each line of stdin until it ends, a /quit or stdout is closed. The first line that
 * cannot be carried out stops the input (see the top of this file) and becomes the run's usage
 * failure; the password line, if it came from stdin, is line 1.
 */
async function runLines(
  run: ReconnectingSession,
  commands: ChatCommands,
  stdinLines: LineSource,
  output: OutputLines,
): Promise<ClientFailure | undefined> {
  for (;;) {
    // stdin may stay open for ever (`tail -f`): a closed stdout must not wait for its next line.
    const line = await untilEnded(
      run,
      Promise.race([stdinLines.next(), output.closed.then(() => undefined)]),
    );
    if (line === undefined || output.isClosed) return undefined;
    const input = parseChatInput(line);
    // Quitting needs no connection, so it does not wait for one (--reconnect may be waiting).
    if (input.kind === "quit") return undefined;
    // A script's lines take effect in the order written: a TYPING waiting for the rate limit
    // holds back the lines after it, so "/typing-stop #a" then "/leave a" is not reversed.
    await untilEnded(run, commands.typing.flushed());
    // After a drop, with --reconnect, the line waits for the next connection and goes out on it.
    const session = await untilEnded(run, run.connected());
    const outcome = commands.run(input);
    if (outcome.kind === "quit") return undefined;
    if (outcome.kind === "refused") {
      // Refused because the server already ended the session: that is the news, not the line.
      if (!session.canSend) await failureOf(run);
      return new ClientFailure(
        "USAGE",
        `stdin line ${stdinLines.lineNumber}: ${outcome.message} (not sent; stopped)`,
      );
    }
    if (!outcome.accepted) await untilEnded(run, session.writable());
  }
}

/**
 * Waits for `step` unless the session ends first, in which case the session's failure is thrown:
 * a server that dies while we wait for stdin must not leave the client hanging on stdin. For the
 * whole run (a ReconnectingSession) a drop is not the end when --reconnect is given.
 */
async function untilEnded<T>(
  session: { readonly ended: Promise<ClientFailure | undefined> },
  step: Promise<T>,
): Promise<T> {
  // `step` may reject with the same failure once the session ends; that rejection is the one
  // already reported through `ended`, so it must not surface as unhandled.
  step.catch(() => {});
  return Promise.race([step, failureOf(session)]);
}

/** Rejects, once the session (or the run) has ended, with why it ended. */
async function failureOf(session: {
  readonly ended: Promise<ClientFailure | undefined>;
}): Promise<never> {
  const failure = await session.ended;
  throw failure ?? new ClientFailure("CONNECTION_LOST", "the server closed the connection");
}

/**
 * stdout, which its reader may close. A write error (EPIPE when the reader has gone) is emitted on
 * the stream after the write returns; it is caught here rather than crashing the process, lines
 * are dropped from then on, and `closed` resolves so the input stops.
 */
class OutputLines {
  readonly closed: Promise<void>;
  /** Set for a write error other than EPIPE: the run fails with it once logged out. */
  failure: ClientFailure | undefined;
  private gone = false;

  constructor(private readonly stream: Writable) {
    this.closed = new Promise((resolve) => {
      stream.on("error", (error: NodeJS.ErrnoException) => {
        if (this.gone) return;
        this.gone = true;
        if (error.code !== "EPIPE") {
          this.failure = new ClientFailure("USAGE", `cannot write to stdout: ${error.message}`);
        }
        resolve();
      });
    });
  }

  get isClosed(): boolean {
    return this.gone;
  }

  print(line: string): void {
    if (!this.gone && !this.stream.destroyed) this.stream.write(`${line}\n`);
  }
}

/** Lines of a stream, read only when asked for, so --send mode never consumes stdin. */
class LineSource {
  private iterator: AsyncIterator<string> | undefined;
  private closeReader: (() => void) | undefined;
  private linesRead = 0;

  constructor(private readonly input: Readable) {}

  async next(): Promise<string | undefined> {
    if (this.iterator === undefined) {
      const reader = createInterface({ input: this.input, crlfDelay: Number.POSITIVE_INFINITY });
      this.iterator = reader[Symbol.asyncIterator]();
      this.closeReader = () => reader.close();
    }
    const result = await this.iterator.next();
    if (result.done === true) return undefined;
    this.linesRead += 1;
    return result.value;
  }

  /** The number of the line `next()` returned last, counting from 1. */
  get lineNumber(): number {
    return this.linesRead;
  }

  close(): void {
    if (this.closeReader === undefined) return;
    this.closeReader();
    this.input.destroy();
  }
}
