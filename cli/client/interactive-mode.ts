/**
 * Interactive mode: the client when stdin and stdout are both a terminal.
 *
 * Negotiates, prompts for username and password (the password is read in raw mode and never
 * echoed), lets the user retry a refused login (the server allows a few failures per connection),
 * then reads lines at a readline prompt: commands and messages (chat-input.ts), carried out by
 * ChatCommands. What the server sends arrives asynchronously and is printed above the prompt, and
 * who is typing shows on a status line (chat-screen.ts), without disturbing what the user is typing.
 * While the user types a message to someone (the current room, or a "/msg USER" or "/say ROOM"
 * line), they are told so with TYPING (compose-typing.ts).
 *
 * Ctrl+C, Ctrl+D and /quit log out cleanly: queued TYPINGs are sent, outstanding answers awaited,
 * LOGOUT is sent and the server's EOF awaited. A second Ctrl+C while that is in progress drops the
 * connection at once.
 */
import { createInterface } from "node:readline";
import type { ReadStream, WriteStream } from "node:tty";
import { ClientFailure } from "../../client/client-failure.ts";
import type { ClientSession } from "../../client/client-session.ts";
import { connectSession } from "../../client/connect-session.ts";
import { MAX_STRING_BYTES } from "../../generated/index.ts";
import { PromptCancelled, promptLine } from "../terminal-prompt.ts";
import { ChatCommands } from "./chat-commands.ts";
import { composingTo, parseChatInput } from "./chat-input.ts";
import { ChatScreen } from "./chat-screen.ts";
import type { ClientOptions } from "./client-options.ts";
import { ComposeTyping } from "./compose-typing.ts";
import { eventLine, typingStatus } from "./event-line.ts";
import { ExitCode, type ExitReason } from "./exit-codes.ts";
import { TypingBoard } from "./typing-board.ts";

export interface Terminal {
  input: ReadStream;
  output: WriteStream;
}

export async function runInteractive(options: ClientOptions, terminal: Terminal): Promise<number> {
  const { output } = terminal;
  // Where asynchronous lines (server events, notices) go; replaced once the chat prompt is up.
  let show = (line: string) => {
    output.write(`${line}\n`);
  };
  let showStatus = (_status: string | undefined) => {};
  const typists = new TypingBoard(() => showStatus(typingStatus(typists.typists)));
  const session = await connectSession(options);
  session.onEvent((event) => {
    if (event.kind === "typing") typists.notice({ ...event, started: event.state === "STARTED" });
    else show(event.kind === "echo" ? `echo: ${eventLine(event)}` : eventLine(event));
  });
  session.onNotice((notice) => show(`! ${notice}`));
  const negotiated = await session.negotiate(options.versions);
  show(
    `connected to ${session.remoteAddress}${options.tls ? " (TLS)" : ""}, ` +
      `protocol version ${negotiated.version}`,
  );

  const login = await logInLoop(session, options, terminal);
  if (login.kind === "gave-up") {
    await session.logout();
    return ExitCode[login.lastRefusal ?? "OK"];
  }

  show(`logged in as ${login.user}. /help lists commands.`);
  const chat = createInterface({
    input: terminal.input,
    output,
    prompt: `${login.user}> `,
    terminal: true,
  });
  const screen = new ChatScreen(chat, output, terminal.input);
  show = (line) => screen.print(line);
  showStatus = (status) => screen.setStatus(status);
  const commands = new ChatCommands(session, show);
  const compose = new ComposeTyping((signal) =>
    commands.typing.push(signal, { replaceQueued: true }),
  );
  let closing = false;
  // `midLine`: Ctrl+C or Ctrl+D left the cursor after whatever was typed; keep it, move off it.
  const quit = (midLine: boolean) => {
    if (closing) {
      if (midLine) output.write("\n");
      session.abort(new ClientFailure("CONNECTION_LOST", "interrupted while logging out"));
      return;
    }
    closing = true;
    compose.stop();
    screen.close(midLine);
    chat.close();
    if (session.outstandingCount > 0) {
      output.write(`waiting for ${session.outstandingCount} answer(s) before logging out...\n`);
    }
    commands.typing
      .flushed()
      .then(() => session.logout())
      .catch(() => {
        // Reported through `ended` below.
      });
  };
  chat.on("line", (line) => {
    // Whatever the line was, it is no longer being typed.
    compose.stop();
    const outcome = commands.run(parseChatInput(line));
    if (outcome.kind === "quit") quit(false);
    else if (outcome.kind === "refused") show(outcome.message);
    if (closing) return;
    chat.setPrompt(promptFor(login.user, commands.currentRoom));
    screen.prompt();
  });
  // After readline has applied the key (its listener was registered first), see whom the line
  // now addresses. Only a session whose version has TYPING tells anyone.
  if (session.supports("TYPING")) {
    terminal.input.on("keypress", () => {
      if (!closing) compose.keystroke(composingTo(chat.line, commands.currentRoom));
    });
  }
  chat.on("SIGINT", () => quit(true));
  chat.on("close", () => {
    if (!closing) quit(true);
  });
  // Raw mode is off once readline closes; a second Ctrl+C then arrives as a signal.
  const onSigint = () => quit(true);
  process.on("SIGINT", onSigint);
  screen.prompt();

  const failure = await session.ended;
  process.off("SIGINT", onSigint);
  compose.stop();
  commands.typing.stop();
  typists.clear();
  if (!closing) {
    // The server ended the session under the prompt: clear it so the reason starts a clean line.
    closing = true;
    screen.close(false);
    chat.close();
  }
  if (failure !== undefined) throw failure;
  output.write("logged out\n");
  return ExitCode.OK;
}

function promptFor(user: string, room: string | undefined): string {
  return room === undefined ? `${user}> ` : `${user} #${room}> `;
}

type LoginOutcome =
  | { kind: "logged-in"; user: string }
  | { kind: "gave-up"; lastRefusal: ExitReason | undefined };

async function logInLoop(
  session: ClientSession,
  options: ClientOptions,
  terminal: Terminal,
): Promise<LoginOutcome> {
  // If the server ends the session (handshake timeout, too many attempts) while the user is
  // typing, the prompt must give way to that news.
  const stopPrompting = new AbortController();
  void session.ended.then(() => stopPrompting.abort());
  const prompt = (text: string, echo: boolean) =>
    promptLine(terminal.input, terminal.output, text, { echo, signal: stopPrompting.signal });

  let lastRefusal: ExitReason | undefined;
  let presetUser = options.user;
  let presetPassword = options.password;
  for (;;) {
    let user: string;
    let password: string;
    try {
      user = presetUser ?? (await prompt("username: ", true));
      password = presetPassword ?? (await prompt("password: ", false));
    } catch (error) {
      if (!(error instanceof PromptCancelled)) throw error;
      if (error.reason === "aborted") throw (await session.ended) ?? error;
      return { kind: "gave-up", lastRefusal };
    }
    // Preset credentials are tried once; after a refusal the user types them.
    presetUser = undefined;
    presetPassword = undefined;
    const tooLong = overLimit(user, password);
    if (tooLong !== undefined) {
      terminal.output.write(`${tooLong}\n`);
      continue;
    }
    const answer = await session.login(user, password);
    if (answer.status === "OK") return { kind: "logged-in", user };
    if (answer.status === "ALREADY_LOGGED_IN") {
      lastRefusal = "ALREADY_LOGGED_IN";
      terminal.output.write(
        `login refused: ${user} is ${answer.text || "already logged in from another location"}\n`,
      );
    } else {
      lastRefusal = "LOGIN_REFUSED";
      terminal.output.write("login refused: bad username or password; try again\n");
    }
  }
}

function overLimit(user: string, password: string): string | undefined {
  const limits = MAX_STRING_BYTES.LOGIN_REQUEST;
  if (Buffer.byteLength(user, "utf8") > limits.username) {
    return `a username is at most ${limits.username} bytes`;
  }
  if (Buffer.byteLength(password, "utf8") > limits.password) {
    return `a password is at most ${limits.password} bytes`;
  }
  return undefined;
}
