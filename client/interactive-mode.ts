/**
 * Interactive mode: the client when stdin and stdout are both a terminal.
 *
 * Negotiates, prompts for username and password (the password is read in raw mode and never
 * echoed), lets the user retry a refused login (the server allows a few failures per connection),
 * then reads messages at a readline prompt. Echoes arrive asynchronously; each is printed above
 * the prompt line, which is redrawn with whatever the user had typed so far.
 *
 * Ctrl+C, Ctrl+D and /quit log out cleanly: outstanding echoes are awaited, LOGOUT is sent and the
 * server's EOF awaited. A second Ctrl+C while that is in progress drops the connection at once.
 */
import { clearLine, createInterface, cursorTo } from "node:readline";
import type { ReadStream, WriteStream } from "node:tty";
import { MAX_STRING_BYTES } from "../generated/index.ts";
import { ClientFailure } from "./client-failure.ts";
import type { ClientOptions } from "./client-options.ts";
import type { ClientSession } from "./client-session.ts";
import { connectSession } from "./connect-session.ts";
import { ExitCode, type ExitReason } from "./exit-codes.ts";
import { PromptCancelled, promptLine } from "./terminal-prompt.ts";

export interface Terminal {
  input: ReadStream;
  output: WriteStream;
}

const HELP = [
  "Type a message and press Enter; the server parrots it back.",
  "  /help   this text",
  "  /quit   log out and exit (also Ctrl+C or Ctrl+D)",
  "  //text  send a message that starts with /",
].join("\n");

export async function runInteractive(options: ClientOptions, terminal: Terminal): Promise<number> {
  const { output } = terminal;
  // Where asynchronous lines (echoes, server notices) go; replaced once the chat prompt is up.
  let show = (line: string) => {
    output.write(`${line}\n`);
  };
  const session = await connectSession(options);
  session.onEcho((echo) => show(`echo: ${echo.text}`));
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
  let closing = false;
  show = (line) => {
    // Print above the prompt and redraw it with the user's half-typed line intact.
    clearLine(output, 0);
    cursorTo(output, 0);
    output.write(`${line}\n`);
    if (!closing) chat.prompt(true);
  };
  // `midLine`: Ctrl+C or Ctrl+D left the cursor after whatever was typed; move off that line.
  const quit = (midLine: boolean) => {
    if (midLine) output.write("\n");
    if (closing) {
      session.abort(new ClientFailure("CONNECTION_LOST", "interrupted while logging out"));
      return;
    }
    closing = true;
    chat.close();
    if (session.outstandingCount > 0) {
      output.write(`waiting for ${session.outstandingCount} echo(es) before logging out...\n`);
    }
    session.logout().catch(() => {
      // Reported through `ended` below.
    });
  };
  const say = (text: string) => output.write(`${text}\n`);
  chat.on("line", (line) => {
    handleLine(line, session, say, () => quit(false));
    if (!closing) chat.prompt();
  });
  chat.on("SIGINT", () => quit(true));
  chat.on("close", () => {
    if (!closing) quit(true);
  });
  // Raw mode is off once readline closes; a second Ctrl+C then arrives as a signal.
  const onSigint = () => quit(true);
  process.on("SIGINT", onSigint);
  chat.prompt();

  const failure = await session.ended;
  process.off("SIGINT", onSigint);
  if (!closing) {
    // The server ended the session under the prompt: clear it so the reason starts a clean line.
    closing = true;
    clearLine(output, 0);
    cursorTo(output, 0);
    chat.close();
  }
  if (failure !== undefined) throw failure;
  output.write("logged out\n");
  return ExitCode.OK;
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

/** One line typed at the chat prompt: a command, or a message to send. */
function handleLine(
  line: string,
  session: ClientSession,
  say: (text: string) => void,
  quit: () => void,
): void {
  const command = line.trim();
  if (command === "/quit") {
    quit();
  } else if (command === "/help") {
    say(HELP);
  } else if (line.startsWith("/") && !line.startsWith("//")) {
    say(`unknown command ${command.split(/\s/)[0]}; /help lists commands`);
  } else {
    const text = line.startsWith("//") ? line.slice(1) : line;
    const limit = MAX_STRING_BYTES.CHAT.text;
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > limit) say(`not sent: the message is ${bytes} bytes; the limit is ${limit}`);
    else if (session.currentState === "AUTHENTICATED") session.send(text);
  }
}
