/**
 * The web client: the terminal client's user interface in a page. Same library (ClientSession
 * over a PduChannel), same commands (cli/client/chat-input.ts, chat-commands.ts) and the same
 * event lines (event-line.ts), over the WebSocket binding of spec §2.3. Everything from the
 * server is shown with textContent, never parsed as HTML.
 *
 * A dropped connection is retried with exponential backoff (1 s doubling to 30 s), logging in
 * again with the same credentials, and the page says so; a refused login or a LOGOUT is final.
 */

import { ChatCommands } from "../../cli/client/chat-commands.ts";
import { composingTo, parseChatInput } from "../../cli/client/chat-input.ts";
import { ComposeTyping } from "../../cli/client/compose-typing.ts";
import { eventLine, typingStatus } from "../../cli/client/event-line.ts";
import { TypingBoard } from "../../cli/client/typing-board.ts";
import { ClientFailure } from "../../client/client-failure.ts";
import type { ClientSession } from "../../client/client-session.ts";
import { ClientSession as Session } from "../../client/client-session.ts";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { openParrotWebSocket } from "./browser-websocket-stream.ts";

const FIRST_RETRY_MS = 1000;
const LAST_RETRY_MS = 30_000;

function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`the page has no #${id}`);
  return found as T;
}

const loginForm = element<HTMLFormElement>("login");
const loginError = element<HTMLParagraphElement>("login-error");
const chatView = element<HTMLElement>("chat");
const me = element<HTMLSpanElement>("me");
const connection = element<HTMLSpanElement>("connection");
const log = element<HTMLOListElement>("log");
const typingLine = element<HTMLParagraphElement>("typing");
const online = element<HTMLUListElement>("online");
const compose = element<HTMLFormElement>("compose");
const line = element<HTMLInputElement>("line");

const socketUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${document.body.dataset["wsPath"] ?? "/"}`;

function show(text: string, kind = "event"): void {
  const item = document.createElement("li");
  item.className = kind;
  item.textContent = text;
  log.append(item);
  item.scrollIntoView({ block: "end" });
}

const onlineNames = new Set<string>();
function renderOnline(): void {
  online.replaceChildren(
    ...[...onlineNames].sort().map((name) => {
      const item = document.createElement("li");
      item.textContent = name;
      return item;
    }),
  );
}

/** One live connection: the session and what the page keeps for it. */
interface Live {
  session: ClientSession;
  commands: ChatCommands;
  typing: ComposeTyping;
}
let live: Live | undefined;
let loggingOut = false;

const typists = new TypingBoard(() => {
  typingLine.textContent = typingStatus(typists.typists) ?? "";
});

async function connectAndLogIn(user: string, password: string): Promise<ClientSession> {
  const stream = await openParrotWebSocket(socketUrl).catch((error: Error) => {
    throw new ClientFailure("CANNOT_CONNECT", error.message);
  });
  const session = new Session(new PduChannel(stream));
  session.onEvent((event) => {
    if (event.kind === "typing") {
      typists.notice({ ...event, started: event.state === "STARTED" });
      return;
    }
    if (event.kind === "presence") {
      if (event.status === "ONLINE") onlineNames.add(event.user);
      else onlineNames.delete(event.user);
      renderOnline();
    }
    if (event.kind === "who-list" && event.room === "") {
      onlineNames.clear();
      for (const name of event.names) onlineNames.add(name);
      renderOnline();
      return;
    }
    show(event.kind === "echo" ? `echo: ${eventLine(event)}` : eventLine(event), event.kind);
  });
  session.onNotice((notice) => show(`! ${notice}`, "notice"));
  await session.negotiate([...SUPPORTED_VERSIONS]);
  const answer = await session.login(user, password);
  if (answer.status !== "OK") {
    await session.logout().catch(() => undefined);
    const reason = answer.status === "ALREADY_LOGGED_IN" ? "ALREADY_LOGGED_IN" : "LOGIN_REFUSED";
    throw new ClientFailure(reason, answer.text === "" ? answer.status : answer.text);
  }
  if (session.supports("PRESENCE_SUBSCRIBE")) session.requests.presence("ON");
  if (session.supports("WHO_REQUEST")) session.requests.who("");
  return session;
}

async function run(user: string, password: string): Promise<void> {
  let retryMs = FIRST_RETRY_MS;
  let first = true;
  for (;;) {
    let session: ClientSession;
    try {
      session = await connectAndLogIn(user, password);
    } catch (error) {
      const failure = error instanceof ClientFailure ? error : undefined;
      // Reconnecting, ALREADY_LOGGED_IN is this page's own old login, not yet timed out: retry.
      if (first || failure?.reason === "LOGIN_REFUSED" || failure?.reason === "NO_COMMON_VERSION") {
        loginError.textContent = (error as Error).message;
        loginForm.hidden = false;
        chatView.hidden = true;
        return;
      }
      connection.textContent = `connection lost: retrying in ${retryMs / 1000} s`;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
      continue;
    }
    first = false;
    retryMs = FIRST_RETRY_MS;
    const commands = new ChatCommands(session, (text) => show(text, "notice"));
    const typing = new ComposeTyping((signal) =>
      commands.typing.push(signal, { replaceQueued: true }),
    );
    live = { session, commands, typing };
    loginForm.hidden = true;
    chatView.hidden = false;
    me.textContent = user;
    connection.textContent = "connected";
    show(`logged in as ${user}. /help lists commands.`, "notice");
    line.focus();
    const failure = await session.ended;
    typing.stop();
    commands.typing.stop();
    typists.clear();
    live = undefined;
    if (loggingOut || failure === undefined) {
      connection.textContent = "logged out";
      show("logged out", "notice");
      return;
    }
    show(`! ${failure.message}`, "notice");
    connection.textContent = `connection lost: retrying in ${retryMs / 1000} s`;
    await new Promise((resolve) => setTimeout(resolve, retryMs));
  }
}

loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(loginForm);
  loginError.textContent = "";
  loggingOut = false;
  void run(String(data.get("username") ?? ""), String(data.get("password") ?? ""));
});

compose.addEventListener("submit", (event) => {
  event.preventDefault();
  const current = live;
  if (current === undefined) return;
  current.typing.stop();
  const outcome = current.commands.run(parseChatInput(line.value));
  line.value = "";
  if (outcome.kind === "refused") show(outcome.message, "notice");
  if (outcome.kind === "quit") {
    loggingOut = true;
    void current.commands.typing.flushed().then(() => current.session.logout());
  }
  const room = current.commands.currentRoom;
  line.placeholder = room === undefined ? "Message, or /help" : `Message to #${room}, or /help`;
});

line.addEventListener("input", () => {
  const current = live;
  if (current === undefined || !current.session.supports("TYPING")) return;
  current.typing.keystroke(composingTo(line.value, current.commands.currentRoom));
});
