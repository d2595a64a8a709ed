/**
 * The web client: the terminal client's user interface in a page. Same library (ClientSession
 * over a PduChannel, kept connected by ReconnectingSession), same commands
 * (cli/client/chat-input.ts, chat-commands.ts) and the same words (event-line.ts, through
 * message-log.ts), over the WebSocket binding of spec §2.3. Everything from the server is shown
 * as text, never parsed as HTML.
 *
 * A dropped connection is dialled again by client/reconnecting-session.ts (back-off 1 s doubling
 * to 30 s, with jitter: reconnect-backoff.ts), logged in again with the same credentials and its
 * rooms resumed, and the page says so; on version 3 what was missed meanwhile is replayed, each
 * message once, marked. A refused login or a LOGOUT is final.
 */

import { ChatCommands } from "../../cli/client/chat-commands.ts";
import { composingTo, parseChatInput } from "../../cli/client/chat-input.ts";
import { ComposeTyping } from "../../cli/client/compose-typing.ts";
import { typingStatus } from "../../cli/client/event-line.ts";
import { reconnectRemark } from "../../cli/client/reconnect-remark.ts";
import { TypingBoard } from "../../cli/client/typing-board.ts";
import { ClientFailure } from "../../client/client-failure.ts";
import { ClientSession } from "../../client/client-session.ts";
import { ReconnectingSession } from "../../client/reconnecting-session.ts";
import type { SeenMessages } from "../../client/seen-messages.ts";
import { SUPPORTED_VERSIONS } from "../../generated/index.ts";
import { PduChannel } from "../../transport/pdu-channel.ts";
import { openParrotWebSocket } from "./browser-websocket-stream.ts";
import { EarliestShown } from "./earliest-shown.ts";
import { MessageLog } from "./message-log.ts";

/** How many messages "Earlier messages" asks for (the server may give fewer: its max_page). */
const EARLIER_COUNT = 20;

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
const earlier = element<HTMLButtonElement>("earlier");
const typingLine = element<HTMLParagraphElement>("typing");
const online = element<HTMLUListElement>("online");
const compose = element<HTMLFormElement>("compose");
const line = element<HTMLInputElement>("line");
const log = new MessageLog(element<HTMLOListElement>("log"));
const earliest = new EarliestShown();

const socketUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${document.body.dataset["wsPath"] ?? "/"}`;

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

/** The logged-in run: its connections come and go, the commands and typing stay. */
interface Live {
  run: ReconnectingSession;
  commands: ChatCommands;
  typing: ComposeTyping;
}
let live: Live | undefined;

const typists = new TypingBoard(() => {
  typingLine.textContent = typingStatus(typists.typists) ?? "";
});

/** One connection of the run: the first, or the next after a drop (`seen` shared by all). */
async function connectAndLogIn(
  user: string,
  password: string,
  seen: SeenMessages,
): Promise<ClientSession> {
  const stream = await openParrotWebSocket(socketUrl).catch((error: Error) => {
    throw new ClientFailure("CANNOT_CONNECT", error.message);
  });
  const session = new ClientSession(new PduChannel(stream), undefined, seen);
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
    earliest.notice(event);
    log.event(event);
  });
  session.onNotice((notice) => log.notice(`! ${notice}`));
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

async function start(user: string, password: string): Promise<void> {
  let run: ReconnectingSession;
  try {
    run = await ReconnectingSession.start({
      retry: true,
      dial: (seen) => connectAndLogIn(user, password, seen),
    });
  } catch (error) {
    loginError.textContent = (error as Error).message;
    return;
  }
  run.onNews((news) => {
    log.notice(reconnectRemark(news));
    connection.textContent =
      news.kind === "reconnected"
        ? "connected"
        : news.kind === "waiting"
          ? `connection lost: retrying in ${(news.delayMs / 1000).toFixed(1)} s`
          : "connection lost";
    renderEarlier();
  });
  const commands = new ChatCommands(
    () => run.current,
    (text) => log.notice(text),
  );
  const typing = new ComposeTyping((signal) =>
    commands.typing.push(signal, { replaceQueued: true }),
  );
  live = { run, commands, typing };
  loginForm.hidden = true;
  chatView.hidden = false;
  me.textContent = user;
  connection.textContent = "connected";
  log.notice(`logged in as ${user}. /help lists commands.`);
  line.focus();
  const failure = await run.ended;
  typing.stop();
  commands.typing.stop();
  typists.clear();
  live = undefined;
  renderEarlier();
  if (failure !== undefined) log.notice(`! ${failure.message}`);
  connection.textContent = "logged out";
  log.notice("logged out");
}

/** "Earlier messages" is there while a room is current and the session has history. */
function renderEarlier(): void {
  const current = live;
  const room = current?.commands.currentRoom;
  earlier.hidden =
    room === undefined ||
    current === undefined ||
    !current.run.current.canSend ||
    !current.run.current.supports("HISTORY_REQUEST");
  earlier.textContent = room === undefined ? "Earlier messages" : `Earlier in #${room}`;
}

loginForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const data = new FormData(loginForm);
  loginError.textContent = "";
  void start(String(data.get("username") ?? ""), String(data.get("password") ?? ""));
});

earlier.addEventListener("click", () => {
  const current = live;
  const room = current?.commands.currentRoom;
  if (current === undefined || room === undefined || !current.run.current.canSend) return;
  const from = earliest.of(room);
  const requests = current.run.current.requests;
  if (from === undefined) requests.history("ROOM", room, EARLIER_COUNT);
  else requests.history("ROOM", room, EARLIER_COUNT, { anchor: "BEFORE", from });
});

compose.addEventListener("submit", (event) => {
  event.preventDefault();
  const current = live;
  if (current === undefined) return;
  current.typing.stop();
  const outcome = current.commands.run(parseChatInput(line.value));
  line.value = "";
  if (outcome.kind === "refused") log.notice(outcome.message);
  if (outcome.kind === "quit") {
    void current.commands.typing.flushed().then(() => current.run.logout().catch(() => undefined));
  }
  const room = current.commands.currentRoom;
  line.placeholder = room === undefined ? "Message, or /help" : `Message to #${room}, or /help`;
  renderEarlier();
});

line.addEventListener("input", () => {
  const current = live;
  if (current === undefined || !current.run.current.supports("TYPING")) return;
  current.typing.keystroke(composingTo(line.value, current.commands.currentRoom));
});
