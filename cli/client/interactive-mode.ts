/**
 * Interactive mode: the client when stdin and stdout are both a terminal.
 *
 * Prompts for username and password (the password is read in raw mode and never echoed), then
 * connects, negotiates and logs in, letting the user retry a refused login (interactive-login.ts),
 * then reads lines at a readline prompt: commands and messages (chat-input.ts), carried out by
 * ChatCommands. What the server sends arrives asynchronously and is printed above the prompt, and
 * who is typing shows on a status line (chat-screen.ts), without disturbing what the user is typing.
 * While the user types a message to someone (the current room, or a "/msg USER" or "/say ROOM"
 * line), they are told so with TYPING (compose-typing.ts).
 *
 * With --reconnect a dropped connection is made again, logged in with the same credentials and its
 * rooms joined again (client/reconnecting-session.ts), said above the prompt; lines typed
 * meanwhile are refused ("the session is ending") rather than held, since a person sees why.
 *
 * Ctrl+C, Ctrl+D and /quit log out cleanly: queued TYPINGs are sent, outstanding answers awaited,
 * LOGOUT is sent and the server's EOF awaited. A second Ctrl+C while that is in progress drops the
 * connection at once.
 */
import { createInterface } from "node:readline";
import { ClientFailure } from "../../client/client-failure.ts";
import { connectSession } from "../../client/connect-session.ts";
import { ReconnectingSession } from "../../client/reconnecting-session.ts";
import type { SeenMessages } from "../../client/seen-messages.ts";
import { ChatCommands } from "./chat-commands.ts";
import { composingTo, parseChatInput } from "./chat-input.ts";
import { ChatScreen } from "./chat-screen.ts";
import type { ClientOptions } from "./client-options.ts";
import { ComposeTyping } from "./compose-typing.ts";
import { eventLine, eventLines, type TimeStyle, typingStatus } from "./event-line.ts";
import { ExitCode } from "./exit-codes.ts";
import { logInInteractively, type Terminal } from "./interactive-login.ts";
import { leaveRefused, loginRefusal } from "./login-refusal.ts";
import { reconnectRemark } from "./reconnect-remark.ts";
import { TypingBoard } from "./typing-board.ts";

export type { Terminal } from "./interactive-login.ts";

export async function runInteractive(options: ClientOptions, terminal: Terminal): Promise<number> {
  const { output } = terminal;
  // Where asynchronous lines (server events, notices) go; replaced once the chat prompt is up.
  let show = (line: string) => {
    output.write(`${line}\n`);
  };
  let showStatus = (_status: string | undefined) => {};
  const typists = new TypingBoard(() => showStatus(typingStatus(typists.typists)));
  const connect = async (seen?: SeenMessages) => {
    const session = await connectSession(options, seen);
    session.onEvent((event) => {
      if (event.kind === "typing") typists.notice({ ...event, started: event.state === "STARTED" });
      else if (event.kind === "echo") show(`echo: ${eventLine(event)}`);
      else for (const line of eventLines(event, LOCAL_TIMES)) show(line);
    });
    session.onNotice((notice) => show(`! ${notice}`));
    const negotiated = await session.negotiate(options.versions);
    show(
      `connected to ${session.remoteAddress}${options.tls ? " (TLS)" : ""}, ` +
        `protocol version ${negotiated.version}`,
    );
    return session;
  };

  const login = await logInInteractively(options, terminal, () => connect());
  if (login.kind === "gave-up") {
    await login.session?.logout();
    return ExitCode[login.lastRefusal ?? "OK"];
  }
  // Without --reconnect the first drop ends the run; with it, the same login is tried again.
  const session = new ReconnectingSession(login.session, {
    retry: options.reconnect,
    dial: async (seen) => {
      const again = await connect(seen);
      const answer = await again.login(login.user, login.password);
      if (answer.status !== "OK") await leaveRefused(again, loginRefusal(login.user, answer));
      return again;
    },
  });
  session.onNews((news) => show(`! ${reconnectRemark(news)}`));

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
  const commands = new ChatCommands(() => session.current, show);
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
    const outstanding = session.current.outstandingCount;
    if (outstanding > 0)
      output.write(`waiting for ${outstanding} answer(s) before logging out...\n`);
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
  if (session.current.supports("TYPING")) {
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

/** A person reads local wall-clock time, on every version-3 message. */
const LOCAL_TIMES: TimeStyle = {
  time: (unixMs) => new Date(unixMs).toLocaleTimeString("en-GB", { hour12: false }),
  onLiveMessages: true,
};

function promptFor(user: string, room: string | undefined): string {
  return room === undefined ? `${user}> ` : `${user} #${room}> `;
}
