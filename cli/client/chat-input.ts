/**
 * One line the user typed (interactive) or a script wrote to stdin (scripted) → what it asks for.
 *
 * Both modes read lines the same way, so a script can do everything a person can: a line that
 * starts with "/" is a command, "//" sends a line that starts with "/" (the first slash is dropped),
 * and any other line is text for the current target (the echo, or the current room after /room).
 *
 * Parsing is pure and checks every protocol limit a line can break (name and text lengths), so a
 * line that parses can always be encoded; whether the session's protocol version has the command
 * is the runner's business (see COMMANDS[].sends).
 */

import type { TypingTarget } from "../../client/typing-sender.ts";
import {
  LIMITS,
  MAX_STRING_BYTES,
  type MessageTypeName,
  type PresenceModeName,
  type TypingStateName,
} from "../../generated/index.ts";

export type ChatInput =
  | { kind: "text"; text: string }
  | { kind: "msg"; to: string; text: string }
  | { kind: "say"; room: string; text: string }
  | { kind: "join"; room: string }
  | { kind: "leave"; room: string }
  | { kind: "rooms" }
  /** `room` is "" for everyone online. */
  | { kind: "who"; room: string }
  /** `room` undefined returns to echo mode. */
  | { kind: "room"; room: string | undefined }
  | { kind: "typing"; target: TypingTarget; state: TypingStateName }
  | { kind: "presence"; enabled: PresenceModeName }
  /** The newest `count` messages of a room or of the direct conversation with a user (version 3). */
  | { kind: "history"; target: TypingTarget; count: number }
  | { kind: "help" }
  | { kind: "quit" }
  | { kind: "invalid"; message: string };

export type CommandKind = Exclude<ChatInput["kind"], "text" | "invalid">;

export interface CommandSpec {
  kind: CommandKind;
  usage: string;
  doc: string;
  /**
   * The PDU the command sends. Its `since` in protocol.json is the version a session needs to run
   * the command, so a version-1 session never sends a version-2 PDU.
   */
  sends?: MessageTypeName;
}

/** How many messages /history shows without N. */
export const DEFAULT_HISTORY_COUNT = 20;

/** Every command, in the order /help lists them. The parser and /help both read this table. */
export const COMMANDS: readonly CommandSpec[] = [
  { kind: "msg", usage: "/msg USER TEXT", doc: "direct message to USER", sends: "DIRECT_SEND" },
  { kind: "join", usage: "/join ROOM", doc: "join ROOM (created if new)", sends: "ROOM_JOIN" },
  { kind: "leave", usage: "/leave ROOM", doc: "leave ROOM", sends: "ROOM_LEAVE" },
  { kind: "say", usage: "/say ROOM TEXT", doc: "message to ROOM", sends: "ROOM_SAY" },
  {
    kind: "room",
    usage: "/room [ROOM]",
    doc: "plain lines go to ROOM; without ROOM, back to the echo",
    sends: "ROOM_SAY",
  },
  { kind: "rooms", usage: "/rooms", doc: "list rooms", sends: "ROOM_LIST_REQUEST" },
  {
    kind: "who",
    usage: "/who [ROOM]",
    doc: "who is online, or who is in ROOM",
    sends: "WHO_REQUEST",
  },
  {
    kind: "typing",
    usage: "/typing USER|#ROOM",
    doc: "tell USER or ROOM you are typing",
    sends: "TYPING",
  },
  {
    kind: "typing",
    usage: "/typing-stop USER|#ROOM",
    doc: "tell USER or ROOM you stopped",
    sends: "TYPING",
  },
  {
    kind: "presence",
    usage: "/presence on|off",
    doc: "be told when users come online or go offline",
    sends: "PRESENCE_SUBSCRIBE",
  },
  {
    kind: "history",
    usage: "/history #ROOM|USER [N]",
    doc: `the newest N messages of ROOM, or of your direct messages with USER (default ${DEFAULT_HISTORY_COUNT}, at most ${LIMITS.maxHistoryPage})`,
    sends: "HISTORY_REQUEST",
  },
  { kind: "help", usage: "/help", doc: "this text" },
  { kind: "quit", usage: "/quit", doc: "log out and exit" },
];

/** ROOM arguments may be written "#lobby" or "lobby": room names never contain "#" (§12.2). */
const ROOM_PREFIX = "#";

export function parseChatInput(line: string): ChatInput {
  if (line.startsWith("//")) return textInput(line.slice(1));
  if (!line.startsWith("/")) return textInput(line);

  const space = line.indexOf(" ");
  const word = space < 0 ? line : line.slice(0, space);
  const rest = space < 0 ? "" : line.slice(space + 1);
  switch (word) {
    case "/msg":
      return withText(rest, "/msg USER TEXT", (to, text) =>
        checkName("user", to, MAX_STRING_BYTES.DIRECT_SEND.to, { kind: "msg", to, text }),
      );
    case "/say":
      return withText(rest, "/say ROOM TEXT", (room, text) =>
        checkRoom(room, MAX_STRING_BYTES.ROOM_SAY.room, (name) => ({
          kind: "say",
          room: name,
          text,
        })),
      );
    case "/join":
      return oneArgument(rest, "/join ROOM", (room) =>
        checkRoom(room, MAX_STRING_BYTES.ROOM_JOIN.room, (name) => ({ kind: "join", room: name })),
      );
    case "/leave":
      return oneArgument(rest, "/leave ROOM", (room) =>
        checkRoom(room, MAX_STRING_BYTES.ROOM_LEAVE.room, (name) => ({
          kind: "leave",
          room: name,
        })),
      );
    case "/room":
      return optionalArgument(rest, "/room [ROOM]", (room) =>
        room === undefined
          ? { kind: "room", room: undefined }
          : checkRoom(room, MAX_STRING_BYTES.ROOM_SAY.room, (name) => ({
              kind: "room",
              room: name,
            })),
      );
    case "/rooms":
      return noArgument(rest, "/rooms", { kind: "rooms" });
    case "/who":
      return optionalArgument(rest, "/who [ROOM]", (room) =>
        room === undefined
          ? { kind: "who", room: "" }
          : checkRoom(room, MAX_STRING_BYTES.WHO_REQUEST.room, (name) => ({
              kind: "who",
              room: name,
            })),
      );
    case "/typing":
    case "/typing-stop": {
      const state: TypingStateName = word === "/typing" ? "STARTED" : "STOPPED";
      return oneArgument(rest, `${word} USER|#ROOM`, (target) => typingInput(target, state));
    }
    case "/presence":
      return oneArgument(rest, "/presence on|off", (mode) =>
        mode === "on" || mode === "off"
          ? { kind: "presence", enabled: mode === "on" ? "ON" : "OFF" }
          : usage("/presence on|off"),
      );
    case "/history":
      return historyInput(rest);
    case "/help":
      return noArgument(rest, "/help", { kind: "help" });
    case "/quit":
      return noArgument(rest, "/quit", { kind: "quit" });
    default:
      return { kind: "invalid", message: `unknown command ${word}; /help lists commands` };
  }
}

/**
 * Whom the user is addressing while `line` is still being typed, for the typing indicator: the
 * USER of a "/msg USER text", the ROOM of a "/say ROOM text", or the current room for plain text.
 * Undefined until there is text to send (an empty line or a bare "/msg user2 " is not typing yet).
 */
export function composingTo(
  line: string,
  currentRoom: string | undefined,
): TypingTarget | undefined {
  const input = parseChatInput(line);
  switch (input.kind) {
    case "msg":
      return input.text === "" ? undefined : { kind: "USER", name: input.to };
    case "say":
      return input.text === "" ? undefined : { kind: "ROOM", name: input.room };
    case "text":
      return input.text === "" || currentRoom === undefined
        ? undefined
        : { kind: "ROOM", name: currentRoom };
    default:
      return undefined;
  }
}

/** The /help text: one line per command, then how plain lines and "//" work. */
export function commandHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.usage.length));
  return [
    "Plain lines are echoed by the server, or go to the current room after /room ROOM.",
    ...COMMANDS.map((command) => `  ${command.usage.padEnd(width)}  ${command.doc}`),
    `  ${"//text".padEnd(width)}  send a line that starts with /`,
  ].join("\n");
}

function textInput(text: string): ChatInput {
  const problem = textProblem(text);
  return problem === undefined ? { kind: "text", text } : { kind: "invalid", message: problem };
}

function textProblem(text: string): string | undefined {
  // Every text field of version 2 has CHAT's limit; one constant would hide that they are separate.
  const limit = Math.min(
    MAX_STRING_BYTES.CHAT.text,
    MAX_STRING_BYTES.DIRECT_SEND.text,
    MAX_STRING_BYTES.ROOM_SAY.text,
  );
  const bytes = Buffer.byteLength(text, "utf8");
  return bytes > limit
    ? `the message is ${bytes} bytes; a message may be at most ${limit}`
    : undefined;
}

/** "NAME TEXT": NAME after any spaces, TEXT everything after the one space that ends NAME. */
function withText(
  rest: string,
  usageText: string,
  build: (name: string, text: string) => ChatInput,
): ChatInput {
  const start = rest.length - rest.trimStart().length;
  const space = rest.indexOf(" ", start);
  if (space < 0) return usage(usageText);
  const name = rest.slice(start, space);
  const text = rest.slice(space + 1);
  const problem = textProblem(text);
  if (problem !== undefined) return { kind: "invalid", message: problem };
  return build(name, text);
}

function oneArgument(
  rest: string,
  usageText: string,
  build: (argument: string) => ChatInput,
): ChatInput {
  const words = splitWords(rest);
  return words.length === 1 ? build(words[0]!) : usage(usageText);
}

function optionalArgument(
  rest: string,
  usageText: string,
  build: (argument: string | undefined) => ChatInput,
): ChatInput {
  const words = splitWords(rest);
  return words.length <= 1 ? build(words[0]) : usage(usageText);
}

function noArgument(rest: string, usageText: string, input: ChatInput): ChatInput {
  return splitWords(rest).length === 0 ? input : usage(usageText);
}

function splitWords(rest: string): string[] {
  return rest.split(" ").filter((word) => word !== "");
}

function historyInput(rest: string): ChatInput {
  const usageText = "/history #ROOM|USER [N]";
  const words = splitWords(rest);
  if (words.length < 1 || words.length > 2) return usage(usageText);
  const countText = words[1] ?? String(DEFAULT_HISTORY_COUNT);
  const count = /^\d+$/.test(countText) ? Number(countText) : Number.NaN;
  if (!(count >= 1 && count <= LIMITS.maxHistoryPage)) {
    return {
      kind: "invalid",
      message: `usage: ${usageText}, N from 1 to ${LIMITS.maxHistoryPage}`,
    };
  }
  // As for /typing: "#" names a room; a bare word is a user, whose conversation with you it is.
  const [target] = words as [string];
  const maxBytes = MAX_STRING_BYTES.HISTORY_REQUEST.target;
  if (target.startsWith(ROOM_PREFIX)) {
    return checkRoom(target, maxBytes, (name) => ({
      kind: "history",
      target: { kind: "ROOM", name },
      count,
    }));
  }
  return checkName("user", target, maxBytes, {
    kind: "history",
    target: { kind: "USER", name: target },
    count,
  });
}

function typingInput(target: string, state: TypingStateName): ChatInput {
  if (target.startsWith(ROOM_PREFIX)) {
    return checkRoom(target, MAX_STRING_BYTES.TYPING.target, (name) => ({
      kind: "typing",
      target: { kind: "ROOM", name },
      state,
    }));
  }
  return checkName("user", target, MAX_STRING_BYTES.TYPING.target, {
    kind: "typing",
    target: { kind: "USER", name: target },
    state,
  });
}

function checkRoom(room: string, maxBytes: number, build: (name: string) => ChatInput): ChatInput {
  const name = room.startsWith(ROOM_PREFIX) ? room.slice(ROOM_PREFIX.length) : room;
  // Whether the name is a valid room name is the server's to say (ROOM_RESULT BAD_ROOM_NAME);
  // only what cannot be encoded at all is refused here.
  if (name === "") return { kind: "invalid", message: "a room name cannot be empty" };
  return checkName("room", name, maxBytes, build(name));
}

function checkName(what: string, name: string, maxBytes: number, input: ChatInput): ChatInput {
  const bytes = Buffer.byteLength(name, "utf8");
  if (bytes > maxBytes) {
    return {
      kind: "invalid",
      message: `a ${what} name is at most ${maxBytes} bytes; ${JSON.stringify(name)} is ${bytes}`,
    };
  }
  return input;
}

function usage(text: string): ChatInput {
  return { kind: "invalid", message: `usage: ${text}` };
}
